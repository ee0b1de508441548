import { describe, expect, it } from "vitest";
import type { SessionData } from "../../../src/state/types.js";
import { calls, data, plain, useChat } from "../../helpers/chat.js";

// One test per class of question the bot must answer (or decline) as users expect, on the real catalog,
// through the bot: a message in, the reply's first line and card out.

const my = useChat({ firstUser: 5000 });

/** The bot's reply (one message) to a private message from the test user. */
async function ask(
  text: string,
  languageCode = "en",
): Promise<{ text: string; firstLine: string; card: string | undefined; buttons: string[] }> {
  const replies = calls(await my.chat.say(my.user, text, { languageCode }), "sendMessage");
  expect(replies).toHaveLength(1);
  const reply = replies[0]!;
  const buttons = data(reply);
  return {
    text: reply.text as string,
    firstLine: plain(reply).split("\n")[0]!,
    card: buttons.find((d) => d.startsWith("r:d:"))?.slice(4),
    buttons,
  };
}

async function session(): Promise<SessionData> {
  return (await my.chat.deps.state.sessions.read(`user:${my.user}`)) ?? {};
}

const DECLINED = {
  en: "couldn't find a good answer",
  fr: "pas trouvé de bonne réponse",
  ru: "Не нашёл",
  zh: "没有找到",
};

describe("answers as users ask", () => {
  it("questions wrapped in greetings and politeness are answered, not declined", async () => {
    const ru = await ask("здравствуйте, подскажите пожалуйста, какие есть инкубаторы в Казахстане", "ru");
    expect(["urumqi-offshore-incubators", "xinjiang-central-asia-incubator"]).toContain(ru.card);
    const zh = await ask("麻烦问一下，上合组织有职业教育合作中心吗？谢谢", "zh");
    expect(zh.card).toBe("sco-vocational-training-centre");
  });

  it("a fact question gets the fact in the first line, in the asker's language", async () => {
    const en = await ask("How many agreements were signed in Urumqi?");
    expect(en.card).toBe("bri-urumqi-innovation-conference-2024");
    expect(en.firstLine).toContain("71");
    const ru = await ask("сколько соглашений подписали в Урумчи?", "ru");
    expect(ru.firstLine).toContain("71 подписанное соглашение");
    const when = await ask("when was the hidden champions forum?");
    expect(when.card).toBe("sino-german-hidden-champions-forum-2024");
    expect(when.firstLine).toContain("13 May 2024");
    const zh = await ask("中德隐形冠军论坛什么时候举办的", "zh");
    expect(zh.firstLine).toContain("2024年5月13日");
    const who = await ask("qui a organisé le forum de l'économie numérique de Tianjin ?", "fr");
    expect(who.firstLine).toMatch(/^💡 Organisé par .*Tianjin/);
    // "Deals" are the glossary's agreements, not the forum's sub-forums that share the word "forum".
    expect((await ask("how many deals at the SCO digital economy forum?")).firstLine).toContain("21 agreements signed");
    expect((await ask("где секретариат ШОС?", "ru")).firstLine).toMatch(/^💡 Пекин, Китай/);
    expect((await ask("какая доля цифровой экономики в ВВП Тяньцзиня?", "ru")).firstLine).toContain("9,4");
    // Members listed are counted first, with the language's plural.
    expect((await ask("which countries are sco members right now")).firstLine).toMatch(
      /^💡 10 countries: China, Russia/,
    );
    expect((await ask("какие страны входят в ШОС", "ru")).firstLine).toMatch(/^💡 10 стран: Китай/);
  });

  it("a bare name or acronym opens that organisation's own record", async () => {
    const cases: [string, string, string][] = [
      ["SCO", "en", "shanghai-cooperation-organisation"],
      ["ШОС", "ru", "shanghai-cooperation-organisation"],
      ["上合组织", "zh", "shanghai-cooperation-organisation"],
      ["qu'est-ce que l'OCS ?", "fr", "shanghai-cooperation-organisation"],
      ["ASEAN", "en", "asean"],
      ["АСЕАН", "ru", "asean"],
      ["一带一路", "zh", "belt-and-road-initiative"],
    ];
    for (const [text, lang, id] of cases) expect((await ask(text, lang)).card, text).toBe(id);
  });

  it("a city the catalog has no record in narrows to its country's records of the asked kind", async () => {
    for (const text of ["incubator in Shymkent", "инкубатор в Шымкенте", "奇姆肯特的孵化器", "incubateur à Chymkent"]) {
      expect(["urumqi-offshore-incubators", "xinjiang-central-asia-incubator"], text).toContain((await ask(text)).card);
    }
    expect((await ask("инкубатор в Самарканде", "ru")).card).toBe("urumqi-offshore-incubators");
    expect((await ask("incubators UZ")).card).toBe("urumqi-offshore-incubators");
  });

  it("traditional characters and Taiwan wording find the simplified records", async () => {
    expect((await ask("數位經濟論壇", "zh")).card).toBe("sco-digital-economy-forum-2025");
    expect((await ask("東協是什麼組織", "zh")).card).toBe("asean");
  });

  it("small talk and stray commands get a friendly reply, are never declined nor logged", async () => {
    for (const [text, lang] of [
      ["thanks", "en"],
      ["merci beaucoup !", "fr"],
      ["привет", "ru"],
      ["你能做什么？", "zh"],
      ["/foo", "en"],
      ["👍", "en"],
    ] as const) {
      const reply = await ask(text, lang);
      expect(reply.card, text).toBeUndefined();
      for (const declined of Object.values(DECLINED)) expect(reply.text, text).not.toContain(declined);
      // The quick-start buttons come with it: one per list (exchange programmes, incubators, initiatives, events).
      expect(reply.buttons, text).toHaveLength(4);
      for (const data of reply.buttons) expect(data, text).toMatch(/^b:/);
    }
    expect((await ask("thanks")).text).not.toMatch(/think tank/i);
    expect(await my.chat.deps.state.questions.recent(50)).toEqual([]);
  });

  it("a place alone continues only an answered question; after a decline it is a question of its own", async () => {
    await ask("incubators in Kazakhstan");
    const followUp = await ask("and in Uzbekistan?");
    expect(followUp.card).toBe("urumqi-offshore-incubators");

    await ask("Chevening scholarship deadline");
    expect((await session()).answered).toBe(false);
    await ask("Kazakhstan");
    expect((await session()).lastQuery).toBe("Kazakhstan");
  });

  it("a short message clearly in another language switches the reply language", async () => {
    await ask("incubators in Kazakhstan");
    const reply = await ask("спасибо", "en");
    expect(reply.text).toContain("Пожалуйста");
    // French without accents, from a user whose Telegram is in English: the catalog's own French words tell.
    const fr = await ask("plateforme energie OCS chine", "en");
    expect(fr.card).toBe("sco-energy-platform");
    expect(fr.text).toContain("Plateforme de coopération");
  });

  it("named scholarships, universities and camps the catalog does not hold are declined, and logged", async () => {
    const named = [
      ["Chevening scholarship", "en"],
      ["стипендия СПбГУ", "ru"],
      ["北京大学奖学金", "zh"],
    ] as const;
    // A summit of a year the catalog has no record of is not the SCO's own record; a record of the right
    // year and city that is not about the Belt and Road does not answer a question about its forum.
    const editions = [
      ["SCO summit 2019 in Bishkek", "en"],
      ["саммит ШОС 2017 в Астане итоги", "ru"],
      ["what was signed at the Belt and Road forum 2023 in Beijing", "en"],
    ] as const;
    for (const [text, lang] of [...named, ...editions]) {
      const reply = await ask(text, lang);
      expect(reply.text, text).toContain(DECLINED[lang]);
    }
    expect((await my.chat.deps.state.questions.recent(10)).map((q) => q.text)).toContain("Chevening scholarship");
  });
});
