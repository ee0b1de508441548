import { KINDS, LANGUAGES, type Language } from "../../catalog/schema.js";
import type { SubscriptionFacet } from "../../state/coordination.js";
import type { BrowseList } from "../lists.js";
import { isPayloadOf, withinLimit } from "./payload.js";

/**
 * Inline-button payloads. Telegram returns whatever a button carried, and anyone can forge it, so
 * decoding is strict: an unknown shape, a malformed id or an out-of-range number decodes to undefined
 * and the handler answers "this button has expired" instead of acting on it.
 */
export type CallbackAction =
  /** Open a record: its card, its details or its contacts — in place, or (`fresh`) in a message of its own. */
  | { type: "record"; view: RecordView; id: string; fresh?: true }
  /** Page of the last search results (0-based). */
  | { type: "results"; page: number }
  /** Choose the interface language, or "auto": follow the language of the user's messages again. */
  | { type: "lang"; lang: Language | "auto" }
  /** Browse a list (src/bot/lists.ts) with optional filters; page is 0-based. */
  | { type: "browse"; list: BrowseList; country?: string; sector?: string; page: number }
  /** Show the choices of one filter while browsing; page (0-based) of the choices, when there are many. */
  | { type: "filter"; list: BrowseList; facet: "country" | "sector"; country?: string; sector?: string; page?: number }
  /** /subscribe menus: the summary, a page of one facet's choices, toggling a value, "any" in a facet, done, cancel. */
  | { type: "sub"; op: "menu" | "save" | "cancel" }
  | { type: "sub"; op: "facet"; facet: SubscriptionFacet; page: number }
  | { type: "sub"; op: "toggle"; facet: SubscriptionFacet; page: number; value: string }
  | { type: "sub"; op: "any"; facet: SubscriptionFacet }
  /** /unsubscribe: the menu, or leaving everything (no topic) or one topic. */
  | { type: "unsub"; op: "menu" }
  | { type: "unsub"; op: "leave"; topic?: string }
  /**
   * Under a received announcement: the subscription menu in a new message (the announcement stays as it
   * is), stopping announcements, and undoing that.
   */
  | { type: "announcement"; op: "manage" | "stop" | "undo" }
  /** 👍/👎 under an answer card. */
  | { type: "vote"; up: boolean; id: string }
  /**
   * Coordinators' /unanswered: a page of the groups, one group (0-based) and what to do with it — reply
   * to its askers, send them a record's card (one of those offered, or any record whose id the coordinator
   * types after "pick"), dismiss it, call it spam — and cancelling a reply or a typed id.
   */
  | { type: "unanswered"; op: "page"; page: number }
  | { type: "unanswered"; op: "group" | "reply" | "dismiss" | "spam" | "pick"; group: number }
  | { type: "unanswered"; op: "record"; group: number; id: string }
  | { type: "unanswered"; op: "cancel" };

export type RecordView = "card" | "details" | "contacts";

const VIEW_CODE: Record<RecordView, string> = { card: "c", details: "d", contacts: "k" };
const LIST_CODE: Record<BrowseList, string> = { programmes: "p", incubators: "n", initiatives: "i", events: "e" };
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COUNTRY = /^[A-Z]{2}$/;
const PAGE = /^\d{1,4}$/;
const FACET_CODE: Record<SubscriptionFacet, string> = { topics: "t", kinds: "k", countries: "c" };
/** A facet value must look like what the facet holds: a sector id, a kind, a country code. */
const FACET_VALUE: Record<SubscriptionFacet, (value: string) => boolean> = {
  topics: (v) => ID.test(v),
  kinds: (v) => (KINDS as readonly string[]).includes(v),
  countries: (v) => COUNTRY.test(v),
};

export function encodeCallback(action: CallbackAction): string {
  let data: string;
  switch (action.type) {
    case "record":
      // Upper case: in a message of its own.
      data = `r:${action.fresh ? VIEW_CODE[action.view].toUpperCase() : VIEW_CODE[action.view]}:${action.id}`;
      break;
    case "results":
      data = `p:${action.page}`;
      break;
    case "lang":
      data = `l:${action.lang}`;
      break;
    case "browse":
      data = `b:${LIST_CODE[action.list]}:${action.country ?? "-"}:${action.sector ?? "-"}:${action.page}`;
      break;
    case "filter":
      data = `f:${LIST_CODE[action.list]}:${action.facet === "country" ? "c" : "s"}:${action.country ?? "-"}:${action.sector ?? "-"}`;
      // The first page of choices keeps the short form.
      if (action.page) data += `:${action.page}`;
      break;
    case "sub":
      data = subData(action);
      break;
    case "unsub":
      data = action.op === "menu" ? "s:v" : `s:u:${action.topic ?? "*"}`;
      break;
    case "announcement":
      data = `a:${ANNOUNCEMENT_CODE[action.op]}`;
      break;
    case "vote":
      data = `v:${action.up ? "u" : "d"}:${action.id}`;
      break;
    case "unanswered":
      data = unansweredData(action);
      break;
  }
  return withinLimit(data);
}

export function decodeCallback(data: string | undefined): CallbackAction | undefined {
  if (!isPayloadOf(data, "")) return undefined;
  const parts = data.split(":");
  switch (parts[0]) {
    case "r": {
      const code = parts[1] ?? "";
      const fresh = code !== code.toLowerCase();
      const view = (Object.keys(VIEW_CODE) as RecordView[]).find(
        (v) => (fresh ? VIEW_CODE[v].toUpperCase() : VIEW_CODE[v]) === code,
      );
      const id = parts[2];
      if (parts.length !== 3 || !view || !id || !ID.test(id)) return undefined;
      return fresh ? { type: "record", view, id, fresh } : { type: "record", view, id };
    }
    case "p":
      return parts.length === 2 && PAGE.test(parts[1]!) ? { type: "results", page: Number(parts[1]) } : undefined;
    case "l": {
      const lang = parts[1] === "auto" ? "auto" : LANGUAGES.find((l) => l === parts[1]);
      return parts.length === 2 && lang ? { type: "lang", lang } : undefined;
    }
    case "b": {
      const list = listOf(parts[1]);
      const country = optional(parts[2], COUNTRY);
      const sector = optional(parts[3], ID);
      if (parts.length !== 5 || !list || country === null || sector === null || !PAGE.test(parts[4]!)) return undefined;
      return { type: "browse", list, country, sector, page: Number(parts[4]) };
    }
    case "f": {
      const list = listOf(parts[1]);
      const facet = parts[2] === "c" ? "country" : parts[2] === "s" ? "sector" : undefined;
      const country = optional(parts[3], COUNTRY);
      const sector = optional(parts[4], ID);
      const page = parts.length === 6 ? parts[5]! : "0";
      if (
        (parts.length !== 5 && parts.length !== 6) ||
        !list ||
        !facet ||
        country === null ||
        sector === null ||
        !PAGE.test(page)
      )
        return undefined;
      return { type: "filter", list, facet, country, sector, page: Number(page) };
    }
    case "s":
      return decodeSubscription(parts);
    case "v": {
      const id = parts[2];
      const up = parts[1] === "u" ? true : parts[1] === "d" ? false : undefined;
      return parts.length === 3 && up !== undefined && id && ID.test(id) ? { type: "vote", up, id } : undefined;
    }
    case "q":
      return decodeUnanswered(parts);
    case "a": {
      const op = (Object.keys(ANNOUNCEMENT_CODE) as AnnouncementOp[]).find((o) => ANNOUNCEMENT_CODE[o] === parts[1]);
      return parts.length === 2 && op ? { type: "announcement", op } : undefined;
    }
    default:
      return undefined;
  }
}

/** a:m · a:s · a:u */
const ANNOUNCEMENT_CODE = { manage: "m", stop: "s", undo: "u" } as const;
type AnnouncementOp = keyof typeof ANNOUNCEMENT_CODE;

const GROUP_OP_CODE = { group: "g", reply: "r", dismiss: "d", spam: "s", pick: "i" } as const;
type GroupOp = keyof typeof GROUP_OP_CODE;

/** q:p:<page> · q:g|r|d|s|i:<group> · q:c:<group>:<record id> · q:x */
function unansweredData(action: Extract<CallbackAction, { type: "unanswered" }>): string {
  switch (action.op) {
    case "page":
      return `q:p:${action.page}`;
    case "record":
      return `q:c:${action.group}:${action.id}`;
    case "cancel":
      return "q:x";
    default:
      return `q:${GROUP_OP_CODE[action.op]}:${action.group}`;
  }
}

function decodeUnanswered(parts: string[]): CallbackAction | undefined {
  if (parts.length === 2 && parts[1] === "x") return { type: "unanswered", op: "cancel" };
  if (parts.length === 4 && parts[1] === "c") {
    const id = parts[3]!;
    return PAGE.test(parts[2]!) && ID.test(id)
      ? { type: "unanswered", op: "record", group: Number(parts[2]), id }
      : undefined;
  }
  if (parts.length !== 3 || !PAGE.test(parts[2]!)) return undefined;
  if (parts[1] === "p") return { type: "unanswered", op: "page", page: Number(parts[2]) };
  const op = (Object.keys(GROUP_OP_CODE) as GroupOp[]).find((o) => GROUP_OP_CODE[o] === parts[1]);
  return op ? { type: "unanswered", op, group: Number(parts[2]) } : undefined;
}

/** Whether an action's payload fits Telegram's limit (a long record id may not). */
export function fitsCallback(action: CallbackAction): boolean {
  try {
    encodeCallback(action);
    return true;
  } catch {
    return false;
  }
}

function subData(action: Extract<CallbackAction, { type: "sub" }>): string {
  switch (action.op) {
    case "menu":
      return "s:m";
    case "save":
      return "s:s";
    case "cancel":
      return "s:x";
    case "facet":
      return `s:f:${FACET_CODE[action.facet]}:${action.page}`;
    case "toggle":
      return `s:t:${FACET_CODE[action.facet]}:${action.page}:${action.value}`;
    case "any":
      return `s:a:${FACET_CODE[action.facet]}`;
  }
}

/** s:m · s:s · s:x · s:f:<facet>:<page> · s:t:<facet>:<page>:<value> · s:a:<facet> · s:v · s:u:<topic|*> */
function decodeSubscription(parts: string[]): CallbackAction | undefined {
  const facet = (Object.keys(FACET_CODE) as SubscriptionFacet[]).find((f) => FACET_CODE[f] === parts[2]);
  switch (parts[1]) {
    case "m":
      return parts.length === 2 ? { type: "sub", op: "menu" } : undefined;
    case "s":
      return parts.length === 2 ? { type: "sub", op: "save" } : undefined;
    case "x":
      return parts.length === 2 ? { type: "sub", op: "cancel" } : undefined;
    case "v":
      return parts.length === 2 ? { type: "unsub", op: "menu" } : undefined;
    case "f":
      return parts.length === 4 && facet && PAGE.test(parts[3]!)
        ? { type: "sub", op: "facet", facet, page: Number(parts[3]) }
        : undefined;
    case "t": {
      const value = parts[4];
      if (parts.length !== 5 || !facet || !PAGE.test(parts[3]!) || value === undefined || !FACET_VALUE[facet](value))
        return undefined;
      return { type: "sub", op: "toggle", facet, page: Number(parts[3]), value };
    }
    case "a":
      return parts.length === 3 && facet ? { type: "sub", op: "any", facet } : undefined;
    case "u": {
      const topic = parts[2];
      if (parts.length !== 3 || topic === undefined) return undefined;
      if (topic === "*") return { type: "unsub", op: "leave" };
      return ID.test(topic) ? { type: "unsub", op: "leave", topic } : undefined;
    }
    default:
      return undefined;
  }
}

function listOf(code: string | undefined): BrowseList | undefined {
  return (Object.keys(LIST_CODE) as BrowseList[]).find((l) => LIST_CODE[l] === code);
}

/** "-" is "no value"; anything else must match, or the whole payload is rejected (null). */
function optional(value: string | undefined, pattern: RegExp): string | undefined | null {
  if (value === "-") return undefined;
  return value !== undefined && pattern.test(value) ? value : null;
}
