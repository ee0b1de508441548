// The pieces both engines share, and the fake Bot API's Telegram rate limits the engines are tested against.
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { defaultConcurrency } from "../../src/broadcast/config.js";
import { chatSpacingMs, checkRequest, classifyError, limiterFor, pickContent, uniqueRecipients, visibleLength } from "../../src/broadcast/core.js";
import { broadcastSettingsFromEnv, ConfigError } from "../../src/config.js";
import { telegramRateLimits } from "../helpers/fake-bot-api.js";
import type { SendAttempt } from "../helpers/fake-bot-api.js";

describe("broadcast settings from the environment", () => {
  it("has defaults just under Telegram's limit", () => {
    expect(broadcastSettingsFromEnv({})).toEqual({ ratePerSecond: 28, maxAttempts: 5, lockMs: 30_000 });
    expect(broadcastSettingsFromEnv({ BROADCAST_RATE_PER_SECOND: "", BROADCAST_MAX_ATTEMPTS: " " })).toMatchObject({ ratePerSecond: 28, maxAttempts: 5 });
  });

  it("reads every BROADCAST_* variable", () => {
    expect(
      broadcastSettingsFromEnv({ BROADCAST_RATE_PER_SECOND: "12.5", BROADCAST_MAX_ATTEMPTS: "3", BROADCAST_CONCURRENCY: "8", BROADCAST_LOCK_SECONDS: "2.5" }),
    ).toEqual({ ratePerSecond: 12.5, maxAttempts: 3, concurrency: 8, lockMs: 2500 });
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
});

describe("requests and content", () => {
  it("counts the text Telegram shows, not the markup", () => {
    expect(visibleLength("<b>Hi</b> &amp; <a href=\"https://x.org\">bye</a> &#128512;")).toBe("Hi & bye _".length);
  });

  it("picks the recipient's language variant, else the default", () => {
    const content = { default: { html: "en" }, variants: { fr: { html: "fr" } } };
    expect(pickContent(content, "fr").html).toBe("fr");
    expect(pickContent(content, "ru").html).toBe("en");
    expect(pickContent(content, "").html).toBe("en");
  });

  it("keeps one entry per chat and drops unusable chat ids", () => {
    expect(uniqueRecipients([{ chatId: 1, lang: "fr" }, { chatId: 1, lang: "ru" }, { chatId: 0, lang: "en" }, { chatId: 2.5, lang: "en" }, { chatId: -3, lang: "xx" }])).toEqual([
      { chatId: 1, lang: "fr" },
      { chatId: -3, lang: "" },
    ]);
    expect(() => uniqueRecipients("nope")).toThrow(/array/);
  });

  it("refuses what Telegram would refuse", () => {
    const base = { id: "a", createdBy: 1, audience: {}, content: { default: { html: "x" } } };
    expect(checkRequest(base).audienceJson).toBe("{}");
    expect(() => checkRequest({ ...base, content: { default: { html: "x", photo: "AgACAgIAAxkBAAIBZ2Yq", document: "BQACAgIAAxkBAAIBZ2Yq" } } })).toThrow(/combined/);
    expect(() => checkRequest({ ...base, content: { default: { html: "x", photo: "http://insecure.example/p.png" } } })).toThrow(/file_id or an https/);
    expect(() => checkRequest({ ...base, content: { default: { html: "x" }, variants: { de: { html: "y" } } as never } })).toThrow();
    expect(() => checkRequest({ ...base, progress: { chatId: 0, messageId: 1 } })).toThrow(/progress/);
    expect(() => checkRequest({ ...base, audience: { n: 1n } })).toThrow(/audience/);
  });
});

describe("error classification", () => {
  const grammy = (error_code: number, description: string, parameters = {}) =>
    new GrammyError("call failed", { ok: false, error_code, description, parameters }, "sendMessage", {});

  it("tells flood control, unreachable chats, permanent and transient failures apart", () => {
    expect(classifyError(grammy(429, "Too Many Requests: retry after 7", { retry_after: 7 }))).toMatchObject({ kind: "rate-limit", retryAfterMs: 7000 });
    expect(classifyError(grammy(429, "Too Many Requests"))).toMatchObject({ kind: "rate-limit", retryAfterMs: 1000 });
    expect(classifyError(grammy(403, "Forbidden: bot was blocked by the user"))).toMatchObject({ kind: "inactive", reason: "blocked" });
    expect(classifyError(grammy(403, "Forbidden: bot was kicked from the group chat"))).toMatchObject({ kind: "inactive", reason: "blocked" });
    expect(classifyError(grammy(400, "Bad Request: chat not found"))).toMatchObject({ kind: "inactive", reason: "not-found" });
    expect(classifyError(grammy(400, "Bad Request: can't parse entities"))).toMatchObject({ kind: "permanent" });
    expect(classifyError(grammy(502, "Bad Gateway"))).toMatchObject({ kind: "transient" });
    expect(classifyError(grammy(401, "Unauthorized"))).toMatchObject({ kind: "transient" });
    expect(classifyError(new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET")))).toMatchObject({ kind: "transient" });
    // Same shape, not grammY's class.
    expect(classifyError({ error_code: 403, description: "Forbidden: user is deactivated" })).toMatchObject({ kind: "inactive" });
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
    expect(policy(attempt(-9, t0 + 20_000, "group"))).toMatchObject({ error_code: 429, parameters: { retry_after: 40 } });
    policy.reset();
    expect(policy(attempt(-9, t0 + 20_000, "group"))).toBeUndefined();
    expect(policy.stats).toEqual({ allowed: 1, rejections: [] });
  });
});
