import { KINDS, type CatalogRecord } from "../../catalog/schema.js";
import type { SavedSearch, SavedSearchFilters } from "../../state/saved-searches.js";
import { escapeHtml, MESSAGE_LIMIT } from "../format.js";
import { renderCard, type ViewEnv } from "./card.js";
import { collator, countryName, dateTimeFormat, fitEscaped } from "./format.js";

/** Longest quotation of a saved question. */
const QUERY_MAX = 120;

export function quoteSaved(query: string): string {
  return fitEscaped(query.replace(/\s+/g, " ").trim(), QUERY_MAX);
}

/** The filters of a saved search in words: countries, kinds, topics, audiences (escaped). */
export function filtersText(filters: SavedSearchFilters, env: ViewEnv): string {
  const catalog = env.catalog;
  const words = [
    ...(filters.countries ?? []).map((c) => countryName(c, env.lang)),
    ...(filters.kinds ?? []).map((k) => ((KINDS as readonly string[]).includes(k) ? env.t(`common:kinds.${k}`) : k)),
    ...(filters.sectors ?? []).map((s) => catalog.sectors[s]?.[env.lang] ?? s),
    ...(filters.audiences ?? []).map((a) => catalog.audiences[a]?.[env.lang] ?? a),
  ];
  return words.sort(collator(env.lang).compare).map(escapeHtml).join(", ");
}

/** /subscriptions: the saved searches, numbered like their 🗑 buttons, each with the day it expires, or how to save one. */
export function savedSearchLines(searches: readonly SavedSearch[], env: ViewEnv): string[] {
  const { t } = env;
  if (searches.length === 0) return [t("saved:title"), t("saved:none")];
  const day = dateTimeFormat(env.lang, { dateStyle: "long", timeZone: "UTC" });
  const lines = searches.map((search, i) => {
    const filters = filtersText(search.filters, env);
    const line = filters
      ? t("saved:lineFilters", { n: i + 1, query: quoteSaved(search.query), filters })
      : t("saved:line", { n: i + 1, query: quoteSaved(search.query) });
    return `${line} · ${t("saved:until", { date: escapeHtml(day.format(new Date(search.expiresAt))) })}`;
  });
  return [t("saved:title"), ...lines, "", t("saved:hint")];
}

/** A notification: which saved search(es) it answers, then the record's card, within one message. */
export function renderNotification(record: CatalogRecord, searches: readonly SavedSearch[], env: ViewEnv): string {
  const { t } = env;
  const header =
    searches.length === 1
      ? t("saved:notification", { query: quoteSaved(searches[0]!.query) })
      : t("saved:notificationMany", { queries: searches.map((s) => quoteOne(s.query, env)).join(", ") });
  return `${header}\n\n${renderCard(record, env, MESSAGE_LIMIT - header.length - 2)}`;
}

/** A question in the reader's quotation marks (for a list of several). */
function quoteOne(query: string, env: ViewEnv): string {
  const q = quoteSaved(query);
  if (env.lang === "fr") return `«\u00a0${q}\u00a0»`;
  if (env.lang === "ru") return `«${q}»`;
  return `“${q}”`;
}
