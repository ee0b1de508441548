import type { Bot } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.js";
import { createBot } from "../../src/bot/index.js";
import { testDeps } from "../helpers/bot-deps.js";
import { startFakeBotApi, type FakeBotApi } from "../helpers/fake-bot-api.js";

let api: FakeBotApi;
let bot: Bot<BotContext>;

beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(() => api.close());
beforeEach(async () => {
  api.reset();
  bot = createBot(await testDeps(), { token: api.token, apiRoot: api.apiRoot, botInfo: api.botInfo });
});

function buttons(markup: unknown): { text: string; data?: string }[] {
  return ((markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: "callback_data" in b ? b.callback_data : undefined }));
}

async function start(languageCode: string | undefined, userId = 101) {
  await bot.handleUpdate(api.textMessage({ chatId: userId, userId, text: "/start", languageCode, firstName: "Ana" }));
  const sent = api.callsOf("sendMessage");
  expect(sent).toHaveLength(1);
  return sent[0]!.payload;
}

describe("/start", () => {
  it.each([
    ["en", "I help students, entrepreneurs and coordinators", "incubators in Kazakhstan", "🎓 Exchange programmes"],
    ["fr", "J'aide les étudiants", "incubateurs au Kazakhstan", "🎓 Programmes d'échange"],
    ["ru", "Помогаю студентам", "инкубаторы в Казахстане", "🎓 Программы обмена"],
    ["zh", "我帮助学生", "哈萨克斯坦的孵化器", "🎓 交流项目"],
  ])("greets in the user's language (%s) with example questions and quick-start buttons", async (code, intro, example, programmes) => {
    const payload = await start(code);
    const text = payload.text as string;
    expect(payload.parse_mode).toBe("HTML");
    expect(text).toContain(intro);
    expect(text).toContain(example);
    expect(text).toContain("Ana");
    expect(buttons(payload.reply_markup)[0]).toEqual({ text: programmes, data: "b:p:-:-:0" });
  });

  it("falls back to English for an unsupported Telegram language", async () => {
    const payload = await start("de");
    expect(payload.text).toContain("I help students");
  });

  it("escapes the user's name", async () => {
    await bot.handleUpdate(api.textMessage({ chatId: 102, userId: 102, text: "/start", languageCode: "en", firstName: "<b>Bob</b>" }));
    const history = api.chatHistory(102);
    expect(history.at(-1)?.text).toContain("Hello, <b>Bob</b>!");
  });

  it("offers the four lists: programmes, incubators, initiatives, events", async () => {
    const payload = await start("en");
    expect(buttons(payload.reply_markup).map((b) => b.data)).toEqual(["b:p:-:-:0", "b:n:-:-:0", "b:i:-:-:0", "b:e:-:-:0"]);
  });

  it("a quick-start button opens the list in place of the greeting", async () => {
    await start("en", 103);
    const greeting = api.chatHistory(103).at(-1)!;
    await bot.handleUpdate(api.pushUpdate(api.callbackQuery({ chatId: 103, userId: 103, data: "b:n:-:-:0" })));
    expect(api.callsOf("sendMessage")).toHaveLength(1);
    const edit = api.callsOf("editMessageText")[0]!.payload;
    expect(edit.message_id).toBe(greeting.message_id);
    expect(edit.text).toContain("Incubators");
    expect(buttons(edit.reply_markup).some((b) => b.data?.startsWith("r:c:incubator-"))).toBe(true);
    expect(api.callsOf("answerCallbackQuery")).toHaveLength(1);
  });

  it("in a group, explains how to address the bot", async () => {
    await bot.handleUpdate(api.textMessage({ chatId: 500, userId: 104, text: `/start@${api.botInfo.username}`, chatType: "group", languageCode: "en" }));
    const text = api.callsOf("sendMessage")[0]!.payload.text as string;
    expect(text).toContain(`@${api.botInfo.username} incubators in Kazakhstan`);
    expect(text).not.toContain("Just type a question");
  });
});
