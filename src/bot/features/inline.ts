import { Composer } from "../../grammy.js";
import type { InlineQueryResultArticle } from "grammy/types";
import { shortTitle, type CatalogRecord } from "../../catalog/schema.js";
import { decisionOf } from "../decisions.js";
import type { BotContext } from "../context.js";
import { INLINE_TITLE_LIMIT, truncate, withoutInvisibles } from "../format.js";
import { openInBotKeyboard, recordDeepLink } from "../keyboards/record.js";
import { renderCard } from "../views/card.js";
import { viewEnv } from "../views/show.js";

/**
 * Inline mode (@bot incubators in Kazakhstan): records as articles in the user's language; choosing one
 * posts its card with a button that opens it in the bot. An empty query lists the newest records.
 */
export const inlineFeature = new Composer<BotContext>();

/** A record id, as the share button writes it (src/bot/keyboards/record.ts). */
const SHARED = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Results per answer; Telegram asks for the next ones with `offset`. */
const PAGE = 20;
/** Deepest offset served (the catalog is small; this bounds forged offsets). */
const MAX_OFFSET = 1000;
const DESCRIPTION_MAX = 200;
/** Seconds Telegram may reuse an answer: short, the catalog and the user's language can change. */
const CACHE_SECONDS = 30;

inlineFeature.on("inline_query", async (ctx) => {
  const query = withoutInvisibles(ctx.inlineQuery.query).trim();
  const offset = parseOffset(ctx.inlineQuery.offset);
  const engine = ctx.deps.search;
  // A card's "Share" button puts the record's id in the query: that record alone, ready to send.
  const shared = SHARED.test(query) ? engine.get(query) : undefined;
  if (shared) {
    await ctx.answerInlineQuery([article(ctx, shared)], {
      cache_time: CACHE_SECONDS,
      is_personal: true,
      next_offset: "",
    });
    return;
  }
  // The bot's own decision orders the results (a fact question's record first); small talk and an empty
  // query list the newest records. Inline lists weak matches too: the user is still typing, and picks.
  const decision = query
    ? decisionOf(ctx.deps, query, {
        langHint: ctx.lang,
        limit: offset + PAGE,
        threshold: ctx.deps.settings.answerThreshold,
      })
    : undefined;
  const response =
    decision && decision.kind !== "smalltalk"
      ? { ...decision.response, hits: decision.response.hits.slice(offset) }
      : engine.browse({}, { langHint: ctx.lang, limit: PAGE, offset });
  const records = response.hits.map((h) => engine.get(h.id)).filter((r): r is CatalogRecord => r !== undefined);
  const results = records.map((record) => article(ctx, record));
  const next = offset + response.hits.length;
  const more = response.hits.length > 0 && next < response.total && next <= MAX_OFFSET;
  await ctx.answerInlineQuery(results, {
    cache_time: CACHE_SECONDS,
    is_personal: true,
    next_offset: more ? String(next) : "",
    // Nothing found: offer to open the bot, where a question gets suggestions and browsing.
    ...(results.length === 0 && offset === 0
      ? { button: { text: ctx.t("inline:noResults"), start_parameter: "inline" } }
      : {}),
  });
});

function parseOffset(offset: string): number {
  if (!/^\d{1,4}$/.test(offset)) return 0;
  return Math.min(Number(offset), MAX_OFFSET);
}

function article(ctx: BotContext, record: CatalogRecord): InlineQueryResultArticle {
  const deepLink = recordDeepLink(ctx.me.username, record.id);
  const keyboard = openInBotKeyboard(ctx.t, deepLink);
  return {
    type: "article",
    id: record.id,
    title: truncate(shortTitle(record, ctx.lang), INLINE_TITLE_LIMIT),
    description: truncate(record.summary[ctx.lang].replace(/\s+/g, " "), DESCRIPTION_MAX),
    input_message_content: {
      message_text: renderCard(record, viewEnv(ctx)),
      link_preview_options: { is_disabled: true },
    },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  };
}
