import { beforeAll, describe, expect, it } from "vitest";
import { decide } from "../../src/search/decide.js";
import type { SearchEngine } from "../../src/search/engine.js";
import { cyrillicOf, cyrillicOfLatinKeys } from "../../src/search/translit.js";
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
    ["Rossii", "России"],
    ["kitai", "китай"],
    ["Kitay", "Китай"],
    ["kitajskie", "китайские"],
    ["Dobryj", "Добрый"],
    ["pozhaluysta", "пожалуйста"],
    ["est", "есть"],
  ])("%s spells %s", (latin, cyrillic) => {
    expect(cyrillicOf(latin)).toBe(cyrillic);
  });
});

describe("Russian typed in Latin letters", () => {
  it.each([
    ["programma obmena SHOS dlya studentov", ["sco-higher-education-centre", "sco-scitech-innovation-centre"]],
    ["inkubator v Kazakhstane svyazannyi s Kitaem", ["urumqi-offshore-incubators", "xinjiang-central-asia-incubator"]],
    ["forum tsifrovoi ekonomiki SHOS tyanczin", ["sco-digital-economy-forum-2025", "tianjin-soe-digital-showcase"]],
    // No grammar word; "obmen" is a word of the catalog only as the start of "обмена", "обмену".
    ["shos obmen studentami kitai", ["sco-higher-education-centre", "sco-scitech-innovation-centre"]],
  ])("%s is read as the Russian it spells, and answered in Russian", (text, ids) => {
    expect(engine.fromTranslit(text)).toMatch(/^[\p{Script=Cyrillic}\s]+$/u);
    const decision = decide(engine, text);
    expect(decision.lang).toBe("ru");
    expect(decision.kind).toBe("answer");
    expect(ids).toContain(decision.record?.id);
  });

  it.each([
    // The words around the question ("podskazhite", "svyazan") are Russian too; a name the catalog has in
    // Latin letters, capitalised, stays as typed.
    [
      "podskazhite pozhaluysta chto za inkubator Zhongya Hulian i gde on rabotaet",
      "xinjiang-central-asia-incubator",
      "Zhongya Hulian",
    ],
    ["pro inkubator v Shenyane est' info? on svyazan s Urumchi?", "incubator-shenyang", "Urumchi"],
  ])("%s is read as Russian, its names kept", (text, id, name) => {
    expect(engine.fromTranslit(text)).toContain(name);
    const decision = decide(engine, text);
    expect(decision.lang).toBe("ru");
    expect(decision.kind).toBe("answer");
    expect(decision.record?.id).toBe(id);
  });

  it.each([
    "incubator in Kazakhstan",
    "le forum de Tianjin",
    "startup contest Nanning",
    "SCO forum Tianjin",
    "Kazakhstan",
    "shang he zu zhi neng yuan he zuo ping tai",
    // English and French words whose Cyrillic reading stems to a Russian word of the catalog ("summit" →
    // "сумм", "now" → "нов"), and grammar words both languages share with transliterated Russian.
    "what's the summit now",
    "so, the summit?",
    "the SCO's summit now",
    "summit in Urumchi",
    "k, now what",
    "pro tip: summit",
    "ma question est simple",
    "c'est toi ?",
  ])("%s is English, French or pinyin, not transliterated Russian", (text) => {
    expect(engine.fromTranslit(text)).toBeUndefined();
  });
});

describe("Russian typed with the keyboard on its Latin layout", () => {
  it("maps each key to the Cyrillic letter it carries", () => {
    expect(cyrillicOfLatinKeys("byre,fnjh d xfyit")).toBe("инкубатор в чанше");
    expect(cyrillicOfLatinKeys("ijc? 2025")).toBe("шос? 2025");
    expect(cyrillicOfLatinKeys("incubator (Almaty)")).toBeUndefined();
  });

  it("reads capitals typed with Shift and the Russian question mark and full stop", () => {
    // Shift+7 is the Russian "?", the "/" key its full stop; "{" and "<" are Х and Б.
    expect(cyrillicOfLatinKeys("ult yf[jlbncz byre,fnjh&")).toBe("где находится инкубатор?");
    expect(cyrillicOfLatinKeys("<bpytc byre,fnjh d {fh,byt/")).toBe("бизнес инкубатор в харбине.");
  });

  it.each([
    ["byre,fnjh d xfyit", ["incubator-changsha"]],
    ["ghjuhfvvs j,vtyf ijc", ["sco-higher-education-centre", "sco-scitech-innovation-centre"]],
    ["byre,fnjh d {fh,byt&", ["incubator-harbin"]],
  ])("%s is read as the Russian it was meant to be, and answered in Russian", (text, ids) => {
    const decision = decide(engine, text);
    expect(decision.lang).toBe("ru");
    expect(decision.kind).toBe("answer");
    expect(ids).toContain(decision.record?.id);
  });

  it.each(["asdf", "qwerty", "hello world", "lol", "ok", "jkjk", "Beidou", "zxcv bnm"])(
    "%s is not read as Russian",
    (text) => {
      expect(engine.fromTranslit(text)).toBeUndefined();
    },
  );
});

describe("Russian diminutives", () => {
  it.each([
    ["стартапчик", "стартап"],
    ["инкубаторчик", "инкубатор"],
    ["программки", "программ"],
    ["фирмочка", "фирм"],
  ])("%s is read as the word it is made from (%s)", (word, term) => {
    const hit = engine.search(word).hits[0];
    expect(hit?.matches.map((m) => m.term)).toContain(term);
  });

  it("leaves a word that is no diminutive of a known one unread", () => {
    expect(engine.search("урок").hits).toEqual([]);
  });
});
