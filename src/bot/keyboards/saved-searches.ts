import { createHash } from "node:crypto";
import { InlineKeyboard } from "../../grammy.js";
import type { InlineKeyboardButton } from "grammy/types";
import type { Translate } from "../../i18n.js";
import type { SavedSearch, SavedSearchFilters } from "../../state/saved-searches.js";
import { encodeSavedSearch } from "../callback-data/saved-search.js";
import type { BotContext } from "../context.js";
import { isPrivateChat } from "../filters/chat.js";
import { truncate } from "../format.js";

/** Longest question on a button. */
const QUERY_MAX = 40;

/** A search's filters, as the engine or a saved search holds them. */
export type FiltersLike = { readonly [K in keyof SavedSearchFilters]?: readonly string[] };

/** A question's name on its 🔔 button: its text and filters, hashed to 10 characters. */
export function questionHash(query: string, filters: FiltersLike | undefined): string {
  const named = JSON.stringify([query, canonicalFilters(filters)]);
  let hash = hashes.get(named);
  if (hash === undefined) {
    hash = createHash("sha256").update(named).digest("base64url").slice(0, 10);
    // Every answer has a 🔔 button: the names of questions asked again are kept (a few hundred at most).
    if (hashes.size >= MAX_HASHES) hashes.clear();
    hashes.set(named, hash);
  }
  return hash;
}

const MAX_HASHES = 500;
const hashes = new Map<string, string>();

/** A search's filters in one order, facets without values left out. */
export function canonicalFilters(filters: FiltersLike | undefined): [string, string[]][] {
  return (["kinds", "countries", "sectors", "audiences"] as const).flatMap((facet) => {
    const values = filters?.[facet];
    return values?.length ? [[facet, [...new Set(values)].sort()] as [string, string[]]] : [];
  });
}

/**
 * A result list's keyboard with "🔔 Notify me" for the question it answers (by default the session's
 * last one; src/bot/features/saved-searches.ts); in a group, or with no question, the keyboard as it was.
 */
export function withNotify(
  ctx: BotContext,
  keyboard: InlineKeyboard | undefined,
  query = ctx.session.lastQuery,
  filters: FiltersLike | undefined = ctx.session.filters,
): InlineKeyboard | undefined {
  if (!isPrivateChat(ctx) || query === undefined || !query.trim()) return keyboard;
  return withNotifyButton(keyboard, ctx.t, questionHash(query, filters));
}

/** "🔔 Notify me" under a result list; `hash` names the question the list answers. */
export function notifyButton(t: Translate, hash: string): InlineKeyboardButton {
  return InlineKeyboard.text(t("saved:button.notify"), encodeSavedSearch({ op: "save", hash }));
}

/** The keyboard with "🔔 Notify me" as its last row (a new keyboard when there was none). */
export function withNotifyButton(keyboard: InlineKeyboard | undefined, t: Translate, hash: string): InlineKeyboard {
  return new InlineKeyboard([...(keyboard?.inline_keyboard ?? []), [notifyButton(t, hash)]]);
}

/** /subscriptions: one 🗑 per saved search, numbered as the list is. */
export function removeSavedSearchRows(t: Translate, searches: readonly SavedSearch[]): InlineKeyboardButton[][] {
  return searches.map((search, i) => [
    InlineKeyboard.text(
      t("saved:button.remove", { n: i + 1, query: truncate(search.query.replace(/\s+/g, " ").trim(), QUERY_MAX) }),
      encodeSavedSearch({ op: "remove", id: search.id, from: "list" }),
    ),
  ]);
}

/** Under a notification: stop the saved search it answers (each one, when it answers several). */
export function stopSavedSearchRows(t: Translate, searches: readonly SavedSearch[]): InlineKeyboardButton[][] {
  if (searches.length === 1)
    return [
      [
        InlineKeyboard.text(
          t("saved:button.stop"),
          encodeSavedSearch({ op: "remove", id: searches[0]!.id, from: "message" }),
        ),
      ],
    ];
  return searches.map((search) => [
    InlineKeyboard.text(
      `🔕 ${truncate(search.query.replace(/\s+/g, " ").trim(), QUERY_MAX)}`,
      encodeSavedSearch({ op: "remove", id: search.id, from: "message" }),
    ),
  ]);
}
