import { isPayloadOf } from "./payload.js";

/**
 * Buttons of saved searches. Payloads start with "n:" and are decoded as strictly as the others: an
 * unknown shape decodes to undefined, and the handler answers that the button has expired.
 *
 *   n:s:<question hash>      🔔 under a result list: save the question that list answers
 *   n:d:<search id>:l|m      remove a saved search, from /subscriptions (l) or from a notification (m)
 */
export type SavedSearchAction = { op: "save"; hash: string } | { op: "remove"; id: string; from: "list" | "message" };

export const SAVED_SEARCH_PREFIX = "n:";
/** A question's hash on the button: 10 characters of base64url (see questionHash in the feature). */
const HASH = /^[A-Za-z0-9_-]{10}$/;
/** A saved search's id (src/state/saved-searches.ts). */
const ID = /^[A-Za-z0-9_-]{8}$/;

export function encodeSavedSearch(action: SavedSearchAction): string {
  if (action.op === "save") {
    if (!HASH.test(action.hash)) throw new Error("not a question hash");
    return `n:s:${action.hash}`;
  }
  if (!ID.test(action.id)) throw new Error("not a saved search id");
  return `n:d:${action.id}:${action.from === "list" ? "l" : "m"}`;
}

export function decodeSavedSearch(data: string | undefined): SavedSearchAction | undefined {
  if (!isPayloadOf(data, SAVED_SEARCH_PREFIX)) return undefined;
  const parts = data.split(":");
  if (parts[1] === "s" && parts.length === 3 && HASH.test(parts[2]!)) return { op: "save", hash: parts[2]! };
  if (parts[1] === "d" && parts.length === 4 && ID.test(parts[2]!) && (parts[3] === "l" || parts[3] === "m"))
    return { op: "remove", id: parts[2]!, from: parts[3] === "l" ? "list" : "message" };
  return undefined;
}
