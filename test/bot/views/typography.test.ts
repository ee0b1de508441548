import { beforeAll, describe, expect, it } from "vitest";
import { renderCard, renderContacts, renderDetails, type ViewEnv } from "../../../src/bot/views/card.js";
import { formatFigure } from "../../../src/bot/views/format.js";
import { resultLine } from "../../../src/bot/views/results.js";
import { LANGUAGES, type Catalog, type Language } from "../../../src/catalog/schema.js";
import { renderedProblems } from "../../../src/catalog/typography.js";
import type { Translate } from "../../../src/i18n.js";
import { bundledEngine } from "../../helpers/bot-deps.js";
import { translatorsByLanguage } from "../../helpers/translators.js";

// Every card, details and contacts view of every record, its list line and each key figure, in every
// language, read by the rules of src/catalog/typography.ts: Chinese punctuation and spacing, Russian
// and French usage, numbers that agree with their nouns, no "label: value" lines.

let catalog: Catalog;
const t = {} as Record<Language, Translate>;

beforeAll(async () => {
  catalog = (await bundledEngine()).catalog;
  Object.assign(t, await translatorsByLanguage());
});

describe.each(LANGUAGES)("every view of every record in %s", (lang) => {
  it("reads as the language's usage asks", () => {
    const env: ViewEnv = { lang, t: t[lang], catalog };
    const found: string[] = [];
    for (const record of catalog.records) {
      const views: [string, string][] = [
        ["card", renderCard(record, env)],
        ["details", renderDetails(record, env)],
        ["contacts", renderContacts(record, env)],
        ["list line", resultLine(1, record, env)],
        ...record.figures.map((f, i): [string, string] => [`figure ${i}`, formatFigure(f, lang, t[lang])]),
      ];
      for (const [view, html] of views)
        for (const p of renderedProblems(html, lang)) found.push(`${record.id} ${view}: ${p.message} — “${p.excerpt}”`);
    }
    expect(found).toEqual([]);
  });
});
