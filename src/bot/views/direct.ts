import type { CatalogRecord } from "../../catalog/schema.js";
import type { Decision, DirectFact } from "../../search/decide.js";
import { escapeHtml } from "../format.js";
import { cityName, titleHtml, type ViewEnv } from "./card.js";
import { countryName, formatDate, formatDateRange, formatFigure, formatList } from "./format.js";

/**
 * The direct answer to a fact question, as the first line of the reply: "💡 71 cooperation agreements
 * signed", "💡 13 May 2024", "💡 Organised by …" — from the record's structured fields, in the reply
 * language. HTML, escaped.
 */
export function renderDirect(fact: DirectFact, record: CatalogRecord, env: ViewEnv): string {
  const { t, lang } = env;
  switch (fact.kind) {
    case "figures":
      return t("question:direct.figures", { facts: fact.figures.map((f) => formatFigure(f, lang, t)).join(t("question:direct.separator")) });
    case "date": {
      const dates = fact.end ? formatDateRange(fact.start, fact.end, lang, t) : formatDate(fact.start, lang);
      const momentary = record.kind === "event" || record.kind === "announcement";
      return t(momentary || fact.end ? "question:direct.when" : "question:direct.since", { dates: escapeHtml(dates) });
    }
    case "parties":
      return t("question:direct.who", { names: escapeHtml(formatList(fact.parties.map((p) => p.name[lang]), lang)) });
    case "places": {
      const places = [...fact.cities.map((c) => cityName(c, env)), ...fact.countries.map((c) => countryName(c, lang))];
      return t(fact.cities.length ? "question:direct.where" : "question:direct.countries", { places: escapeHtml(formatList(places, lang)) });
    }
  }
}

/** The first line of the reply to a decision: the direct answer of a fact question, else the card's title. */
export function firstLineOf(decision: Decision, env: ViewEnv): string {
  const record = decision.record;
  if (!record) return "";
  return decision.direct ? renderDirect(decision.direct, record, env) : titleHtml(record, env.lang);
}
