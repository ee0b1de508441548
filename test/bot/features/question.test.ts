import { describe, expect, it, vi } from "vitest";
import { MESSAGE_LIMIT } from "../../../src/bot/format.js";
import { createMemoryState } from "../../../src/state/memory.js";
import type { SessionData, StateBackend } from "../../../src/state/types.js";
import { buttons, data as callbackData, useChat } from "../../helpers/chat.js";
import type { RecordedCall } from "../../helpers/fake-bot-api.js";

const my = useChat({ firstUser: 1000 });

/** Sends a private message from the test user and returns the calls the bot made in answer. */
const say = (text: string, languageCode = "en") => my.chat.say(my.user, text, { languageCode });

function only(calls: RecordedCall[]) {
  const messages = calls.filter((c) => c.method === "sendMessage").map((c) => c.payload);
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

async function session(): Promise<SessionData> {
  return (await my.chat.deps.state.sessions.read(`user:${my.user}`)) ?? {};
}

describe("questions in four languages", () => {
  // The incubators of the catalog in each country: Kazakhstan has two, Uzbekistan one.
  const KZ = ["urumqi-offshore-incubators", "xinjiang-central-asia-incubator"];
  const UZ = ["urumqi-offshore-incubators"];
  const cases = [
    {
      lang: "en",
      text: "incubators in Kazakhstan",
      kind: "<i>Incubator</i>",
      where: "📍 ",
      country: "Kazakhstan",
      right: KZ,
    },
    {
      lang: "ru",
      text: "инкубаторы в Казахстане",
      kind: "<i>Инкубатор</i>",
      where: "📍 ",
      country: "Казахстан",
      right: KZ,
    },
    { lang: "zh", text: "哈萨克斯坦的孵化器", kind: "<i>孵化器</i>", where: "📍 ", country: "哈萨克斯坦", right: KZ },
    {
      lang: "fr",
      text: "incubateurs en Ouzbékistan",
      kind: "<i>Incubateur</i>",
      where: "📍 ",
      country: "Ouzbékistan",
      right: UZ,
    },
  ];

  for (const c of cases) {
    it(`answers "${c.text}" with a card in ${c.lang}`, async () => {
      // Telegram says English; the question's own language wins.
      const calls = await say(c.text, "en");
      const card = only(calls);
      expect(card.parse_mode).toBe("HTML");
      const text = card.text as string;
      expect(text).toContain(c.kind);
      expect(text).toContain(c.where);
      expect(text).toContain(c.country);
      expect(calls.find((call) => call.method === "sendMessage")?.response?.ok).toBe(true);
      const s = await session();
      // The card is an incubator of that country, and the session remembers it for follow-ups.
      const top = s.resultIds?.[0];
      expect(c.right).toContain(top);
      expect(callbackData(card)).toContain(`r:d:${top}`);
      expect(s.lastQuery).toBe(c.text);
      expect(s.page).toBe(0);
      expect(s.recordId).toBe(top);
    });
  }

  it("puts the card's buttons, four more matches and 'more results' under the answer", async () => {
    const card = only(await say("incubators in Kazakhstan"));
    const data = callbackData(card);
    const top = (await session()).recordId!;
    expect(["urumqi-offshore-incubators", "xinjiang-central-asia-incubator"]).toContain(top);
    expect(data.slice(0, 2)).toEqual([`r:d:${top}`, `r:k:${top}`]);
    // "Share" sends the card to a chat the user picks (inline mode), not a link back into this chat.
    expect(buttons(card).some((b) => "url" in b)).toBe(false);
    const share = buttons(card).find((b) => "switch_inline_query" in b);
    expect(share && "switch_inline_query" in share ? share.switch_inline_query : undefined).toBe(top);
    const others = data.filter((d) => d.startsWith("r:c:"));
    expect(others).toHaveLength(4);
    expect(others).not.toContain(`r:c:${top}`);
    expect(data).toContain("p:1");
    const s = await session();
    expect(others).toEqual(s.resultIds!.slice(1, 5).map((id) => `r:c:${id}`));
    // Titles on buttons are cut to fit.
    for (const b of buttons(card)) expect(Array.from(b.text).length).toBeLessThanOrEqual(64);
  });

  it("answers in a group when mentioned, without the mention, replying to the question", async () => {
    const username = my.api.botInfo.username;
    const update = my.api.textMessage({
      chatId: 77,
      userId: my.user,
      chatType: "supergroup",
      text: `@${username} incubators in Kazakhstan`,
    });
    const card = only(await my.chat.deliver(update));
    expect(card.text as string).toContain("<i>Incubator</i>");
    expect(card.reply_parameters).toMatchObject({ message_id: update.message!.message_id });
    expect((await session()).lastQuery).toBe("incubators in Kazakhstan");
  });

  it("a bare mention in a group gets an example of a question", async () => {
    const username = my.api.botInfo.username;
    const update = my.api.textMessage({
      chatId: 78,
      userId: my.user,
      chatType: "group",
      text: `@${username}`,
      languageCode: "fr",
    });
    expect(only(await my.chat.deliver(update)).text as string).toContain("<i>incubateurs au Kazakhstan</i>");
  });
});

describe("characters nobody reads", () => {
  it("zero-width spaces, soft hyphens, direction marks and control characters do not cut words in two", async () => {
    const card = only(await say("incu\u200Bbators in Kaz\u00ADakh\u200Dstan\u0000\u200F"));
    expect(card.text as string).toContain("<i>Incubator</i>");
    expect((await session()).lastQuery).toBe("incubators in Kazakhstan");
  });
});

describe("the bot's @mention in a private chat", () => {
  it("is left out of the question, as in a group", async () => {
    const card = only(await say(`@${my.api.botInfo.username} incubators in Kazakhstan`));
    expect(card.text as string).toContain("<i>Incubator</i>");
    expect((await session()).lastQuery).toBe("incubators in Kazakhstan");
  });

  it("alone, gets an example of a question", async () => {
    expect(only(await say(`@${my.api.botInfo.username}`, "ru")).text as string).toContain(
      "<i>инкубаторы в Казахстане</i>",
    );
  });

  it("a private message of blanks only gets how to ask, not the group's 'after the mention'", async () => {
    const reply = only(await say(" \n\t ", "fr"));
    expect(reply.text as string).toContain("🙂 Posez-moi votre question en quelques mots, et je cherche.");
    expect(reply.text as string).not.toContain("mention");
  });
});

describe("no good answer", () => {
  it("says so in the user's language, escapes their text and logs the question", async () => {
    const hostile = "<b>& quantum gravity pizza</b> <script>";
    const calls = await say(hostile);
    const reply = only(calls);
    const text = reply.text as string;
    expect(text).toContain("&lt;b&gt;&amp; quantum gravity pizza&lt;/b&gt; &lt;script&gt;");
    expect(text).not.toContain("<script>");
    expect(text).toContain("/programmes");
    expect(text).toContain("/incubators");
    // Telegram accepted the HTML.
    expect(calls.find((c) => c.method === "sendMessage")?.response?.ok).toBe(true);
    const logged = await my.chat.deps.state.questions.recent(5);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      text: hostile,
      lang: "en",
      userId: my.user,
      chatId: my.user,
      reason: "no-match",
      score: 0,
    });
    expect(Date.parse(logged[0]!.at)).not.toBeNaN();
  });

  it("does not let the question's text act as translation markup", async () => {
    const reply = only(await say("zzqx $t(record:expired) {{count}} {{query}}"));
    expect(reply.text as string).toContain("“zzqx $t(record:expired) {{count}} {{query}}”");
  });

  it("answers in Russian and suggests sector names in Russian", async () => {
    const reply = only(await say("квантовая гравитация и пицца"));
    const text = reply.text as string;
    expect(text).toContain("Не нашёл хорошего ответа");
    expect(text).toMatch(/<i>[А-Яа-яЁё ,()-]+<\/i>/);
    expect((await my.chat.deps.state.questions.recent(1))[0]).toMatchObject({ lang: "ru" });
  });

  it("offers the weak matches as buttons when the best is under the threshold", async () => {
    await my.remake({ settings: { answerThreshold: 0.99 } });
    const reply = only(await say("SCO digital economy robots"));
    expect(reply.text as string).toContain("I couldn't find a good answer");
    expect(reply.text as string).toContain("closest");
    // The closest records, then 🔔 to be told when the catalog answers it (src/bot/features/saved-searches.ts).
    const data = callbackData(reply);
    expect(data.at(-1)).toMatch(/^n:s:/);
    const records = data.slice(0, -1);
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThanOrEqual(4);
    expect(records.every((d) => d.startsWith("r:c:"))).toBe(true);
    const logged = await my.chat.deps.state.questions.recent(1);
    expect(logged[0]?.score).toBeGreaterThan(0);
    expect(logged[0]?.score).toBeLessThan(0.99);
  });

  it.each([
    ["phone number of the Urumqi Science and Technology Bureau", "doesn't give a phone number for"],
    ["телефон Управления науки и технологий Урумчи", "нет номера телефона для"],
    ["Quels sont les frais d'inscription au camp d'innovation Chine-ASEAN ?", "n’indique pas le coût pour"],
    ["上合高等教育合作中心的申请截止日期", "申请截止日期"],
    ["上合组织现任秘书长是谁", "该职务的任职者"],
    ["who won the China-ASEAN innovation and entrepreneurship contest?", "doesn't give the winners for"],
    ["qui sont les lauréats du concours Chine-ASEAN ?", "n’indique pas les lauréats pour"],
    ["кто победил в конкурсе Китай-АСЕАН?", "нет победителей для"],
    ["中国—东盟创新创业大赛获奖名单", "获奖名单"],
    // The city in the country the question names (the record says the source does not give it).
    ["В каких городах Узбекистана находятся офшорные инкубаторы?", "В каталоге нет города для «"],
    // "Kazakh" names the country as "Kazakhstan" does.
    ["In which Kazakh cities are the offshore incubators located exactly?", "doesn't give the city for"],
  ])("says which detail the catalog lacks when asked for it: %s", async (question, says) => {
    const reply = only(await say(question));
    const text = reply.text as string;
    expect(text).toContain(says);
    expect(text).not.toContain("couldn't find a good answer");
    // Other words to try would not help: the record is the right one.
    expect(text).not.toMatch(/<i>/);
    expect(text).not.toContain("noMatch.");
    // The record it is about comes first among the buttons, and the question is kept for the editors.
    expect(callbackData(reply)[0]).toMatch(/^r:c:/);
    expect((await my.chat.deps.state.questions.recent(1))[0]?.text).toBe(question);
  });

  it.each([
    [
      "names of the hidden champion experts appointed in Shunyi",
      "The catalog can't answer that.",
      "does not name the experts",
      "sino-german-expert-panel",
    ],
    [
      "Quelles universités chinoises accueillent le centre Chine-OCS d'enseignement supérieur ?",
      "Le catalogue ne peut pas répondre à cette question.",
      "ni universités d'accueil",
      "sco-higher-education-centre",
    ],
    [
      "Кто вошёл в первую группу экспертов по скрытым чемпионам — фамилии?",
      "Каталог не может ответить на этот вопрос. В карточке «",
      "Имена экспертов в источнике не приводятся",
      "sino-german-expert-panel",
    ],
    ["顺义聘任的隐形冠军专家名单", "目录无法回答这个问题。", "报道未公布专家名单", "sino-german-expert-panel"],
  ])("quotes the record saying its source does not give what is asked: %s", async (question, says, quoted, id) => {
    const reply = only(await say(question));
    const text = reply.text as string;
    expect(text).toContain(says);
    expect(text).toContain(quoted);
    expect(text).not.toContain("noMatch.");
    // The record it is about comes first among the buttons.
    expect(callbackData(reply)[0]).toBe(`r:c:${id}`);
  });

  it("answers who did what from the record when the names it lacks are not what is asked", async () => {
    const reply = only(await say("who appointed the hidden champion experts in Shunyi?"));
    expect(reply.text as string).not.toContain("can't answer");
    expect(reply.text as string).toContain("Cui Xiaohao");
  });

  it("takes a record's sentence saying the detail is not given for the detail missing", async () => {
    // The contest's summary: "The source gives no application procedure or deadlines."
    const reply = only(await say("what's the deadline for the China-ASEAN innovation and entrepreneurship contest?"));
    expect(reply.text as string).toContain("doesn't give an application deadline for");
  });

  it("still replies when the question log fails, with a warning in the log", async () => {
    const memory = createMemoryState({ ttlSeconds: 3600 });
    const broken: StateBackend = {
      ...memory,
      questions: { add: () => Promise.reject(new Error("redis down")), recent: () => Promise.resolve([]) },
    };
    await my.remake({ state: broken });
    const warn = vi.spyOn(my.chat.deps.logger, "warn");
    const reply = only(await say("quantum gravity pizza"));
    expect(reply.text as string).toContain("I couldn't find a good answer");
    expect(warn).toHaveBeenCalled();
  });

  it("keeps a very long question within Telegram's limit", async () => {
    const long = `${"unknownword ".repeat(600)}<&>`;
    const calls = await say(long);
    const reply = only(calls);
    expect((reply.text as string).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(calls.find((c) => c.method === "sendMessage")?.response?.ok).toBe(true);
  });
});

describe("follow-ups", () => {
  const places = [
    { text: "in Kazakhstan?", lang: "en" },
    { text: "а в Казахстане?", lang: "ru" },
    { text: "et au Kazakhstan ?", lang: "fr" },
    { text: "哈萨克斯坦呢？", lang: "zh" },
  ];

  for (const p of places) {
    it(`"${p.text}" re-runs the last question in that country`, async () => {
      await say("incubators");
      const before = await session();
      expect(before.resultIds!.length).toBeGreaterThan(4);
      const card = only(await say(p.text));
      expect(card.text as string).toContain("<b>");
      const s = await session();
      expect(s.lastQuery).toContain("incubators");
      expect(s.resultIds!.length).toBeGreaterThan(0);
      for (const id of s.resultIds!) expect(my.chat.deps.search.get(id)!.countries).toContain("KZ");
      expect(["urumqi-offshore-incubators", "xinjiang-central-asia-incubator"]).toContain(s.resultIds![0]);
    });
  }

  it("replaces the country of the last question rather than adding to it", async () => {
    await say("incubators in Uzbekistan");
    await say("and in Kazakhstan?");
    const s = await session();
    expect(s.lastQuery).toBe("incubators and in Kazakhstan?");
    for (const id of s.resultIds!) expect(my.chat.deps.search.get(id)!.countries).toContain("KZ");
  });

  it("a city ranks that city's records first", async () => {
    await say("SCO digital economy");
    only(await say("what about Tianjin?"));
    const s = await session();
    expect(my.chat.deps.search.get(s.resultIds![0]!)!.cities).toContain("tianjin");
  });

  it("'contacts' shows the contacts of the record last shown", async () => {
    await say("incubators in Kazakhstan");
    const shown = (await session()).recordId!;
    for (const word of ["contacts", "Контакты", "coordonnées ?", "联系方式"]) {
      const reply = only(await say(word));
      expect(reply.text as string).toMatch(/📇 <b>[^<]+<\/b> · <b>/);
      expect(callbackData(reply)).toContain(`r:c:${shown}`);
    }
    expect(await my.chat.deps.state.questions.recent(5)).toHaveLength(0);
  });

  it("'more' sends the next page, and says when there is nothing more", async () => {
    await say("incubators in Kazakhstan");
    const total = (await session()).resultIds!.length;
    const page = only(await say("more"));
    const text = page.text as string;
    expect(text).toContain(`${total} matches`);
    expect(text).toContain("6–10");
    const data = callbackData(page);
    const ids = (await session()).resultIds!;
    expect(data.filter((d) => d.startsWith("r:c:"))).toEqual(ids.slice(5, 10).map((id) => `r:c:${id}`));
    expect(data).toContain("p:0");
    expect(data).toContain("p:2");
    expect((await session()).page).toBe(1);

    // The follow-up word works in any language, up to the last page and one past it.
    const last = Math.ceil(total / 5) - 1;
    const words = ["ещё", "更多", "plus", "more"];
    for (let page = 2; page <= last; page++) only(await say(words[page % words.length]!));
    expect((await session()).page).toBe(last);
    const end = only(await say("plus"));
    expect(end.text as string).toContain("That's all");
  });

  it("a longer text after an answer is a new question", async () => {
    await say("incubators in Kazakhstan");
    await say("SCO digital economy forum");
    const s = await session();
    expect(s.lastQuery).toBe("SCO digital economy forum");
    expect(s.resultIds![0]).toBe("sco-digital-economy-forum-2025");
  });

  it("without an earlier question, a country alone is a question", async () => {
    only(await say("Kazakhstan"));
    const s = await session();
    expect(s.lastQuery).toBe("Kazakhstan");
    expect(my.chat.deps.search.get(s.resultIds![0]!)!.countries).toContain("KZ");
  });
});

describe("messages without text", () => {
  const ASK_IN_WORDS = {
    en: "🙂 Ask me a question in words, and I'll look it up.",
    fr: "🙂 Posez-moi votre question en quelques mots, et je cherche.",
    ru: "🙂 Напишите вопрос словами — и я поищу ответ.",
    zh: "🙂 请用文字输入您的问题，我来帮您查找。",
  };
  const PHOTO = [{ file_id: "AgAD", file_unique_id: "AQAD", width: 800, height: 600 }];

  /** A message from the test user with these fields instead of a text (private chat unless told). */
  const send = (fields: Record<string, unknown>, languageCode = "en", where?: { id: number; type: string }) =>
    my.chat.deliver({
      message: {
        message_id: 500,
        date: Math.floor(Date.now() / 1000),
        chat: where ? { ...where, title: "Group" } : { id: my.user, type: "private", first_name: "Ada" },
        from: { id: my.user, is_bot: false, first_name: "Ada", language_code: languageCode },
        ...fields,
      },
    } as never);

  const wordless: [string, Record<string, unknown>][] = [
    [
      "a sticker",
      {
        sticker: {
          file_id: "CAAD",
          file_unique_id: "AgAD",
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: "😀",
        },
      },
    ],
    ["a photo without a caption", { photo: PHOTO }],
    ["a voice message", { voice: { file_id: "AwAD", file_unique_id: "AgAD", duration: 3 } }],
    ["a location", { location: { latitude: 43.24, longitude: 76.95 } }],
    ["a contact", { contact: { phone_number: "+77010000000", first_name: "Ada" } }],
  ];
  it.each(wordless)("%s in a private chat gets how to ask, in the user's language", async (_name, fields) => {
    for (const lang of ["en", "fr", "ru", "zh"] as const) {
      // A user of their own per language: a conversation keeps the language it has.
      my.newUser();
      const reply = only(await send(fields, lang));
      expect(reply.text as string).toContain(ASK_IN_WORDS[lang]);
      // The quick-start buttons, as for small talk.
      expect(buttons(reply).length).toBeGreaterThan(0);
    }
  });

  it("a photo's caption is the question", async () => {
    const reply = only(await send({ photo: PHOTO, caption: "incubateurs au Kazakhstan" }, "en"));
    expect(reply.text as string).toContain("<i>Incubateur</i>");
    expect((await session()).lastQuery).toBe("incubateurs au Kazakhstan");
  });

  it("an album is answered once: by its caption, its other photos left unanswered", async () => {
    const album = { media_group_id: "album-1" };
    const reply = only(await send({ ...album, photo: PHOTO, caption: "incubators in Kazakhstan" }, "en"));
    expect(reply.text as string).toContain("<i>Incubator</i>");
    for (let i = 0; i < 3; i++) expect(await send({ ...album, photo: PHOTO }, "en")).toEqual([]);
  });

  it("in a group, a sticker or a photo not addressed to the bot stays unanswered", async () => {
    const group = { id: -4242, type: "group" };
    expect(await send(wordless[0]![1], "en", group)).toEqual([]);
    expect(await send({ photo: PHOTO, caption: "incubators in Kazakhstan" }, "en", group)).toEqual([]);
  });

  it("in a group, a photo whose caption mentions the bot is answered", async () => {
    const caption = `@${my.api.botInfo.username} incubators in Kazakhstan`;
    const reply = only(
      await send(
        { photo: PHOTO, caption, caption_entities: [{ type: "mention", offset: 0, length: caption.indexOf(" ") }] },
        "en",
        { id: -4243, type: "supergroup" },
      ),
    );
    expect(reply.text as string).toContain("<i>Incubator</i>");
  });

  it("a service message in a private chat gets no reply", async () => {
    expect(await send({ pinned_message: { message_id: 1, date: 0, chat: { id: my.user, type: "private" } } })).toEqual(
      [],
    );
  });
});
