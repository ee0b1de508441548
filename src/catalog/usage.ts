import { LANGUAGES, SHORT_TITLE_MAX, shortTitle, type Catalog, type Language } from "./schema.js";

/**
 * Checks of how the catalog reads, beyond its schema: short titles that fit a button and tell records
 * apart. `npm run catalog:check` runs them on every record (src/cli/catalog-check.ts); loading does not,
 * so a wording slip never stops the bot or a /reload.
 */

/** One problem with a record's wording, located by the dotted path of the field. */
export interface UsageProblem {
  recordId: string;
  /** Path inside the record, e.g. ["short", "en"] or ["figures", 0, "text", "ru"]. */
  path: (string | number)[];
  message: string;
}

export function checkCatalogUsage(catalog: Pick<Catalog, "records">): UsageProblem[] {
  return [...checkShortTitles(catalog)];
}

/**
 * Short titles are what buttons and list lines show: each fits a button whole, a title too long for a
 * button has one, and no two records share one in a language (a list of them could not be told apart).
 */
export function checkShortTitles(catalog: Pick<Catalog, "records">): UsageProblem[] {
  const problems: UsageProblem[] = [];
  for (const lang of LANGUAGES) {
    const first = new Map<string, string>();
    const max = SHORT_TITLE_MAX[lang];
    for (const record of catalog.records) {
      if (!record.short && length(record.title[lang]) > max) {
        problems.push({ recordId: record.id, path: ["title", lang], message: `longer than ${max} characters: give the record a short title (short.${lang}) for buttons and lists` });
      }
      const short = record.short?.[lang];
      if (short !== undefined && length(short) > max) problems.push({ recordId: record.id, path: ["short", lang], message: `${length(short)} characters, at most ${max}` });
      const key = normalize(shortTitle(record, lang), lang);
      const other = first.get(key);
      if (other === undefined) first.set(key, record.id);
      else problems.push({ recordId: record.id, path: [record.short ? "short" : "title", lang], message: `same short title as ${other}: a list of both could not tell them apart` });
    }
  }
  return problems;
}

function length(text: string): number {
  return Array.from(text).length;
}

function normalize(text: string, lang: Language): string {
  return text.replace(/\s+/g, " ").trim().toLocaleLowerCase(lang);
}
