import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatWith, useFakeBotApi, type Chat } from "../../helpers/chat.js";
import { captureLogs } from "../../helpers/logs.js";

/**
 * Updates of types the bot does not ask for (ALLOWED_UPDATES) can still come from a Bot API server that
 * delivers everything: they are ignored without a failure, a reply or a lease.
 */

const my = useFakeBotApi();
let chat: Chat;
const logs = captureLogs("debug");
beforeAll(async () => {
  chat = await chatWith(my.api, { deps: { logger: logs.logger } });
});
afterAll(async () => {
  await chat.close();
});

const now = () => Math.floor(Date.now() / 1000);
const user = { id: 4321, is_bot: false, first_name: "Ada", language_code: "en" };

const unasked: [string, Omit<Update, "update_id">][] = [
  [
    "a channel post",
    {
      channel_post: {
        message_id: 1,
        date: now(),
        chat: { id: -1001234, type: "channel", title: "News" },
        text: "hello",
      },
    },
  ],
  [
    "an edited channel post",
    {
      edited_channel_post: {
        message_id: 1,
        date: now(),
        edit_date: now(),
        chat: { id: -1001234, type: "channel", title: "News" },
        text: "hi",
      },
    },
  ],
  ["a chosen inline result", { chosen_inline_result: { result_id: "r1", from: user, query: "incubators" } }],
  [
    "a reaction",
    {
      message_reaction: {
        chat: { id: 4321, type: "private", first_name: "Ada" },
        message_id: 1,
        date: now(),
        user,
        old_reaction: [],
        new_reaction: [{ type: "emoji", emoji: "👍" }],
      },
    },
  ],
  [
    "a poll's new state",
    {
      poll: {
        id: "7",
        question: "?",
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: "regular",
        allows_multiple_answers: false,
      },
    } as never,
  ],
  ["a type the Bot API adds later", { future_update: { from: user, anything: [1, 2, 3] } } as never],
];

describe("updates of types the bot does not handle", () => {
  it.each(unasked)("%s is ignored: no call to Telegram, no failure logged", async (_name, update) => {
    const before = logs.lines().length;
    const calls = await chat.deliver(update);
    expect(calls.filter((c) => c.method !== "getUpdates")).toEqual([]);
    const lines = logs.lines().slice(before);
    expect(lines.filter((l) => Number(l.level) >= 40)).toEqual([]);
    expect(lines.map((l) => l.msg)).toContain("ignored an update of a type the bot does not handle");
  });

  it("the updates the bot asks for still get through", async () => {
    const calls = await chat.say(4321, "/help");
    expect(calls.some((c) => c.method === "sendMessage")).toBe(true);
  });
});
