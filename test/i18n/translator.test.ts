import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../src/catalog/schema.js";
import { createI18n, translator } from "../../src/i18n.js";

/** The translator remembers texts (i18next copies its options on every call); it must say what i18next says. */
describe("translator", async () => {
  const i18n = await createI18n();

  it("is made once per instance and language", () => {
    expect(translator(i18n, "ru")).toBe(translator(i18n, "ru"));
    expect(translator(i18n, "ru")).not.toBe(translator(i18n, "fr"));
  });

  it("gives i18next's texts, asked once or again, with plurals, values and defaults", () => {
    const calls: [string, Record<string, unknown>?][] = [
      ["record:card.when", { dates: "2024" }],
      ["record:card.when", { dates: "2025" }],
      ["question:answer.others", { count: 1 }],
      ["question:answer.others", { count: 2 }],
      ["question:answer.others", { count: 5 }],
      ["question:answer.others", { count: 21 }],
      ["record:currency.CNY", { count: 1, defaultValue: "" }],
      ["record:currency.XYZ", { count: 3, defaultValue: "" }],
      ["common:languageName"],
      ["no:such.key"],
    ];
    for (const lang of LANGUAGES) {
      const fixed = i18n.getFixedT(lang);
      const t = translator(i18n, lang);
      for (const [key, options] of [...calls, ...calls])
        expect(t(key, options), `${lang} ${key} ${JSON.stringify(options)}`).toBe(fixed(key, options));
    }
  });

  it("keeps 1 and '1' apart, and passes objects and arrays through", () => {
    const t = translator(i18n, "ru");
    const fixed = i18n.getFixedT("ru");
    expect(t("question:answer.others", { count: 1 })).toBe(fixed("question:answer.others", { count: 1 }));
    expect(t("question:answer.others", { count: "1" })).toBe(fixed("question:answer.others", { count: "1" }));
    expect(t("record:months.bare", { returnObjects: true })).toEqual(
      fixed("record:months.bare", { returnObjects: true }),
    );
    expect(t("record:card.when", { dates: { toString: () => "x" } })).toBe(
      fixed("record:card.when", { dates: { toString: () => "x" } }),
    );
    // A value written like the next option's encoding is still its own value.
    expect(t("record:card.when", { dates: "a", x: "b" })).toBe(fixed("record:card.when", { dates: "a", x: "b" }));
    for (const forged of ["a\u0000x\u0001sb", "a\u0000x\u0001s1:b"])
      expect(t("record:card.when", { dates: forged })).toBe(fixed("record:card.when", { dates: forged }));
  });

  it("forgets its texts when resources change", async () => {
    const own = await createI18n();
    const t = translator(own, "en");
    expect(t("common:languageName")).toBe("English");
    own.addResource("en", "common", "languageName", "British");
    expect(t("common:languageName")).toBe("British");
  });
});
