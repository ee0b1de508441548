import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { createMemoryState } from "../../../src/state/memory.js";
import type { StateBackend } from "../../../src/state/types.js";
import { chatWith, data, shown, useFakeBotApi } from "../../helpers/chat.js";
import type { RecordedCall } from "../../helpers/fake-bot-api.js";
import { captureLogs } from "../../helpers/logs.js";
import { redisForTests } from "../../helpers/redis-server.js";

/**
 * One chat's updates are handled one at a time across bot processes on the same state: each update's
 * session is read and written under the chat's lease. An update that cannot have the lease within the
 * wait is not handled, and the user is asked to send it again.
 */

const my = useFakeBotApi();
const redis = redisForTests();

/** A state backend of its own on the test redis-server: what one bot process has. */
const redisState = (): StateBackend => redis.state();

const BUSY = {
  en: "I am still working on your previous message. Please send this one again in a moment.",
  fr: "Je traite encore votre message précédent. Renvoyez celui-ci dans un instant, s’il vous plaît.",
};

let nextUser = 9100;

describe("two bot processes on one Redis, one user's 50 concurrent button presses", () => {
  it("toggles all 50 subscription choices: no session write is lost", async () => {
    // A generous wait: this is about lost writes, not about how long a replica may wait its turn.
    const settings = { lease: { ttlMs: 30_000, waitMs: 60_000 } };
    const replicas = [
      await chatWith(my.api, { state: redisState(), settings }),
      await chatWith(my.api, { state: redisState(), settings }),
    ] as const;
    const user = nextUser++;
    const [first] = replicas;
    const menu = shown(await first.say(user, "/subscribe"));
    // The toggle buttons of every page of every facet, as the menus offer them.
    const toggles: string[] = [];
    for (const facet of data(menu).filter((d) => d.startsWith("s:f:"))) {
      const [, , letter] = facet.split(":");
      for (let number = 0; ; number++) {
        const view = shown(
          await first.press(user, `s:f:${letter}:${number}`, { messageId: menu.message_id as number, force: true }),
        );
        toggles.push(...data(view).filter((d) => d.startsWith("s:t:")));
        if (!data(view).includes(`s:f:${letter}:${number + 1}`)) break;
      }
    }
    const chosen = toggles.slice(0, 50);
    expect(new Set(chosen).size).toBe(50);

    const presses = chosen.map((d) =>
      my.api.callbackQuery({
        chatId: user,
        userId: user,
        data: d,
        messageId: menu.message_id as number,
        allowUnknownData: true,
      }),
    );
    const answers = await Promise.all(presses.map((update, i) => replicas[i % 2]!.deliver(update)));

    const draft = (await replicas[1].deps.state.sessions.read(`user:${user}`))?.subscribeDraft;
    const values = [...(draft?.topics ?? []), ...(draft?.kinds ?? []), ...(draft?.countries ?? [])];
    const lost = chosen.filter((d) => !values.includes(d.split(":")[4]!));
    expect(lost).toEqual([]);
    // Every press was handled (answered), none turned away.
    expect(answers.every((calls) => calls.some((c) => c.method === "answerCallbackQuery"))).toBe(true);
  });
});

describe.each(["memory", "redis"] as const)(
  "an update whose chat's lease is held elsewhere past the wait (%s state)",
  (backend) => {
    it("gets a notice in the user's language, runs nothing, and is logged as a warning", async () => {
      const logs = captureLogs();
      const state = backend === "redis" ? redisState() : createMemoryState({ ttlSeconds: 3600 });
      const chat = await chatWith(my.api, {
        state,
        settings: { lease: { ttlMs: 30_000, waitMs: 100 } },
        deps: { logger: logs.logger },
      });
      const user = nextUser++;
      // Another process is busy with this chat and stays busy.
      const elsewhere = await state.leases.acquire(`chat:${user}`, { ttlMs: 30_000, waitMs: 0 });
      expect(elsewhere).toBeDefined();

      const calls = await chat.say(user, "incubators in Kazakhstan", { languageCode: "fr" });
      expect(sent(calls)).toEqual([BUSY.fr]);
      expect(calls.map((c) => c.method)).toEqual(["sendMessage"]);
      // No handler ran: no session was even created.
      expect(await state.sessions.read(`user:${user}`)).toBeUndefined();
      const warning = logs.lines().find((l) => l.level === 40 && l.chat === String(user));
      expect(warning).toMatchObject({ update: expect.any(Number), chat: String(user) });
      expect(logs.text()).not.toContain("Kazakhstan");

      // A button press is answered with the notice as its toast.
      const pressed = await chat.press(user, "noop", { force: true, languageCode: "en" });
      expect(pressed.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text)).toEqual([BUSY.en]);

      // Once the other process is done, the chat is answered again.
      await elsewhere!.release();
      const after = await chat.say(user, "/help");
      expect(sent(after)[0]).toContain("How to use Cooperation Desk");
    });

    it("a redelivery of an update already handled gets no notice", async () => {
      const state = backend === "redis" ? redisState() : createMemoryState({ ttlSeconds: 3600 });
      const chat = await chatWith(my.api, { state, settings: { lease: { ttlMs: 30_000, waitMs: 50 } } });
      const user = nextUser++;
      const update = my.api.textMessage({ chatId: user, userId: user, text: "/help" });
      const first = await chat.deliver(update);
      expect(sent(first)[0]).toContain("How to use Cooperation Desk");
      const elsewhere = await state.leases.acquire(`chat:${user}`, { ttlMs: 30_000, waitMs: 0 });
      expect(await chat.deliver(update)).toEqual([]);
      await elsewhere!.release();
    });

    it("is told in the language the conversation already has", async () => {
      const state = backend === "redis" ? redisState() : createMemoryState({ ttlSeconds: 3600 });
      const chat = await chatWith(my.api, { state, settings: { lease: { ttlMs: 30_000, waitMs: 50 } } });
      const user = nextUser++;
      await state.sessions.write(`user:${user}`, { lang: "fr", langChosen: true });
      const elsewhere = await state.leases.acquire(`chat:${user}`, { ttlMs: 30_000, waitMs: 0 });
      expect(sent(await chat.say(user, "/help", { languageCode: "en" }))).toEqual([BUSY.fr]);
      await elsewhere!.release();
    });
  },
);

describe("a state failure while taking the chat's lease", () => {
  it("goes to the error boundary: an apology with an error id, nothing else", async () => {
    const memory = createMemoryState({ ttlSeconds: 3600 });
    const broken: StateBackend = {
      ...memory,
      turns: { begin: () => Promise.reject(new Error("Connection is closed.")) },
    };
    const logs = captureLogs();
    const chat = await chatWith(my.api, { state: broken, deps: { logger: logs.logger } });
    const user = nextUser++;
    const replies = sent(await chat.say(user, "/help"));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^Sorry, something went wrong on our side\. .*error [0-9A-F]{6}\.$/);
    expect(logs.lines().some((l) => l.level === 50 && l.message === "Connection is closed.")).toBe(true);
  });
});

describe("chat lease settings", () => {
  it("default to a 5 s lease and a 10 s wait, and refuse values out of range", () => {
    expect(loadConfig({})).toMatchObject({ CHAT_LEASE_TTL_SECONDS: 5, CHAT_LEASE_WAIT_SECONDS: 10 });
    expect(loadConfig({ CHAT_LEASE_TTL_SECONDS: "60", CHAT_LEASE_WAIT_SECONDS: "0" })).toMatchObject({
      CHAT_LEASE_TTL_SECONDS: 60,
      CHAT_LEASE_WAIT_SECONDS: 0,
    });
    expect(() => loadConfig({ CHAT_LEASE_TTL_SECONDS: "1" })).toThrow(/CHAT_LEASE_TTL_SECONDS/);
    expect(() => loadConfig({ CHAT_LEASE_WAIT_SECONDS: "30" })).toThrow(/CHAT_LEASE_WAIT_SECONDS/);
    expect(() => loadConfig({ CHAT_LEASE_WAIT_SECONDS: "2.5" })).toThrow(/CHAT_LEASE_WAIT_SECONDS/);
  });
});

function sent(calls: RecordedCall[]): string[] {
  return calls.filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));
}
