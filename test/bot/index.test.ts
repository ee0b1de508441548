import { afterEach, describe, expect, it, vi } from "vitest";
import { API_TIMEOUT_SECONDS, LONG_POLL_SECONDS, createBot } from "../../src/bot/index.js";
import { testDeps } from "../helpers/bot-deps.js";
import { apiErrors, startFakeBotApi, type FakeBotApi } from "../helpers/fake-bot-api.js";

let api: FakeBotApi | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await api?.close();
  api = undefined;
});

describe("the bot's Telegram client", () => {
  it("gives up a call Telegram leaves unanswered after API_TIMEOUT_SECONDS and tries it again", async () => {
    api = await startFakeBotApi();
    const fake = api;
    // The first sendMessage reaches Telegram and never gets an answer (a hung connection); the next is answered.
    let hung = 0;
    fake.setHandler("sendMessage", (_payload, { fallback }) => (hung++ === 0 ? new Promise(() => {}) : fallback()));
    const bot = createBot(await testDeps(), { token: fake.token, apiRoot: fake.apiRoot, botInfo: fake.botInfo });
    // Only the timers: the HTTP traffic to the fake stays real.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const sent = bot.api.sendMessage(7, "hello");
    await vi.waitFor(() => expect(fake.callsOf("sendMessage")).toHaveLength(1), { interval: 5 });

    await vi.advanceTimersByTimeAsync((API_TIMEOUT_SECONDS - 1) * 1000);
    expect(fake.callsOf("sendMessage")).toHaveLength(1);
    // Given up at the timeout, then tried again after the first pause (1 s, src/bot/network-retry.ts).
    await vi.advanceTimersByTimeAsync(1000 + 1000);
    await vi.waitFor(() => expect(fake.callsOf("sendMessage")).toHaveLength(2), { interval: 5 });
    await expect(sent).resolves.toMatchObject({ text: "hello" });
  });

  it("tries a call that fails on the way to Telegram again until it answers, at most 10 s apart", async () => {
    api = await startFakeBotApi();
    const fake = api;
    // Telegram unreachable for eight tries (the connection dropped), then back.
    fake.failNext("sendMessage", { error_code: 0, description: "", dropConnection: true }, 8);
    const bot = createBot(await testDeps(), { token: fake.token, apiRoot: fake.apiRoot, botInfo: fake.botInfo });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const sent = bot.api.sendMessage(7, "hello");
    await vi.waitFor(() => expect(fake.callsOf("sendMessage")).toHaveLength(1), { interval: 5 });
    const waits = [1, 2, 4, 8, 10, 10, 10, 10];
    for (const [i, wait] of waits.entries()) {
      await vi.advanceTimersByTimeAsync(wait * 1000 - 1);
      expect(fake.callsOf("sendMessage")).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      await vi.waitFor(() => expect(fake.callsOf("sendMessage")).toHaveLength(i + 2), { interval: 5 });
    }
    await expect(sent).resolves.toMatchObject({ text: "hello" });
  });

  it("waits out Telegram's flood limit as often as it answers 429, not three times only", async () => {
    api = await startFakeBotApi();
    const fake = api;
    fake.failNext("sendMessage", apiErrors.tooManyRequests(1), 6);
    const bot = createBot(await testDeps(), { token: fake.token, apiRoot: fake.apiRoot, botInfo: fake.botInfo });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const sent = bot.api.sendMessage(7, "hello");
    for (let tries = 1; tries <= 7; tries++) {
      await vi.waitFor(() => expect(fake.callsOf("sendMessage")).toHaveLength(tries), { interval: 5 });
      // retry_after and at most a second more.
      await vi.advanceTimersByTimeAsync(2000);
    }
    await expect(sent).resolves.toMatchObject({ text: "hello" });
    expect(fake.callsOf("sendMessage").map((c) => c.response?.ok)).toEqual([...Array(6).fill(false), true]);
  });

  it("waits out a long poll: its timeout is over the time Telegram holds one, and under a minute", () => {
    expect(API_TIMEOUT_SECONDS).toBeGreaterThan(LONG_POLL_SECONDS);
    expect(API_TIMEOUT_SECONDS).toBeLessThanOrEqual(60);
  });
});
