import { LANGUAGES, SHORT_TITLE_MAX, shortTitle, type Catalog, type CatalogRecord, type Language } from "./schema.js";
import { pluralCategoriesOf } from "./plural.js";
import { typographyProblems } from "./typography.js";

/** Options of the checks: `today` (YYYY-MM-DD) for dates that must not be in the future. */
export interface UsageOptions {
  today?: string;
}

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

export function checkCatalogUsage(catalog: Pick<Catalog, "records">, options: UsageOptions = {}): UsageProblem[] {
  return [
    ...checkShortTitles(catalog),
    ...checkFigurePhrases(catalog),
    ...checkVerified(catalog, options.today ?? new Date().toISOString().slice(0, 10)),
    ...checkTypography(catalog),
    ...checkPublishers(catalog),
  ];
}

/** Records drawn from one source document name its publisher alike: all the same, or none. */
export function checkPublishers(catalog: Pick<Catalog, "records">): UsageProblem[] {
  const problems: UsageProblem[] = [];
  const first = new Map<string, CatalogRecord>();
  for (const record of catalog.records) {
    const other = first.get(record.source.file);
    if (!other) {
      first.set(record.source.file, record);
      continue;
    }
    const a = JSON.stringify(other.source.publisher ?? null);
    const b = JSON.stringify(record.source.publisher ?? null);
    if (a !== b)
      problems.push({
        recordId: record.id,
        path: ["source", "publisher"],
        message: `${record.source.file} is published by ${other.source.publisher?.en ?? "no one named"} in ${other.id}, ${record.source.publisher?.en ?? "no one named"} here`,
      });
  }
  return problems;
}

/** Every text of a record in one language, with its path: titles, summary, details, figures, parties, contacts, links. */
export function recordTexts(record: CatalogRecord, lang: Language): { path: UsageProblem["path"]; text: string }[] {
  const texts: { path: UsageProblem["path"]; text: string }[] = [];
  const add = (path: UsageProblem["path"], text: string | undefined) => {
    if (text !== undefined) texts.push({ path, text });
  };
  add(["title", lang], record.title[lang]);
  add(["short", lang], record.short?.[lang]);
  add(["summary", lang], record.summary[lang]);
  add(["details", lang], record.details?.[lang]);
  record.figures.forEach((f, i) => {
    add(["figures", i, "label", lang], f.label[lang]);
    const phrase = f.text?.[lang];
    if (typeof phrase === "string") add(["figures", i, "text", lang], phrase);
    else if (phrase)
      for (const [category, form] of Object.entries(phrase)) add(["figures", i, "text", lang, category], form);
  });
  for (const role of ["organisers", "partners"] as const)
    record[role].forEach((p, i) => add([role, i, "name", lang], p.name[lang]));
  record.contacts.forEach((c, i) => {
    add(["contacts", i, "name", lang], c.name[lang]);
    add(["contacts", i, "note", lang], c.note?.[lang]);
  });
  record.links.forEach((l, i) => add(["links", i, "title", lang], l.title?.[lang]));
  record.dates?.deadlines?.forEach((d, i) => add(["dates", "deadlines", i, "label", lang], d.label[lang]));
  add(["source", "publisher", lang], record.source.publisher?.[lang]);
  return texts;
}

/** Typography and usage of each language (src/catalog/typography.ts) in every text of every record. */
export function checkTypography(catalog: Pick<Catalog, "records">): UsageProblem[] {
  const problems: UsageProblem[] = [];
  for (const record of catalog.records) {
    for (const lang of LANGUAGES) {
      for (const { path, text } of recordTexts(record, lang)) {
        for (const p of typographyProblems(text, lang))
          problems.push({ recordId: record.id, path, message: `${p.message}: “${p.excerpt}”` });
      }
    }
  }
  return problems;
}

/**
 * A figure's phrase given per plural category has every category its language needs (Russian: one,
 * few, many, other — «21 подписанное соглашение», «22 подписанных соглашения», «25 подписанных
 * соглашений»), and none the language does not have.
 */
export function checkFigurePhrases(catalog: Pick<Catalog, "records">): UsageProblem[] {
  const problems: UsageProblem[] = [];
  for (const record of catalog.records) {
    record.figures.forEach((figure, i) => {
      for (const lang of LANGUAGES) {
        const phrase = figure.text?.[lang];
        if (phrase === undefined || typeof phrase === "string") continue;
        const needed: string[] = pluralCategoriesOf(lang);
        const given = Object.keys(phrase);
        const missing = needed.filter((c) => !given.includes(c));
        const extra = given.filter((c) => !needed.includes(c));
        if (missing.length)
          problems.push({
            recordId: record.id,
            path: ["figures", i, "text", lang],
            message: `plural forms missing: ${missing.join(", ")} (${lang} needs ${needed.join(", ")})`,
          });
        if (extra.length)
          problems.push({
            recordId: record.id,
            path: ["figures", i, "text", lang],
            message: `plural forms ${lang} does not have: ${extra.join(", ")}`,
          });
      }
    });
  }
  return problems;
}

/** "Verified" is a day that has come, and not before the source document it was checked against. */
export function checkVerified(catalog: Pick<Catalog, "records">, today: string): UsageProblem[] {
  const problems: UsageProblem[] = [];
  for (const record of catalog.records) {
    if (record.verified > today)
      problems.push({
        recordId: record.id,
        path: ["verified"],
        message: `${record.verified} is in the future (today is ${today})`,
      });
    if (record.verified < record.source.date.slice(0, record.verified.length)) {
      problems.push({
        recordId: record.id,
        path: ["verified"],
        message: `${record.verified} is before the source document (${record.source.date})`,
      });
    }
  }
  return problems;
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
        problems.push({
          recordId: record.id,
          path: ["title", lang],
          message: `longer than ${max} characters: give the record a short title (short.${lang}) for buttons and lists`,
        });
      }
      const short = record.short?.[lang];
      if (short !== undefined && length(short) > max)
        problems.push({
          recordId: record.id,
          path: ["short", lang],
          message: `${length(short)} characters, at most ${max}`,
        });
      const key = normalize(shortTitle(record, lang), lang);
      const other = first.get(key);
      if (other === undefined) first.set(key, record.id);
      else
        problems.push({
          recordId: record.id,
          path: [record.short ? "short" : "title", lang],
          message: `same short title as ${other}: a list of both could not tell them apart`,
        });
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
