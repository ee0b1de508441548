import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { autoRetry } from "@grammyjs/auto-retry";
import { run } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile, webhookCallback } from "grammy";
import type { ApiClientOptions } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiErrors, startFakeBotApi } from "./fake-bot-api.js";
import type { FakeBotApi } from "./fake-bot-api.js";

let api: FakeBotApi;

beforeEach(async () => {
  api = await startFakeBotApi({ maxLongPollMs: 1000 });
});

afterEach(async () => {
  await api.close();
});

function makeBot(client: ApiClientOptions = {}): Bot {
  return new Bot(api.token, { client: { apiRoot: api.apiRoot, ...client } });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the promise to reject");
}

async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

describe("fake Bot API: plain calls", () => {
  it("answers getMe like Telegram and records the call", async () => {
    const bot = makeBot();
    const me = await bot.api.getMe();
    expect(me).toMatchObject({
      id: 123456,
      is_bot: true,
      username: "coopdesk_test_bot",
      supports_inline_queries: true,
    });
    expect(api.token).toBe("123456:TEST-token");
    expect(api.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.callsOf("getMe")).toHaveLength(1);
  });

  it("records sendMessage payloads and returns messages with per-chat ids", async () => {
    const bot = makeBot();
    const keyboard = new InlineKeyboard().text("More", "more:1");
    const first = await bot.api.sendMessage(42, "Hello <b>world</b>", { parse_mode: "HTML", reply_markup: keyboard });
    const second = await bot.api.sendMessage(42, "Again");
    const other = await bot.api.sendMessage(7, "Elsewhere");

    expect(first).toMatchObject({
      message_id: 1,
      from: { id: 123456, is_bot: true, username: "coopdesk_test_bot" },
      chat: { id: 42, type: "private" },
      text: "Hello world",
      entities: [{ type: "bold", offset: 6, length: 5 }],
      reply_markup: { inline_keyboard: [[{ text: "More", callback_data: "more:1" }]] },
    });
    expect(typeof first.date).toBe("number");
    expect(second.message_id).toBe(2);
    expect(second.reply_markup).toBeUndefined();
    expect(other.message_id).toBe(1);

    const [call] = api.callsOf("sendMessage");
    expect(call?.payload).toMatchObject({ chat_id: 42, text: "Hello <b>world</b>", parse_mode: "HTML" });
    expect(call?.via).toBe("http");
    expect(call?.response).toMatchObject({ ok: true, result: { message_id: 1 } });
    expect(api.chatHistory(42).map((m) => m.text)).toEqual(["Hello world", "Again"]);
  });

  it("rejects a wrong token with 401 Unauthorized", async () => {
    const bot = new Bot("999:wrong", { client: { apiRoot: api.apiRoot } });
    const err = await rejection(bot.api.getMe());
    expect(err).toBeInstanceOf(GrammyError);
    expect(err).toMatchObject({ error_code: 401, description: "Unauthorized" });
    expect(api.calls).toHaveLength(0);
  });

  it("accepts urlencoded and GET requests, and method names in any case", async () => {
    const form = await fetch(`${api.apiRoot}/bot${api.token}/SENDMESSAGE`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "42", text: "123", disable_notification: "true" }),
    });
    expect(form.status).toBe(200);
    const get = await fetch(`${api.apiRoot}/bot${api.token}/getMe?x=1`);
    expect(await get.json()).toMatchObject({ ok: true, result: { username: "coopdesk_test_bot" } });
    const [call] = api.callsOf("sendMessage");
    // numbers and booleans are decoded, free text stays text
    expect(call?.payload).toEqual({ chat_id: 42, text: "123", disable_notification: true });
    const notFound = await fetch(`${api.apiRoot}/nothing`);
    expect(notFound.status).toBe(404);
  });

  it("parses multipart uploads: text fields decoded, files noted", async () => {
    const bot = makeBot();
    const photo = await bot.api.sendPhoto(42, new InputFile(Buffer.from("fake png bytes"), "chart.png"), {
      caption: "Programme <i>map</i>",
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().url("Site", "https://example.org"),
    });
    expect(photo.photo?.length).toBe(3);
    expect(photo.caption).toBe("Programme map");
    expect(photo.caption_entities).toEqual([{ type: "italic", offset: 10, length: 3 }]);

    const doc = await bot.api.sendDocument(42, new InputFile(Buffer.from("a,b\n1,2\n"), "list.csv"));
    expect(doc.document).toMatchObject({ file_name: "list.csv", mime_type: "text/csv", file_size: 8 });

    const [call] = api.callsOf("sendPhoto");
    expect(call?.payload.chat_id).toBe(42);
    expect(call?.payload.caption).toBe("Programme <i>map</i>");
    expect(call?.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: "Site", url: "https://example.org" }]] });
    expect(call?.payload.photo).toMatch(/^attach:\/\//);
    expect(call?.files).toHaveLength(1);
    expect(call?.files[0]).toMatchObject({ filename: "chart.png", size: 14 });
    expect(call?.files[0]?.data.toString()).toBe("fake png bytes");
    expect(`attach://${call?.files[0]?.field}`).toBe(call?.payload.photo);
  });

  it("keeps commands per scope and language", async () => {
    const bot = makeBot();
    await bot.api.setMyCommands([{ command: "start", description: "Start" }]);
    await bot.api.setMyCommands([{ command: "start", description: "Начать" }], { language_code: "ru" });
    await bot.api.setMyCommands([{ command: "help", description: "Aide" }], {
      scope: { type: "chat", chat_id: 42 },
      language_code: "fr",
    });
    expect(await bot.api.getMyCommands()).toEqual([{ command: "start", description: "Start" }]);
    expect(await bot.api.getMyCommands({ language_code: "ru" })).toEqual([{ command: "start", description: "Начать" }]);
    expect(await bot.api.getMyCommands({ scope: { type: "chat", chat_id: 42 }, language_code: "fr" })).toEqual([
      { command: "help", description: "Aide" },
    ]);
    expect(await bot.api.getMyCommands({ language_code: "zh" })).toEqual([]);
    await bot.api.deleteMyCommands({ language_code: "ru" });
    expect(await bot.api.getMyCommands({ language_code: "ru" })).toEqual([]);
    const err = await rejection(bot.api.setMyCommands([{ command: "Start", description: "x" }]));
    expect(err).toMatchObject({ error_code: 400, description: "Bad Request: BOT_COMMAND_INVALID" });
    expect(await bot.api.setMyDescription("Finds cooperation programmes")).toBe(true);
    expect(await bot.api.getMyDescription()).toEqual({ description: "Finds cooperation programmes" });
    expect(await bot.api.setChatMenuButton({ menu_button: { type: "commands" } })).toBe(true);
    expect(await bot.api.sendChatAction(42, "typing")).toBe(true);
    expect(await bot.api.raw.unpinAllGeneralForumTopicMessages({ chat_id: -100 })).toBe(true);
    expect(api.callsOf("unpinAllGeneralForumTopicMessages")).toHaveLength(1);
  });

  it("behaves like Telegram for edits, deletions and markup errors", async () => {
    const bot = makeBot();
    const kb = new InlineKeyboard().text("Next", "page:2");
    const msg = await bot.api.sendMessage(42, "Page 1", { reply_markup: kb });
    const same = await rejection(bot.api.editMessageText(42, msg.message_id, "Page 1", { reply_markup: kb }));
    expect(same).toMatchObject({ error_code: 400 });
    expect((same as GrammyError).description).toMatch(/^Bad Request: message is not modified/);
    // An edit without reply_markup removes the inline keyboard.
    const edited = await bot.api.editMessageText(42, msg.message_id, "Page 1");
    expect(edited).toMatchObject({ text: "Page 1", edit_date: expect.any(Number) });
    expect((edited as { reply_markup?: unknown }).reply_markup).toBeUndefined();
    await bot.api.editMessageReplyMarkup(42, msg.message_id, { reply_markup: kb });
    expect(api.chatHistory(42)[0]?.reply_markup).toEqual({ inline_keyboard: kb.inline_keyboard });

    expect(await rejection(bot.api.editMessageText(42, 99, "x"))).toMatchObject({
      description: "Bad Request: message to edit not found",
    });
    expect(await bot.api.deleteMessage(42, msg.message_id)).toBe(true);
    expect(await rejection(bot.api.deleteMessage(42, msg.message_id))).toMatchObject({
      description: "Bad Request: message to delete not found",
    });
    expect(
      await rejection(bot.api.sendMessage(42, "x", { reply_markup: new InlineKeyboard().text("A", "x".repeat(65)) })),
    ).toMatchObject({ description: "Bad Request: BUTTON_DATA_INVALID" });
    expect(await rejection(bot.api.sendMessage(42, "x".repeat(4097)))).toMatchObject({
      description: "Bad Request: message is too long",
    });
    expect(await rejection(bot.api.sendMessage(42, "a<br>b", { parse_mode: "HTML" }))).toMatchObject({
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 1',
    });
    expect(await rejection(bot.api.sendMessage(42, "*Done*", { parse_mode: "MarkdownV2" }))).toMatchObject({
      description: 'Bad Request: unsupported parse_mode "MarkdownV2" (the emulator reads HTML only)',
    });
    const formatted = await bot.api.sendMessage(42, '<b>Bold</b> and <a href="https://example.org/a)b">link</a>.', {
      parse_mode: "HTML",
    });
    expect(formatted.text).toBe("Bold and link.");
    expect(formatted.entities).toEqual([
      { type: "bold", offset: 0, length: 4 },
      { type: "text_link", offset: 9, length: 4, url: "https://example.org/a)b" },
    ]);
    const copy = await bot.api.copyMessage(7, 42, formatted.message_id);
    expect(api.chatHistory(7).find((m) => m.message_id === copy.message_id)?.text).toBe("Bold and link.");
  });
});

describe("fake Bot API: failure injection and overrides", () => {
  it("surfaces injected errors as GrammyError with code and parameters", async () => {
    const bot = makeBot();
    api.failNext("sendMessage", apiErrors.tooManyRequests(1));
    api.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    api.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" });
    api.failNext("sendMessage", apiErrors.badGateway());

    const tooMany = await rejection(bot.api.sendMessage(42, "1"));
    expect(tooMany).toBeInstanceOf(GrammyError);
    expect(tooMany).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    expect(await rejection(bot.api.sendMessage(42, "2"))).toMatchObject({
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    expect(await rejection(bot.api.sendMessage(42, "3"))).toMatchObject({ error_code: 400 });
    expect(await rejection(bot.api.sendMessage(42, "4"))).toMatchObject({ error_code: 502 });
    expect((await bot.api.sendMessage(42, "5")).message_id).toBe(1);

    const responses = api.callsOf("sendMessage").map((c) => (c.response?.ok ? 200 : c.response?.error_code));
    expect(responses).toEqual([429, 403, 400, 502, 200]);
  });

  it("can answer with a non-JSON 502 page or drop the connection (HttpError)", async () => {
    const bot = makeBot();
    api.failNext("getMe", { error_code: 502, description: "Bad Gateway", rawBody: "<html>502 Bad Gateway</html>" });
    api.failNext("getMe", { error_code: 0, description: "connection reset", dropConnection: true });
    expect(await rejection(bot.api.getMe())).toBeInstanceOf(HttpError);
    expect(await rejection(bot.api.getMe())).toBeInstanceOf(HttpError);
    expect((await bot.api.getMe()).id).toBe(123456);
  });

  it("lets auto-retry wait out a 429 retry_after", async () => {
    const bot = makeBot();
    bot.api.config.use(autoRetry());
    api.failNext("sendMessage", apiErrors.tooManyRequests(1));
    const started = Date.now();
    const msg = await bot.api.sendMessage(42, "after the flood wait");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(msg.text).toBe("after the flood wait");
    expect(api.callsOf("sendMessage")).toHaveLength(2);
  });

  it("supports method overrides and a send policy hook", async () => {
    const bot = makeBot();
    api.setHandler("getChatMember", (p) => ({
      status: "administrator",
      user: { id: p.user_id, is_bot: false, first_name: "A" },
    }));
    expect(await bot.api.getChatMember(-100, 5)).toMatchObject({ status: "administrator", user: { id: 5 } });
    api.setHandler("sendMessage", (p, ctx) => {
      if (p.text === "boom") throw new Error("unexpected");
      return ctx.fallback();
    });
    expect((await bot.api.sendMessage(42, "fine")).text).toBe("fine");
    expect(await rejection(bot.api.sendMessage(42, "boom"))).toMatchObject({ error_code: 500 });
    api.setHandler("sendMessage", undefined);

    api.setSendPolicy(({ chatId }) => (chatId === 13 ? apiErrors.tooManyRequests(3) : undefined));
    expect(await rejection(bot.api.sendMessage(13, "x"))).toMatchObject({
      error_code: 429,
      parameters: { retry_after: 3 },
    });
    expect((await bot.api.sendMessage(42, "x")).text).toBe("x");
    api.setSendPolicy(undefined);
  });

  it("makes chats blocked through my_chat_member answer 403", async () => {
    const bot = makeBot();
    api.pushUpdate(api.myChatMember({ chatId: 42, userId: 42, status: "kicked" }));
    expect(await rejection(bot.api.sendMessage(42, "hi"))).toMatchObject({
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    api.pushUpdate(api.myChatMember({ chatId: 42, userId: 42, status: "member" }));
    expect((await bot.api.sendMessage(42, "welcome back")).text).toBe("welcome back");
  });

  it("rejects waitForCall with a helpful message on timeout", async () => {
    await makeBot().api.getMe();
    const err = await rejection(api.waitForCall("sendMessage", undefined, 50));
    expect(String(err)).toMatch(/waitForCall\(sendMessage\) timed out after 50 ms.*latest calls: getMe/);
  });
});

describe("fake Bot API: updates", () => {
  it("builds realistic updates", () => {
    const group = api.textMessage({
      chatId: 500,
      userId: 9,
      text: "/find@coopdesk_test_bot solar",
      chatType: "group",
      languageCode: "fr",
    });
    expect(group.message).toMatchObject({
      chat: { id: -500, type: "group" },
      from: { id: 9, is_bot: false, language_code: "fr" },
      entities: [{ type: "bot_command", offset: 0, length: "/find@coopdesk_test_bot".length }],
    });
    const next = api.textMessage({ chatId: 9, userId: 9, text: "hello" });
    expect(next.update_id).toBe(group.update_id + 1);
    expect(next.message?.from?.language_code).toBe("fr"); // remembered per user
    expect(next.message?.entities).toBeUndefined();
    const addressed = api.textMessage({
      chatId: 500,
      userId: 9,
      text: "солнце? @coopdesk_test_bot и @ab",
      chatType: "group",
    });
    expect(addressed.message?.entities).toEqual([{ type: "mention", offset: 8, length: "@coopdesk_test_bot".length }]);
    const inline = api.inlineQuery({ userId: 9, query: "incubator" });
    expect(inline.inline_query).toMatchObject({ from: { id: 9 }, query: "incubator", offset: "" });
    const cb = api.callbackQuery({ chatId: 9, userId: 9, data: "x", messageId: 77 });
    expect(cb.callback_query).toMatchObject({
      data: "x",
      message: { message_id: 77, chat: { id: 9 }, from: { is_bot: true } },
    });
  });

  it("resolves a pending long poll as soon as an update is pushed", async () => {
    // A long poll capped beyond the test's time: the push is all that can end it.
    const patient = await startFakeBotApi({ maxLongPollMs: 60_000 });
    try {
      const bot = new Bot(patient.token, { client: { apiRoot: patient.apiRoot } });
      const poll = bot.api.getUpdates({ timeout: 60 });
      await patient.waitForCall("getUpdates");
      const pushed = patient.pushUpdate(patient.textMessage({ chatId: 1, userId: 1, text: "ping" }));
      expect((await poll).map((u) => u.update_id)).toEqual([pushed.update_id]);
      // Not confirmed yet: delivered again until an offset confirms it.
      expect(await bot.api.getUpdates({ timeout: 0 })).toHaveLength(1);
      expect(await bot.api.getUpdates({ offset: pushed.update_id + 1, timeout: 0 })).toEqual([]);
      expect(patient.pendingUpdates).toHaveLength(0);
    } finally {
      await patient.close();
    }
    // An empty long poll is capped by maxLongPollMs.
    const bot = makeBot();
    const t0 = Date.now();
    expect(await bot.api.getUpdates({ timeout: 30 })).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("filters by allowed_updates", async () => {
    const bot = makeBot();
    api.pushUpdate(api.inlineQuery({ userId: 3, query: "a" }));
    const msg = api.pushUpdate(api.textMessage({ chatId: 3, userId: 3, text: "b" }));
    const updates = await bot.api.getUpdates({ allowed_updates: ["message"], timeout: 0 });
    expect(updates.map((u) => u.update_id)).toEqual([msg.update_id]);
  });

  it("ends a pending long poll on close", async () => {
    // A long poll capped beyond the test's time: close is all that can end it with an answer.
    const patient = await startFakeBotApi({ maxLongPollMs: 60_000 });
    const poll = new Bot(patient.token, { client: { apiRoot: patient.apiRoot } }).api.getUpdates({ timeout: 60 });
    await patient.waitForCall("getUpdates");
    await patient.close();
    expect(await poll).toEqual([]);
  });

  it("round-trips through bot.start() long polling", async () => {
    const bot = makeBot();
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const done = bot.start({ onStart: () => running() });
    await started;

    const mark = api.mark();
    const update = api.pushUpdate(api.textMessage({ chatId: 42, userId: 42, text: "hello" }));
    const call = await api.waitForCall("sendMessage", (p) => p.chat_id === 42, { after: mark });
    expect(call.payload.text).toBe("echo: hello");
    expect(call.response).toMatchObject({ ok: true, result: { message_id: 2, chat: { id: 42 } } });

    await bot.stop();
    await done;
    expect(api.callsOf("deleteWebhook")).toHaveLength(1);
    expect(api.pendingUpdates.some((u) => u.update_id === update.update_id)).toBe(false);
  });

  it("round-trips through @grammyjs/runner with commands and callback queries", async () => {
    const bot = makeBot();
    bot.command("start", (ctx) =>
      ctx.reply("Choose a region", { reply_markup: new InlineKeyboard().text("ASEAN", "region:asean") }),
    );
    bot.callbackQuery(/^region:(.+)$/, async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(`Region: ${ctx.match[1]}`);
    });
    const handle = run(bot);
    try {
      api.pushUpdate(api.textMessage({ chatId: 42, userId: 42, text: "/start", languageCode: "en" }));
      const sent = await api.waitForCall("sendMessage");
      const result = sent.response?.ok ? (sent.response.result as { message_id: number }) : undefined;
      expect(result?.message_id).toBe(2);

      const cb = api.pushUpdate(api.callbackQuery({ chatId: 42, userId: 42, data: "region:asean" }));
      expect(cb.callback_query?.message?.message_id).toBe(2);
      expect(() => api.callbackQuery({ chatId: 42, userId: 42, data: "region:nowhere" })).toThrow(/no button/);
      const answer = await api.waitForCall("answerCallbackQuery");
      expect(answer.payload.callback_query_id).toBe(cb.callback_query?.id);
      const edit = await api.waitForCall("editMessageText");
      expect(edit.payload).toMatchObject({ chat_id: 42, message_id: 2, text: "Region: asean" });
      expect(api.chatHistory(42).at(-1)?.text).toBe("Region: asean");
    } finally {
      await handle.stop();
    }
  });
});

describe("fake Bot API: webhooks", () => {
  it("delivers updates with the secret token and records replies", async () => {
    const bot = makeBot();
    bot.on("message:text", (ctx) => ctx.reply(`got ${ctx.message.text}`));
    const server = createServer(webhookCallback(bot, "http", { secretToken: "s3cret_token" }));
    const url = await listenLocal(server);
    try {
      await bot.api.setWebhook(`${url}/hook`, { secret_token: "s3cret_token" });
      expect(api.webhook).toMatchObject({ url: `${url}/hook`, secretToken: "s3cret_token" });
      expect(await bot.api.getWebhookInfo()).toMatchObject({ url: `${url}/hook`, pending_update_count: 0 });
      expect(await rejection(bot.api.getUpdates())).toMatchObject({ error_code: 409 });

      const mark = api.mark();
      const delivery = await api.deliverToWebhook(api.textMessage({ chatId: 42, userId: 42, text: "hi" }));
      expect(delivery.status).toBe(200);
      const reply = await api.waitForCall("sendMessage", (p) => p.chat_id === 42, { after: mark });
      expect(reply.payload.text).toBe("got hi");

      const before = api.calls.length;
      const wrong = await api.deliverToWebhook(api.textMessage({ chatId: 42, userId: 42, text: "x" }), {
        secret: "nope",
      });
      expect(wrong.status).toBe(401);
      const missing = await api.deliverToWebhook(api.textMessage({ chatId: 42, userId: 42, text: "y" }), {
        secret: null,
      });
      expect(missing.status).toBe(401);
      expect(api.calls.length).toBe(before);
      expect(await bot.api.getWebhookInfo()).toMatchObject({
        last_error_message: "Wrong response from the webhook: 401",
      });

      await bot.api.deleteWebhook();
      expect(api.webhook).toBeUndefined();
    } finally {
      await closeServer(server);
    }
  });

  it("executes a method sent back in the webhook response body", async () => {
    const bot = makeBot({ canUseWebhookReply: (method) => method === "sendMessage" });
    bot.on("message:text", (ctx) => ctx.reply("inline reply"));
    const server = createServer(webhookCallback(bot, "http"));
    const url = await listenLocal(server);
    try {
      await bot.api.setWebhook(url);
      const delivery = await api.deliverToWebhook(api.textMessage({ chatId: 5, userId: 5, text: "hey" }));
      expect(delivery.status).toBe(200);
      expect(delivery.json).toMatchObject({ method: "sendMessage", chat_id: 5, text: "inline reply" });
      expect(delivery.replyCall).toMatchObject({
        method: "sendMessage",
        via: "webhook-reply",
        payload: { chat_id: 5, text: "inline reply" },
        response: { ok: true },
      });
      expect(api.callsOf("sendMessage")).toHaveLength(1);
      expect(api.chatHistory(5).map((m) => m.text)).toEqual(["hey", "inline reply"]);
    } finally {
      await closeServer(server);
    }
  });
});
