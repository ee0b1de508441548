import { Composer } from "../../grammy.js";
import type { Middleware } from "grammy";
import type { i18n } from "i18next";
import { LANGUAGES, shortTitle, type CatalogRecord, type Language } from "../../catalog/schema.js";
import type { SearchEngine } from "../../search/engine.js";
import { decodeCallback, encodeCallback } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { addressedText } from "../filters/group.js";
import { escapeHtml } from "../format.js";
import {
  emptyKeyboard,
  facetKeyboard,
  listKeyboard,
  type BrowseState,
  type Facet,
  type FacetValue,
  type FilterLabels,
} from "../keyboards/browse.js";
import { isUpcoming } from "../../catalog/dates.js";
import { BROWSE_LISTS, listRecords, type ListFilters } from "../lists.js";
import { isoToday } from "../../catalog/dates.js";
import { collator, countryName, numberFormat, periodPhrase } from "../views/format.js";
import { resultLine } from "../views/results.js";
import { editView, sendView, viewEnv, type View } from "../views/show.js";

/** Records per page of a list. */
export const PAGE_SIZE = 8;
/** Choices per page of a filter. */
export const FACET_PAGE_SIZE = 16;

/**
 * The lists (src/bot/lists.ts: /programmes, /incubators, /initiatives, /events and the greeting's
 * buttons), each record a numbered line — events with their dates — and a button with its short title,
 * with paging and country/sector filters. The events list says which event comes next, or that none is
 * announced and which was the latest. Everything after the first list edits that message in place. The
 * state travels in the buttons; the session only remembers which list a message shows, for the "back"
 * button of a card opened from it.
 */
export const browseFeature = new Composer<BotContext>();

for (const list of BROWSE_LISTS) {
  browseFeature.command(list, async (ctx) => {
    await sendList(ctx, { list, page: 0 });
  });
}

/**
 * "Upcoming events?", "the next forum", «ближайшие мероприятия», 下一届论坛: the events list, which says
 * honestly whether one is announced. This is a hook before the question pipeline (src/search/ decides
 * everything else); it only takes a message asking for what comes next about events, outside any flow.
 */
export const upcomingEventsHook: Middleware<BotContext> = async (ctx, next) => {
  const typed = ctx.message?.text;
  if (typed === undefined || ctx.session.step !== undefined || typed.startsWith("/")) return next();
  // As the question feature reads it: "upcoming\u200B events" asks the same as "upcoming events".
  const { text } = addressedText(ctx, typed);
  if (!asksForUpcomingEvents(text, ctx.deps.i18n)) return next();
  await sendList(ctx, { list: "events", page: 0 });
};
browseFeature.on("message:text", upcomingEventsHook);

async function sendList(ctx: BotContext, state: BrowseState): Promise<void> {
  const view = listView(ctx, state) ?? { text: ctx.t("browse:empty.none") };
  const sent = await sendView(ctx, view);
  rememberList(ctx, { chatId: sent.chat.id, messageId: sent.message_id }, state);
}

browseFeature.on("callback_query:data", async (ctx, next) => {
  const data = ctx.callbackQuery.data;
  if (!data.startsWith("b:") && !data.startsWith("f:")) return next();
  const action = decodeCallback(data);
  let view: View | undefined;
  if (action?.type === "browse") view = listView(ctx, action);
  else if (action?.type === "filter")
    view = facetView(
      ctx,
      { list: action.list, country: action.country, sector: action.sector, page: 0 },
      action.facet,
      action.page ?? 0,
    );
  if (!view) {
    await answerExpired(ctx);
    return;
  }
  const shown = await editView(ctx, view);
  if (shown && action?.type === "browse") rememberList(ctx, shown, action);
  await ctx.answerCallbackQuery();
});

/**
 * A card opened from this list (the record feature edits it into the same message) gets a button
 * back to the list as it was: the session's `back`, shared with the question feature's results.
 */
function rememberList(ctx: BotContext, message: { chatId: number; messageId: number }, state: BrowseState): void {
  const { list, country, sector, page } = state;
  ctx.session.back = { ...message, data: encodeCallback({ type: "browse", list, country, sector, page }) };
}

/** Answers a button whose payload is forged or no longer means anything, and does nothing else. */
export async function answerExpired(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t("common:expired"), show_alert: false });
}

const HAN = /\p{Script=Han}/u;

/** Words of one meaning: Chinese ones count anywhere, the others where a word starts. */
interface Words {
  han: string[];
  other: string[];
}

/** Each language's words for "next" and for an event, folded: built once per i18next instance. */
const upcomingWords = new WeakMap<i18n, { next: Words; events: Words }>();

/**
 * Whether a message asks what comes next about events: a word for "next" and a word for an event, in
 * any of the four languages (a question may be in another language than the replies).
 */
export function asksForUpcomingEvents(text: string, i18n: i18n): boolean {
  let words = upcomingWords.get(i18n);
  if (!words) {
    const list = (key: string): Words => {
      const all = LANGUAGES.flatMap(
        (lang) => i18n.getFixedT(lang)(key, { returnObjects: true }) as unknown as string[],
      );
      const folded = all.map(fold);
      return { han: folded.filter((w) => HAN.test(w)), other: folded.filter((w) => !HAN.test(w)) };
    };
    words = { next: list("browse:upcoming.next"), events: list("browse:upcoming.events") };
    upcomingWords.set(i18n, words);
  }
  const folded = fold(text);
  // Chinese words anywhere; other words where a word starts (прошлое is not "ближайшее", evenements is).
  const has = (list: Words) =>
    list.han.some((w) => folded.includes(w)) || list.other.some((w) => startsWord(folded, w));
  return has(words.next) && has(words.events);
}

function startsWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(text[at - 1]!)) return true;
  }
  return false;
}

/** Lower case without accents: "Événements" and "evenements" are one word. */
function fold(text: string): string {
  // ASCII has nothing to decompose and no marks.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A page of the list, or undefined when the state cannot come from our buttons: a filter value that no
 * record of the list has (forged, or gone from the catalog since).
 */
function listView(ctx: BotContext, state: BrowseState): View | undefined {
  const engine = ctx.deps.search;
  const today = isoToday();
  const all = listRecords(engine, state.list, {}, today);
  if (!filtersValid(all, state)) return undefined;
  const { t, lang } = ctx;
  const labels = filterLabels(engine, lang, state);
  const head = [t(`browse:list.${state.list}.title`)];
  const filters = filtersLine(ctx, labels);

  const records = listRecords(engine, state.list, filtersOf(state), today);
  const total = records.length;
  if (total === 0) {
    if (all.length === 0) return { text: [...head, "", t("browse:empty.none")].join("\n") };
    return {
      text: [...head, filters, "", t("browse:empty.filtered")].filter((l) => l !== undefined).join("\n"),
      keyboard: emptyKeyboard(t, state, labels),
    };
  }
  const pages = Math.ceil(total / PAGE_SIZE);
  // A page past the end (the catalog shrank since the button was made) shows the last one.
  const page = Math.min(state.page, pages - 1);
  const first = page * PAGE_SIZE + 1;
  const shown = records.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const env = viewEnv(ctx);
  const lines = [
    ...head,
    t(`browse:list.${state.list}.summary`, { count: total }),
    state.list === "events" ? nextEvent(ctx, records, today) : undefined,
    filters,
    pages > 1 ? t("browse:page", { page: page + 1, pages }) : undefined,
    "",
    ...shown.map((record, i) => resultLine(first + i, record, env)),
    "",
    t("browse:hint"),
  ];
  const items = shown.map((record, i) => ({ n: first + i, id: record.id, title: shortTitle(record, lang) }));
  return {
    text: lines.filter((l) => l !== undefined).join("\n"),
    keyboard: listKeyboard(t, { ...state, page }, items, pages, labels),
  };
}

/**
 * The events list's lead: the next event and its date, or — honestly — that none is announced, and the
 * latest one with its date.
 */
function nextEvent(ctx: BotContext, events: CatalogRecord[], today: string): string | undefined {
  const dated = events.filter((e) => e.dates?.start);
  const upcoming = dated.find((e) => isUpcoming(e, today));
  const shown = upcoming ?? dated[0];
  if (!shown) return undefined;
  const date = periodPhrase(shown.dates!.start!, shown.dates!.end, ctx.lang, "at", ctx.t);
  return ctx.t(upcoming ? "browse:events.next" : "browse:events.noneUpcoming", {
    title: escapeHtml(shortTitle(shown, ctx.lang)),
    date: escapeHtml(date),
  });
}

/** The choices of one filter among the records that pass the other filter. */
function facetView(ctx: BotContext, state: BrowseState, facet: Facet, facetPage: number): View | undefined {
  const engine = ctx.deps.search;
  const today = isoToday();
  if (!filtersValid(listRecords(engine, state.list, {}, today), state)) return undefined;
  const { t, lang } = ctx;
  const others = listRecords(
    engine,
    state.list,
    facet === "country" ? { sector: state.sector } : { country: state.country },
    today,
  );
  const values = facetValues(engine, lang, others, facet);
  const pages = Math.max(1, Math.ceil(values.length / FACET_PAGE_SIZE));
  const page = Math.min(facetPage, pages - 1);
  const shown = values.slice(page * FACET_PAGE_SIZE, (page + 1) * FACET_PAGE_SIZE);
  const lines = [
    t(`browse:list.${state.list}.title`),
    filtersLine(ctx, filterLabels(engine, lang, state)),
    pages > 1 ? t("browse:page", { page: page + 1, pages }) : undefined,
    "",
    t(facet === "country" ? "browse:choose.country" : "browse:choose.sector"),
  ];
  return {
    text: lines.filter((l) => l !== undefined).join("\n"),
    keyboard: facetKeyboard(t, state, facet, shown, page, pages, numberFormat(lang)),
  };
}

function filtersOf(state: BrowseState): ListFilters {
  return { ...(state.country ? { country: state.country } : {}), ...(state.sector ? { sector: state.sector } : {}) };
}

/** Each filter value must be one that some record of the list has. */
function filtersValid(records: CatalogRecord[], state: BrowseState): boolean {
  if (state.country && !records.some((r) => r.countries.includes(state.country!))) return false;
  if (state.sector && !records.some((r) => r.sectors.includes(state.sector!))) return false;
  return true;
}

function facetValues(engine: SearchEngine, lang: Language, records: CatalogRecord[], facet: Facet): FacetValue[] {
  const counts = new Map<string, number>();
  for (const r of records)
    for (const v of facet === "country" ? r.countries : r.sectors) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({
      value,
      count,
      label: facet === "country" ? countryName(value, lang) : sectorName(engine, lang, value),
    }))
    .sort((a, b) => collator(lang).compare(a.label, b.label));
}

function filterLabels(engine: SearchEngine, lang: Language, state: BrowseState): FilterLabels {
  return {
    ...(state.country ? { country: countryName(state.country, lang) } : {}),
    ...(state.sector ? { sector: sectorName(engine, lang, state.sector) } : {}),
  };
}

function filtersLine(ctx: BotContext, labels: FilterLabels): string | undefined {
  const parts = [
    labels.country ? ctx.t("browse:button.countrySet", { country: escapeHtml(labels.country) }) : undefined,
    labels.sector ? ctx.t("browse:button.sectorSet", { sector: escapeHtml(labels.sector) }) : undefined,
  ].filter((p) => p !== undefined);
  return parts.length ? ctx.t("browse:filters", { filters: parts.join(" · ") }) : undefined;
}

function sectorName(engine: SearchEngine, lang: Language, id: string): string {
  return engine.catalog.sectors[id]?.[lang] ?? id;
}
