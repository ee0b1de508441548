import type { CatalogRecord } from "../../catalog/schema.js";
import type { Decision, DirectFact } from "../../search/decide.js";
import { escapeHtml } from "../format.js";
import { placesPhrase, titleHtml, type ViewEnv } from "./card.js";
import { isoToday } from "../../catalog/dates.js";
import { formatFigure, formatList, formatWhen } from "./format.js";

/**
 * The direct answer to a fact question, as the first line of the reply: "💡 71 cooperation agreements
 * signed", "💡 Took place on 13 May 2024", "💡 Organised by …", "💡 Who to contact: …", "💡 Tianjin, China" — from the record's
 * structured fields, in the reply language and the same wording as the card. HTML, escaped.
 */
export function renderDirect(fact: DirectFact, record: CatalogRecord, env: ViewEnv): string {
  const { t, lang } = env;
  switch (fact.kind) {
    case "figures":
      return t("question:direct.figures", {
        facts: fact.figures.map((f) => formatFigure(f, lang, t)).join(t("question:direct.separator")),
      });
    case "date": {
      const when = formatWhen(
        { kind: record.kind, dates: { start: fact.start, ...(fact.end ? { end: fact.end } : {}) } },
        lang,
        t,
        env.today ?? isoToday(),
      );
      return t(
        record.kind === "event" || record.kind === "announcement" || fact.end
          ? "question:direct.when"
          : "question:direct.since",
        { dates: escapeHtml(when ?? fact.start) },
      );
    }
    case "contacts":
    case "parties": {
      const names = escapeHtml(
        formatList(
          fact.parties.map((p) => p.name[lang]),
          lang,
        ),
      );
      return fact.kind === "contacts"
        ? t("question:direct.contact", { names })
        : t("question:direct.who", { names, count: fact.parties.length });
    }
    case "places": {
      // "Which countries?" is answered by the countries themselves, not by the name of their group.
      const places = placesPhrase(fact.cities, fact.countries, env, { groups: fact.cities.length > 0 }) ?? "";
      if (fact.cities.length) return t("question:direct.where", { places: escapeHtml(places) });
      // "Which countries are SCO members?": how many, then which, once a list is long enough to count.
      return fact.countries.length >= COUNTED_COUNTRIES
        ? t("question:direct.countriesCounted", { places: escapeHtml(places), count: fact.countries.length })
        : t("question:direct.countries", { places: escapeHtml(places) });
    }
    case "sentence":
      return t("question:direct.sentence", { text: escapeHtml(fact.text) });
  }
}

/** The direct answer of a decision, a line for each fact asked ("quand et où ?" has two); undefined without one. */
export function directLines(decision: Decision, record: CatalogRecord, env: ViewEnv): string | undefined {
  if (!decision.direct) return undefined;
  return [decision.direct, decision.also].flatMap((fact) => (fact ? [renderDirect(fact, record, env)] : [])).join("\n");
}

/** The first line of the reply to a decision: the direct answer of a fact question, else the card's title. */
export function firstLineOf(decision: Decision, env: ViewEnv): string {
  const record = decision.record;
  if (!record) return "";
  return directLines(decision, record, env) ?? titleHtml(record, env.lang);
}

/** From this many countries a list of them says how many there are. */
const COUNTED_COUNTRIES = 3;
