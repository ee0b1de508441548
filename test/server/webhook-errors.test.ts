import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import { createMemoryState } from "../../src/state/memory.js";
import { startTestBot, type TestBot } from "../helpers/bot-harness.js";
import { apiErrors } from "../helpers/fake-bot-api.js";
import { captureLogs } from "../helpers/logs.js";

/**
 * Webhook mode has the same error boundary as polling: a failure inside a handler is logged with the
 * update id, the user gets the apology, and Telegram gets 200 (a 5xx would make it deliver the update
 * again). Bodies that are not updates get 400, malformed updates are dropped with a log line: never a 5xx.
 */

const FAILING_USER = 4040;
const logs = captureLogs();
let bot: TestBot;
let secret: string;

beforeAll(async () => {
  const state = createMemoryState({ ttlSeconds: 3600 });
  const write = state.sessions.write.bind(state.sessions);
  // A state failure in the middle of one user's update, like a Redis OOM error.
  state.sessions.write = async (key, value) => {
    if (key === `user:${FAILING_USER}`) throw new Error("OOM command not allowed when used memory > 'maxmemory'");
    return write(key, value);
  };
  bot = await startTestBot({ mode: "webhook", logger: logs.logger, deps: { state } });
  secret = bot.app.config.WEBHOOK_SECRET as string;
});
afterAll(() => bot.stop());

async function post(body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(bot.webhookUrl as string, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
    body,
  });
  return { status: res.status, text: await res.text() };
}

function logged(update: number, msg: RegExp): Record<string, unknown> | undefined {
  return logs.lines().find((l) => l.update === update && msg.test(String(l.msg)));
}

describe("a failing handler, in webhook mode", () => {
  it("is logged with the update id, apologised for, and answered 200", async () => {
    const update = bot.api.textMessage({ chatId: FAILING_USER, userId: FAILING_USER, text: "/start" });
    const after = bot.api.mark();
    const delivery = await bot.api.deliverToWebhook(update, { url: bot.webhookUrl });
    expect(delivery.status).toBe(200);
    const replies = bot.api.calls
      .slice(after)
      .filter((c) => c.method === "sendMessage" && c.payload.chat_id === FAILING_USER);
    // The greeting went out before the session write failed; the apology follows it.
    expect(replies.at(-1)?.payload.text).toMatch(/^Sorry, something went wrong on our side/);
    expect(logged(update.update_id, /^update failed$/)).toMatchObject({ level: 50, kind: "internal" });
  });

  it("a user who blocked the bot (403) is an ordinary outcome: 200, a warning with the update id, no apology attempt", async () => {
    bot.api.failChat(4041, apiErrors.blockedByUser());
    const update = bot.api.textMessage({ chatId: 4041, userId: 4041, text: "/help" });
    const after = bot.api.mark();
    const delivery = await bot.api.deliverToWebhook(update, { url: bot.webhookUrl });
    expect(delivery.status).toBe(200);
    expect(bot.api.calls.slice(after).filter((c) => c.method === "sendMessage")).toHaveLength(1);
    expect(logged(update.update_id, /Telegram refused/)).toMatchObject({ level: 40, code: 403 });
    bot.api.failChat(4041, undefined);
  });

  it("a button pressed long ago (400 query is too old) is answered 200", async () => {
    await bot.api.deliverToWebhook(bot.api.textMessage({ chatId: 4042, userId: 4042, text: "/incubators" }), {
      url: bot.webhookUrl,
    });
    const list = bot.api
      .callsOf("sendMessage")
      .filter((c) => c.payload.chat_id === 4042)
      .at(-1);
    const markup = list?.payload.reply_markup as { inline_keyboard: { callback_data?: string }[][] };
    const data = markup.inline_keyboard.flat().find((b) => b.callback_data)?.callback_data as string;
    bot.api.failNext(
      "answerCallbackQuery",
      {
        error_code: 400,
        description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
      },
      5,
    );
    const update = bot.api.callbackQuery({ chatId: 4042, userId: 4042, data });
    const delivery = await bot.api.deliverToWebhook(update, { url: bot.webhookUrl });
    expect(delivery.status).toBe(200);
    expect(logged(update.update_id, /Telegram refused/)).toMatchObject({ level: 40, code: 400 });
    bot.api.reset();
  });
});

describe("bodies that are not updates, and malformed updates", () => {
  it("answers 400 to JSON that is not an update object", async () => {
    for (const body of [
      "null",
      "[]",
      "[1,2]",
      "42",
      '"an update"',
      "true",
      "{}",
      '{"update_id":"7"}',
      '{"update_id":-1}',
      '{"update_id":1.5}',
    ]) {
      const { status } = await post(body);
      expect(status, body).toBe(400);
    }
  });

  it("drops updates with wrong field types or missing fields with a log line, answers 200, and sends nothing", async () => {
    const good = bot.api.textMessage({ chatId: 4050, userId: 4050, text: "/start" }).message as NonNullable<
      Update["message"]
    >;
    const cases: [string, unknown][] = [
      ["message without from", { ...good, from: undefined }],
      ["non-string language_code", { ...good, from: { ...good.from, language_code: 42 } }],
      ["number as text", { ...good, text: 12345 }],
      ["chat without id", { ...good, chat: { type: "private" } }],
      ["text with a lone surrogate", { ...good, text: "/start \ud800" }],
      ["entities of the wrong shape", { ...good, entities: "bot_command" }],
      ["entities without their text", { ...good, text: undefined }],
    ];
    let id = 9_000_001;
    for (const [what, message] of cases) {
      const after = bot.api.mark();
      const updateId = id++;
      const { status } = await post(JSON.stringify({ update_id: updateId, message }));
      expect(status, what).toBe(200);
      expect(
        bot.api.calls.slice(after).filter((c) => c.method === "sendMessage"),
        what,
      ).toHaveLength(0);
      expect(logged(updateId, /^dropped a malformed update$/), what).toMatchObject({
        msg: "dropped a malformed update",
      });
    }
    const forged = {
      update_id: id++,
      callback_query: { id: "1", from: { id: "x", is_bot: false, first_name: "A" }, chat_instance: "1", data: "v:1" },
    };
    expect((await post(JSON.stringify(forged))).status).toBe(200);
    const nowhere = {
      update_id: id++,
      callback_query: { id: "3", from: good.from, chat_instance: "1", data: "r:d:incubator-wuhan" },
    };
    expect((await post(JSON.stringify(nowhere))).status).toBe(200);
    expect(logged(nowhere.update_id, /^dropped a malformed update$/)).toMatchObject({
      problem: expect.stringMatching(/no-message-nor-inline-message-id/),
    });
    const inline = { update_id: id, inline_query: { id: "2", from: good.from, query: { text: "hi" }, offset: "" } };
    expect((await post(JSON.stringify(inline))).status).toBe(200);
  });

  it("nothing above made the server fail", async () => {
    expect(logs.lines().filter((l) => l.msg === "HTTP request failed")).toEqual([]);
    expect((await fetch(`${bot.serverUrl}/healthz`)).status).toBe(200);
  });
});
