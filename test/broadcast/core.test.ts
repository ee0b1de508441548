// The pieces both engines share, and the fake Bot API's Telegram rate limits the engines are tested against.
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { defaultConcurrency, defaultRate } from "../../src/broadcast/config.js";
import { estimateBilledMessages, SecondCounter, starsFor } from "../../src/broadcast/cost.js";
import {
  chatSpacingMs,
  checkRequest,
  classifyError,
  engineSettings,
  limiterFor,
  pickContent,
  uniqueRecipients,
  visibleLength,
} from "../../src/broadcast/core.js";
import { broadcastSettingsFromEnv, ConfigError } from "../../src/config.js";
import { telegramRateLimits } from "../helpers/fake-bot-api.js";
import type { SendAttempt } from "../helpers/fake-bot-api.js";

describe("broadcast settings from the environment", () => {
  it("has defaults just under Telegram's limit", () => {
    expect(broadcastSettingsFromEnv({})).toEqual({ ratePerSecond: 28, maxAttempts: 5, lockMs: 30_000, paid: false });
    expect(broadcastSettingsFromEnv({ BROADCAST_RATE_PER_SECOND: "", BROADCAST_MAX_ATTEMPTS: " " })).toMatchObject({
      ratePerSecond: 28,
      maxAttempts: 5,
    });
  });

  it("reads every BROADCAST_* variable", () => {
    expect(
      broadcastSettingsFromEnv({
        BROADCAST_RATE_PER_SECOND: "12.5",
        BROADCAST_MAX_ATTEMPTS: "3",
        BROADCAST_CONCURRENCY: "8",
        BROADCAST_LOCK_SECONDS: "2.5",
      }),
    ).toEqual({ ratePerSecond: 12.5, maxAttempts: 3, concurrency: 8, lockMs: 2500, paid: false });
  });

  it("paid broadcasting raises the default rate to 950 a second and allows up to Telegram's 1000", () => {
    expect(broadcastSettingsFromEnv({ BROADCAST_PAID: "true" })).toEqual({
      ratePerSecond: 950,
      maxAttempts: 5,
      lockMs: 30_000,
      paid: true,
    });
    for (const yes of ["1", "TRUE", " yes ", "on"])
      expect(broadcastSettingsFromEnv({ BROADCAST_PAID: yes })).toMatchObject({ paid: true, ratePerSecond: 950 });
    for (const no of ["false", "0", "No", "off", ""])
      expect(broadcastSettingsFromEnv({ BROADCAST_PAID: no })).toMatchObject({ paid: false, ratePerSecond: 28 });
    expect(broadcastSettingsFromEnv({ BROADCAST_PAID: "true", BROADCAST_RATE_PER_SECOND: "1000" })).toMatchObject({
      paid: true,
      ratePerSecond: 1000,
    });
    // Without paid broadcasting an explicit rate is taken as it is; with it, a rate above 1000 is refused.
    expect(broadcastSettingsFromEnv({ BROADCAST_RATE_PER_SECOND: "1500" })).toMatchObject({
      paid: false,
      ratePerSecond: 1500,
    });
    expect(() => broadcastSettingsFromEnv({ BROADCAST_PAID: "true", BROADCAST_RATE_PER_SECOND: "1500" })).toThrow(
      /BROADCAST_RATE_PER_SECOND must be at most 1000 with BROADCAST_PAID/,
    );
  });

  it("refuses a paid switch that is not true or false, without its value", () => {
    let error: unknown;
    try {
      broadcastSettingsFromEnv({ BROADCAST_PAID: "sometimes-secret" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(["BROADCAST_PAID must be true or false"]);
  });

  it("names bad variables without their values", () => {
    let error: unknown;
    try {
      broadcastSettingsFromEnv({ BROADCAST_RATE_PER_SECOND: "-4secret", BROADCAST_MAX_ATTEMPTS: "0" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(" ")[0])).toEqual(["BROADCAST_RATE_PER_SECOND", "BROADCAST_MAX_ATTEMPTS"]);
    expect(problems.join(" ")).not.toContain("secret");
  });

  it("derives the concurrency from the rate", () => {
    expect(defaultConcurrency(28)).toBe(14);
    expect(defaultConcurrency(1)).toBe(4);
    expect(defaultConcurrency(1000)).toBe(50);
  });
});

describe("pacing", () => {
  it("spreads the rate over windows of 100–250 ms, never faster than asked", () => {
    expect(limiterFor(30)).toEqual({ max: 3, duration: 100 });
    expect(limiterFor(28)).toEqual({ max: 4, duration: 143 });
    expect(limiterFor(400)).toEqual({ max: 40, duration: 100 });
    expect(limiterFor(1)).toEqual({ max: 1, duration: 1000 });
    expect(limiterFor(0.5)).toEqual({ max: 1, duration: 2000 });
    for (let rate = 0.5; rate <= 300; rate += 0.5) {
      const { max, duration } = limiterFor(rate);
      const achieved = (1000 * max) / duration;
      expect(achieved).toBeLessThanOrEqual(rate + 1e-9);
      expect(achieved).toBeGreaterThanOrEqual(rate * 0.98);
    }
  });

  it("spaces messages to one chat by a second, to a group by three, with a margin", () => {
    expect(chatSpacingMs(42)).toBe(1250);
    expect(chatSpacingMs(-1001234567890)).toBe(3250);
  });

  it("gives both engines the same settings: defaults from the rate, whole tries and sends, a positive rate", () => {
    expect(engineSettings({})).toEqual({ paid: false, rate: 28, maxAttempts: 5, concurrency: 14, backoffMs: 1000 });
    expect(engineSettings({ paid: true })).toMatchObject({ paid: true, rate: 950, concurrency: 50 });
    expect(engineSettings({ ratePerSecond: 10, maxAttempts: 2.7, concurrency: 0, backoffMs: 5 })).toEqual({
      paid: false,
      rate: 10,
      maxAttempts: 2,
      concurrency: 1,
      backoffMs: 5,
    });
    expect(engineSettings({ maxAttempts: 0 }).maxAttempts).toBe(1);
    for (const ratePerSecond of [0, -1, Number.NaN])
      expect(() => engineSettings({ ratePerSecond })).toThrow("ratePerSecond must be positive");
  });
});

describe("paid broadcasting: pace and cost", () => {
  it("paces a paid broadcast at 950 a second in windows of 100 ms, a free one at 28", () => {
    expect(defaultRate(true)).toBe(950);
    expect(defaultRate(false)).toBe(28);
    expect(limiterFor(defaultRate(true))).toEqual({ max: 95, duration: 100 });
    expect(limiterFor(1000)).toEqual({ max: 100, duration: 100 });
  });

  it("estimates the messages billed: in each second the first 30 are free", () => {
    expect(estimateBilledMessages(10_000, 28)).toBe(0); // never over the free rate
    expect(estimateBilledMessages(10_000, 30)).toBe(0);
    expect(estimateBilledMessages(30, 950)).toBe(0);
    expect(estimateBilledMessages(100, 950)).toBe(70);
    expect(estimateBilledMessages(950, 950)).toBe(920);
    expect(estimateBilledMessages(1000, 950)).toBe(920 + 20);
    expect(estimateBilledMessages(10_000, 950)).toBe(10 * 920 + (500 - 30));
    expect(estimateBilledMessages(0, 950)).toBe(0);
  });

  it("prices billed messages at 0.1 Star, exact to the tenth", () => {
    expect(starsFor(0)).toBe(0);
    expect(starsFor(1)).toBe(0.1);
    expect(starsFor(3)).toBe(0.3);
    expect(starsFor(9_670)).toBe(967);
  });

  it("counts the messages of each second of the clock past the free 30", () => {
    const counter = new SecondCounter();
    const t0 = 1_700_000_000_000;
    const over = Array.from({ length: 45 }, (_, i) => counter.add(t0 + i * 10));
    expect(over.filter(Boolean)).toHaveLength(15);
    expect(over.slice(0, 30).some(Boolean)).toBe(false);
    expect(counter.add(t0 + 1000)).toBe(false); // a new second starts free
  });
});

describe("requests and content", () => {
  it("counts the text Telegram shows of HTML from before entities, not the markup", () => {
    expect(visibleLength('<b>Hi</b> &amp; <a href="https://x.org">bye</a> &#128512;')).toBe("Hi & bye _".length);
  });

  it("picks the recipient's language variant, else the default", () => {
    const content = { default: { text: "en" }, variants: { fr: { text: "fr" }, ru: { html: "<b>ru</b>" } } };
    expect(pickContent(content, "fr")).toEqual({ text: "fr" });
    expect(pickContent(content, "ru")).toEqual({ html: "<b>ru</b>" });
    expect(pickContent(content, "zh")).toEqual({ text: "en" });
    expect(pickContent(content, "")).toEqual({ text: "en" });
  });

  it("keeps one entry per chat and drops unusable chat ids", () => {
    expect(
      uniqueRecipients([
        { chatId: 1, lang: "fr" },
        { chatId: 1, lang: "ru" },
        { chatId: 0, lang: "en" },
        { chatId: 2.5, lang: "en" },
        { chatId: -3, lang: "xx" },
      ]),
    ).toEqual([
      { chatId: 1, lang: "fr" },
      { chatId: -3, lang: "" },
    ]);
    expect(() => uniqueRecipients("nope")).toThrow(/array/);
  });

  it("refuses what Telegram would refuse", () => {
    const base = { id: "a", createdBy: 1, audience: {}, content: { default: { text: "x" } } };
    expect(checkRequest(base).audienceJson).toBe("{}");
    const url = { type: "text_link", offset: 0, length: 1, url: "https://x.org" } as const;
    expect(checkRequest({ ...base, content: { default: { text: "x", entities: [url] } } }).request.content).toEqual({
      default: { text: "x", entities: [url] },
    });
    expect(() =>
      checkRequest({ ...base, content: { default: { text: "x", entities: [{ ...url, length: 0 }] } } }),
    ).toThrow(/entities/);
    expect(() => checkRequest({ ...base, content: { default: { text: "x", html: "x" } as never } })).toThrow();
    expect(() =>
      checkRequest({
        ...base,
        content: { default: { text: "x", photo: "AgACAgIAAxkBAAIBZ2Yq", document: "BQACAgIAAxkBAAIBZ2Yq" } },
      }),
    ).toThrow(/combined/);
    expect(() =>
      checkRequest({ ...base, content: { default: { text: "x", photo: "http://insecure.example/p.png" } } }),
    ).toThrow(/file_id or an https/);
    expect(() =>
      checkRequest({ ...base, content: { default: { text: "x" }, variants: { de: { text: "y" } } as never } }),
    ).toThrow();
    expect(() => checkRequest({ ...base, progress: { chatId: 0, messageId: 1 } })).toThrow(/progress/);
    expect(() => checkRequest({ ...base, audience: { n: 1n } })).toThrow(/audience/);
  });

  it("takes inline buttons under a message, within Telegram's limits", () => {
    const base = { id: "a", createdBy: 1, audience: {} };
    const button = { text: "⚙️ Manage", callback_data: "s:o" };
    const keyboard = { inline_keyboard: [[button, { text: "Open", url: "https://t.me/bot?start=r_x" }]] };
    expect(
      checkRequest({
        ...base,
        content: {
          default: { text: "x", keyboard },
          variants: { fr: { text: "y", photo: "AgACAgIAAxkBAAIBZ2Yq", keyboard } },
        },
      }).request.content.default.keyboard,
    ).toEqual(keyboard);
    expect(() =>
      checkRequest({
        ...base,
        content: { default: { text: "x", keyboard: { inline_keyboard: [Array(9).fill(button)] } } },
      }),
    ).toThrow(/keyboard/);
    expect(() =>
      checkRequest({
        ...base,
        content: { default: { text: "x", keyboard: { inline_keyboard: Array(13).fill(Array(8).fill(button)) } } },
      }),
    ).toThrow(/100 buttons/);
    expect(() =>
      checkRequest({
        ...base,
        content: { default: { text: "x", keyboard: { inline_keyboard: [[{ ...button, text: "" }]] } } },
      }),
    ).toThrow(/keyboard/);
    expect(() =>
      checkRequest({
        ...base,
        content: { default: { text: "x", keyboard: { inline_keyboard: [[button]], extra: 1 } as never } },
      }),
    ).toThrow(/keyboard/);
  });
});

describe("error classification", () => {
  const grammy = (error_code: number, description: string, parameters = {}) =>
    new GrammyError("call failed", { ok: false, error_code, description, parameters }, "sendMessage", {});

  it("tells flood control, unreachable chats, permanent and transient failures apart", () => {
    expect(classifyError(grammy(429, "Too Many Requests: retry after 7", { retry_after: 7 }))).toMatchObject({
      kind: "rate-limit",
      retryAfterMs: 7000,
    });
    expect(classifyError(grammy(429, "Too Many Requests"))).toMatchObject({ kind: "rate-limit", retryAfterMs: 1000 });
    expect(classifyError(grammy(403, "Forbidden: bot was blocked by the user"))).toMatchObject({
      kind: "inactive",
      reason: "blocked",
    });
    expect(classifyError(grammy(403, "Forbidden: bot was kicked from the group chat"))).toMatchObject({
      kind: "inactive",
      reason: "blocked",
    });
    expect(classifyError(grammy(400, "Bad Request: chat not found"))).toMatchObject({
      kind: "inactive",
      reason: "not-found",
    });
    expect(classifyError(grammy(400, "Bad Request: can't parse entities"))).toMatchObject({ kind: "permanent" });
    expect(classifyError(grammy(502, "Bad Gateway"))).toMatchObject({ kind: "transient" });
    expect(classifyError(grammy(401, "Unauthorized"))).toMatchObject({ kind: "transient" });
    expect(
      classifyError(new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET"))),
    ).toMatchObject({ kind: "transient" });
    // Same shape, not grammY's class.
    expect(classifyError({ error_code: 403, description: "Forbidden: user is deactivated" })).toMatchObject({
      kind: "inactive",
    });
  });
});

describe("fake Bot API: Telegram's rate limits", () => {
  const attempt = (chatId: number, at: number, chatType: SendAttempt["chatType"] = "private"): SendAttempt => ({
    method: "sendMessage",
    chatId,
    chatType,
    payload: {},
    at,
  });

  it("lets a steady rate through and answers 429 with retry_after to a burst beyond it", () => {
    const policy = telegramRateLimits({ globalPerSecond: 10 });
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) expect(policy(attempt(i + 1, t0 + i * 100))).toBeUndefined();
    const at = t0 + 5000;
    for (let i = 0; i < 10; i++) expect(policy(attempt(100 + i, at))).toBeUndefined();
    expect(policy(attempt(200, at))).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    // Everyone waits out the retry_after.
    expect(policy(attempt(201, at + 900))?.error_code).toBe(429);
    expect(policy(attempt(202, at + 1000))).toBeUndefined();
    expect(policy.stats.rejections.map((r) => r.scope)).toEqual(["global", "penalty"]);
    expect(policy.stats.allowed).toBe(61);
  });

  it("allows one message a second per chat and 20 a minute per group", () => {
    const policy = telegramRateLimits({ globalPerSecond: 1000 });
    const t0 = Date.now();
    expect(policy(attempt(5, t0))).toBeUndefined();
    expect(policy(attempt(5, t0 + 500))).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    expect(policy(attempt(6, t0 + 500))).toBeUndefined();
    expect(policy(attempt(5, t0 + 1500))).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(policy(attempt(-9, t0 + i * 1000, "group"))).toBeUndefined();
    expect(policy(attempt(-9, t0 + 20_000, "group"))).toMatchObject({
      error_code: 429,
      parameters: { retry_after: 40 },
    });
    policy.reset();
    expect(policy(attempt(-9, t0 + 20_000, "group"))).toBeUndefined();
    expect(policy.stats).toEqual({ allowed: 1, paid: 0, billed: 0, rejections: [] });
  });

  const paidAttempt = (chatId: number, at: number): SendAttempt => ({
    ...attempt(chatId, at),
    payload: { allow_paid_broadcast: true },
  });

  it("holds sends without allow_paid_broadcast to the free 30 a second: a 31st answers 429 with retry_after", () => {
    const policy = telegramRateLimits({ globalPerSecond: 30, paidPerSecond: 1000 });
    const at = Math.ceil(Date.now() / 1000) * 1000 + 5000;
    for (let i = 0; i < 30; i++) expect(policy(attempt(1 + i, at))).toBeUndefined();
    expect(policy(attempt(100, at + 10))).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    // The free limit's retry_after holds sends without the flag, not paid broadcasts.
    expect(policy(attempt(101, at + 500))?.error_code).toBe(429);
    expect(policy(paidAttempt(102, at + 500))).toBeUndefined();
    expect(policy.stats.rejections.map((r) => [r.scope, r.paid])).toEqual([
      ["global", false],
      ["penalty", false],
    ]);
  });

  it("lets paid broadcasts through up to 1000 a second, answers 429 beyond, and bills those over the free 30 of each second", () => {
    const policy = telegramRateLimits({ globalPerSecond: 30, paidPerSecond: 1000 });
    const at = Math.ceil(Date.now() / 1000) * 1000 + 5000;
    for (let i = 0; i < 1000; i++) expect(policy(paidAttempt(1 + i, at))).toBeUndefined();
    expect(policy(paidAttempt(5000, at))).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    // The paid limit's retry_after holds every send, with the flag or without.
    expect(policy(attempt(5001, at + 500))?.error_code).toBe(429);
    expect(policy(paidAttempt(5002, at + 500))?.error_code).toBe(429);
    expect(policy(paidAttempt(5003, at + 1500))).toBeUndefined();
    expect(policy.stats).toMatchObject({ allowed: 1001, paid: 1001, billed: 970 }); // the send of the next second is free
    expect(policy.stats.rejections.map((r) => r.scope)).toEqual(["paid", "penalty", "penalty"]);
  });

  it("a steady 950 a second of paid broadcasts passes, the same without the flag does not", () => {
    const paid = telegramRateLimits({ globalPerSecond: 30, paidPerSecond: 1000 });
    const free = telegramRateLimits({ globalPerSecond: 30, paidPerSecond: 1000 });
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 5000;
    for (let i = 0; i < 2850; i++) {
      const at = t0 + Math.floor((i * 1000) / 950);
      paid(paidAttempt(10_000 + i, at));
      free(attempt(10_000 + i, at));
    }
    expect(paid.stats.rejections).toEqual([]);
    expect(paid.stats).toMatchObject({ allowed: 2850, paid: 2850, billed: 3 * (950 - 30) });
    expect(free.stats.allowed).toBeLessThan(150);
    expect(free.stats.rejections.length).toBeGreaterThan(2700);
  });
});
