import { describe, expect, it } from "vitest";
import { analyze } from "../../src/search/analyzer.js";
import { askerWords, contextWords, isAskersPlace, soughtWords } from "../../src/search/asker.js";

/** Whether the word `place` of `text` is taken for the asker's own place. */
function askers(text: string, place: string): boolean {
  const analyzed = analyze(text, "en");
  const at = analyzed.words.findIndex((w) => w.text === place);
  if (at < 0) throw new Error(`${place} is not a word of ${text}`);
  return isAskersPlace(analyzed, at);
}

describe("isAskersPlace", () => {
  it.each([
    ["je suis à Almaty, y a un incubateur lié à la Chine ?", "almaty"],
    ["je suis entrepreneur camerounais dans le solaire", "camerounais"],
    ["I'm a PhD student from Islamabad looking for joint labs", "islamabad"],
    ["Я студентка из Бишкека, ищу программу обмена", "бишкека"],
    ["我是越南的青年研究员，想去中国南方做科研", "越南"],
    ["étudiante en master à Grenoble, d'origine kazakhe. Des programmes de l'OCS ?", "kazakhe"],
    ["originally from Almaty, any incubator in China?", "almaty"],
    ["any startup competition for founders? our team is in Jakarta", "jakarta"],
    ["наша фирма находится в Алматы, нужен партнёр", "алматы"],
    ["Notre université en Russie cherche à créer des laboratoires communs", "russie"],
    ["Наша фирма из Екатеринбурга делает оборудование", "екатеринбурга"],
    ["J'habite à Da Nang au Vietnam, y a-t-il des opportunités pour moi ?", "vietnam"],
    ["we have our base in Almaty", "almaty"],
    ["живу в Душанбе, учусь на инженера, что можно найти?", "душанбе"],
  ])("takes the place in %s for the asker's", (text, place) => {
    expect(askers(text, place)).toBe(true);
  });

  it.each([
    ["je cherche un incubateur à Wuhan", "wuhan"],
    ["Huo-Yan lab in Myanmar", "myanmar"],
    ["je suis étudiant, y a-t-il un programme au Japon ?", "japon"],
    ["Программы обмена с Японией для студентов", "японией"],
    ["我是学生，火眼实验室在老挝也有吗", "老挝"],
    ["Is there a Huo-Yan lab based in Myanmar?", "myanmar"],
    ["programmes for students from Laos", "laos"],
    ["I'm looking for labs in Laos", "laos"],
    ["我在找老挝的火眼实验室", "老挝"],
    ["is the lab in Brunei part of our plan? our question is about Laos", "laos"],
    ["our partners in Kazakhstan would like a lab", "kazakhstan"],
    ["German Mittelstand company, we want a base near Beijing", "beijing"],
    ["our firm seeks partners in Laos", "laos"],
    ["наша компания ищет партнеров в Китае", "китае"],
    ["our target market is in Vietnam", "vietnam"],
    ["certificate of origin from Kazakhstan for our goods", "kazakhstan"],
    ["j'aimerais un labo basé à Almaty", "almaty"],
  ])("takes the place in %s for what is asked about", (text, place) => {
    expect(askers(text, place)).toBe(false);
  });
});

describe("askerWords", () => {
  /** The words of `text` taken for the asker's description of themselves. */
  const describing = (text: string) => {
    const analyzed = analyze(text, "en");
    const at = askerWords(analyzed, (i) => analyzed.keys[i] === null);
    return analyzed.words.filter((_, i) => at.has(i)).map((w) => w.text);
  };

  it("takes the asker's own body after a possessive, up to its noun", () => {
    expect(describing("our farming cooperative in Cambodia is looking for Chinese technologies")).toEqual([
      "farming",
      "cooperative",
    ]);
    expect(describing("Notre laboratoire de Bruxelles veut commercialiser un brevet")).toEqual(["laboratoire"]);
    // Not a thing of the asker's that is no body: "our technology" is what they offer.
    expect(describing("can we license our technology to ASEAN buyers?")).toEqual([]);
  });

  it("reports the verb that opens a description, which the engine leaves out", () => {
    const analyzed = analyze("je travaille dans le transfert de technologie", "en");
    const verbs = new Set<number>();
    askerWords(analyzed, (i) => analyzed.keys[i] === null, verbs);
    expect([...verbs].map((i) => analyzed.words[i]!.text)).toEqual(["travaille"]);
  });

  it("takes the clause after je suis / I'm / я / 我是 up to where the question starts", () => {
    expect(describing("je suis étudiante en master à Almaty et je cherche un programme d'échange")).toEqual([
      "etudiante",
      "en",
      "master",
      "a",
      "almaty",
    ]);
    expect(describing("I'm a PhD student in Islamabad, is there anything?")).toEqual([
      "a",
      "phd",
      "student",
      "in",
      "islamabad",
    ]);
    expect(describing("Я студентка из Бишкека, ищу программу обмена")).toEqual(["студентка", "из", "бишкека"]);
    expect(describing("我是越南的青年研究员，想去中国做科研")).toContain("越南");
  });

  it("takes the clause after we're / we are / on est, but not after a question's are or est", () => {
    expect(describing("We're a family-owned machine maker from Stuttgart, is there a zone?")).toEqual([
      "a",
      "family",
      "owned",
      "machine",
      "maker",
      "from",
      "stuttgart",
    ]);
    expect(describing("we are three engineers in Almaty and we need a mentor")).toEqual([
      "three",
      "engineers",
      "in",
      "almaty",
    ]);
    expect(describing("On est trois ingénieurs à Almaty, vous conseillez quoi ?")).toEqual([
      "trois",
      "ingenieurs",
      "a",
      "almaty",
    ]);
    expect(describing("у нас небольшая IT-компания в Алматы, ищем инкубатор")).toEqual([
      "небольшая",
      "it",
      "компания",
      "в",
      "алматы",
    ]);
    expect(describing("we have a small agritech company in Hanoi, any partners?")).toEqual([
      "a",
      "small",
      "agritech",
      "company",
      "in",
      "hanoi",
    ]);
    expect(describing("are there incubators in Almaty?")).toEqual([]);
    expect(describing("where are the incubators of Urumqi?")).toEqual([]);
    expect(describing("c'est quoi l'incubateur d'Almaty ?")).toEqual([]);
    expect(describing("we're looking for an incubator in Almaty")).toEqual([]);
  });

  it('takes what the asker does as who they are ("I\'m running a startup in Tashkent")', () => {
    expect(describing("im running a fintech startup in tashkent, looking for an incubator")).toEqual([
      "running",
      "a",
      "fintech",
      "startup",
      "in",
      "tashkent",
    ]);
  });

  it("leaves a wish or an interest, which is the question itself", () => {
    expect(describing("I'm looking for an incubator in Almaty")).toEqual([]);
    expect(describing("je suis intéressée par les programmes d'échange")).toEqual([]);
    expect(describing("я ищу инкубатор")).toEqual([]);
    expect(describing("Am I eligible for the Huo-Yan lab in Laos?")).toEqual([]);
    expect(describing("je suis curieuse de savoir s'il y a un laboratoire au Laos")).toEqual([]);
    expect(describing("je suis en train de chercher un laboratoire au Laos")).toEqual([]);
    expect(describing("Мы планируем сотрудничать с лабораторией в Лаосе")).toEqual([]);
    expect(describing("我是想问老挝有没有火眼实验室")).toEqual([]);
  });
});

describe("soughtWords", () => {
  /** The words of `text` taken for what the asker seeks. */
  function sought(text: string, lang: "en" | "fr" | "ru" | "zh"): string[] {
    const analyzed = analyze(text, lang);
    return [...soughtWords(analyzed, (at) => analyzed.keys[at] === null)].map((at) => analyzed.words[at]!.text);
  }

  it.each([
    ["ищем инкубатор с выходом на китайский рынок", "ru", ["инкубатор"]],
    ["we are looking for an incubator that links Xinjiang", "en", ["incubator"]],
    ["je cherche un incubateur à Wuhan", "fr", ["incubateur"]],
  ] as const)("in %s, what follows the verb up to the first filler word", (text, lang, words) => {
    expect(sought(text, lang)).toEqual(words);
  });

  it("reads a Chinese qualifier joined by 的 with its head", () => {
    expect(sought("想找中亚的孵化器，我们公司在乌鲁木齐", "zh")).toEqual(expect.arrayContaining(["中亚", "孵化器"]));
  });

  it("finds nothing without a verb of seeking", () => {
    expect(sought("incubators in Kazakhstan", "en")).toEqual([]);
  });
});

/** The words of `text` (Russian when it has Cyrillic, else English) that `pick` picks, filler being filler. */
function picked(pick: typeof askerWords, text: string): string[] {
  const analyzed = analyze(text, /\p{Script=Cyrillic}/u.test(text) ? "ru" : "en");
  return [...pick(analyzed, (at) => analyzed.keys[at] === null)].map((at) => analyzed.words[at]!.text);
}

describe("contextWords", () => {
  const context = (text: string) => picked(contextWords, text);

  it("takes the sentences before the one that asks, when that one names enough", () => {
    expect(
      context(
        "We make precision sensors and lead our niche. Is there a demonstration zone for German firms in Beijing?",
      ),
    ).toEqual(["precision", "sensors", "lead", "niche"]);
  });

  it("takes nothing from a question of one sentence, or one that names too little", () => {
    expect(context("We make sensors, is there a demonstration zone for German firms in Beijing?")).toEqual([]);
    expect(context("We make precision sensors for German firms in Beijing. Any ideas?")).toEqual([]);
    expect(context("We make precision sensors for German firms in Beijing.")).toEqual([]);
  });

  it("takes a short question for one about the sentence before it", () => {
    expect(
      context(
        "We build delivery drones in Almaty. We seek an incubator with access to the Chinese market. Any advice?",
      ),
    ).toEqual(["build", "delivery", "drones", "almaty"]);
  });

  it("leaves a sentence after the question alone: it asks more", () => {
    expect(context("Which joint labs did Malaysian universities build with Guangxi? Is there a list of them")).toEqual(
      [],
    );
  });
});

describe("askerWords: the asker's study and work", () => {
  const asker = (text: string) => picked(askerWords, text);

  it("takes where the asker studied or worked for who they are, the pronoun dropped in Russian", () => {
    expect(asker("I studied in Moscow and want an incubator")).toEqual(expect.arrayContaining(["studied", "moscow"]));
    expect(asker("Я из Вьетнама, учился в Москве")).toEqual(expect.arrayContaining(["учился", "москве"]));
  });

  it("leaves a question about working with something, and another sentence's verb, to the question", () => {
    expect(asker("Can we work with BeiDou in Brunei?")).toEqual([]);
    expect(asker("Я из Казахстана. Какой инкубатор работал со стартапами из Алматы?")).not.toContain("работал");
  });
});

describe("askerWords: a message that opens with who asks, then seeks", () => {
  const asker = (text: string) => picked(askerWords, text);

  it("takes the words before the verb of seeking, with or without a pronoun", () => {
    expect(asker("Edtech founder in Samarkand looking for a business incubator")).toEqual([
      "edtech",
      "founder",
      "samarkand",
    ]);
    expect(asker("young plant biologist from laos, looking for a lab")).toEqual([
      "young",
      "plant",
      "biologist",
      "laos",
    ]);
    expect(asker("мы из Мьянмы, небольшая фирма по очистке воды, ищем китайские технологии")).toEqual(
      expect.arrayContaining(["мьянмы", "фирма", "очистке", "воды"]),
    );
  });

  it("leaves what is sought, named first, to the question: only a person or a firm opens a description", () => {
    expect(asker("incubator in Almaty, looking for one")).toEqual([]);
    expect(asker("I need a joint lab in agritech with China, looking for partners")).not.toContain("lab");
  });

  it("leaves a question before the verb, and another sentence, to the question", () => {
    expect(asker("can a founder in Samarkand looking for an incubator apply?")).not.toContain("founder");
    expect(asker("Incubators in Almaty. Looking for one")).toEqual([]);
  });

  it("takes the asker's firm as subject for who asks, in Chinese too", () => {
    expect(asker("I run a tiny startup in samarkand, is there an incubator")).toEqual(
      expect.arrayContaining(["run", "startup", "samarkand"]),
    );
    const analyzed = analyze("我们公司在昆明做农业无人机，想把技术推广到老挝", "zh");
    const words = [...askerWords(analyzed, (at) => analyzed.keys[at] === null)].map((at) => analyzed.words[at]!.text);
    expect(words).toEqual(expect.arrayContaining(["昆明", "农业"]));
    expect(words).not.toContain("老挝");
  });
});
