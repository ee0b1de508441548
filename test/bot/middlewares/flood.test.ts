import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { createMemoryState } from "../../../src/state/memory.js";
import type { StateBackend } from "../../../src/state/types.js";
import { chatWith, useFakeBotApi, type Chat } from "../../helpers/chat.js";
import type { RecordedCall } from "../../helpers/fake-bot-api.js";
import { redisForTests } from "../../helpers/redis-server.js";

/**
 * Per-user flood control on incoming messages: a user's messages over the limit of a window are not
 * answered, the first one over gets one polite notice in their language. Counted in the state layer:
 * in Redis, the limit holds across bot processes.
 */

const flood = { maxMessages: 3, windowSeconds: 3600 };
const NOTICE = {
  en: "You are sending messages faster than I can answer them. Please wait a little, then ask again.",
  fr: "Vous envoyez des messages plus vite que je ne peux y répondre. Patientez un peu, puis posez à nouveau votre question.",
};

const my = useFakeBotApi();
const redis = redisForTests();

/** A state backend of its own on the test redis-server: what one bot process has. */
const redisState = (): StateBackend => redis.state();

const sent = (calls: RecordedCall[]) =>
  calls.filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));

let nextUser = 8100;

describe.each(["memory", "redis"] as const)("flood control, %s state", (backend) => {
  let chat: Chat;
  beforeAll(async () => {
    chat = await chatWith(my.api, {
      state: backend === "redis" ? redisState() : createMemoryState({ ttlSeconds: 3600 }),
      settings: { flood },
    });
  });

  it("answers the first messages of a window, sends one notice for the next, then nothing", async () => {
    const user = nextUser++;
    const replies: string[][] = [];
    for (let i = 0; i < 6; i++) replies.push(sent(await chat.say(user, "/help", { languageCode: "fr" })));
    expect(replies.slice(0, 3).every((r) => r.length === 1 && r[0] !== NOTICE.fr)).toBe(true);
    expect(replies[3]).toEqual([NOTICE.fr]);
    expect(replies.slice(4)).toEqual([[], []]);
  });

  it("counts each user on their own, and not their button presses", async () => {
    const [busy, other] = [nextUser++, nextUser++];
    for (let i = 0; i < 4; i++) await chat.say(busy, "/help");
    expect(sent(await chat.say(other, "/help"))).toHaveLength(1);
    // A button press of the user who is over the limit is still answered.
    expect((await chat.press(busy, "noop", { force: true })).some((c) => c.method === "answerCallbackQuery")).toBe(
      true,
    );
  });
});

describe("flood control across two bot processes on one Redis", () => {
  it("holds for a user whose messages are spread over both", async () => {
    const first = await chatWith(my.api, { state: redisState(), settings: { flood } });
    const second = await chatWith(my.api, { state: redisState(), settings: { flood } });
    const user = nextUser++;
    const replies: string[][] = [];
    for (let i = 0; i < 6; i++) replies.push(sent(await (i % 2 === 0 ? first : second).say(user, "/help")));
    expect(replies.filter((r) => r.length === 1 && r[0] !== NOTICE.en)).toHaveLength(3);
    expect(replies.filter((r) => r[0] === NOTICE.en)).toHaveLength(1);
    expect(replies.filter((r) => r.length === 0)).toHaveLength(2);
  });
});

describe("flood control settings", () => {
  it("defaults to 20 messages a minute, and FLOOD_MAX_MESSAGES=0 turns it off", () => {
    expect(loadConfig({})).toMatchObject({ FLOOD_MAX_MESSAGES: 20, FLOOD_WINDOW_SECONDS: 60 });
    expect(loadConfig({ FLOOD_MAX_MESSAGES: "0", FLOOD_WINDOW_SECONDS: "10" })).toMatchObject({
      FLOOD_MAX_MESSAGES: 0,
      FLOOD_WINDOW_SECONDS: 10,
    });
    expect(() => loadConfig({ FLOOD_WINDOW_SECONDS: "0" })).toThrow(/FLOOD_WINDOW_SECONDS/);
    expect(() => loadConfig({ FLOOD_MAX_MESSAGES: "-1" })).toThrow(/FLOOD_MAX_MESSAGES/);
  });
});
