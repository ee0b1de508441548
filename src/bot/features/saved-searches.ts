import { Composer, InlineKeyboard } from "../../grammy.js";
import type { InlineKeyboardMarkup } from "grammy/types";
import { fold } from "../../search/text.js";
import { MAX_SAVED_SEARCHES, type SavedSearchFilters } from "../../state/saved-searches.js";
import { decodeSavedSearch, SAVED_SEARCH_PREFIX, type SavedSearchAction } from "../callback-data/saved-search.js";
import type { BotContext } from "../context.js";
import { isPrivateChat } from "../filters/chat.js";
import { canonicalFilters, questionHash, type FiltersLike } from "../keyboards/saved-searches.js";
import { quoteSaved } from "../views/saved-searches.js";
import { editView } from "../views/show.js";
import { answerExpired } from "./browse.js";
import { subscriptionsView } from "./subscribe.js";

/**
 * Saved searches. Under a result list, "🔔 Notify me" saves the question the list answers, with its
 * filters and the language the user reads: when a record or an announcement that answers it goes live
 * later, the user gets it once (src/bot/features/saved-search-notifier.ts). The button names the
 * question by a hash, checked against the session's last question: a button of an older list asks
 * to put the question again rather than saving another one. /subscriptions lists the saved searches
 * beside the topic subscription, each with 🗑; a notification has a button that stops its search.
 * Private chats only: a saved search belongs to a person.
 */
export const savedSearchFeature = new Composer<BotContext>();

/** What makes two saved questions the same: case, accents, punctuation and spacing aside, with the same filters. */
export function savedSearchKey(query: string, filters: FiltersLike | undefined): string {
  const words = fold(query)
    .replace(/[\p{P}\p{S}\s]+/gu, " ")
    .trim();
  return JSON.stringify([words, canonicalFilters(filters)]);
}

/** The filters of a result list as the session keeps them (plain arrays), or undefined when it has none. */
export function sessionFilters(filters: FiltersLike | undefined): SavedSearchFilters | undefined {
  const plain: SavedSearchFilters = {};
  for (const [facet, values] of canonicalFilters(filters)) plain[facet as keyof SavedSearchFilters] = values;
  return Object.keys(plain).length ? plain : undefined;
}

savedSearchFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith(SAVED_SEARCH_PREFIX)) return next();
  const action = decodeSavedSearch(ctx.callbackQuery.data);
  if (!action) return answerExpired(ctx);
  if (!isPrivateChat(ctx) || !ctx.chat)
    return void (await ctx.answerCallbackQuery({ text: ctx.t("saved:toast.privateOnly"), show_alert: true }));
  if (action.op === "save") return save(ctx, action.hash);
  return remove(ctx, action);
});

async function save(ctx: BotContext, hash: string): Promise<void> {
  const chatId = ctx.chat!.id;
  const query = ctx.session.lastQuery;
  const filters = ctx.session.filters;
  if (query === undefined || !query.trim() || questionHash(query, filters) !== hash) {
    await ctx.answerCallbackQuery({ text: ctx.t("saved:toast.stale"), show_alert: true });
    return;
  }
  const result = await ctx.deps.state.savedSearches.save(
    {
      chatId,
      query,
      lang: ctx.lang,
      filters: { ...filters },
      key: savedSearchKey(query, filters),
      // The records the list gave as answers are known already; a declined question's closest records were not answers.
      shown: ctx.session.answered ? [...(ctx.session.resultIds ?? [])] : [],
      version: ctx.deps.live?.version ?? 0,
    },
    MAX_SAVED_SEARCHES,
  );
  if (result.status === "limit") {
    await ctx.answerCallbackQuery({ text: ctx.t("saved:toast.limit", { limit: result.limit }), show_alert: true });
    return;
  }
  if (result.status === "duplicate") {
    await ctx.answerCallbackQuery({ text: ctx.t("saved:toast.duplicate"), show_alert: true });
    return;
  }
  ctx.deps.logger.info(
    { chat: chatId, search: result.search.id, lang: result.search.lang, version: result.search.version },
    "search saved",
  );
  await ctx.answerCallbackQuery({ text: ctx.t("saved:toast.saved") });
  await ctx.reply(ctx.t("saved:saved", { query: quoteSaved(query) }), { link_preview_options: { is_disabled: true } });
}

async function remove(ctx: BotContext, action: Extract<SavedSearchAction, { op: "remove" }>): Promise<void> {
  const chatId = ctx.chat!.id;
  // Only the chat's own search: a forged or old id removes nothing.
  const removed = await ctx.deps.state.savedSearches.remove(chatId, action.id);
  if (!removed) {
    await ctx.answerCallbackQuery({ text: ctx.t("saved:toast.gone") });
    return;
  }
  ctx.deps.logger.info({ chat: chatId, search: removed.id, from: action.from }, "saved search removed");
  if (action.from === "list") {
    await editView(ctx, await subscriptionsView(ctx));
  } else {
    // The notification keeps its card; only the button that stopped the search goes.
    const markup = ctx.callbackQuery?.message?.reply_markup as InlineKeyboardMarkup | undefined;
    const pressed = ctx.callbackQuery?.data;
    if (markup) {
      const rows = markup.inline_keyboard
        .map((row) => row.filter((b) => !("callback_data" in b) || b.callback_data !== pressed))
        .filter((row) => row.length > 0);
      await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard(rows) }).catch(() => undefined);
    }
    await ctx.reply(ctx.t("saved:removed", { query: quoteSaved(removed.query) }));
  }
  await ctx.answerCallbackQuery({ text: ctx.t("saved:toast.removed") });
}
