import { Bot, GrammyError, InlineKeyboard } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { beforeEach, describe, expect, it } from "vitest";
import { TelegramEmulator } from "../../src/telegram-emulator/emulator.js";

// What getMe gives and the emulator uses; the rest of UserFromGetMe does not matter here.
const botInfo = { id: 42_000, is_bot: true, first_name: "Desk", username: "desk_bot" } as UserFromGetMe;

let telegram: TelegramEmulator;
let bot: Bot;

beforeEach(() => {
  telegram = new TelegramEmulator({ botInfo });
  bot = new Bot("42000:in-process", { botInfo });
  bot.api.config.use(telegram.transformer);
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("the Telegram emulator as a grammY transformer", () => {
  it("keeps messages per chat, with the user's and the bot's sharing one sequence of ids", async () => {
    telegram.ingest(telegram.textMessage({ chatId: 7, userId: 7, text: "/start" }));
    const reply = await bot.api.sendMessage(7, "<b>Hi</b>", { parse_mode: "HTML" });
    const elsewhere = await bot.api.sendMessage(8, "x");
    expect(reply).toMatchObject({ message_id: 2, chat: { id: 7, type: "private" }, from: { id: 42_000 } });
    expect(reply.entities).toEqual([{ type: "bold", offset: 0, length: 2 }]);
    expect(elsewhere.message_id).toBe(1);
    expect(telegram.chatHistory(7).map((m) => m.text)).toEqual(["/start", "Hi"]);
  });

  it("hands out copies: changing a result changes nothing stored", async () => {
    const sent = await bot.api.sendMessage(7, "kept");
    sent.text = "changed";
    expect(telegram.chatHistory(7)[0]?.text).toBe("kept");
  });

  it("edits as Telegram does: not modified, keyboards dropped without reply_markup, only the bot's own messages", async () => {
    const keyboard = new InlineKeyboard().text("Next", "next");
    const sent = await bot.api.sendMessage(7, "Page", { reply_markup: keyboard });
    expect(await refusal(bot.api.editMessageText(7, sent.message_id, "Page", { reply_markup: keyboard }))).toMatch(
      /^400 Bad Request: message is not modified/,
    );
    const edited = await bot.api.editMessageText(7, sent.message_id, "Page");
    expect(edited).toMatchObject({ text: "Page", edit_date: expect.any(Number) });
    expect(telegram.chatHistory(7)[0]?.reply_markup).toBeUndefined();
    expect(await refusal(bot.api.editMessageText(7, 99, "x"))).toBe("400 Bad Request: message to edit not found");
    const mine = telegram.textMessage({ chatId: 7, userId: 7, text: "mine" }).message?.message_id as number;
    expect(await refusal(bot.api.editMessageText(7, mine, "x"))).toBe("400 Bad Request: message can't be edited");
    expect(await refusal(bot.api.editMessageCaption(7, sent.message_id, { caption: "c" }))).toBe(
      "400 Bad Request: there is no caption in the message to edit",
    );
    expect(await refusal(bot.api.editMessageText(7, sent.message_id, "<b>x", { parse_mode: "HTML" }))).toMatch(
      /^400 Bad Request: can't parse entities/,
    );
  });

  it("deletes once, and a user's message only in a private chat", async () => {
    const sent = await bot.api.sendMessage(7, "x");
    expect(await bot.api.deleteMessage(7, sent.message_id)).toBe(true);
    expect(await refusal(bot.api.deleteMessage(7, sent.message_id))).toBe(
      "400 Bad Request: message to delete not found",
    );
    const group = telegram.textMessage({ chatId: 5, userId: 7, text: "hello", chatType: "group" }).message;
    expect(await refusal(bot.api.deleteMessage(-5, group?.message_id as number))).toBe(
      "400 Bad Request: message can't be deleted",
    );
  });

  it("takes one answer a query, and none for a query it never saw", async () => {
    await bot.api.sendMessage(7, "Choose", { reply_markup: new InlineKeyboard().text("A", "a") });
    const press = telegram.ingest(telegram.callbackQuery({ chatId: 7, userId: 7, data: "a" }));
    const id = press.callback_query?.id as string;
    expect(await bot.api.answerCallbackQuery(id, { text: "ok" })).toBe(true);
    expect(await refusal(bot.api.answerCallbackQuery(id))).toMatch(/^400 Bad Request: query is too old/);
    expect(() => telegram.callbackQuery({ chatId: 7, userId: 7, data: "b" })).toThrow(
      /no button with callback_data "b"/,
    );
    expect(await refusal(bot.api.answerInlineQuery("123", []))).toMatch(/^400 Bad Request: query is too old/);
  });

  it("checks inline results as Telegram does", async () => {
    const query = () => telegram.ingest(telegram.inlineQuery({ userId: 7, query: "q" })).inline_query?.id as string;
    const article = (id: string, text: string) => ({
      type: "article" as const,
      id,
      title: "T",
      input_message_content: { message_text: text, parse_mode: "HTML" as const },
    });
    expect(await refusal(bot.api.answerInlineQuery(query(), [article("1", "a"), article("1", "b")]))).toBe(
      "400 Bad Request: RESULT_ID_DUPLICATE",
    );
    expect(await refusal(bot.api.answerInlineQuery(query(), [article("1", "<i>a")]))).toMatch(/can't parse entities/);
    expect(await bot.api.answerInlineQuery(query(), [article("1", "a")])).toBe(true);
  });

  it("keeps inline messages a user sent by choosing a result, and lets the bot edit them by id", async () => {
    const sent = telegram.chooseInlineResult({
      type: "article",
      id: "r1",
      title: "T",
      input_message_content: { message_text: "<b>Card</b>", parse_mode: "HTML" },
      reply_markup: new InlineKeyboard().text("More", "more"),
    });
    expect(sent).toMatchObject({ text: "Card", entities: [{ type: "bold", offset: 0, length: 4 }] });
    const press = telegram.callbackQuery({
      chatId: 7,
      userId: 7,
      data: "more",
      inlineMessageId: sent.inline_message_id,
    });
    expect(press.callback_query).toMatchObject({ inline_message_id: sent.inline_message_id, data: "more" });
    expect(press.callback_query?.message).toBeUndefined();
    expect(await bot.api.editMessageTextInline(sent.inline_message_id, "Card, more")).toBe(true);
    expect(telegram.inlineMessage(sent.inline_message_id)).toEqual({
      inline_message_id: sent.inline_message_id,
      text: "Card, more",
    });
    expect(await refusal(bot.api.editMessageTextInline(sent.inline_message_id, "Card, more"))).toMatch(
      /message is not modified/,
    );
    // One sent before the emulator knew of it: accepted, as there is nothing to compare it with.
    expect(await bot.api.editMessageTextInline("unknown", "x")).toBe(true);
  });

  it("answers 403 to sends to a chat that blocked the bot, and 400 without a chat", async () => {
    telegram.ingest(telegram.myChatMember({ chatId: 7, userId: 7, status: "kicked" }));
    expect(await refusal(bot.api.sendMessage(7, "x"))).toBe("403 Forbidden: bot was blocked by the user");
    expect(() => telegram.call("sendMessage", { text: "x" })).toThrow(/chat_id is empty/);
    telegram.ingest(telegram.myChatMember({ chatId: 7, userId: 7, status: "member" }));
    expect((await bot.api.sendMessage(7, "back")).text).toBe("back");
  });

  it("answers chat not found for unknown chats when strict", async () => {
    const strict = new TelegramEmulator({ botInfo, strictChats: true });
    expect(() => strict.call("sendMessage", { chat_id: 9, text: "x" })).toThrow(/chat not found/);
    strict.ingest(strict.textMessage({ chatId: 9, userId: 9, text: "hi" }));
    expect(strict.call("sendMessage", { chat_id: 9, text: "x" })).toMatchObject({ message_id: 2 });
  });

  it("keeps commands per scope and language, and a shared sequence of update ids", async () => {
    await bot.api.setMyCommands([{ command: "find", description: "Find" }], { language_code: "en" });
    expect(telegram.commandsFor(undefined, "en")).toEqual([{ command: "find", description: "Find" }]);
    expect(await bot.api.getMyCommands()).toEqual([]);
    const ids = { next: 500 };
    const one = new TelegramEmulator({ botInfo, updateIds: ids });
    const two = new TelegramEmulator({ botInfo, updateIds: ids });
    expect(one.textMessage({ chatId: 1, userId: 1, text: "a" }).update_id).toBe(500);
    expect(two.textMessage({ chatId: 1, userId: 1, text: "b" }).update_id).toBe(501);
  });
});
