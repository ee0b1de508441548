import { beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../src/search/decide.js";
import type { SearchEngine } from "../../src/search/engine.js";
import { cyrillicOf } from "../../src/search/translit.js";
import { bundledEngine } from "../helpers/bot-deps.js";

let engine: SearchEngine;
beforeAll(async () => {
  engine = await bundledEngine();
});

describe("cyrillicOf", () => {
  it.each([
    ["Kazakhstane", "Казахстане"],
    ["Kazahstane", "Казахстане"],
    ["svyazannyi", "связанный"],
    ["tsifrovoi", "цифровой"],
    ["dlya", "для"],
    ["SHOS", "ШОС"],
    ["obmena", "обмена"],
  ])("%s spells %s", (latin, cyrillic) => {
    expect(cyrillicOf(latin)).toBe(cyrillic);
  });
});

describe("Russian typed in Latin letters", () => {
  it.each([
    ["programma obmena SHOS dlya studentov", ["sco-higher-education-centre", "sco-scitech-innovation-centre"]],
    ["inkubator v Kazakhstane svyazannyi s Kitaem", ["urumqi-offshore-incubators", "xinjiang-central-asia-incubator"]],
  ])("%s is read as the Russian it spells, and answered in Russian", (text, ids) => {
    expect(engine.fromTranslit(text)).toMatch(/^[\p{Script=Cyrillic}\s]+$/u);
    const decision = decide(engine, text);
    expect(decision.lang).toBe("ru");
    expect(decision.kind).toBe("answer");
    expect(ids).toContain(decision.record?.id);
  });

  it.each([
    "incubator in Kazakhstan",
    "le forum de Tianjin",
    "startup contest Nanning",
    "SCO forum Tianjin",
    "Kazakhstan",
    "shang he zu zhi neng yuan he zuo ping tai",
  ])("%s is English, French or pinyin, not transliterated Russian", (text) => {
    expect(engine.fromTranslit(text)).toBeUndefined();
  });
});
