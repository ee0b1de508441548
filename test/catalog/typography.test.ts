import { describe, expect, it } from "vitest";
import type { Language } from "../../src/catalog/schema.js";
import { localeTextForCheck, renderedProblems, typographyProblems } from "../../src/catalog/typography.js";

const rules = (text: string, lang: Language) => typographyProblems(text, lang).map((p) => p.rule);
const rendered = (html: string, lang: Language) => renderedProblems(html, lang).map((p) => p.rule);

describe("typography rules", () => {
  it.each([
    // Chinese
    [
      "zh",
      "乌鲁木齐市科学技术局,可通过官方渠道联系",
      "zh-ascii-punctuation",
      "乌鲁木齐市科学技术局，可通过官方渠道联系",
    ],
    ["zh", '主题为"唤醒丝路精神"', "zh-ascii-quotes", "主题为“唤醒丝路精神”"],
    ["zh", "中德经济技术合作示范区(北京顺义)", "zh-ascii-brackets", "中德经济技术合作示范区（北京顺义）"],
    [
      "zh",
      "主题为“唤醒丝路精神”（译）。 乌鲁木齐的企业",
      "zh-space-after-punctuation",
      "主题为“唤醒丝路精神”（译）。乌鲁木齐的企业",
    ],
    ["zh", "在 1 个对话 中", "zh-space-number", "在1个对话中"],
    ["zh", "2024年8月22日 举行", "zh-space-between", "2024年8月22日举行"],
    ["zh", "👤 联系谁", "zh-term", "👤 联系方式"],
    // Russian
    ["ru", "трансфер технологий Китай — АСЕАН", "ru-spaced-pair", "трансфер технологий Китай–АСЕАН"],
    [
      "ru",
      "Специальная акция по трансферу технологий",
      "ru-term-akciya",
      "Специальная программа по трансферу технологий",
    ],
    ["ru", 'под девизом "Пробуждение духа"', "ru-ascii-quotes", "под девизом «Пробуждение духа»"],
    ["ru", "Конференция - главное событие", "ru-hyphen-dash", "Конференция — главное событие"],
    // French
    ["fr", "le thème « Réveiller l'esprit »", "fr-space-after-guillemet", "le thème «\u00a0Réveiller l'esprit\u00a0»"],
    ["fr", "Source : PR Newswire", "fr-space-before", "Source\u00a0: PR Newswire"],
    ["fr", "Quand l’envoyer?", "fr-space-before", "Quand l’envoyer\u202f?"],
    ["fr", 'le thème "Nouveaux liens"', "fr-ascii-quotes", "le thème «\u00a0Nouveaux liens\u00a0»"],
    ["fr", "la réunion du 1 septembre 2025", "fr-first-of-month", "la réunion du 1er septembre 2025"],
    // Every language
    ["ru", "Проверено 21 ноября 2026 г..", "double-period", "Проверено 21 ноября 2026 г."],
    ["en", "Took place  on 22 August", "double-space", "Took place on 22 August"],
  ] as const)("%s: %j breaks %s, and the fix passes", (lang, bad, rule, good) => {
    expect(rules(bad, lang)).toContain(rule);
    expect(rules(good, lang)).toEqual([]);
  });

  it("leaves URLs, times, ellipses and other languages' usage alone", () => {
    expect(rules("t.me/CooperationDeskBot?start=r_incubator-harbin https://cgtn.com", "fr")).toEqual([]);
    expect(rules("Envoi à 09:00 le 1er décembre…", "fr")).toEqual([]);
    expect(rules("Члены ШОС — Китай, Россия, Казахстан", "ru")).toEqual([]);
    expect(rules("Harbin — innovation cooperation centre", "en")).toEqual([]);
    expect(rules("签约金额13.5亿元，100多家企业签约。GDP比重9.4%", "zh")).toEqual([]);
  });

  it("reads a locale string's placeholders as what they stand for", () => {
    expect(rules(localeTextForCheck("在 {{count}} 个对话中"), "zh")).toContain("zh-space-number");
    expect(rules(localeTextForCheck("共{{count, number}}条"), "zh")).toEqual([]);
    expect(rules(localeTextForCheck("请提及我——<code>@{{username}} 您的问题</code>"), "zh")).toEqual([]);
  });
});

describe("rendered views", () => {
  it.each([
    ["ru", "<b>21</b> подписанных соглашений", "<b>21</b> подписанное соглашение"],
    ["ru", "<b>22</b> подписанное соглашение", "<b>22</b> подписанных соглашения"],
    ["ru", "<b>25</b> подписанное соглашение", "<b>25</b> подписанных соглашений"],
    ["ru", "<b>28</b> города Китая", "<b>28</b> городов Китая"],
    ["ru", "<b>4</b> инкубаторов", "<b>4</b> инкубатора"],
    ["en", "<b>1</b> agreements signed", "<b>1</b> agreement signed"],
    ["fr", "<b>1</b> accords signés", "<b>1</b> accord signé"],
  ] as const)("%s: %j is a number with the wrong plural form", (lang, bad, good) => {
    expect(rendered(bad, lang)).toContain("plural-agreement");
    expect(rendered(good, lang)).toEqual([]);
  });

  it("dates and units after a number are not counted nouns", () => {
    expect(rendered("Состоялось 25 августа 2024 г.; 2025 года; 10 млн кВт; 1000 передовых технологий", "ru")).toEqual(
      [],
    );
    expect(rendered("le 1er septembre 2025, 1 pays", "fr")).toEqual([]);
  });

  it("a fact written as 'label: value' is caught", () => {
    expect(rendered("📍 <b>Where:</b> Tianjin", "en")).toContain("label-value");
    expect(rendered("📍 <b>地点：</b>天津", "zh")).toContain("label-value");
    expect(rendered("📍 Tianjin, China", "en")).toEqual([]);
  });
});
