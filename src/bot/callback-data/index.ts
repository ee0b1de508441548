import { KINDS, LANGUAGES, type Kind, type Language } from "../../catalog/schema.js";
import { CALLBACK_DATA_LIMIT } from "../format.js";

/**
 * Inline-button payloads. Telegram returns whatever a button carried, and anyone can forge it, so
 * decoding is strict: an unknown shape, a malformed id or an out-of-range number decodes to undefined
 * and the handler answers "this button has expired" instead of acting on it.
 */
export type CallbackAction =
  /** Open a record: its card, its details or its contacts. */
  | { type: "record"; view: RecordView; id: string }
  /** Page of the last search results (0-based). */
  | { type: "results"; page: number }
  /** Choose the interface language, or "auto": follow the language of the user's messages again. */
  | { type: "lang"; lang: Language | "auto" }
  /** Browse a kind of record with optional filters; page is 0-based. */
  | { type: "browse"; kind: Kind; country?: string; sector?: string; page: number }
  /** Show the choices of one filter while browsing; page (0-based) of the choices, when there are many. */
  | { type: "filter"; kind: Kind; facet: "country" | "sector"; country?: string; sector?: string; page?: number };

export type RecordView = "card" | "details" | "contacts";

const VIEW_CODE: Record<RecordView, string> = { card: "c", details: "d", contacts: "k" };
const KIND_CODE: Record<Kind, string> = { initiative: "i", programme: "p", incubator: "n", event: "e", organisation: "o", announcement: "a" };
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COUNTRY = /^[A-Z]{2}$/;
const PAGE = /^\d{1,4}$/;

export function encodeCallback(action: CallbackAction): string {
  let data: string;
  switch (action.type) {
    case "record":
      data = `r:${VIEW_CODE[action.view]}:${action.id}`;
      break;
    case "results":
      data = `p:${action.page}`;
      break;
    case "lang":
      data = `l:${action.lang}`;
      break;
    case "browse":
      data = `b:${KIND_CODE[action.kind]}:${action.country ?? "-"}:${action.sector ?? "-"}:${action.page}`;
      break;
    case "filter":
      data = `f:${KIND_CODE[action.kind]}:${action.facet === "country" ? "c" : "s"}:${action.country ?? "-"}:${action.sector ?? "-"}`;
      // The first page of choices keeps the short form.
      if (action.page) data += `:${action.page}`;
      break;
  }
  if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_LIMIT) throw new Error(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
  return data;
}

export function decodeCallback(data: string | undefined): CallbackAction | undefined {
  if (!data || Buffer.byteLength(data, "utf8") > CALLBACK_DATA_LIMIT) return undefined;
  const parts = data.split(":");
  switch (parts[0]) {
    case "r": {
      const view = (Object.keys(VIEW_CODE) as RecordView[]).find((v) => VIEW_CODE[v] === parts[1]);
      const id = parts[2];
      return parts.length === 3 && view && id && ID.test(id) ? { type: "record", view, id } : undefined;
    }
    case "p":
      return parts.length === 2 && PAGE.test(parts[1]!) ? { type: "results", page: Number(parts[1]) } : undefined;
    case "l": {
      const lang = parts[1] === "auto" ? "auto" : LANGUAGES.find((l) => l === parts[1]);
      return parts.length === 2 && lang ? { type: "lang", lang } : undefined;
    }
    case "b": {
      const kind = kindOf(parts[1]);
      const country = optional(parts[2], COUNTRY);
      const sector = optional(parts[3], ID);
      if (parts.length !== 5 || !kind || country === null || sector === null || !PAGE.test(parts[4]!)) return undefined;
      return { type: "browse", kind, country, sector, page: Number(parts[4]) };
    }
    case "f": {
      const kind = kindOf(parts[1]);
      const facet = parts[2] === "c" ? "country" : parts[2] === "s" ? "sector" : undefined;
      const country = optional(parts[3], COUNTRY);
      const sector = optional(parts[4], ID);
      const page = parts.length === 6 ? parts[5]! : "0";
      if ((parts.length !== 5 && parts.length !== 6) || !kind || !facet || country === null || sector === null || !PAGE.test(page)) return undefined;
      return { type: "filter", kind, facet, country, sector, page: Number(page) };
    }
    default:
      return undefined;
  }
}

function kindOf(code: string | undefined): Kind | undefined {
  return KINDS.find((k) => KIND_CODE[k] === code);
}

/** "-" is "no value"; anything else must match, or the whole payload is rejected (null). */
function optional(value: string | undefined, pattern: RegExp): string | undefined | null {
  if (value === "-") return undefined;
  return value !== undefined && pattern.test(value) ? value : null;
}
