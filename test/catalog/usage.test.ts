import { describe, expect, it } from "vitest";
import type { CatalogRecord } from "../../src/catalog/schema.js";
import {
  checkCatalogUsage,
  checkFigurePhrases,
  checkPublishers,
  checkShortTitles,
  checkVerified,
} from "../../src/catalog/usage.js";
import { bundledCatalog } from "../helpers/saved-index.js";
import { record as fixtureRecord } from "../search/fixture.js";

const L = (en: string, fr = en, ru = en, zh = en) => ({ en, fr, ru, zh });

function record(id: string, patch: Partial<CatalogRecord> = {}): CatalogRecord {
  return fixtureRecord({
    id,
    kind: "incubator",
    title: L(`Title of ${id}`),
    summary: L("A summary."),
    source: { file: "004_4a214997c5adf4c8.txt", date: "2024-12-12" },
    verified: "2025-01-10",
    ...patch,
  });
}

describe("short titles", () => {
  it("every bundled record has one in each language, within the limit, none shared", async () => {
    const catalog = await bundledCatalog();
    expect(catalog.records.filter((r) => !r.short).map((r) => r.id)).toEqual([]);
    expect(checkShortTitles(catalog)).toEqual([]);
  });

  it("two records sharing a short title in one language are reported, in that language", () => {
    const problems = checkShortTitles({
      records: [
        record("a", { short: L("Harbin — centre", "Harbin — centre", "Харбин", "哈尔滨") }),
        record("b", { short: L("Wuhan — centre", "Harbin — Centre", "Ухань", "武汉") }),
      ],
    });
    expect(problems).toEqual([
      {
        recordId: "b",
        path: ["short", "fr"],
        message: "same short title as a: a list of both could not tell them apart",
      },
    ]);
  });

  it("a title too long for a button needs a short title, and a short title must fit", () => {
    const long = "Inter-regional innovation cooperation centre (incubator) in Harbin";
    expect(checkShortTitles({ records: [record("a", { title: L(long, "Court", "Коротко", "短") })] })).toEqual([
      {
        recordId: "a",
        path: ["title", "en"],
        message: "longer than 48 characters: give the record a short title (short.en) for buttons and lists",
      },
    ]);
    expect(
      checkShortTitles({
        records: [
          record("a", {
            title: L(long),
            short: L("Harbin", "Harbin", "Харбин", "哈尔滨跨区域协同创新中心孵化器网络成员单位之一"),
          }),
        ],
      }),
    ).toEqual([{ recordId: "a", path: ["short", "zh"], message: "23 characters, at most 20" }]);
  });
});

describe("figures and dates", () => {
  it("a figure's phrase has the plural forms its language needs, and only those", () => {
    const text = {
      en: { one: "{n} agreement", other: "{n} agreements" },
      fr: { one: "{n} accord", other: "{n} accords" },
      ru: { one: "{n} соглашение", many: "{n} соглашений", other: "{n} соглашения" },
      zh: { one: "{n}项", other: "{n}项" },
    };
    const problems = checkFigurePhrases({
      records: [record("a", { figures: [{ value: 21, label: L("agreements"), text }] })],
    });
    expect(problems).toEqual([
      {
        recordId: "a",
        path: ["figures", 0, "text", "fr"],
        message: "plural forms missing: many (fr needs one, many, other)",
      },
      {
        recordId: "a",
        path: ["figures", 0, "text", "ru"],
        message: "plural forms missing: few (ru needs one, few, many, other)",
      },
      { recordId: "a", path: ["figures", 0, "text", "zh"], message: "plural forms zh does not have: one" },
    ]);
  });

  it("'verified' is never in the future, nor before the source", () => {
    const records = [
      record("a", { verified: "2026-12-02" }),
      record("b", { verified: "2024-12-11" }),
      record("c", { verified: "2026-12-01" }),
    ];
    expect(checkVerified({ records }, "2026-12-01")).toEqual([
      { recordId: "a", path: ["verified"], message: "2026-12-02 is in the future (today is 2026-12-01)" },
      { recordId: "b", path: ["verified"], message: "2024-12-11 is before the source document (2024-12-12)" },
    ]);
  });

  it("the bundled catalog passes every check", async () => {
    expect(checkCatalogUsage(await bundledCatalog())).toEqual([]);
  });
});

describe("sources", () => {
  it("every record cites the publisher its source document names, with the document's date", async () => {
    // What the documents in ../shared/seeds/ say of themselves; 000 names no publisher.
    const named: Record<string, string | undefined> = {
      "000_a272ed8cbe79a218.txt": undefined,
      "001_763b09a8aff36d5d.txt": "CGTN",
      "002_9f5c994f7650918c.txt": "PR Newswire",
      "003_4c95b03e01353db8.txt": "PR Newswire",
      "004_4a214997c5adf4c8.txt": "the “Zhongya Hulian” International Business Incubator",
    };
    const catalog = await bundledCatalog();
    for (const record of catalog.records)
      expect(record.source.publisher?.en, record.id).toBe(named[record.source.file]);
    const dates = new Map(catalog.records.map((r) => [r.source.file, r.source.date]));
    expect(dates.get("002_9f5c994f7650918c.txt")).toBe("2022-10-26");
    expect(dates.get("003_4c95b03e01353db8.txt")).toBe("2024-05-16");
    expect(dates.get("004_4a214997c5adf4c8.txt")).toBe("2024-12-12");
  });

  it("records drawn from one document name its publisher alike", () => {
    const pr = { en: "PR Newswire", fr: "PR Newswire", ru: "PR Newswire", zh: "美通社" };
    const source = (publisher?: typeof pr) => ({
      file: "002_9f5c994f7650918c.txt",
      date: "2022-10-26",
      ...(publisher ? { publisher } : {}),
    });
    expect(
      checkPublishers({ records: [record("a", { source: source(pr) }), record("b", { source: source(pr) })] }),
    ).toEqual([]);
    expect(
      checkPublishers({ records: [record("a", { source: source(pr) }), record("b", { source: source() })] }),
    ).toEqual([
      {
        recordId: "b",
        path: ["source", "publisher"],
        message: "002_9f5c994f7650918c.txt is published by PR Newswire in a, no one named here",
      },
    ]);
  });
});
