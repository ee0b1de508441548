import { Composer, InlineKeyboard } from "../../grammy.js";
import type { Middleware } from "grammy";
import { LANGUAGES, shortTitle, type Catalog, type CatalogRecord } from "../../catalog/schema.js";
import { fold } from "../../search/text.js";
import type { Decision } from "../../search/decide.js";
import type { AnalysedQuery } from "../../search/engine.js";
import type { SearchFilters } from "../../search/types.js";
import type { BotContext } from "../context.js";
import { analysisOf, decisionOf, placesOf } from "../decisions.js";
import { isGroupChat } from "../filters/chat.js";
import { addressedText } from "../filters/group.js";
import { editButton } from "../keyboards/edit.js";
import { recordButtons } from "../keyboards/record.js";
import { hasUpcomingDeadline } from "../../reminders/plan.js";
import { answerKeyboard, weakKeyboard, type ResultButton } from "../keyboards/results.js";
import { withNotify } from "../keyboards/saved-searches.js";
import { directLines } from "../views/direct.js";
import { quoteQuery, renderAnswer, renderNoMatch, RESULTS_PAGE_SIZE } from "../views/results.js";
import { rememberResultsMessage, recordView, resultPages, resultsPageView, sendView, viewEnv } from "../views/show.js";
import { welcomeView } from "../views/welcome.js";
import { sessionFilters } from "./saved-searches.js";

/**
 * Questions in free text. The best record comes back as a card, the next matches as buttons; a
 * question nothing answers well gets an honest reply with what to try instead, and is logged for the
 * catalog's editors. Short follow-ups ("in Kazakhstan?", "contacts", "more") continue the last search.
 */
export const questionFeature = new Composer<BotContext>();

/** Results kept in the session for paging (the engine is not asked again for the next page). */
const MAX_RESULTS = 50;
/** Weak matches offered when nothing answers well. */
const WEAK_SHOWN = 4;
/** Sector names suggested when nothing answers well. */
const SUGGESTED_TERMS = 5;
/** A follow-up is a short message; anything longer is a new question. */
const FOLLOW_UP_MAX_LENGTH = 80;

/**
 * What a message asks: its text, or outside a flow the caption of a photo, a document or a video — the
 * question sent with a screenshot or a brochure.
 */
export function questionText(ctx: BotContext): string | undefined {
  const message = ctx.message;
  if (message?.text !== undefined) return message.text;
  if (message?.caption === undefined || ctx.session.step !== undefined) return undefined;
  return message.caption;
}

/** The router's handler for free text and captions (without the bot's @mention). */
export const handleQuestion: Middleware<BotContext> = async (ctx, next) => {
  const typed = questionText(ctx);
  if (typed === undefined) return next();
  const addressed = addressedText(ctx, typed);
  const mentioned = addressed.mentioned;
  const text = addressed.text.trim();
  if (!text) {
    // A bare mention: an example of a question after it; a private message of blanks only: how to ask.
    if (isGroupChat(ctx) || mentioned) await ctx.reply(ctx.t("question:empty"));
    else await howToAsk(ctx);
    return;
  }
  // Analysed once for the follow-up check and the search.
  const question = analysisOf(ctx.deps, text);
  if ((ctx.session.lastQuery !== undefined || ctx.session.resultIds?.length) && (await followUp(ctx, question))) return;
  await answer(ctx, question);
};

/** What users send besides text: media, a place, a contact, a poll, a dice. Service messages are not among them. */
const CONTENT = [
  "sticker",
  "photo",
  "video",
  "animation",
  "audio",
  "voice",
  "video_note",
  "document",
  "location",
  "venue",
  "contact",
  "poll",
  "dice",
  "story",
] as const;

/**
 * A message with no words to search (a sticker, a photo or a voice message without a caption, a
 * location, a contact) in a private chat, outside any flow: how to ask, in the user's language, rather
 * than silence. The photos of an album come as one message each, the caption on one of them: the
 * others are left unanswered, or an album would get a reply per photo.
 */
export const handleWordless: Middleware<BotContext> = async (ctx, next) => {
  const message = ctx.message;
  if (
    !message ||
    ctx.chat?.type !== "private" ||
    ctx.session.step !== undefined ||
    questionText(ctx) !== undefined ||
    !CONTENT.some((field) => message[field] !== undefined)
  )
    return next();
  if (message.media_group_id !== undefined) return;
  await howToAsk(ctx);
};

/** "Ask me a question in words", how to ask and the quick-start buttons, as for a message of emoji only. */
async function howToAsk(ctx: BotContext): Promise<void> {
  const view = welcomeView(ctx.t, ctx.t("question:smalltalk.emoji"), undefined);
  await ctx.reply(view.text, { reply_markup: view.keyboard, link_preview_options: { is_disabled: true } });
}

// ---------------------------------------------------------------------------------------------------
// Answering

/**
 * Replies to a message as the one decision says (src/search/decide.ts): a card, led by the direct answer
 * when the question asks for a fact; the honest "no good answer" with the closest records; or a short
 * reply to small talk. The question is kept in the session for follow-ups and quoted in result lists.
 */
async function answer(ctx: BotContext, question: AnalysedQuery, filters?: SearchFilters): Promise<void> {
  const engine = ctx.deps.search;
  const query = question.text;
  // Detecting again with the detected language as the hint gives that language: the language middleware's reading is reused.
  const lang = ctx.detected?.text === query ? ctx.detected.lang : undefined;
  const decision = decisionOf(ctx.deps, query, {
    langHint: ctx.lang,
    lang,
    analysed: question,
    limit: MAX_RESULTS,
    filters,
    threshold: ctx.deps.settings.answerThreshold,
  });
  if (decision.kind === "smalltalk") {
    // Greetings, thanks, "what can you do?", an emoji, an unknown /command: a friendly word, how to ask
    // and the quick-start buttons — never "no good answer", never logged as unanswered.
    const view = welcomeView(
      ctx.t,
      ctx.t(`question:smalltalk.${decision.smalltalk ?? "help"}`),
      isGroupChat(ctx) ? ctx.me : undefined,
    );
    await ctx.reply(view.text, { reply_markup: view.keyboard, link_preview_options: { is_disabled: true } });
    return;
  }
  const records = decision.response.hits
    .map((h) => engine.get(h.id))
    .filter((r): r is CatalogRecord => r !== undefined);
  if (decision.kind === "decline" || !decision.record) {
    await noMatch(ctx, query, decision, records, filters);
    return;
  }
  const top = decision.record;
  const env = viewEnv(ctx);
  const others: ResultButton[] = records
    .slice(1, RESULTS_PAGE_SIZE)
    .map((r, i) => ({ n: i + 2, id: r.id, title: shortTitle(r, ctx.lang) }));
  const remaining = records.length - RESULTS_PAGE_SIZE;
  const cardRows = recordButtons(ctx.t, top.id, "card", {
    share: true,
    feedback: true,
    deadline: hasUpcomingDeadline(top, Date.now()),
  });
  // Coordinators fix or complete the record from the answer itself.
  const edit = await editButton(ctx, top.id);
  if (edit) cardRows.push([InlineKeyboard.text(edit.text, edit.data)]);
  const keyboard = withNotify(
    ctx,
    answerKeyboard(ctx.t, cardRows, others, remaining > 0 ? { page: 1, remaining } : undefined),
    query,
    filters,
  );
  const direct = directLines(decision, top, env);
  const sent = await sendView(ctx, { text: renderAnswer(top, records.length, env, direct), keyboard });

  ctx.session.lastQuery = query;
  ctx.session.filters = sessionFilters(filters);
  ctx.session.answered = true;
  ctx.session.resultIds = records.map((r) => r.id);
  ctx.session.recordId = top.id;
  rememberResultsMessage(ctx, { chatId: sent.chat.id, messageId: sent.message_id }, 0);
  // What the card's 👍/👎 are about (src/bot/features/feedback.ts).
  ctx.session.answer = {
    chatId: sent.chat.id,
    messageId: sent.message_id,
    recordId: top.id,
    query,
    score: decision.confidence,
  };
}

async function noMatch(
  ctx: BotContext,
  query: string,
  decision: Decision,
  records: CatalogRecord[],
  filters?: SearchFilters,
): Promise<void> {
  const weak = records.slice(0, WEAK_SHOWN);
  const view = renderNoMatch(
    {
      query,
      weak,
      suggestions: suggestedTerms(ctx.deps.search.catalog, weak, ctx.lang),
      ...(decision.missing ? { missing: decision.missing } : {}),
      ...(decision.unsaid ? { unsaid: decision.unsaid } : {}),
    },
    viewEnv(ctx),
  );
  // "🔔 Notify me" matters most here: the catalog may answer it later.
  const keyboard = withNotify(
    ctx,
    weakKeyboard(weak.map((r, i) => ({ n: i + 1, id: r.id, title: shortTitle(r, ctx.lang) }))),
    query,
    filters,
  );
  const sent = await sendView(ctx, { text: view, keyboard });

  ctx.session.lastQuery = query;
  ctx.session.filters = sessionFilters(filters);
  ctx.session.answered = false;
  ctx.session.resultIds = records.map((r) => r.id);
  ctx.session.recordId = undefined;
  rememberResultsMessage(ctx, { chatId: sent.chat.id, messageId: sent.message_id }, 0);
  await logUnanswered(ctx, query, decision.confidence);
}

/** Unanswered questions are kept for the editors; a state failure must not cost the user the reply. */
async function logUnanswered(ctx: BotContext, text: string, score: number): Promise<void> {
  if (!ctx.from || !ctx.chat) return;
  try {
    await ctx.deps.state.questions.add({
      text,
      lang: ctx.lang,
      userId: ctx.from.id,
      chatId: ctx.chat.id,
      at: new Date().toISOString(),
      reason: "no-match",
      score,
    });
  } catch (error) {
    ctx.deps.logger.warn(
      { update: ctx.update.update_id, message: error instanceof Error ? error.message : String(error) },
      "unanswered question not recorded",
    );
  }
}

/**
 * Words to try instead: the sectors of the weak matches, else the catalog's most common sectors, in
 * the reply language.
 */
function suggestedTerms(catalog: Catalog, weak: CatalogRecord[], lang: (typeof LANGUAGES)[number]): string[] {
  const ids = [...new Set(weak.flatMap((r) => r.sectors))];
  const chosen = ids.length ? ids : popularSectors(catalog);
  return chosen
    .slice(0, SUGGESTED_TERMS)
    .map((id) => catalog.sectors[id]?.[lang])
    .filter((label): label is string => label !== undefined);
}

const popular = new WeakMap<Catalog, string[]>();

function popularSectors(catalog: Catalog): string[] {
  let ids = popular.get(catalog);
  if (!ids) {
    const counts = new Map<string, number>();
    for (const record of catalog.records) for (const s of record.sectors) counts.set(s, (counts.get(s) ?? 0) + 1);
    ids = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
    popular.set(catalog, ids);
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------------
// Follow-ups

/** Handles the text as a follow-up of the last search if it is one; false when it is a new question. */
async function followUp(ctx: BotContext, question: AnalysedQuery): Promise<boolean> {
  const text = question.text;
  const keyword = normalizeKeyword(text);
  if (keywordsOf(ctx, "question:followUp.more").has(keyword)) {
    await nextPage(ctx);
    return true;
  }
  if (keywordsOf(ctx, "question:followUp.contacts").has(keyword)) {
    // The record last shown: the top answer, or the one the user opened since.
    const record = ctx.session.recordId ? ctx.deps.search.get(ctx.session.recordId) : undefined;
    if (!record) return false;
    await sendView(ctx, recordView(ctx, record, "contacts"));
    ctx.session.recordId = record.id;
    return true;
  }
  // A place alone continues the last question only when that question was answered; after a decline
  // it is a question of its own ("Kazakhstan?" → what the catalog has there).
  if (text.length > FOLLOW_UP_MAX_LENGTH || ctx.session.lastQuery === undefined || !ctx.session.answered) return false;
  const engine = ctx.deps.search;
  const catalog = engine.catalog;
  const named = placesOf(ctx.deps, question);
  if (!named.onlyPlaces) return false;
  // The last question without its own places, asked again about the new one.
  const topic = placesOf(ctx.deps, ctx.session.lastQuery).rest;
  const query = topic ? `${topic} ${text}` : text;
  const countries = [
    ...new Set([
      ...named.countries,
      ...named.cities.map((c) => catalog.places.cities[c]?.country).filter((c): c is string => c !== undefined),
    ]),
  ];
  await answer(ctx, analysisOf(ctx.deps, query), countries.length ? { countries } : undefined);
  return true;
}

async function nextPage(ctx: BotContext): Promise<void> {
  const page = (ctx.session.page ?? 0) + 1;
  const view = page < resultPages(ctx) ? resultsPageView(ctx, page) : undefined;
  if (!view) {
    await ctx.reply(ctx.t("question:noMore", { query: quoteQuery(ctx.session.lastQuery ?? "") }));
    return;
  }
  const sent = await sendView(ctx, view);
  rememberResultsMessage(ctx, { chatId: sent.chat.id, messageId: sent.message_id }, page);
}

/** Case, accents, punctuation and spacing do not matter in a follow-up word ("Ещё?!" is "еще"). */
function normalizeKeyword(text: string): string {
  return fold(text)
    .replace(/[\p{P}\p{S}\s]+/gu, " ")
    .trim();
}

const keywordSets = new WeakMap<object, Map<string, Set<string>>>();

/** The follow-up words of all four languages (users switch languages mid-conversation), read once per i18n instance. */
function keywordsOf(ctx: BotContext, key: string): Set<string> {
  let byKey = keywordSets.get(ctx.deps.i18n);
  if (!byKey) keywordSets.set(ctx.deps.i18n, (byKey = new Map()));
  let words = byKey.get(key);
  if (!words) {
    words = new Set<string>();
    for (const lang of LANGUAGES) {
      const list: unknown = ctx.deps.i18n.getFixedT(lang)(key, { returnObjects: true });
      if (Array.isArray(list)) for (const word of list) if (typeof word === "string") words.add(normalizeKeyword(word));
    }
    byKey.set(key, words);
  }
  return words;
}
