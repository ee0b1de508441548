import type { Update } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createState } from "../../src/state/index.js";
import type { StateBackend } from "../../src/state/types.js";
import { buttonData, startTestBot, type Sender, type TestBot, type TestBotMode } from "../helpers/bot-harness.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";

/**
 * Telegram delivers at least once: the same update (same update_id) can come again after a timeout, a
 * 5xx or a crash, to the same or to another replica. Its effects must happen once, in webhook and in
 * polling mode, with state in memory or in Redis.
 */

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());

let nextUser = 61_000;

/**
 * Delivers each update, then a /help from the same chat and waits for its answer: updates of one chat
 * are handled in order, so by then the ones before it are done (no waiting on a clock).
 */
async function deliverAll(bot: TestBot, updates: Update[], from: Sender & { userId: number }): Promise<void> {
  for (const update of updates) await bot.deliver(update);
  const help = await bot.send("/help", from);
  await bot.api.waitForCall(
    "sendMessage",
    (p) => p.chat_id === from.userId && String(p.text).startsWith("<b>How to use Cooperation Desk</b>"),
    { after: help.after, timeoutMs: 30_000 },
  );
}

function redisState(): StateBackend {
  return createState({ redisUrl: redis.url, ttlSeconds: 3600 }, pino({ level: "silent" }));
}

const setups: { mode: TestBotMode; backend: "memory" | "redis" }[] = [
  { mode: "webhook", backend: "memory" },
  { mode: "webhook", backend: "redis" },
  { mode: "polling", backend: "memory" },
  { mode: "polling", backend: "redis" },
];

describe.each(setups)("the same update delivered twice ($mode, $backend state)", ({ mode, backend }) => {
  let bot: TestBot;
  let state: StateBackend | undefined;
  beforeAll(async () => {
    state = backend === "redis" ? redisState() : undefined;
    bot = await startTestBot({ mode, ...(state ? { deps: { state } } : {}) });
  });
  afterAll(async () => {
    await bot.stop();
    await state?.close();
  });

  it("/start greets once", async () => {
    const from = { userId: nextUser++ };
    const start = bot.api.textMessage({ chatId: from.userId, userId: from.userId, text: "/start" });
    const after = bot.api.mark();
    await deliverAll(bot, [start, start], from);
    const sent = bot.api.calls
      .slice(after)
      .filter((c) => c.method === "sendMessage" && c.payload.chat_id === from.userId);
    // The greeting, then the answer to /help.
    expect(sent).toHaveLength(2);
  });

  it("a 👎 vote counts once", async () => {
    const from = { userId: nextUser++ };
    const card = await bot.reply("incubators in Kazakhstan", from);
    const down = buttonData(card).find((d) => d.startsWith("v:d:"));
    expect(down).toBeDefined();
    const vote = bot.api.callbackQuery({ chatId: from.userId, userId: from.userId, data: down as string });
    const after = bot.api.mark();
    await deliverAll(bot, [vote, vote], from);
    const downvotes = (await bot.app.deps.state.questions.recent(500)).filter(
      (q) => q.userId === from.userId && q.reason === "downvoted",
    );
    expect(downvotes).toHaveLength(1);
    expect(
      bot.api.calls
        .slice(after)
        .filter((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === vote.callback_query?.id),
    ).toHaveLength(1);
  });
});

describe("the same update delivered to two webhook replicas on one Redis", () => {
  let first: TestBot;
  let second: TestBot;
  const states: StateBackend[] = [];
  beforeAll(async () => {
    states.push(redisState(), redisState());
    first = await startTestBot({ mode: "webhook", deps: { state: states[0] } });
    second = await startTestBot({ mode: "webhook", deps: { state: states[1] } });
  });
  afterAll(async () => {
    await first.stop();
    await second.stop();
    for (const state of states) await state.close();
  });

  it("is handled by one of them only", async () => {
    const userId = nextUser++;
    const update = first.api.textMessage({ chatId: userId, userId, text: "/start" });
    const marks = [first.api.mark(), second.api.mark()];
    const deliveries = await Promise.all([
      first.api.deliverToWebhook(update, { url: first.webhookUrl }),
      second.api.deliverToWebhook(update, { url: second.webhookUrl }),
    ]);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const greetings = [first, second].flatMap((bot, i) =>
      bot.api.calls.slice(marks[i]).filter((c) => c.method === "sendMessage" && c.payload.chat_id === userId),
    );
    expect(greetings).toHaveLength(1);
  });
});
