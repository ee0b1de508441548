import { describe, expect, it } from "vitest";
import { analyze, analyzeBoth, hanNumber } from "../../src/search/analyzer.js";

const keys = (text: string, lang: "en" | "fr" | "zh" = "en") => analyze(text, lang).keys.filter((k) => k !== null);

describe("analyze", () => {
  it("reads 'ai' in lower case as AI, but not the 'ai' of French j'ai", () => {
    expect(keys("is there an ai centre")).toContain("ai");
    expect(keys("j'ai une startup", "fr")).not.toContain("ai");
  });

  it("keys American spellings as the catalog's British ones", () => {
    expect(keys("training center")).toEqual(keys("training centre"));
    expect(keys("organization")).toEqual(keys("organisation"));
    expect(keys("who organized it")).toEqual(keys("who organised it"));
    expect(keys("the contest prize")).toContain("prize");
  });

  it("drops the size of the asker's firm, not the SMEs the glossary names", () => {
    expect(keys("a small agritech startup")).not.toContain("small");
    expect(keys("une petite startup", "fr")).not.toContain("petit");
    expect(keys("co-build a lab")).not.toContain("co");
  });

  it("drops verbs of taking part, not the participants or participation asked about", () => {
    expect(keys("how many cities participated")).not.toContain("particip");
    expect(keys("combien de villes ont participé", "fr")).not.toContain("particip");
    expect(keys("how many participants")).toContain("particip");
    expect(keys("participation des pays", "fr")).toContain("particip");
  });

  it("keys a clipped word of chat as the word it stands for", () => {
    expect(keys("smart-city tech")).toContain(keys("technology")[0]);
    expect(keys("des technos", "fr")).toEqual(keys("des technologies", "fr"));
  });

  it("keys a shortened month as the month, but not a word that is also something else", () => {
    expect(keys("in Aug 2024")).toEqual(keys("in August 2024"));
    expect(keys("en janv. 2025", "fr")).toEqual(keys("en janvier 2025", "fr"));
    // French "sept" is seven; "mai" and "may" are months already.
    expect(keys("sept accords", "fr")).not.toEqual(keys("septembre accords", "fr"));
  });

  it("drops a company's legal form, even in capitals: who asks, not what about", () => {
    expect(keys("ИП из Караганды ищу партнёров")).toEqual(keys("из Караганды ищу партнёров"));
    expect(keys("ТОО в Алматы")).toEqual(keys("в Алматы"));
    expect(keys("Müller GmbH sensors")).toEqual(keys("Müller sensors"));
  });

  it("keys org as organization", () => {
    expect(keys("Shanghai Cooperation Org")).toEqual(keys("Shanghai Cooperation Organization"));
  });

  it("keeps an acronym written in capitals even when it is a grammar word in lower case", () => {
    expect(keys("SCO AI centre")).toContain("ai");
    expect(keys("j'ai une question sur l'OCS", "fr")).not.toContain("ai");
    // A message typed all in capitals is not a string of acronyms.
    expect(keys("INCUBATORS IN KAZAKHSTAN")).not.toContain("in");
  });

  it("keys no Russian word of whom to write to, ties to something, or the asker's own doing", () => {
    const { words, keys } = analyze("учусь в КБТУ, кому писать по поводу связи с Китаем?", "ru");
    const keyed = words.filter((_, i) => keys[i] !== null).map((w) => w.text);
    expect(keyed).toEqual(["кбту", "китаем"]);
  });

  it("keys no auxiliary or everyday verb form the English stop word list lacks", () => {
    const { words, keys } = analyze("how much funding does it give and what will it be doing", "en");
    const keyed = words.filter((_, i) => keys[i] !== null).map((w) => w.text);
    expect(keyed).toEqual(["funding"]);
  });

  it("keys a Chinese ordinal in numerals as its digits, as records also write it", () => {
    expect(analyze("东盟第十一个成员国", "zh").folded).toBe("东盟第11个成员国");
    expect(analyze("第一百零五届", "zh").folded).toBe("第105届");
    // A single digit keeps its characters, which mark an edition.
    expect(analyze("第二届", "zh").folded).toBe("第二届");
    expect(hanNumber("二十")).toBe(20);
  });

  it("keys a round number written as a word as its digits", () => {
    expect(analyze("a thousand technologies", "en").keys).toEqual([null, "1000", "technolog"]);
    expect(analyze("тысячу технологий", "ru").keys[0]).toBe("1000");
    expect(analyze("mille technologies", "fr").keys[0]).toBe("1000");
  });

  it("keys no small number written as a word: a count, read from the text, not a name", () => {
    expect(analyze("a lab for a year or two", "en").keys.filter((k) => k !== null)).toEqual(["lab", "year"]);
    expect(analyze("nous sommes trois", "fr").keys.every((k) => k === null)).toBe(true);
    expect(analyze("десять стран", "ru").keys[0]).toBeNull();
    expect(analyze("quelques mois", "fr").keys[0]).toBeNull();
    expect(analyze("несколько месяцев", "ru").keys[0]).toBeNull();
    // "One Belt, One Road" keeps its "one".
    expect(analyze("one belt one road", "en").keys[0]).not.toBeNull();
  });

  it("keys no Chinese going: the place says where (推广到老挝去)", () => {
    expect(keys("推广到老挝去", "zh")).toEqual(["推广", "老挝"]);
  });

  it('keys no hearsay, looking or asking for leads ("heard…, where can I see them? any ideas?")', () => {
    const { words, keys } = analyze("heard China is sharing technologies, where can I see them? any ideas?", "en");
    const keyed = words.filter((_, i) => keys[i] !== null).map((w) => w.text);
    expect(keyed).toEqual(["china", "sharing", "technologies"]);
  });

  it("keys no pronoun, those the English stop word list lacks included", () => {
    const { words, keys } = analyze("she wants hands-on training for herself and its staff", "en");
    const keyed = words.filter((_, i) => keys[i] !== null).map((w) => w.text);
    expect(keyed).toEqual(["hands", "training", "staff"]);
  });

  it("takes question words and particles off the Chinese words of a question", () => {
    expect(keys("乌鲁木齐大会签了多少个协议", "zh")).toEqual(expect.arrayContaining(["签", "协议"]));
    expect(keys("乌鲁木齐大会签了多少个协议", "zh").some((k) => /多少|了|个/.test(k))).toBe(false);
    // The index keeps its text as written.
    expect(analyze("签了协议", "zh", true).keys).toEqual(["签了协议"]);
  });

  it("keys no Chinese wish or wording of the asker's own around the question", () => {
    const keyed = keys("想把我们的农业技术转移到老挝，听说有专门的地方帮忙", "zh");
    expect(keyed).toEqual(expect.arrayContaining(["农业", "技术"]));
    expect(keyed.some((k) => /想把|听说|专门|地方|帮忙/.test(k))).toBe(false);
  });
});

describe("analyzeBoth", () => {
  it("gives what analyze gives in each Latin stemming", () => {
    const texts = [
      "Incubators in Kazakhstan?",
      "j'ai une question sur l'OCS et les visas",
      "SCO AI centre, 2025",
      "инкубаторы в Казахстане и ШОС",
      "哈萨克斯坦有哪些孵化器？成员国",
      "Forum ΑΒΓ 11th édition — Chine-France",
      "INCUBATORS IN KAZAKHSTAN",
      "des technos pour les labs",
      "",
    ];
    for (const text of texts) {
      const both = analyzeBoth(text);
      expect(both.en).toEqual(analyze(text, "en"));
      expect(both.fr).toEqual(analyze(text, "fr"));
    }
  });
});

describe("French keys", () => {
  it("keeps a short word whole where the stemmer would conflate it with another", () => {
    // The French stemmer makes both "visa" and "vise" "vis".
    expect(analyze("visa", "fr").keys).toEqual(["visa"]);
    expect(analyze("visas", "fr").keys).toEqual(["visa"]);
    expect(analyze("vise", "fr").keys).not.toEqual(analyze("visa", "fr").keys);
  });

  it("still stems longer words and plurals of short ones alike", () => {
    expect(analyze("incubateurs", "fr").keys).toEqual(analyze("incubateur", "fr").keys);
    expect(analyze("labs", "fr").keys).toEqual(analyze("lab", "fr").keys);
  });
});

describe("filler", () => {
  it("drops every form of the verbs of wanting, finding, asking and telling", () => {
    expect(
      keys(
        "on veut lancer un incubateur, ils veulent, je voudrais, il faut, je trouve, je me permets de vous écrire, expliquez, je monte",
        "fr",
      ),
    ).toEqual([keys("incubateur", "fr")[0]]);
    expect(keys("un incubateur lié à la Chine, linked to, related to, связанный с", "fr")).toEqual(
      keys("incubateur Chine", "fr"),
    );
    expect(keys("мы хотели бы узнать, подскажите, я ищу", "en")).toEqual([]);
    expect(keys("ce centre peut m'intéresser, ça apporte quoi ?", "fr")).toEqual(keys("centre", "fr"));
    expect(keys("obtenir des renseignements sur la plateforme consacrée au numérique depuis Paris", "fr")).toEqual(
      keys("renseignements plateforme numérique Paris", "fr"),
    );
    // "Bonne" is also a town of the gazetteer: a closing wish must not name a place.
    expect(keys("merci beaucoup et bonne soirée, bonne journée", "fr")).toEqual([]);
    expect(keys("on aimerait, nous aimerions, ils souhaitent, vous souhaitez", "fr")).toEqual([]);
    expect(keys("hope you're well, I was wondering, cheers", "en")).toEqual([]);
    expect(keys("на какую сумму, с кем, из скольких", "en")).toEqual(keys("сумму", "en"));
    // Prepositions of nearness and of sources: "near Karaganda", "d'après le bilan".
    expect(keys("an incubator near Karaganda, d'après le bilan", "fr")).toEqual(
      keys("an incubator Karaganda, le bilan", "fr"),
    );
    // "Am I able to…", "je suis prête à…": the asker's ability, not the topic.
    expect(keys("am I able to join, are we ready, je suis prête", "en")).toEqual(keys("join", "en"));
  });

  it("keeps the nouns that share a stem with them", () => {
    for (const [word, lang] of [
      ["information", "fr"],
      ["informations", "en"],
      ["conseil", "fr"],
      ["recommendations", "en"],
      ["suggestion", "en"],
      ["pouvoir", "fr"],
      ["souhaits", "fr"],
      ["интересы", "en"],
    ] as const) {
      expect(keys(word, lang), word).not.toEqual([]);
    }
  });

  it("drops the forms of faire by surface, keeping fair (a trade fair)", () => {
    expect(keys("quels pays font partie de l'ASEAN, et aussi", "fr")).toEqual(keys("pays partie ASEAN", "fr"));
    expect(keys("trade fair", "en")).toHaveLength(2);
  });

  it("keeps words that only look like them", () => {
    // "demande" is the demand of a supply-and-demand list, "share" a share of GDP, "aims" a goal.
    expect(keys("offre et demande", "fr")).toHaveLength(2);
    expect(keys("share of GDP, the platform aims to", "en")).toEqual(
      expect.arrayContaining([keys("share")[0], keys("aims")[0]]),
    );
  });
});

describe("Chinese words", () => {
  const words = (text: string) => analyze(text, "zh").words.map((w) => w.text);

  it("rejoins a word of ours the segmenter split, so no lone character is left over", () => {
    expect(words("上合组织有哪些成员国")).toContain("成员国");
    expect(words("上合组织有哪些成员国")).not.toContain("国");
    expect(words("博览会在昆明哪天开幕")).toContain("哪天");
  });
});
