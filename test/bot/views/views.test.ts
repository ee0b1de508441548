import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog, CatalogRecord, Language } from "../../../src/catalog/schema.js";
import { LANGUAGES } from "../../../src/catalog/schema.js";
import { MESSAGE_LIMIT } from "../../../src/bot/format.js";
import { LOCALES_DIR, type Translate } from "../../../src/i18n.js";
import { placesPhrase, renderCard, renderContacts, renderDetails, type ViewEnv } from "../../../src/bot/views/card.js";
import {
  countryName,
  fitEscaped,
  formatDate,
  formatDateRange,
  formatFigure,
  formatMoney,
  formatNumber,
  formatWhen,
} from "../../../src/bot/views/format.js";
import { renderAnswer, renderNoMatch, renderResultsPage } from "../../../src/bot/views/results.js";
import { bundledEngine } from "../../helpers/bot-deps.js";
import { translatorsByLanguage } from "../../helpers/translators.js";

let catalog: Catalog;
const t = {} as Record<Language, Translate>;

beforeAll(async () => {
  catalog = (await bundledEngine()).catalog;
  Object.assign(t, await translatorsByLanguage());
});

/** Intl uses no-break and narrow no-break spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/\s/g, " ");

function env(lang: Language): ViewEnv {
  return { lang, t: t[lang], catalog };
}

function record(id: string): CatalogRecord {
  const found = catalog.records.find((r) => r.id === id);
  if (!found) throw new Error(`no record ${id}`);
  return found;
}

const localized = (text: string) => ({ en: text, fr: text, ru: text, zh: text });

function synthetic(patch: Partial<CatalogRecord>): CatalogRecord {
  return { ...record("incubator-wuhan"), id: "synthetic", ...patch };
}

describe("dates", () => {
  it("keep the precision the source gives, per locale", () => {
    const cases: [string, Record<Language, string>][] = [
      ["2025", { en: "2025", fr: "2025", ru: "2025", zh: "2025年" }],
      ["2024-08", { en: "August 2024", fr: "août 2024", ru: "август 2024 г.", zh: "2024年8月" }],
      ["2024-08-22", { en: "22 August 2024", fr: "22 août 2024", ru: "22 августа 2024 г.", zh: "2024年8月22日" }],
    ];
    for (const [iso, expected] of cases)
      for (const lang of LANGUAGES) expect(plain(formatDate(iso, lang))).toBe(expected[lang]);
  });

  it("format ranges compactly, and Chinese with its own pattern", () => {
    expect(plain(formatDateRange("2024-08-22", "2024-08-25", "en", t.en))).toBe("22 – 25 August 2024");
    expect(plain(formatDateRange("2024-08-22", "2024-08-25", "fr", t.fr))).toBe("22–25 août 2024");
    expect(plain(formatDateRange("2024-08-22", "2024-08-25", "ru", t.ru))).toBe("22–25 августа 2024 г.");
    expect(formatDateRange("2024-08-22", "2024-08-25", "zh", t.zh)).toBe("2024年8月22日至2024年8月25日");
    expect(plain(formatDateRange("2024-08-22", "2024-08-22", "en", t.en))).toBe("22 August 2024");
    // Ends of different precision are formatted apart.
    expect(plain(formatDateRange("2024", "2025-03", "en", t.en))).toBe("2024 – March 2025");
  });

  it("say 'since' for lasting things and give an event its date, in the past or the future", () => {
    const today = "2026-12-01";
    expect(plain(formatWhen(record("belt-and-road-initiative"), "en", t.en, today)!)).toBe("Since 2013");
    expect(plain(formatWhen(record("belt-and-road-initiative"), "zh", t.zh, today)!)).toBe("2013年起");
    expect(plain(formatWhen(record("shanghai-cooperation-organisation"), "ru", t.ru, today)!)).toBe(
      "С 15 июня 2001 г.",
    );
    expect(plain(formatWhen(record("sco-plus-meeting-2025"), "fr", t.fr, today)!)).toBe(
      "A eu lieu le 1er septembre 2025",
    );
    expect(plain(formatWhen(record("sco-plus-meeting-2025"), "en", t.en, "2025-08-01")!)).toBe(
      "Will take place on 1 September 2025",
    );
    expect(plain(formatWhen(record("sco-digital-economy-forum-2025"), "ru", t.ru, today)!)).toBe(
      "Состоялось в 2025 г.",
    );
    expect(plain(formatWhen(record("sco-digital-economy-forum-2025"), "zh", t.zh, today)!)).toBe("于2025年举行");
    expect(plain(formatWhen({ kind: "initiative", dates: { start: "2024-08" } }, "ru", t.ru, today)!)).toBe(
      "С августа 2024 г.",
    );
    expect(plain(formatWhen({ kind: "event", dates: { start: "2024-08" } }, "ru", t.ru, today)!)).toBe(
      "Состоялось в августе 2024 г.",
    );
    expect(plain(formatWhen({ kind: "initiative", dates: { start: "2024-08-22" } }, "fr", t.fr, today)!)).toBe(
      "Depuis le 22 août 2024",
    );
    expect(plain(formatWhen({ kind: "initiative", dates: { start: "2024-12-01" } }, "fr", t.fr, today)!)).toBe(
      "Depuis le 1er décembre 2024",
    );
    expect(formatWhen(record("icc-ndrc"), "en", t.en, today)).toBeUndefined();
  });
});

describe("numbers", () => {
  it("write amounts of money in words, as each language says them", () => {
    expect(formatMoney(670_000_000, "CNY", "en", t.en)).toBe("670 million yuan");
    expect(formatMoney(1_350_000_000, "CNY", "en", t.en)).toBe("1.35 billion yuan");
    expect(plain(formatMoney(1_350_000_000, "CNY", "fr", t.fr))).toBe("1,35 milliard de yuans");
    expect(plain(formatMoney(670_000_000, "CNY", "fr", t.fr))).toBe("670 millions de yuans");
    expect(plain(formatMoney(670_000_000, "CNY", "ru", t.ru))).toBe("670 млн юаней");
    expect(plain(formatMoney(1_350_000_000, "CNY", "ru", t.ru))).toBe("1,35 млрд юаней");
    expect(formatMoney(670_000_000, "CNY", "zh", t.zh)).toBe("6.7亿元");
    expect(formatMoney(1_350_000_000, "CNY", "zh", t.zh)).toBe("13.5亿元");
    // Below a million the currency agrees with the number.
    expect(plain(formatMoney(25_000, "EUR", "fr", t.fr))).toBe("25 000 euros");
    expect(plain(formatMoney(1, "CNY", "ru", t.ru))).toBe("1 юань");
    expect(plain(formatMoney(3, "CNY", "ru", t.ru))).toBe("3 юаня");
    expect(plain(formatMoney(25_000, "CNY", "ru", t.ru))).toBe("25 000 юаней");
    expect(formatMoney(25_000, "CNY", "zh", t.zh)).toBe("2.5万元");
    // A currency the locales do not name keeps its code.
    expect(formatMoney(500, "KZT", "en", t.en)).toBe("500 KZT");
  });

  it("write counts with the language's grouping, large ones with its scale words", () => {
    expect(formatNumber(2600, "en")).toBe("2,600");
    expect(plain(formatNumber(2600, "fr"))).toBe("2 600");
    expect(formatNumber(2600, "ru")).toBe("2600");
    expect(plain(formatNumber(12_000, "ru"))).toBe("12 000");
    expect(formatNumber(2600, "zh")).toBe("2600");
    expect(formatNumber(10_000_000, "en")).toBe("10 million");
    expect(plain(formatNumber(10_000_000, "fr"))).toBe("10 millions");
    expect(plain(formatNumber(10_000_000, "ru"))).toBe("10 млн");
    expect(formatNumber(10_000_000, "zh")).toBe("1000万");
  });

  it("put the number in the record's own phrase, with the language's plural form", () => {
    const agreements = {
      value: 71,
      label: localized("agreements"),
      text: {
        en: { one: "{n} agreement signed", other: "{n} agreements signed" },
        fr: { one: "{n} accord signé", many: "{n} d’accords signés", other: "{n} accords signés" },
        ru: {
          one: "{n} подписанное соглашение",
          few: "{n} подписанных соглашения",
          many: "{n} подписанных соглашений",
          other: "{n} подписанного соглашения",
        },
        zh: "签署合作协议{n}项",
      },
    };
    const of = (value: number, lang: Language) => plain(formatFigure({ ...agreements, value }, lang, t[lang]));
    expect(of(71, "ru")).toBe("<b>71</b> подписанное соглашение");
    expect(of(21, "ru")).toBe("<b>21</b> подписанное соглашение");
    expect(of(22, "ru")).toBe("<b>22</b> подписанных соглашения");
    expect(of(25, "ru")).toBe("<b>25</b> подписанных соглашений");
    expect(of(11, "ru")).toBe("<b>11</b> подписанных соглашений");
    expect(of(1, "en")).toBe("<b>1</b> agreement signed");
    expect(of(21, "en")).toBe("<b>21</b> agreements signed");
    expect(of(1_000_000, "fr")).toBe("<b>1 million</b> d’accords signés");
    expect(of(71, "zh")).toBe("签署合作协议<b>71</b>项");
  });

  it("read naturally for the catalog's figures in every language", () => {
    const figure = (id: string, i: number, lang: Language) =>
      plain(formatFigure(record(id).figures[i]!, lang, t[lang])).replace(/<\/?b>/g, "");
    expect(figure("sco-digital-economy-forum-2025", 0, "ru")).toBe("21 подписанное соглашение");
    expect(figure("sco-digital-economy-forum-2025", 1, "fr")).toBe(
      "des accords d’une valeur totale de 1,35 milliard de yuans",
    );
    expect(figure("sco-digital-economy-forum-2025", 1, "zh")).toBe("签约金额13.5亿元");
    expect(figure("sco-digital-economy-forum-2025", 2, "zh")).toBe("100多家企业签约");
    expect(figure("sco-digital-economy-forum-2025", 4, "zh")).toBe("天津数字经济核心产业2025年一季度营收同比增长12.2%");
    expect(figure("bri-urumqi-innovation-conference-2024", 0, "ru")).toBe("71 подписанное соглашение о сотрудничестве");
    expect(figure("bri-urumqi-innovation-conference-2024", 0, "zh")).toBe("签署合作协议71项");
    expect(figure("bri-urumqi-innovation-conference-2024", 1, "en")).toBe("agreements worth 670 million yuan in total");
    expect(figure("bri-urumqi-innovation-conference-2024", 1, "zh")).toBe("签约总金额6.7亿元");
    expect(figure("bri-urumqi-innovation-conference-2024", 1, "ru")).toBe("соглашения на общую сумму 670 млн юаней");
    expect(figure("china-asean-tech-transfer-action", 0, "ru")).toBe(
      "1000 передовых применимых технологий в областях устойчивого развития",
    );
    expect(figure("sco-solar-wind-expansion", 0, "fr")).toBe(
      "10 millions de kW de nouvelle capacité photovoltaïque en cinq ans",
    );
  });

  it("a figure without a phrase of its own reads value first, never as 'label: value'", () => {
    const members = {
      value: 2600,
      atLeast: true,
      label: { en: "members", fr: "membres", ru: "участников", zh: "协作网络成员" },
    };
    expect(formatFigure(members, "en", t.en)).toBe("more than <b>2,600</b> members");
    expect(plain(formatFigure(members, "fr", t.fr))).toBe("plus de <b>2 600</b> membres");
    expect(plain(formatFigure(members, "ru", t.ru))).toBe("более <b>2600</b> участников");
    expect(formatFigure(members, "zh", t.zh)).toBe("协作网络成员超过<b>2600</b>");
    const amount = {
      value: 670_000_000,
      currency: "CNY",
      label: { en: "total value", fr: "valeur totale", ru: "общая сумма", zh: "签约总金额" },
    };
    expect(formatFigure(amount, "en", t.en)).toBe("<b>670 million yuan</b> (total value)");
    expect(formatFigure(amount, "zh", t.zh)).toBe("签约总金额<b>6.7亿元</b>");
    const share = { value: 9.4, label: { en: "% of GDP & more", fr: "% du PIB", ru: "% ВВП", zh: "占GDP比重（%）" } };
    expect(formatFigure(share, "en", t.en)).toBe("<b>9.4%</b> of GDP &amp; more");
    expect(plain(formatFigure(share, "fr", t.fr))).toBe("<b>9,4 %</b> du PIB");
  });
});

describe("places", () => {
  it("name countries in the reply language", () => {
    expect([
      countryName("KZ", "en"),
      countryName("KZ", "fr"),
      countryName("KZ", "ru"),
      countryName("KZ", "zh"),
    ]).toEqual(["Kazakhstan", "Kazakhstan", "Казахстан", "哈萨克斯坦"]);
  });
});

describe("places", () => {
  it("names a group of countries when a record lists all its members", () => {
    const asean = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"];
    expect(placesPhrase([], ["CN", ...asean], env("en"))).toBe("China and ASEAN countries");
    expect(placesPhrase(["nanning"], ["CN", ...asean], env("fr"))).toBe("Nanning, Chine\u202f; pays de l’ASEAN");
    // "Which countries?" is answered with the countries themselves.
    expect(placesPhrase([], ["CN", ...asean], env("en"), { groups: false })).toContain("Thailand");
    // Not every member: the countries one by one.
    expect(placesPhrase([], ["CN", "TH", "VN"], env("en"))).toBe("China, Thailand and Vietnam");
  });
});

describe("card", () => {
  it("holds title, kind, summary, where, when, figures, contact and source", () => {
    const card = renderCard(record("sco-digital-economy-forum-2025"), env("en"));
    expect(
      card.startsWith(
        "<b>SCO Digital Economy Forum 2025, Tianjin</b>\n<i>Event</i>\n\nThe SCO Digital Economy Forum 2025",
      ),
    ).toBe(true);
    // The forum's SCO member countries are named as a group, not one by one.
    expect(card).toContain("📍 Tianjin, China; SCO countries\n🗓 Took place in 2025");
    expect(card).toContain("• <b>21</b> agreements signed");
    expect(card).toContain("• agreements worth <b>1.35 billion yuan</b> in total");
    expect(card).toContain("• more than <b>100</b> companies signed");
    expect(card).toContain("…and 3 more in the details");
    expect(card).not.toContain("sub-forums");
    expect(card).not.toMatch(/<b>[^<]+:<\/b>/);
    expect(card).toContain(
      "👤 <b>Who to contact</b>\n• <b>Tianjin Municipal People's Government</b> — Co-organiser and host city",
    );
    expect(card.endsWith("📄 <i>Source: CGTN, 2025. Checked against it on 21 November 2026.</i>")).toBe(true);
  });

  it("is written in the reply language", () => {
    const card = renderCard(record("sco-digital-economy-forum-2025"), env("ru"));
    expect(card).toContain("<i>Мероприятие</i>");
    expect(card).toContain("📍 Тяньцзинь, Китай");
    expect(plain(card)).toContain("• соглашения на общую сумму <b>1,35 млрд юаней</b>");
    expect(card).toContain("• <b>21</b> подписанное соглашение");
    expect(plain(card)).toContain("📄 <i>Источник: CGTN, 2025 г. Проверено 21 ноября 2026 г.</i>");
    expect(card).toContain("…и ещё 3 в подробностях");
    const zh = renderCard(record("xinjiang-central-asia-incubator"), env("zh"));
    expect(zh).toContain("📍 中国和哈萨克斯坦");
    expect(zh).toContain("🗓 2024年8月22日起");
  });

  it("names the source document's publisher and date, and says when it was checked, never in the future", () => {
    const lastLine = (card: string) => plain(card.split("\n").pop()!);
    const caexpo = record("caexpo");
    expect(lastLine(renderCard(caexpo, env("en")))).toBe(
      "📄 <i>Source: PR Newswire, 26 October 2022. Checked against it on 21 November 2026.</i>",
    );
    expect(lastLine(renderCard(caexpo, env("fr")))).toBe(
      "📄 <i>Source : PR Newswire, 26 octobre 2022. Fiche vérifiée le 21 novembre 2026.</i>",
    );
    expect(lastLine(renderCard(caexpo, env("ru")))).toBe(
      "📄 <i>Источник: PR Newswire, 26 октября 2022 г. Проверено 21 ноября 2026 г.</i>",
    );
    expect(lastLine(renderCard(caexpo, env("zh")))).toBe(
      "📄 <i>来源：美通社（PR Newswire），2022年10月26日。2026年11月21日核实。</i>",
    );
    expect(lastLine(renderCard(record("incubator-harbin"), env("ru")))).toContain(
      "Источник: международный бизнес-инкубатор «Чжунъя Хулянь», 12 декабря 2024 г.",
    );
    // The document of the SCO Plus announcements names no publisher: the card says so rather than guess.
    expect(lastLine(renderCard(record("sco-energy-platform"), env("en")))).toBe(
      "📄 <i>Source: a news article, September 2025 (publisher not named). Checked against it on 21 November 2026.</i>",
    );
    // A "verified" date still to come is not shown.
    expect(lastLine(renderCard(caexpo, { ...env("en"), today: "2026-11-20" }))).toBe(
      "📄 <i>Source: PR Newswire, 26 October 2022.</i>",
    );
  });

  it("escapes every catalog text", () => {
    const hostile = synthetic({
      title: localized("<script>alert(1)</script> & co"),
      summary: localized('a < b & c > d "quoted"'),
      contacts: [{ name: localized("<i>Evil</i>"), note: localized("</b>") }],
      figures: [{ value: 3, label: localized("<u>things</u>") }],
    });
    const card = renderCard(hostile, env("en"));
    expect(card).toContain("<b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</b>");
    expect(card).toContain("a &lt; b &amp; c &gt; d &quot;quoted&quot;");
    expect(card).toContain("<b>&lt;i&gt;Evil&lt;/i&gt;</b> — &lt;/b&gt;");
    expect(card).toContain("&lt;u&gt;things&lt;/u&gt;");
    expect(card).not.toMatch(/<(script|u|i>Evil)/);
  });

  it("stays within the limit by shortening the summary, keeping the facts", () => {
    const long = synthetic({ summary: localized("word <&> ".repeat(2000)) });
    const card = renderCard(long, env("en"));
    expect(card.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(card.length).toBeGreaterThan(MESSAGE_LIMIT - 100);
    expect(card).toContain("…");
    expect(card).toContain("📍 Wuhan, China");
    expect(card).toContain("📄 <i>Source:");
    // No entity is cut in half.
    expect(card).not.toMatch(/&[a-z]*…/);
    const small = renderCard(long, env("en"), 1000);
    expect(small.length).toBeLessThanOrEqual(1000);
    expect(small).toContain("📍 Wuhan, China");
  });

  it("is part of the answer, with the number of other matches", () => {
    const answer = renderAnswer(record("incubator-wuhan"), 7, env("ru"));
    expect(answer).toContain("🔎 Ещё 6 совпадений: самые близкие — ниже.");
    expect(renderAnswer(record("incubator-wuhan"), 2, env("en"))).toContain("🔎 One more match is below.");
    expect(renderAnswer(record("incubator-wuhan"), 1, env("en"))).not.toContain("🔎");
  });
});

describe("details and contacts", () => {
  it("details list every fact, sector, audience, organiser and link", () => {
    const details = renderDetails(record("sco-digital-economy-forum-2025"), env("en"));
    expect(details).toContain("Theme: &quot;New Links in the Digital Economy");
    expect(details).toContain("🏷 Digital economy · Artificial intelligence");
    expect(details).toContain("👥 Governments and public agencies · Companies");
    expect(details).toContain(
      "🏛 Organised by National Data Administration of China and Tianjin Municipal People's Government",
    );
    expect(details).toContain("• <b>4</b> sub-forums");
    expect(details).toContain("• <b>12.2%</b> year-on-year revenue growth");
    const asean = renderDetails(record("asean"), env("fr"));
    expect(asean).toContain('<a href="https://asean.org">Site officiel de l\'ASEAN</a>');
  });

  it("contacts show only the channels the record has, links escaped", () => {
    const withChannels = synthetic({
      contacts: [
        {
          name: localized("Desk"),
          email: "desk@example.org",
          phone: "+7 727 000 00 00",
          url: 'https://example.org/a?b=1&c="2"',
          telegram: "@coop_desk",
          note: localized("Write first."),
        },
        { name: localized("Other desk") },
      ],
    });
    const html = renderContacts(withChannels, env("en"));
    expect(html).toContain("<b>Desk</b>\nWrite first.");
    expect(html).toContain('✉️ <a href="mailto:desk@example.org">desk@example.org</a>');
    expect(html).toContain("📞 +7 727 000 00 00");
    expect(html).toContain('🌐 <a href="https://example.org/a?b=1&amp;c=&quot;2&quot;">example.org</a>');
    expect(html).toContain("💬 @coop_desk");
    const other = html.slice(html.indexOf("<b>Other desk</b>"));
    expect(other).not.toMatch(/✉️|📞|🌐|💬/);
  });

  it("without contacts, say so and point to the organisers", () => {
    const html = renderContacts(synthetic({ contacts: [], organisers: [{ name: localized("Бюро") }] }), env("ru"));
    expect(html).toContain("В источнике нет контактов");
    expect(html).toContain("🏛 Организатор — Бюро");
  });
});

describe("result lists", () => {
  it("count with the language's plural forms", () => {
    const records = [record("incubator-wuhan")];
    const header = (lang: Language, total: number) =>
      renderResultsPage({ query: "q", records, page: 0, pageSize: 5, total }, env(lang)).split("\n")[0];
    expect(header("ru", 1)).toBe("🔎 <b>1 совпадение</b> по запросу «q»");
    expect(header("ru", 3)).toBe("🔎 <b>3 совпадения</b> по запросу «q»");
    expect(header("ru", 11)).toBe("🔎 <b>11 совпадений</b> по запросу «q»");
    expect(header("ru", 21)).toBe("🔎 <b>21 совпадение</b> по запросу «q»");
    expect(header("en", 1)).toBe("🔎 <b>1 match</b> for “q”");
    expect(header("en", 2)).toBe("🔎 <b>2 matches</b> for “q”");
    expect(header("fr", 2)).toBe("🔎 <b>2 résultats</b> pour «\u00a0q\u00a0»");
    expect(header("zh", 2)).toBe("🔎 “q”共有<b>2条结果</b>");
  });

  it("number the records of the page and escape the query", () => {
    const records = [record("incubator-wuhan"), record("incubator-hefei")];
    const html = renderResultsPage({ query: "<b>x</b>", records, page: 2, pageSize: 5, total: 12 }, env("en"));
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).toContain("11–12 · page 3 of 3");
    expect(html).toContain("11. <b>Wuhan — innovation cooperation centre</b> — <i>Incubator</i> · Wuhan, China");
    expect(html).toContain("12. <b>");
  });

  it("the no-match reply quotes the question escaped and offers terms and browsing", () => {
    const html = renderNoMatch({ query: "<b>&", weak: [], suggestions: ["Energy & <power>"] }, env("en"));
    expect(html).toContain("“&lt;b&gt;&amp;”");
    expect(html).toContain("<i>Energy &amp; &lt;power&gt;</i>");
    expect(html).toContain("/programmes · /incubators · /initiatives · /events");
    expect(html).not.toContain("closest");
    expect(renderNoMatch({ query: "x", weak: [record("incubator-wuhan")], suggestions: [] }, env("en"))).toContain(
      "closest",
    );
  });
});

describe("fitEscaped", () => {
  it("cuts so that the escaped text fits, never inside an entity", () => {
    const text = "a&b<c>d ".repeat(50);
    for (const max of [1, 5, 13, 40, 100, 399]) {
      const fitted = fitEscaped(text, max);
      expect(fitted.length).toBeLessThanOrEqual(max);
      expect(fitted.replace(/&(amp|lt|gt|quot);/g, "")).not.toMatch(/[&<>]/);
    }
    expect(fitEscaped("short & sweet", 100)).toBe("short &amp; sweet");
  });
});

describe("locales", () => {
  const namespaces = ["question", "record", "inline"];
  const pluralSuffix = /_(zero|one|two|few|many|other)$/;
  const read = (lang: string, ns: string) =>
    JSON.parse(readFileSync(path.join(LOCALES_DIR, lang, `${ns}.json`), "utf8")) as Record<string, unknown>;

  function keys(value: unknown, prefix = ""): string[] {
    if (Array.isArray(value) || typeof value !== "object" || value === null) return [prefix];
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }

  it("exist for every language", () => {
    for (const lang of LANGUAGES)
      for (const ns of namespaces) expect(readdirSync(path.join(LOCALES_DIR, lang))).toContain(`${ns}.json`);
  });

  for (const ns of namespaces) {
    it(`${ns}: every language has every key, with its plural forms`, () => {
      const base = new Set(keys(read("en", ns)).map((k) => k.replace(pluralSuffix, "")));
      for (const lang of LANGUAGES) {
        const own = keys(read(lang, ns));
        expect(new Set(own.map((k) => k.replace(pluralSuffix, "")))).toEqual(base);
        const plurals = new Set(own.filter((k) => pluralSuffix.test(k)).map((k) => k.replace(pluralSuffix, "")));
        const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        for (const key of plurals)
          for (const category of needed)
            expect(own, `${lang}/${ns}: ${key}_${category}`).toContain(`${key}_${category}`);
      }
    });
  }

  it("follow-up words are lists in every language", () => {
    for (const lang of LANGUAGES) {
      for (const key of ["question:followUp.more", "question:followUp.contacts"]) {
        const list: unknown = t[lang](key, { returnObjects: true });
        expect(Array.isArray(list) && list.length > 0 && list.every((w) => typeof w === "string")).toBe(true);
      }
    }
  });
});
