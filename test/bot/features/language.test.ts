import type { Message, Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { answerLanguage, keyboard, useChat } from "../../helpers/chat.js";

const my = useChat({ firstUser: 2000 });

const feed = (update: Update) => my.chat.deliver(update);

/** Sends a text and returns what the bot sent or edited last. */
async function say(text: string, languageCode = "en"): Promise<Message | undefined> {
  const mark = my.api.mark();
  await feed(my.api.textMessage({ chatId: my.user, userId: my.user, text, languageCode }));
  const sent = my.api.calls.filter((c) => c.index >= mark && c.method === "sendMessage");
  return sent.at(-1)?.response?.ok ? (sent.at(-1)!.response as { result: Message }).result : undefined;
}

/**
 * Sends a question and returns the language the bot answered it in (undefined when the text was not
 * taken as a question): what a question gets is question.test.ts's business.
 */
async function asked(text: string, languageCode = "en"): Promise<string | undefined> {
  return answerLanguage(await say(text, languageCode), my.chat.deps.i18n);
}

async function press(
  data: string,
  opts: { allowUnknownData?: boolean; messageId?: number } = {},
): Promise<Message | undefined> {
  await feed(my.api.callbackQuery({ chatId: my.user, userId: my.user, data, languageCode: "en", ...opts }));
  return my.chat.botMessages(my.user).at(opts.messageId === undefined ? -1 : 0);
}

const session = () => my.chat.deps.state.sessions.read(`user:${my.user}`);

describe("/language", () => {
  it("offers the four languages in their own names and automatic, ✓ on the current setting", async () => {
    const menu = await say("/language");
    expect(menu?.text).toContain("Language of my replies");
    expect(menu?.text).toContain("Now: automatic");
    expect(keyboard(menu)).toEqual([
      { text: "English", data: "l:en" },
      { text: "Français", data: "l:fr" },
      { text: "Русский", data: "l:ru" },
      { text: "中文", data: "l:zh" },
      { text: "✓ 🔄 Automatic", data: "l:auto" },
    ]);
    expect((await session())?.step).toBe("language");
  });

  it("choosing edits the menu in place to confirm in the new language, and the choice sticks", async () => {
    const menu = await say("/language");
    const confirmed = await press("l:fr");
    expect(confirmed?.message_id).toBe(menu?.message_id);
    expect(confirmed?.text).toBe("✓ Désormais, je réponds en français. /language permet de changer.");
    expect(keyboard(confirmed).find((b) => b.data === "l:fr")?.text).toBe("✓ Français");
    expect(keyboard(confirmed).find((b) => b.data === "l:auto")?.text).toBe("🔄 Automatique");
    const answer = my.api.callsOf("answerCallbackQuery");
    expect(answer).toHaveLength(1);
    expect(answer[0]!.payload.text).toBe("✓ Français");
    expect(my.api.callsOf("sendMessage")).toHaveLength(1);
    expect(await session()).toMatchObject({ lang: "fr", langChosen: true });
    expect((await session())?.step).toBeUndefined();

    // An explicit choice beats the language of later messages and Telegram's.
    expect(await asked("инкубаторы в Казахстане", "ru")).toBe("fr");
    expect((await say("/start", "ru"))?.text).toContain("Bonjour");
    expect((await say("/language", "ru"))?.text).toContain("Actuellement\u00a0: Français.");
  });

  it("without a choice, the bot follows the language of each message", async () => {
    expect(await asked("инкубаторы в Казахстане")).toBe("ru");
    expect(await asked("incubateurs au Kazakhstan")).toBe("fr");
  });

  it("automatic hands the choice back to the messages", async () => {
    await say("/language");
    await press("l:zh");
    expect(await asked("incubators in Kazakhstan")).toBe("zh");
    await say("/language");
    const auto = await press("l:auto");
    // Confirmed in Telegram's language until a message says otherwise.
    expect(auto?.text).toBe("✓ Automatic: I'll reply in the language you write in. /language fixes one.");
    expect(keyboard(auto).find((b) => b.data === "l:auto")?.text).toBe("✓ 🔄 Automatic");
    expect(await session()).toMatchObject({ langChosen: false });
    expect(await asked("инкубаторы в Казахстане")).toBe("ru");
  });

  it("a subscriber's announcements follow the chosen language", async () => {
    await my.chat.deps.state.subscriptions.set(my.user, { topics: ["energy"], kinds: [], countries: [], lang: "en" });
    await say("/language");
    await press("l:ru");
    expect(await my.chat.deps.state.subscriptions.get(my.user)).toMatchObject({ topics: ["energy"], lang: "ru" });
    expect(await my.chat.deps.state.subscriptions.resolve({ everyone: true, languages: ["ru"] })).toEqual([
      { chatId: my.user, lang: "ru" },
    ]);
  });

  it("pressing the current language again only answers", async () => {
    await say("/language");
    await press("l:ru");
    await press("l:ru");
    const answers = my.api.callsOf("answerCallbackQuery");
    expect(answers).toHaveLength(2);
    expect(answers.every((a) => a.response?.ok)).toBe(true);
  });

  it.each(["l:xx", "l:EN", "l:en:1", "l:"])("answers forged data %j as expired and changes nothing", async (data) => {
    await say("/language");
    await feed(my.api.callbackQuery({ chatId: my.user, userId: my.user, data, allowUnknownData: true }));
    const answers = my.api.callsOf("answerCallbackQuery");
    expect(answers).toHaveLength(1);
    expect(answers[0]!.payload.text).toMatch(/^This button has expired\./);
    expect(my.api.callsOf("editMessageText")).toHaveLength(0);
    expect((await session())?.langChosen).toBeUndefined();
  });
});

describe("typing a language after /language", () => {
  it.each([
    ["русский", "ru", "✓ Теперь я отвечаю по-русски. Изменить: /language."],
    ["French", "fr", "✓ Désormais, je réponds en français. /language permet de changer."],
    ["français!", "fr", "✓ Désormais, je réponds en français. /language permet de changer."],
    ["中文", "zh", "✓ 从现在起我将用中文回复。如需更改，请发送 /language。"],
    ["китайский", "zh", "✓ 从现在起我将用中文回复。如需更改，请发送 /language。"],
    ["英文", "en", "✓ From now on I'll reply in English. /language changes it."],
    ["fr", "fr", "✓ Désormais, je réponds en français. /language permet de changer."],
    [" Anglais ", "en", "✓ From now on I'll reply in English. /language changes it."],
  ])("%j chooses %s", async (typed, lang, confirmation) => {
    await say("/language");
    expect((await say(typed))?.text).toBe(confirmation);
    expect(await session()).toMatchObject({ lang, langChosen: true });
    expect((await session())?.step).toBeUndefined();
  });

  it('"automatic" hands the choice back', async () => {
    await say("/language");
    await say("English");
    await say("/language");
    expect((await say("автоматически", "ru"))?.text).toBe(
      "✓ Автоматический режим: отвечаю на языке ваших сообщений. Закрепить язык: /language.",
    );
    expect(await session()).toMatchObject({ langChosen: false });
  });

  it("anything else ends the step and is taken as a question", async () => {
    await say("/language");
    expect(await asked("incubators in Kazakhstan")).toBe("en");
    expect((await session())?.step).toBeUndefined();
    expect((await session())?.langChosen).toBeUndefined();
    // The step is over: a language name is now a question like any other.
    expect(await asked("русский")).toBe("ru");
    expect((await session())?.langChosen).toBeUndefined();
  });
});
