import { KINDS, type Kind } from "../../catalog/schema.js";
import { CALLBACK_DATA_LIMIT } from "../format.js";

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
  /** Administrators: approve or reject a submitted edit. */
  | { op: "approve" | "reject"; edit: string };

export const EDIT_PREFIX = "ed:";
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIELD = /^[a-z][a-zA-Z]{0,19}$/;
const EDIT = /^[1-9]\d{0,14}$/;
const PLAIN: Record<string, EditAction["op"]> = { n: "keep", d: "clear", m: "menu", v: "preview", s: "submit", p: "publish", x: "cancel" };

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
    default: {
      const op = action.op;
      data = `ed:${Object.keys(PLAIN).find((k) => PLAIN[k] === op)!}`;
    }
  }
  if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_LIMIT) throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
  return data;
}

export function decodeEdit(data: string | undefined): EditAction | undefined {
  if (!data?.startsWith(EDIT_PREFIX) || Buffer.byteLength(data, "utf8") > CALLBACK_DATA_LIMIT) return undefined;
  const parts = data.split(":");
  if (parts.length === 2) {
    const op = PLAIN[parts[1]!];
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
    default:
      return undefined;
  }
}
