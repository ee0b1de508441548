import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/search/language.js";
import { russianCaseForms } from "../../src/search/lexicon.js";
import { acronymTest, bigrams, fold, words } from "../../src/search/text.js";

describe("fold", () => {
  it("removes accents and case but keeps й, and folds ё to е", () => {
    expect(fold("Ouzbékistan ÉNERGIE")).toBe("ouzbekistan energie");
    expect(fold("Ёлка Китай")).toBe("елка китай");
    expect(fold("ＡＳＥＡＮ")).toBe("asean");
  });

  it("folds the typographic apostrophe to the plain one, keeping the length", () => {
    expect(fold("Qu’est-ce que l’OCS ? who’s")).toBe("qu'est-ce que l'ocs ? who's");
  });
});

describe("words", () => {
  it("splits elisions and possessives", () => {
    expect(words(fold("l'OCS d’échange China's")).map((w) => w.text)).toEqual(["ocs", "echange", "china"]);
  });

  it("segments Han text and keeps offsets contiguous", () => {
    const ws = words("哈萨克斯坦的孵化器");
    expect(ws.every((w) => w.script === "han")).toBe(true);
    expect(ws.map((w) => w.text).join("")).toBe("哈萨克斯坦的孵化器");
    for (let i = 1; i < ws.length; i++) expect(ws[i]!.start).toBe(ws[i - 1]!.end);
  });

  it("keeps a known Han word whole where the segmenter glues half of it to a neighbour", () => {
    const known = (text: string, at: number) => (text.startsWith("夏令营", at) ? 3 : 0);
    expect(words("清华夏令营").map((w) => w.text)).not.toContain("夏令营");
    const ws = words("清华夏令营", true, known);
    expect(ws.map((w) => w.text)).toContain("夏令营");
    expect(ws.map((w) => w.text).join("")).toBe("清华夏令营");
    for (let i = 1; i < ws.length; i++) expect(ws[i]!.start).toBe(ws[i - 1]!.end);
  });

  it("leaves the segmenter's words when it only cuts inside a known word", () => {
    const known = (text: string, at: number) => (text.startsWith("联合实验室", at) ? 5 : 0);
    expect(words("上合联合实验室", true, known)).toEqual(words("上合联合实验室"));
  });

  it("separates scripts inside one run", () => {
    const [first, ...rest] = words(fold("SCO数字经济"));
    expect(first).toMatchObject({ text: "sco", script: "latin" });
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((w) => w.script === "han")).toBe(true);
    expect(rest.map((w) => w.text).join("")).toBe("数字经济");
  });
});

describe("bigrams", () => {
  it("lists overlapping character pairs", () => {
    expect(bigrams("孵化器")).toEqual(["孵化", "化器"]);
    expect(bigrams("站")).toEqual([]);
  });
});

describe("russianCaseForms", () => {
  it("declines names by their ending", () => {
    expect(russianCaseForms("казахстан")).toEqual(expect.arrayContaining(["казахстане", "казахстана"]));
    expect(russianCaseForms("германия")).toEqual(expect.arrayContaining(["германии", "германию"]));
    expect(russianCaseForms("ухань")).toEqual(expect.arrayContaining(["ухани", "ухане"]));
    expect(russianCaseForms("урумчи")).toEqual(["урумчи"]);
  });
});

describe("acronymTest", () => {
  const acronyms = (text: string) => {
    const folded = fold(text);
    const acronym = acronymTest(text, folded);
    return words(folded)
      .filter(acronym)
      .map((w) => w.text);
  };

  it("takes words in capitals for acronyms, except in a text written all in capitals", () => {
    expect(acronyms("une IT-compagnie et l'IA")).toEqual(["it", "ia"]);
    expect(acronyms("WHERE IS THE SCO FORUM")).toEqual([]);
  });

  it("takes one short word in capitals for an acronym, not a shout", () => {
    expect(acronyms("IT")).toEqual(["it"]);
    expect(acronyms("AI?")).toEqual(["ai"]);
    expect(acronyms("HELLO THERE")).toEqual([]);
  });
});

describe("detectLanguage", () => {
  it("decides by script for Chinese and Russian", () => {
    expect(detectLanguage("哈尔滨的孵化器")).toBe("zh");
    expect(detectLanguage("инкубаторы в Казахстане")).toBe("ru");
  });

  it("tells English from French", () => {
    expect(detectLanguage("programmes d'échange pour les étudiants")).toBe("fr");
    expect(detectLanguage("student exchange programmes in SCO countries")).toBe("en");
  });

  it("reads a message mixing scripts in the language of its grammar words, else the non-Latin one", () => {
    expect(detectLanguage("что за hidden champions report?")).toBe("ru");
    expect(detectLanguage("SCO digital forum итоги")).toBe("ru");
    expect(detectLanguage("hidden champions 论坛 顺义")).toBe("zh");
    expect(detectLanguage("is there an incubator in Шымкент?")).toBe("en");
    expect(detectLanguage("what is the 上合组织 energy platform")).toBe("en");
    expect(detectLanguage("上合组织的 energy platform")).toBe("zh");
    // Grammar words of both scripts: the one with more of them.
    expect(detectLanguage("des infos sur le 东博会 svp")).toBe("fr");
    // An acronym in capitals is a name, even when it spells a grammar word ("ai" is French).
    expect(detectLanguage("上合 AI 合作中心")).toBe("zh");
    expect(detectLanguage("что за AI центр ШОС")).toBe("ru");
  });

  it("reads names and terms of two scripts in the conversation's language when the message has its words", () => {
    expect(detectLanguage("startup contest 东盟 Nanning")).toBe("zh");
    expect(detectLanguage("startup contest 东盟 Nanning", "en")).toBe("en");
    expect(detectLanguage("startup contest 东盟 Nanning", "fr")).toBe("en");
    expect(detectLanguage("Belt and Road конференция Urumqi 2024 itogi", "ru")).toBe("ru");
    // Grammar words still decide when there are enough of them, whatever the conversation's language.
    expect(detectLanguage("what is the 上合组织 energy platform", "zh")).toBe("en");
    expect(detectLanguage("что за hidden champions report?", "en")).toBe("ru");
    // A Latin name in a Russian or Chinese sentence is no English, however English the conversation.
    expect(detectLanguage("python怎么读取excel文件", "fr")).toBe("zh");
    expect(detectLanguage("我想了解 Belt and Road 倡议", "en")).toBe("zh");
    expect(detectLanguage("что такое Belt and Road?", "en")).toBe("ru");
    expect(detectLanguage("ШОС digital economy forum сколько соглашений подписали", "en")).toBe("ru");
    // An acronym is not a word of its script: no Latin words here, so not English.
    expect(detectLanguage("上合 AI 合作中心", "en")).toBe("zh");
  });

  it("takes a name written with an apostrophe for a name, not for grammar words", () => {
    // "an" is an English grammar word, but not in "Xi'an".
    expect(detectLanguage("Xi'an", "fr")).toBe("fr");
    expect(detectLanguage("Xi’an", "fr")).toBe("fr");
    // What follows an elision is a word of its own ("c'est": "est").
    expect(detectLanguage("c'est", "en")).toBe("fr");
  });

  it("tells French without accents by its grammar words", () => {
    expect(detectLanguage("programme echange etudiants pour la chine", "en")).toBe("fr");
    expect(detectLanguage("incubators for the startups of Kazakhstan", "fr")).toBe("en");
  });

  it("reads a sentence quoting a name of the other language in the sentence's language", () => {
    // The catalog's vocabulary would count "belt" and "road" as English: the grammar words decide first.
    const vocabulary = { en: new Set(["belt", "road", "exactly"]), fr: new Set(["forum", "tianjin"]) };
    expect(detectLanguage("le Belt and Road c'est quoi exactement", undefined, vocabulary)).toBe("fr");
    expect(detectLanguage("what is the Forum de Tianjin about", undefined, vocabulary)).toBe("en");
  });

  it("reads a mistyped keyword as the language of the catalog word one edit away", () => {
    const vocabulary = {
      en: new Set(["vocational", "training", "centre", "sco"]),
      fr: new Set(["formation", "professionnelle", "centre", "sco"]),
      nearest: (word: string) =>
        ({ vocatoinal: ["vocational"], trainign: ["training"], profesionelle: ["professionnelle"] })[word] ?? [],
    };
    // The catalog's words decide before a French user's hint; without the lookup the hint would.
    expect(detectLanguage("vocatoinal trainign centre sco", "fr", vocabulary)).toBe("en");
    const { nearest: _nearest, ...exact } = vocabulary;
    expect(detectLanguage("vocatoinal trainign centre sco", "fr", exact)).toBe("fr");
  });

  it('takes lower-case "ai" for AI, and French only after j\'', () => {
    const vocabulary = { en: new Set(["ai", "research", "sco"]), fr: new Set(["ia", "recherche", "ocs"]) };
    expect(detectLanguage("ai research collab sco", undefined, vocabulary)).toBe("en");
    // "j'ai" has no other French word beside it here: "ai" must not vote for English.
    expect(detectLanguage("j'ai postulé", undefined, { ...vocabulary, fr: new Set(["postule"]) })).toBe("fr");
  });

  it("uses the hint when the text cannot tell", () => {
    expect(detectLanguage("SCO", "fr")).toBe("fr");
    expect(detectLanguage("2024", "ru")).toBe("ru");
    expect(detectLanguage("SCO")).toBe("en");
    // A guess the detector itself calls unreliable is no better than English, the default.
    expect(detectLanguage("brunei")).toBe("en");
    expect(detectLanguage("brunei", "fr")).toBe("fr");
    // Names and words of both languages leave the detector all but even: the default, not its guess.
    expect(detectLanguage("harbin innovation centre xinjiang")).toBe("en");
    expect(detectLanguage("horoscope balance semaine")).toBe("fr");
    // Question words the stop word lists lack still tell the language.
    expect(detectLanguage("combien ?")).toBe("fr");
    expect(detectLanguage("pourquoi ?")).toBe("fr");
  });
});
