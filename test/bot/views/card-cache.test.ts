import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog, CatalogRecord, Language } from "../../../src/catalog/schema.js";
import { LANGUAGES } from "../../../src/catalog/schema.js";
import type { Translate } from "../../../src/i18n.js";
import { catalogCard, renderCard, type ViewEnv } from "../../../src/bot/views/card.js";
import { bundledEngine } from "../../helpers/bot-deps.js";
import { translatorsByLanguage } from "../../helpers/translators.js";

/** Remembered cards must be the cards renderCard makes at that moment, byte for byte. */
let catalog: Catalog;
const t = {} as Record<Language, Translate>;

beforeAll(async () => {
  catalog = (await bundledEngine()).catalog;
  Object.assign(t, await translatorsByLanguage());
});

const env = (lang: Language, today: string, now = Date.parse(`${today}T12:00:00Z`)): ViewEnv => ({
  lang,
  t: t[lang],
  catalog,
  today,
  now,
});

describe("catalogCard", () => {
  it("is renderCard's card for every record, language and limit, asked once or again", () => {
    for (const record of catalog.records) {
      for (const lang of LANGUAGES) {
        for (const limit of [4096, 600]) {
          const expected = renderCard(record, env(lang, "2026-12-01"), limit);
          expect(catalogCard(record, env(lang, "2026-12-01"), limit), `${record.id} ${lang} ${limit}`).toBe(expected);
          expect(catalogCard(record, env(lang, "2026-12-01"), limit)).toBe(expected);
        }
      }
    }
  });

  it("is made again when the day changes, a deadline passes or the record changes", () => {
    const event = catalog.records.find((r) => r.kind === "event" && r.dates?.start && !r.dates.end)!;
    const ahead = { ...event, dates: { ...event.dates, start: "2027-03-10" } } as CatalogRecord;
    const before = catalogCard(ahead, env("en", "2027-03-09"));
    expect(before).toContain("Will take place");
    expect(catalogCard(ahead, env("en", "2027-03-11"))).toBe(renderCard(ahead, env("en", "2027-03-11")));
    expect(catalogCard(ahead, env("en", "2027-03-11"))).toContain("Took place");

    const withDeadline = {
      ...ahead,
      dates: {
        ...ahead.dates,
        deadlines: [
          { date: "2027-03-01", label: { en: "Applications close", fr: "Candidatures", ru: "Заявки", zh: "报名截止" } },
        ],
      },
    } as CatalogRecord;
    const open = catalogCard(withDeadline, env("en", "2027-02-20", Date.parse("2027-03-01T12:00:00Z")));
    expect(open).toContain("Applications close");
    const closed = catalogCard(withDeadline, env("en", "2027-02-20", Date.parse("2027-03-02T12:00:00Z")));
    expect(closed).not.toContain("Applications close");
    expect(closed).toBe(renderCard(withDeadline, env("en", "2027-02-20", Date.parse("2027-03-02T12:00:00Z"))));

    const renamed = { ...ahead, summary: { ...ahead.summary, en: "Another summary." } } as CatalogRecord;
    expect(catalogCard(renamed, env("en", "2027-03-09"))).toContain("Another summary.");
  });
});
