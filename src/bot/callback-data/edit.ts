import { KINDS, type Kind } from "../../catalog/schema.js";
import { isPayloadOf, withinLimit } from "./payload.js";

/**
 * Buttons of record editing (/edit, /new, the ✏️ of a card) and of its review. Payloads start with "ed:"
 * and are decoded as strictly as the others: anything else decodes to undefined.
 */
export type EditAction =
  /** ✏️ on a card: edit this record. */
  | { op: "open"; id: string }
  /** Choose the field to change. */
  | { op: "field"; field: string }
  | { op: "kind"; kind: Kind }
  /** Keep the current value of the language asked now; remove an optional field. */
  | { op: "keep" }
  | { op: "clear" }
  | { op: "menu" | "preview" | "submit" | "publish" | "cancel" }
  /** List fields (figures, parties, contacts, links): add an item; open, remove or change one sub-field of the item `index` whose content hashes to `hash` (a stale button finds it changed). */
  | { op: "add"; list: ListField }
  | ({ op: "item" | "remove" } & ItemRef)
  | ({ op: "sub"; sub: string } & ItemRef)
  /** A yes/no sub-field (a figure's "at least"). */
  | { op: "flag"; value: boolean }
  /** Administrators: approve or reject a submitted edit. */
  | { op: "approve" | "reject"; edit: string };

/** The record's list fields and, for each, the sub-fields of an item in the order they are asked. */
export const LIST_FIELDS = {
  figures: ["value", "currency", "atLeast", "label", "text"],
  organisers: ["name", "record", "countries"],
  partners: ["name", "record", "countries"],
  contacts: ["name", "email", "phone", "url", "telegram", "note"],
  links: ["url", "title"],
} as const satisfies Record<string, readonly string[]>;
export type ListField = keyof typeof LIST_FIELDS;

export interface ItemRef {
  list: ListField;
  index: number;
  hash: string;
}

export function isListField(value: string): value is ListField {
  return Object.hasOwn(LIST_FIELDS, value);
}

export const EDIT_PREFIX = "ed:";
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIELD = /^[a-z][a-zA-Z]{0,19}$/;
const EDIT = /^[1-9]\d{0,14}$/;
/** "figures.2.a1b2c3": list, index, hash of the item's content. */
const ITEM = /^([a-z]+)\.(0|[1-9]\d?)\.([0-9a-f]{6})$/;
const PLAIN: Record<string, EditAction["op"]> = {
  n: "keep",
  d: "clear",
  m: "menu",
  v: "preview",
  s: "submit",
  p: "publish",
  x: "cancel",
};

export function encodeEdit(action: EditAction): string {
  let data: string;
  switch (action.op) {
    case "open":
      data = `ed:o:${action.id}`;
      break;
    case "field":
      data = `ed:f:${action.field}`;
      break;
    case "kind":
      data = `ed:k:${action.kind}`;
      break;
    case "approve":
    case "reject":
      data = `ed:${action.op === "approve" ? "a" : "r"}:${action.edit}`;
      break;
    case "add":
      data = `ed:+:${action.list}`;
      break;
    case "item":
    case "remove":
      data = `ed:${action.op === "item" ? "i" : "t"}:${itemRef(action)}`;
      break;
    case "sub":
      data = `ed:u:${itemRef(action)}.${action.sub}`;
      break;
    case "flag":
      data = `ed:g:${action.value ? 1 : 0}`;
      break;
    default: {
      const op = action.op;
      data = `ed:${Object.keys(PLAIN).find((k) => PLAIN[k] === op)!}`;
    }
  }
  return withinLimit(data);
}

export function decodeEdit(data: string | undefined): EditAction | undefined {
  if (!isPayloadOf(data, EDIT_PREFIX)) return undefined;
  const parts = data.split(":");
  if (parts.length === 2) {
    // Own keys only: "ed:constructor" is not a button.
    const op = Object.hasOwn(PLAIN, parts[1]!) ? PLAIN[parts[1]!] : undefined;
    return op ? ({ op } as EditAction) : undefined;
  }
  if (parts.length !== 3) return undefined;
  const value = parts[2]!;
  switch (parts[1]) {
    case "o":
      return ID.test(value) ? { op: "open", id: value } : undefined;
    case "f":
      return FIELD.test(value) ? { op: "field", field: value } : undefined;
    case "k":
      return (KINDS as readonly string[]).includes(value) ? { op: "kind", kind: value as Kind } : undefined;
    case "a":
      return EDIT.test(value) ? { op: "approve", edit: value } : undefined;
    case "r":
      return EDIT.test(value) ? { op: "reject", edit: value } : undefined;
    case "+":
      return isListField(value) ? { op: "add", list: value } : undefined;
    case "i":
    case "t": {
      const ref = parseItemRef(value);
      return ref ? { op: parts[1] === "i" ? "item" : "remove", ...ref } : undefined;
    }
    case "u": {
      const dot = value.lastIndexOf(".");
      const ref = parseItemRef(value.slice(0, dot));
      const sub = value.slice(dot + 1);
      return ref && (LIST_FIELDS[ref.list] as readonly string[]).includes(sub) ? { op: "sub", ...ref, sub } : undefined;
    }
    case "g":
      return value === "1" || value === "0" ? { op: "flag", value: value === "1" } : undefined;
    default:
      return undefined;
  }
}

function itemRef(ref: ItemRef): string {
  return `${ref.list}.${ref.index}.${ref.hash}`;
}

function parseItemRef(value: string): ItemRef | undefined {
  const m = ITEM.exec(value);
  if (!m || !isListField(m[1]!)) return undefined;
  return { list: m[1], index: Number(m[2]), hash: m[3]! };
}
