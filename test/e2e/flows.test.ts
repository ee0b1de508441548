import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Language } from "../../src/catalog/schema.js";
import { bundledEngine } from "../helpers/bot-deps.js";
import { buttonData, plainText, startTestBot, type TestBot, type TestBotMode } from "../helpers/bot-harness.js";

/**
 * User journeys through the whole bot, started the production way, in both Telegram modes: updates
 * come from the fake Bot API by long polling (runner) or are POSTed to the webhook server.
 */

const QUESTIONS: Record<Language, string> = {
  en: "incubators in Kazakhstan",
  fr: "incubateurs au Kazakhstan",
  ru: "инкубаторы в Казахстане",
  zh: "哈萨克斯坦的孵化器",
};

/** Titles, per language, of the records about Kazakhstan (any of them answers the question). */
let kazakhTitles: Record<Language, string[]>;

beforeAll(async () => {
  const records = (await bundledEngine()).catalog.records.filter((r) => r.countries.includes("KZ"));
  kazakhTitles = { en: [], fr: [], ru: [], zh: [] };
  for (const record of records)
    for (const lang of Object.keys(kazakhTitles) as Language[]) kazakhTitles[lang].push(record.title[lang]);
});

describe.each<TestBotMode>(["polling", "webhook"])("%s mode: user journeys", (mode) => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ mode });
  });
  afterAll(() => bot.stop());

  it("/start: a greeting with browse buttons", async () => {
    const reply = await bot.reply("/start", { userId: 2001 });
    expect(reply.method).toBe("sendMessage");
    expect(reply.payload.parse_mode).toBe("HTML");
    expect(plainText(reply)).toMatch(/Cooperation Desk/);
    expect(buttonData(reply).length).toBeGreaterThan(0);
  });

  it.each(Object.keys(QUESTIONS) as Language[])(
    "a question in %s is answered with a record, in that language",
    async (lang) => {
      const reply = await bot.reply(QUESTIONS[lang], {
        userId: 2100 + Object.keys(QUESTIONS).indexOf(lang),
        languageCode: "en",
      });
      const text = plainText(reply);
      expect(
        kazakhTitles[lang].some((t) => text.includes(t)),
        text,
      ).toBe(true);
    },
  );

  it("a button press is answered: the callback query and the message it updates", async () => {
    const from = { userId: 2201 };
    const card = await bot.reply(QUESTIONS.en, from);
    const details = buttonData(card).find((d) => d.startsWith("r:d:"));
    expect(details, JSON.stringify(card.payload.reply_markup)).toBeDefined();
    const { answer, message } = await bot.pressAndWait(details as string, {
      ...from,
      messageId: (card.response as { result: { message_id: number } } | undefined)?.result.message_id,
    });
    expect(answer.response?.ok).toBe(true);
    expect(message?.method).toMatch(/^(editMessageText|sendMessage)$/);
    expect(message?.response?.ok).toBe(true);
  });

  it("a greeting button opens a list", async () => {
    const from = { userId: 2202 };
    const greeting = await bot.reply("/start", from);
    const { answer, message } = await bot.pressAndWait(buttonData(greeting)[0] as string, from);
    expect(answer.response?.ok).toBe(true);
    expect(message?.response?.ok).toBe(true);
    expect(buttonData(message as NonNullable<typeof message>).length).toBeGreaterThan(0);
  });

  it("an inline query is answered with matching records", async () => {
    const answer = await bot.inlineAndWait("incubator Harbin", { userId: 2301 });
    expect(answer.response?.ok).toBe(true);
    const results = answer.payload.results as { title?: string }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]?.title).toMatch(/Harbin/);
  });

  it("an inline query in Russian is answered in Russian", async () => {
    const answer = await bot.inlineAndWait("инкубатор Харбин", { userId: 2302, languageCode: "ru" });
    const results = answer.payload.results as { title?: string }[];
    expect(results[0]?.title).toMatch(/[А-Яа-яЁё]/);
  });

  it("choosing French in /language makes the next answers French, whatever the question's language", async () => {
    const from = { userId: 2401, languageCode: "en" };
    const menu = await bot.reply("/language", from);
    expect(buttonData(menu)).toContain("l:fr");
    const { answer } = await bot.pressAndWait("l:fr", from);
    expect(answer.response?.ok).toBe(true);
    const reply = await bot.reply(QUESTIONS.en, from);
    const text = plainText(reply);
    expect(
      kazakhTitles.fr.some((t) => text.includes(t)),
      text,
    ).toBe(true);
  });

  it("in a group: a plain message is ignored, a message mentioning the bot is answered", async () => {
    const group = { userId: 2501, chatId: 9500 + (mode === "polling" ? 1 : 2), chatType: "group" as const };
    const ignored = await bot.send(QUESTIONS.en, group);
    const mention = await bot.send(`@${bot.username} ${QUESTIONS.en}`, group);
    const reply = await bot.waitForChat(mention, group);
    const text = plainText(reply);
    expect(
      kazakhTitles.en.some((t) => text.includes(t)),
      text,
    ).toBe(true);
    // Updates of one chat are handled in order: the plain message was handled before the mention.
    const toGroup = bot.api.calls.filter(
      (c) =>
        c.index >= ignored.after && c.method === "sendMessage" && Number(c.payload.chat_id) === reply.payload.chat_id,
    );
    expect(toGroup).toHaveLength(1);
  });

  it("/healthz reports the mode and the catalog", async () => {
    const res = await fetch(`${bot.serverUrl}/healthz`);
    expect(await res.json()).toMatchObject({ status: "ok", mode, state: "memory" });
  });
});
