import { Composer } from "grammy";
import { shortTitle, type CatalogRecord, type Language } from "../../catalog/schema.js";
import type { SearchEngine } from "../../search/engine.js";
import { decodeCallback, encodeCallback } from "../callback-data/index.js";
import { BROWSE_COMMANDS, type BrowseCommand } from "../commands.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { emptyKeyboard, facetKeyboard, listKeyboard, type BrowseState, type Facet, type FacetValue, type FilterLabels } from "../keyboards/browse.js";
import { editView, sendView, type View } from "../views/show.js";

/** Records per page of a list. */
export const PAGE_SIZE = 8;
/** Choices per page of a filter. */
export const FACET_PAGE_SIZE = 16;

/**
 * Lists of records by kind (/programmes, /incubators, /initiatives, /events and the greeting's
 * buttons), newest first, with paging and country/sector filters. Everything after the first list
 * edits that message in place. The state travels in the buttons; the session only remembers which
 * list a message shows, for the "back" button of a card opened from it.
 */
export const browseFeature = new Composer<BotContext>();

for (const command of Object.keys(BROWSE_COMMANDS) as BrowseCommand[]) {
  browseFeature.command(command, async (ctx) => {
    const state: BrowseState = { kind: BROWSE_COMMANDS[command], page: 0 };
    const view = listView(ctx, state) ?? { text: ctx.t("browse:empty.none") };
    const sent = await sendView(ctx, view);
    rememberList(ctx, { chatId: sent.chat.id, messageId: sent.message_id }, state);
  });
}

browseFeature.on("callback_query:data", async (ctx, next) => {
  const data = ctx.callbackQuery.data;
  if (!data.startsWith("b:") && !data.startsWith("f:")) return next();
  const action = decodeCallback(data);
  let view: View | undefined;
  if (action?.type === "browse") view = listView(ctx, action);
  else if (action?.type === "filter") view = facetView(ctx, { kind: action.kind, country: action.country, sector: action.sector, page: 0 }, action.facet, action.page ?? 0);
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
  const { kind, country, sector, page } = state;
  ctx.session.back = { ...message, data: encodeCallback({ type: "browse", kind, country, sector, page }) };
}

/** Answers a button whose payload is forged or no longer means anything, and does nothing else. */
export async function answerExpired(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t("common:expired"), show_alert: false });
}

/**
 * A page of the list, or undefined when the state cannot come from our buttons: a filter value that no
 * record of that kind has (forged, or gone from the catalog since).
 */
function listView(ctx: BotContext, state: BrowseState): View | undefined {
  const engine = ctx.deps.search;
  const all = recordsOf(engine, { kind: state.kind });
  if (!filtersValid(all, state)) return undefined;
  const { t, lang } = ctx;
  const labels = filterLabels(engine, lang, state);
  const head = [t("browse:title", { kinds: escapeHtml(t(`common:kinds.${state.kind}`)) })];
  const filters = filtersLine(ctx, labels);

  let response = engine.browse(filtersOf(state), { limit: PAGE_SIZE, offset: state.page * PAGE_SIZE });
  const total = response.total;
  if (total === 0) {
    if (all.length === 0) return { text: [...head, "", t("browse:empty.none")].join("\n") };
    return { text: [...head, filters, "", t("browse:empty.filtered")].filter((l) => l !== undefined).join("\n"), keyboard: emptyKeyboard(t, state, labels) };
  }
  const pages = Math.ceil(total / PAGE_SIZE);
  // A page past the end (the catalog shrank since the button was made) shows the last one.
  const page = Math.min(state.page, pages - 1);
  if (page !== state.page) response = engine.browse(filtersOf(state), { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
  const items = response.hits.flatMap((h) => {
    const record = engine.get(h.id);
    return record ? [{ id: record.id, title: shortTitle(record, lang) }] : [];
  });
  const lines = [
    ...head,
    t("browse:summary", { found: t(`common:count.${state.kind}`, { count: total }) }),
    filters,
    pages > 1 ? t("browse:page", { page: page + 1, pages }) : undefined,
    "",
    t("browse:hint"),
  ];
  return { text: lines.filter((l) => l !== undefined).join("\n"), keyboard: listKeyboard(t, { ...state, page }, items, pages, labels) };
}

/** The choices of one filter among the records that pass the other filter. */
function facetView(ctx: BotContext, state: BrowseState, facet: Facet, facetPage: number): View | undefined {
  const engine = ctx.deps.search;
  if (!filtersValid(recordsOf(engine, { kind: state.kind }), state)) return undefined;
  const { t, lang } = ctx;
  const others = recordsOf(engine, facet === "country" ? { kind: state.kind, sector: state.sector } : { kind: state.kind, country: state.country });
  const values = facetValues(engine, lang, others, facet);
  const pages = Math.max(1, Math.ceil(values.length / FACET_PAGE_SIZE));
  const page = Math.min(facetPage, pages - 1);
  const shown = values.slice(page * FACET_PAGE_SIZE, (page + 1) * FACET_PAGE_SIZE);
  const lines = [
    t("browse:title", { kinds: escapeHtml(t(`common:kinds.${state.kind}`)) }),
    filtersLine(ctx, filterLabels(engine, lang, state)),
    pages > 1 ? t("browse:page", { page: page + 1, pages }) : undefined,
    "",
    t(facet === "country" ? "browse:choose.country" : "browse:choose.sector"),
  ];
  return { text: lines.filter((l) => l !== undefined).join("\n"), keyboard: facetKeyboard(t, state, facet, shown, page, pages, numberFormat(lang)) };
}

function filtersOf(state: Omit<BrowseState, "page">): { kinds: [BrowseState["kind"]]; countries?: string[]; sectors?: string[] } {
  return {
    kinds: [state.kind],
    ...(state.country ? { countries: [state.country] } : {}),
    ...(state.sector ? { sectors: [state.sector] } : {}),
  };
}

function recordsOf(engine: SearchEngine, state: Omit<BrowseState, "page">): CatalogRecord[] {
  return engine.browse(filtersOf(state), { limit: engine.size }).hits.flatMap((h) => engine.get(h.id) ?? []);
}

/** Each filter value must be one that some record of the kind has. */
function filtersValid(records: CatalogRecord[], state: BrowseState): boolean {
  if (state.country && !records.some((r) => r.countries.includes(state.country!))) return false;
  if (state.sector && !records.some((r) => r.sectors.includes(state.sector!))) return false;
  return true;
}

function facetValues(engine: SearchEngine, lang: Language, records: CatalogRecord[], facet: Facet): FacetValue[] {
  const counts = new Map<string, number>();
  for (const r of records) for (const v of facet === "country" ? r.countries : r.sectors) counts.set(v, (counts.get(v) ?? 0) + 1);
  const collator = new Intl.Collator(lang);
  return [...counts]
    .map(([value, count]) => ({ value, count, label: facet === "country" ? countryName(lang, value) : sectorName(engine, lang, value) }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

function filterLabels(engine: SearchEngine, lang: Language, state: BrowseState): FilterLabels {
  return {
    ...(state.country ? { country: countryName(lang, state.country) } : {}),
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

const regionNames = new Map<Language, Intl.DisplayNames>();
const numberFormats = new Map<Language, Intl.NumberFormat>();

/** The country's name in the reply language (Intl's CLDR names), the code itself if unknown. */
export function countryName(lang: Language, code: string): string {
  let names = regionNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames(lang, { type: "region", fallback: "code" });
    regionNames.set(lang, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

function sectorName(engine: SearchEngine, lang: Language, id: string): string {
  return engine.catalog.sectors[id]?.[lang] ?? id;
}

function numberFormat(lang: Language): Intl.NumberFormat {
  let format = numberFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(lang);
    numberFormats.set(lang, format);
  }
  return format;
}
