import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BroadcastStatus } from "../../src/broadcast/types.js";
import { createMemoryState } from "../../src/state/memory.js";
import { startTestBot, type TestBot } from "../helpers/bot-harness.js";
import { DEFAULT_BROADCAST_PREFIX, redisHooks } from "../../src/broadcast/index.js";
import { openClient, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { eventually } from "../helpers/until.js";

/**
 * Broadcasting as the app wires it (createApp + startPolling against the fake Bot API): a coordinator
 * broadcasts, the delivery sends with the bot's token, and the announcement
 * lives beside the state — in Redis with REDIS_URL, so a restarted bot still finds it.
 */

const COORDINATOR = 7001;
const SUBSCRIBER = 7002;

async function broadcast(bot: TestBot, text: string): Promise<BroadcastStatus> {
  await bot.reply("/broadcast", { userId: COORDINATOR });
  await bot.reply(text, { userId: COORDINATOR });
  await bot.pressAndWait("bc:a", { userId: COORDINATOR });
  await bot.pressAndWait("bc:e", { userId: COORDINATOR });
  await bot.pressAndWait("bc:ed", { userId: COORDINATOR });
  const preview = await bot.press("bc:p", { userId: COORDINATOR });
  await bot.api.waitForCall("sendMessage", (p) => String(p.text).includes("Ready to send"), {
    after: preview.after,
    timeoutMs: 30_000,
  });
  const id = (await bot.app.deps.state.sessions.read(`user:${COORDINATOR}`))?.broadcast?.id;
  expect(id).toBeDefined();
  await bot.pressAndWait("bc:ok", { userId: COORDINATOR });
  return eventually(async () => {
    const status = await bot.app.deps.delivery!.status(id!);
    return status?.state === "done" ? status : undefined;
  }, "the broadcast to finish");
}

describe("broadcasting in the app, in memory", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ mode: "polling", deps: { state: createMemoryState({ ttlSeconds: 3600 }) } });
    await bot.app.deps.state.roles.grant(COORDINATOR);
    await bot.app.deps.state.subscriptions.set(SUBSCRIBER, { topics: [], kinds: [], countries: [], lang: "en" });
  });
  afterAll(() => bot.stop());

  it("a coordinator broadcasts; the subscriber receives it and finds the announcement", async () => {
    const status = await broadcast(bot, "Caspian logistics forum\nShipping companies meet in Aktau in May.");
    expect(status).toMatchObject({ total: 1, sent: 1 });
    await eventually(
      async () =>
        bot.api
          .callsOf("sendMessage")
          .find(
            (c) =>
              Number(c.payload.chat_id) === SUBSCRIBER &&
              String(c.payload.text).startsWith("📣 Announcement from Cooperation Desk\n\nCaspian"),
          ),
      "the delivery",
    );
    const answer = await bot.reply("Caspian logistics forum Aktau", { userId: SUBSCRIBER });
    expect(String(answer.payload.text)).toContain("Caspian logistics forum");
  });

  it("the subscriber stops announcements from under one, in a new message, and undoes it", async () => {
    const announcement = bot.api
      .chatHistory(SUBSCRIBER)
      .find((m) => m.text?.startsWith("📣 Announcement from Cooperation Desk"))!;
    const stop = await bot.pressAndWait("a:s", { userId: SUBSCRIBER, messageId: announcement.message_id });
    expect(stop.message).toMatchObject({
      method: "sendMessage",
      payload: { text: expect.stringContaining("You will no longer receive announcements") },
    });
    expect(await bot.app.deps.state.subscriptions.get(SUBSCRIBER)).toBeUndefined();
    const notice = (stop.message!.response as { result: { message_id: number } }).result.message_id;
    const undo = await bot.pressAndWait("a:u", { userId: SUBSCRIBER, messageId: notice });
    expect(undo.message).toMatchObject({
      method: "editMessageText",
      payload: { message_id: notice, text: "🔔 Your subscription is back, as it was." },
    });
    expect(await bot.app.deps.state.subscriptions.get(SUBSCRIBER)).toMatchObject({ lang: "en", active: true });
    expect(bot.api.chatHistory(SUBSCRIBER).find((m) => m.message_id === announcement.message_id)).toEqual(announcement);
  });
});

describe("broadcasting in the app, with Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it("delivers through BullMQ and the announcement outlives a restart", async () => {
    const env = { REDIS_URL: redis.url };
    let bot = await startTestBot({ mode: "polling", env });
    try {
      await bot.app.deps.state.roles.grant(COORDINATOR);
      await bot.app.deps.state.subscriptions.set(SUBSCRIBER, { topics: [], kinds: [], countries: [], lang: "en" });
      const status = await broadcast(bot, "Tashkent water week\nUtilities and start-ups present pilot projects.");
      expect(status).toMatchObject({ total: 1, sent: 1 });
      expect((await bot.app.deps.state.audit.recent(1))[0]?.action).toBe("broadcast");

      // A separate worker process (npm run worker) reports through Redis: the bot shows its progress and
      // marks the chats it could not reach inactive.
      const client = await openClient(redis.url);
      const hooks = redisHooks(client, DEFAULT_BROADCAST_PREFIX);
      const target = { chatId: COORDINATOR, messageId: 1 };
      const mark = bot.api.mark();
      await hooks.onProgress!(
        { ...status, id: "b-from-worker", state: "running", total: 10, sent: 4, remaining: 6, etaSeconds: 90 },
        target,
      );
      const edit = await bot.api.waitForCall("editMessageText", (p) => String(p.text).includes("b-from-worker"), {
        after: mark,
        timeoutMs: 30_000,
      });
      expect(String(edit.payload.text)).toContain("Sent: 4 · failed: 0 · blocked: 0 · remaining: 6 (of 10)");
      expect(String(edit.payload.text)).toContain("About 2 minutes left.");
      await hooks.markInactive(SUBSCRIBER, "blocked");
      await eventually(
        async () => ((await bot.app.deps.state.subscriptions.get(SUBSCRIBER))?.active === false ? true : undefined),
        "the subscriber marked inactive",
      );
      await client.quit();
    } finally {
      await bot.stop();
    }
    bot = await startTestBot({ mode: "polling", env });
    try {
      const answer = await bot.reply("Tashkent water week", { userId: SUBSCRIBER });
      expect(String(answer.payload.text)).toContain("Tashkent water week");
      expect((await bot.app.deps.delivery!.list()).length).toBe(1);
    } finally {
      await bot.stop();
    }
  });
});
