import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../../src/bot/context.js";
import { conversationTurn } from "../../src/bot/middlewares/turn.js";
import { createMemoryState } from "../../src/state/memory.js";
import { connectRedis, createRedisState } from "../../src/state/redis.js";
import type { StateBackend } from "../../src/state/types.js";
import { chatWith, useFakeBotApi } from "../helpers/chat.js";
import { captureLogs } from "../helpers/logs.js";
import { redisForTests } from "../helpers/redis-server.js";

/**
 * An update's turn in its conversation: under the chat's lease, an update already handled is skipped,
 * the session is read, and after the update the session is written, the update marked handled and
 * the lease given up — as grammY's session middleware and separate state calls did, on both backends.
 */

const my = useFakeBotApi();
const redis = redisForTests();

let nextUser = 9300;

describe.each(["memory", "redis"] as const)("an update's turn (%s state)", (backend) => {
  const newState = (): StateBackend => (backend === "redis" ? redis.state() : createMemoryState({ ttlSeconds: 3600 }));

  it("skips an update delivered again after it was handled, with an info line", async () => {
    const logs = captureLogs();
    const chat = await chatWith(my.api, { state: newState(), deps: { logger: logs.logger } });
    const user = nextUser++;
    const update = my.api.textMessage({ chatId: user, userId: user, text: "/help" });
    expect((await chat.deliver(update)).map((c) => c.method)).toEqual(["sendMessage"]);
    expect(await chat.deliver(update)).toEqual([]);
    expect(logs.lines().filter((l) => l.msg === "update delivered again; already handled, skipped")).toHaveLength(1);
    // The chat is free for the next update.
    expect((await chat.say(user, "/help")).map((c) => c.method)).toEqual(["sendMessage"]);
  });

  it("keeps what an update left in the session for the next one", async () => {
    const state = newState();
    const chat = await chatWith(my.api, { state });
    const user = nextUser++;
    await chat.say(user, "incubators in Kazakhstan");
    const session = await state.sessions.read(`user:${user}`);
    expect(session).toMatchObject({ lang: "en", lastQuery: "incubators in Kazakhstan", answered: true });
    await chat.say(user, "more");
    expect((await state.sessions.read(`user:${user}`))?.page).toBe(1);
  });

  it("writes no session for an update that failed, yet counts it handled", async () => {
    const state = newState();
    const chat = await chatWith(my.api, { state });
    const user = nextUser++;
    // A refusal grammY does not retry: the question's reply fails, and with it the update.
    my.api.failNext("sendMessage", { error_code: 400, description: "Bad Request: message is too long" });
    const update = my.api.textMessage({ chatId: user, userId: user, text: "incubators in Kazakhstan" });
    const calls = await chat.deliver(update);
    expect(String(calls.at(-1)?.payload.text)).toMatch(/^Sorry, something went wrong on our side/);
    expect(await state.sessions.read(`user:${user}`)).toBeUndefined();
    expect(await state.updates.handled(update.update_id)).toBe(true);
    expect(await chat.deliver(update)).toEqual([]);
  });

  it("handles updates of no chat and no user once, claimed before they run", async () => {
    // The bot ignores such updates before their turn (src/bot/middlewares/well-formed.ts: none is of a
    // type it handles today), so the turn is driven here on its own.
    const state = newState();
    const { deps } = await chatWith(my.api, { state });
    const turn = conversationTurn(deps, { deduplicate: true }) as MiddlewareFn<BotContext>;
    const poll = {
      update_id: 987_654_321,
      poll: {
        id: "p",
        question: "?",
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: "regular",
        allows_multiple_answers: false,
      },
    };
    let ran = 0;
    for (let delivery = 0; delivery < 2; delivery++)
      await turn({ update: poll } as unknown as BotContext, async () => {
        ran++;
      });
    expect(ran).toBe(1);
    expect(await state.updates.handled(poll.update_id)).toBe(true);
  });
});

describe("an update's turn with the state in Redis", () => {
  let client: Redis;
  beforeAll(() => {
    client = connectRedis(redis.url);
  });
  afterAll(() => client.disconnect());

  it("takes two round trips to Redis for a question answered: one before, one after", async () => {
    const state = createRedisState(client, { ttlSeconds: 3600 });
    const chat = await chatWith(my.api, { state });
    const user = nextUser++;
    await chat.say(user, "incubators in Kazakhstan");
    const sent = vi.spyOn(client, "sendCommand");
    try {
      await chat.say(user, "incubators in Uzbekistan");
      expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha", "evalsha"]);
    } finally {
      sent.mockRestore();
    }
  });
});
