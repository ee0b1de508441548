// What every delivery engine does, run against the fake Bot API (real HTTP on 127.0.0.1, Telegram's rate
// limits) with a grammY Api as the sender. Used by the BullMQ and the in-memory engine's tests.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { MessageEntity } from "grammy/types";
import { BroadcastRequestError } from "../../src/broadcast/core.js";
import { estimateBilledMessages } from "../../src/broadcast/cost.js";
import type {
  BroadcastRequest,
  BroadcastStatus,
  DeliveryHooks,
  DeliveryService,
  Sender,
} from "../../src/broadcast/types.js";
import { apiErrors } from "../helpers/fake-bot-api.js";
import type { FakeBotApi } from "../helpers/fake-bot-api.js";
import {
  delivered,
  deliveriesPerChat,
  floodAfter,
  limitsFor,
  people,
  recordingHooks,
  sendCalls,
  senderFor,
  startFake,
  waitFor as waitForReal,
} from "./support.js";

export interface EngineOptions {
  sender: Sender;
  hooks: DeliveryHooks;
  /** Unset: the engine's default, which follows `paid`. */
  ratePerSecond?: number;
  paid?: boolean;
  maxAttempts: number;
  concurrency: number;
  backoffMs: number;
  progressIntervalMs: number;
}

export type MakeEngine = (options: EngineOptions) => DeliveryService;

const bold = (offset: number, length: number): MessageEntity => ({ type: "bold", offset, length });
const italic = (offset: number, length: number): MessageEntity => ({ type: "italic", offset, length });
const link = (offset: number, length: number, url: string): MessageEntity => ({
  type: "text_link",
  offset,
  length,
  url,
});

/** Sends in flight at once per engine, unless a test says otherwise. */
const CONCURRENCY = 8;

/**
 * With `fakeTimers`, each test runs on vitest's fake timers (Date, setTimeout) and its sender reaches the
 * fake Bot API in-process (`FakeBotApi.fetch`): for an engine whose only waits are its own timers (the
 * in-memory one), Telegram's limits, retries and schedules pass without their seconds going by, and what
 * is timed is timed exactly. Without, the sends go over HTTP and the waits are real (BullMQ keeps its
 * delays in Redis).
 */
export function describeDeliveryBehaviour(label: string, make: MakeEngine, { fakeTimers = false } = {}): void {
  describe(`${label}: delivery behaviour`, () => {
    let fake: FakeBotApi;
    const open: DeliveryService[] = [];
    let seq = 0;

    beforeAll(async () => {
      fake = await startFake();
    });
    afterAll(async () => {
      await fake.close();
    });
    beforeEach(() => {
      fake.reset({ state: true });
      fake.setSendPolicy(limitsFor(250));
      if (fakeTimers) vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((d) => d.close()));
      if (fakeTimers) vi.useRealTimers();
    });

    const sender = () => senderFor(fake, { inProcess: fakeTimers });

    /** Lets `ms` go by, for real or on the fake timers. */
    async function pause(ms: number): Promise<void> {
      if (fakeTimers) await vi.advanceTimersByTimeAsync(ms);
      else await new Promise((r) => setTimeout(r, ms));
    }

    /** The first value `probe()` gives that is neither undefined nor false, the time going by meanwhile. */
    async function waitFor<T>(
      what: string,
      probe: () => Promise<T | undefined | false> | T | undefined | false,
      timeoutMs = 15_000,
    ): Promise<T> {
      if (!fakeTimers) return waitForReal(what, probe as () => Promise<T | undefined>, timeoutMs);
      for (let ms = 0; ; ms += 10) {
        const value = await probe();
        if (value !== undefined && value !== false) return value;
        if (ms > timeoutMs) throw new Error(`${what} not reached in ${timeoutMs} ms of fake time`);
        await vi.advanceTimersByTimeAsync(10);
      }
    }

    function waitForEnd(delivery: DeliveryService, id: string): Promise<BroadcastStatus> {
      return waitFor(`broadcast ${id} to end`, async () => {
        const s = await delivery.status(id);
        return s && ["done", "cancelled", "failed"].includes(s.state) ? s : undefined;
      });
    }

    async function engine(hooks: DeliveryHooks, options: Partial<EngineOptions> = {}): Promise<DeliveryService> {
      const d = make({
        sender: sender(),
        hooks,
        ratePerSecond: 200,
        maxAttempts: 5,
        concurrency: CONCURRENCY,
        backoffMs: 100,
        progressIntervalMs: 300,
        ...options,
      });
      open.push(d);
      await d.startWorkers();
      return d;
    }

    function request(overrides: Partial<BroadcastRequest> = {}): BroadcastRequest {
      return {
        id: `b${Date.now().toString(36)}${seq++}`,
        createdBy: 42,
        content: { default: { text: "News for everyone", entities: [{ type: "bold", offset: 0, length: 4 }] } },
        audience: { all: true },
        progress: { chatId: 42, messageId: 7 },
        ...overrides,
      };
    }

    it("sends each recipient their language's variant, else the default, and a photo with its caption", async () => {
      const hooks = recordingHooks([
        { chatId: 101, lang: "en" },
        { chatId: 102, lang: "fr" },
        { chatId: 103, lang: "ru" },
        { chatId: 104, lang: "zh" },
        { chatId: -105, lang: "fr" },
      ]);
      const d = await engine(hooks);
      const req = request({
        audience: { topic: "events" },
        content: {
          default: { text: "Hello <all>", entities: [bold(0, 5)] },
          variants: {
            fr: { text: "Bonjour à tous", entities: [bold(0, 7)] },
            ru: { text: "Привет", entities: [italic(0, 6)], document: "https://example.org/plan.pdf" },
            zh: { text: "大家好 链接", entities: [link(4, 2, "https://example.org")], photo: "AgACAgIAAxkBAAIBZ2Yq" },
          },
        },
      });
      const scheduled = await d.schedule(req);
      expect(["scheduled", "running"]).toContain(scheduled.state);
      const end = await waitForEnd(d, req.id);
      expect(end).toMatchObject({
        state: "done",
        total: 5,
        sent: 5,
        failed: 0,
        blocked: 0,
        remaining: 0,
        createdBy: 42,
      });
      expect(end.finishedAt).toBeDefined();
      expect(hooks.resolved).toEqual([{ topic: "events" }]);

      // Text and entities as they are, no parse mode: "<all>" is text.
      const byChat = new Map(delivered(fake).map((c) => [Number(c.payload.chat_id), c]));
      expect(byChat.get(101)).toMatchObject({
        method: "sendMessage",
        payload: { text: "Hello <all>", entities: [bold(0, 5)] },
      });
      expect(byChat.get(101)?.payload).not.toHaveProperty("parse_mode");
      expect(byChat.get(102)).toMatchObject({ method: "sendMessage", payload: { text: "Bonjour à tous" } });
      expect(byChat.get(-105)).toMatchObject({ method: "sendMessage", payload: { text: "Bonjour à tous" } });
      expect(byChat.get(103)).toMatchObject({
        method: "sendDocument",
        payload: { document: "https://example.org/plan.pdf", caption: "Привет", caption_entities: [italic(0, 6)] },
      });
      expect(byChat.get(104)).toMatchObject({ method: "sendPhoto", payload: { photo: "AgACAgIAAxkBAAIBZ2Yq" } });
      expect(fake.chatHistory(101).at(-1)).toMatchObject({ text: "Hello <all>", entities: [bold(0, 5)] });
      const photo = fake.chatHistory(104).at(-1);
      expect(photo?.caption).toBe("大家好 链接");
      expect(photo?.caption_entities).toEqual([link(4, 2, "https://example.org")]);
      expect(sendCalls(fake)).toHaveLength(5);

      await waitFor("final progress report", () => hooks.progress.at(-1)?.status.state === "done");
      expect(hooks.progress.at(-1)?.status).toMatchObject({ sent: 5, remaining: 0 });
    });

    it("sends a message of HTML from before entities as HTML, as it did", async () => {
      const hooks = recordingHooks([
        { chatId: 111, lang: "en" },
        { chatId: 112, lang: "ru" },
      ]);
      const d = await engine(hooks);
      const req = request({
        content: {
          default: { html: "<b>Hello</b> &lt;all&gt;" },
          variants: { ru: { html: "<i>Привет</i>", photo: "AgACAgIAAxkBAAIBZ2Yq" } },
        },
      });
      await d.schedule(req);
      expect(await waitForEnd(d, req.id)).toMatchObject({ state: "done", sent: 2 });
      const byChat = new Map(delivered(fake).map((c) => [Number(c.payload.chat_id), c]));
      expect(byChat.get(111)?.payload).toMatchObject({ text: "<b>Hello</b> &lt;all&gt;", parse_mode: "HTML" });
      expect(byChat.get(112)?.payload).toMatchObject({ caption: "<i>Привет</i>", parse_mode: "HTML" });
      expect(fake.chatHistory(111).at(-1)).toMatchObject({ text: "Hello <all>", entities: [bold(0, 5)] });
    });

    it("marks chats that blocked the bot, were deactivated or do not exist inactive, counts them blocked and never retries them", async () => {
      const recipients = people(12, 200);
      const hooks = recordingHooks(recipients);
      fake.failChat(201, apiErrors.blockedByUser());
      fake.failChat(204, apiErrors.userDeactivated());
      fake.failChat(207, apiErrors.chatNotFound());
      const d = await engine(hooks);
      const req = request();
      await d.schedule(req);
      const end = await waitForEnd(d, req.id);
      expect(end).toMatchObject({ state: "done", total: 12, sent: 9, blocked: 3, failed: 0, remaining: 0 });
      expect([...hooks.inactive].sort((a, b) => a.chatId - b.chatId)).toEqual([
        { chatId: 201, reason: "blocked" },
        { chatId: 204, reason: "blocked" },
        { chatId: 207, reason: "not-found" },
      ]);
      await pause(300); // a retry would come after the 100 ms backoff
      for (const chatId of [201, 204, 207]) {
        expect(sendCalls(fake).filter((c) => c.payload.chat_id === chatId)).toHaveLength(1);
      }
      expect([...deliveriesPerChat(fake).values()].every((n) => n === 1)).toBe(true);
    });

    it("on a 429 pauses every send to any chat for retry_after, then delivers everything once", async () => {
      const { policy, flood } = floodAfter(20, 1, limitsFor(250));
      fake.setSendPolicy(policy);
      const recipients = people(60, 300);
      const hooks = recordingHooks(recipients);
      const d = await engine(hooks, { ratePerSecond: 100 });
      const req = request();
      await d.schedule(req);
      const end = await waitForEnd(d, req.id);
      expect(end).toMatchObject({ state: "done", total: 60, sent: 60, failed: 0, blocked: 0 });
      expect(flood.at).toBeGreaterThan(0);

      // Requests already on their way when the 429 came may still arrive (a loaded machine can hold
      // them up a little); nothing is sent afterwards until retry_after has passed.
      const grace = 300;
      const during = sendCalls(fake).filter((c) => c.at > flood.at + grace && c.at < flood.until);
      expect(during.map((c) => ({ chat: c.payload.chat_id, after: c.at - flood.at }))).toEqual([]);
      expect(flood.rejected.length).toBeLessThanOrEqual(1 + 8); // the 429 itself and at most the sends in flight
      const resumed = sendCalls(fake).filter((c) => c.at >= flood.until);
      expect(resumed.length).toBeGreaterThan(0);
      const counts = deliveriesPerChat(fake);
      expect(counts.size).toBe(60);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    });

    it("retries 5xx answers and network errors with backoff, delivering once; gives up after maxAttempts", async () => {
      const recipients = people(6, 400);
      const hooks = recordingHooks(recipients);
      fake.failChat(401, apiErrors.badGateway(), 2);
      fake.failChat(403, apiErrors.internal()); // always
      const d = await engine(hooks, { maxAttempts: 4 });
      // The first message to arrive, whichever chat it is for, meets a dropped connection.
      fake.failNext("sendMessage", { error_code: 0, description: "connection reset", dropConnection: true });
      const req = request();
      await d.schedule(req);
      const end = await waitForEnd(d, req.id);
      expect(end).toMatchObject({ state: "done", total: 6, sent: 5, failed: 1, blocked: 0 });
      const attempts = (chatId: number) => sendCalls(fake).filter((c) => c.payload.chat_id === chatId);
      const to401 = attempts(401).map((c) => c.response?.ok);
      expect(to401.at(-1)).toBe(true);
      expect(to401.slice(0, -1).every((ok) => ok === false)).toBe(true);
      expect(to401.length).toBeGreaterThanOrEqual(3);
      expect(attempts(403)).toHaveLength(4);
      expect(hooks.inactive).toEqual([]);
      // The network error hit the first send; that chat got its message on a retry.
      const first = sendCalls(fake)[0];
      expect(first?.response?.ok).toBe(false);
      const counts = deliveriesPerChat(fake);
      expect(counts.size).toBe(5);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    });

    it("does not start a scheduled broadcast before its time", async () => {
      const hooks = recordingHooks(people(5, 500));
      const d = await engine(hooks);
      const at = Date.now() + 1000;
      const req = request({ scheduledAt: new Date(at).toISOString() });
      const scheduled = await d.schedule(req);
      expect(scheduled).toMatchObject({ state: "scheduled", total: 0, scheduledAt: new Date(at).toISOString() });
      expect((await d.list())[0]?.id).toBe(req.id);
      const end = await waitForEnd(d, req.id);
      expect(end).toMatchObject({ state: "done", sent: 5 });
      // Started at its time: the audience resolved, the status's start and the first send, none before.
      expect(hooks.resolvedAt).toHaveLength(1);
      expect(hooks.resolvedAt[0]).toBeGreaterThanOrEqual(at - 5);
      expect(Date.parse(end.startedAt ?? "")).toBeGreaterThanOrEqual(at - 5);
      expect(sendCalls(fake)).toHaveLength(5);
      expect(Math.min(...sendCalls(fake).map((c) => c.at))).toBeGreaterThanOrEqual(at - 5);
    });

    it("cancel stops further sends, and a scheduled broadcast never starts", async () => {
      const hooks = recordingHooks(people(100, 600));
      const d = await engine(hooks, { ratePerSecond: 20 });
      const req = request();
      await d.schedule(req);
      await waitFor("10 messages", () => delivered(fake).length >= 10);
      const cancelled = await d.cancel(req.id);
      const cancelledAt = Date.now();
      const deliveredAtCancel = delivered(fake).length;
      expect(cancelled).toMatchObject({ state: "cancelled" });
      await pause(800);
      // Once cancelled, no send begins: only those already under way (one per slot at most) may still
      // arrive, however late a busy machine lets them — where at 20/s some 16 more would have gone by 800 ms.
      const late = sendCalls(fake).filter((c) => c.at > cancelledAt);
      expect(late.length).toBeLessThanOrEqual(CONCURRENCY);
      const end = await d.status(req.id);
      expect(end?.state).toBe("cancelled");
      expect(end?.sent).toBe(delivered(fake).length);
      expect(end?.sent).toBeLessThanOrEqual(deliveredAtCancel + CONCURRENCY);
      expect(end?.remaining).toBe(100 - (end?.sent ?? 0));
      expect(end?.etaSeconds).toBeUndefined();
      await waitFor("final progress report", () => hooks.progress.at(-1)?.status.state === "cancelled");

      // Due in a second: time enough to schedule and cancel it first, however busy the machine.
      const laterAt = Date.now() + 1000;
      const later = request({ scheduledAt: new Date(laterAt).toISOString() });
      await d.schedule(later);
      expect((await d.cancel(later.id))?.state).toBe("cancelled");
      expect(Date.now()).toBeLessThan(laterAt);
      await pause(laterAt + 300 - Date.now());
      expect(hooks.resolved).toHaveLength(1);
      expect((await d.status(later.id))?.state).toBe("cancelled");
      expect(await d.cancel("no-such-broadcast")).toBeUndefined();
    });

    it("delivers exactly one message per recipient at the configured rate without tripping the limits", async () => {
      const policy = limitsFor(200);
      fake.setSendPolicy(policy);
      const recipients = [...people(300, 10_000), ...people(300, 10_000)]; // duplicates are sent once
      const hooks = recordingHooks(recipients);
      const d = await engine(hooks, { ratePerSecond: 200, concurrency: 12 });
      const req = request();
      const t0 = Date.now();
      await d.schedule(req);
      const mid = await waitFor("a running status", async () => {
        const s = await d.status(req.id);
        return s?.state === "running" && s.sent > 0 ? s : undefined;
      });
      expect(mid.etaSeconds).toBeGreaterThan(0);
      expect(mid.etaSeconds).toBeLessThanOrEqual(2);
      const end = await waitForEnd(d, req.id);
      const seconds = (Date.now() - t0) / 1000;
      expect(end).toMatchObject({ state: "done", total: 300, sent: 300 });
      expect(seconds).toBeGreaterThan(1.2); // not faster than 200/s
      expect(policy.stats.rejections).toEqual([]);
      const counts = deliveriesPerChat(fake);
      expect(counts.size).toBe(300);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      // Progress: throttled while running, then the final count (reported just after the status says done).
      await waitFor("final progress report", () => hooks.progress.at(-1)?.status.state === "done");
      const reports = hooks.progress;
      expect(reports.at(-1)?.status).toMatchObject({ state: "done", sent: 300 });
      const running = reports.filter((r) => r.status.state === "running");
      expect(running.length).toBeGreaterThanOrEqual(2);
      // The engine decides a report at most once per interval (300 ms), the first at the start; each
      // reaches the hook after its decision, later by however long reading the status takes. So the
      // n-th running report arrives no sooner than n intervals after the broadcast was scheduled —
      // two of them may arrive closer together than an interval when the first was read slowly.
      running.forEach((report, n) => expect(report.at - t0, `running report ${n}`).toBeGreaterThanOrEqual(n * 300));
    });

    it("spaces messages to one chat (1 s) and to one group (3 s) across broadcasts", async () => {
      const policy = limitsFor(250);
      fake.setSendPolicy(policy);
      const recipients = [
        { chatId: 701, lang: "en" as const },
        { chatId: 702, lang: "en" as const },
        { chatId: -703, lang: "en" as const },
      ];
      const hooks = recordingHooks(recipients);
      const d = await engine(hooks);
      const a = request();
      const b = request();
      await Promise.all([d.schedule(a), d.schedule(b)]);
      await waitForEnd(d, a.id);
      await waitForEnd(d, b.id);
      expect(policy.stats.rejections).toEqual([]);
      for (const chatId of [701, 702, -703]) {
        const times = delivered(fake)
          .filter((c) => c.payload.chat_id === chatId)
          .map((c) => c.at);
        expect(times).toHaveLength(2);
        expect(Math.abs((times[1] ?? 0) - (times[0] ?? 0))).toBeGreaterThanOrEqual(chatId < 0 ? 3000 : 1000);
      }
    });

    it("paces at the free rate by default and at the paid rate with paid broadcasting", async () => {
      const base = { sender: sender(), maxAttempts: 5, concurrency: 8, backoffMs: 100, progressIntervalMs: 300 };
      const free = make({ ...base, hooks: recordingHooks([]) });
      const paid = make({ ...base, hooks: recordingHooks([]), paid: true });
      const paidSlower = make({ ...base, hooks: recordingHooks([]), paid: true, ratePerSecond: 500 });
      open.push(free, paid, paidSlower);
      expect(free.pacing).toEqual({ ratePerSecond: 28, paid: false });
      expect(paid.pacing).toEqual({ ratePerSecond: 950, paid: true });
      expect(paidSlower.pacing).toEqual({ ratePerSecond: 500, paid: true });
    });

    it("with paid broadcasting passes allow_paid_broadcast on every send, goes past the free limit without a 429, and counts the messages billed", async () => {
      const policy = limitsFor(30, 250);
      fake.setSendPolicy(policy);
      const hooks = recordingHooks([...people(299, 30_000), { chatId: -30_999, lang: "ru" }]);
      const d = await engine(hooks, { paid: true, ratePerSecond: 200, concurrency: 12 });
      const req = request({
        content: {
          default: { text: "Paid news" },
          variants: { ru: { text: "Платные новости", photo: "AgACAgIAAxkBAAIBZ2Yq" } },
        },
      });
      const scheduled = await d.schedule(req);
      expect(scheduled.paid).toMatchObject({ billed: 0 });
      const end = await waitForEnd(d, req.id);
      expect(end).toMatchObject({ state: "done", total: 300, sent: 300 });
      expect(policy.stats.rejections).toEqual([]);
      const calls = delivered(fake);
      expect(calls).toHaveLength(300);
      expect(calls.every((c) => c.payload.allow_paid_broadcast === true)).toBe(true);
      expect(calls.find((c) => c.payload.chat_id === -30_999)).toMatchObject({
        method: "sendPhoto",
        payload: { allow_paid_broadcast: true },
      });
      // At 200 a second, most messages go over the free 30 of their second: Telegram bills them.
      expect(policy.stats.billed).toBeGreaterThan(0);
      expect(end.paid?.billed).toBeGreaterThan(0);
      expect(end.paid?.billed).toBeLessThanOrEqual(300 - 30);
      expect(end.paid?.estimate).toBe(estimateBilledMessages(300, 200));
      await waitFor("final progress report", () => hooks.progress.at(-1)?.status.state === "done");
      expect(hooks.progress.at(-1)?.status.paid?.billed).toBe(end.paid?.billed);
    });

    it("without paid broadcasting sends no allow_paid_broadcast, and the fake holds a rate above 30 a second to the free limit", async () => {
      const policy = limitsFor(30, 250);
      fake.setSendPolicy(policy);
      const hooks = recordingHooks(people(200, 32_000));
      const d = await engine(hooks, { ratePerSecond: 200, concurrency: 12 });
      const req = request();
      expect((await d.schedule(req)).paid).toBeUndefined();
      await waitFor("a 429 of the free limit", () => policy.stats.rejections.length > 0);
      await d.cancel(req.id);
      expect(policy.stats.rejections[0]).toMatchObject({ scope: "global", paid: false, retryAfter: 1 });
      expect(sendCalls(fake).some((c) => "allow_paid_broadcast" in c.payload)).toBe(false);
      expect(policy.stats).toMatchObject({ paid: 0, billed: 0 });
      expect((await d.status(req.id))?.paid).toBeUndefined();
    });

    it("validates requests, treats a known id as the same broadcast, lists newest first", async () => {
      const hooks = recordingHooks(people(2, 800));
      const d = await engine(hooks);
      await expect(d.schedule(request({ id: "bad:id" }))).rejects.toBeInstanceOf(BroadcastRequestError);
      await expect(d.schedule(request({ content: { default: { text: " " } } }))).rejects.toThrow(/text/);
      await expect(
        d.schedule(request({ content: { default: { text: "x".repeat(1025), photo: "AgACAgIAAxkBAAIBZ2Yq" } } })),
      ).rejects.toThrow(/caption limit/);
      await expect(
        d.schedule(request({ content: { default: { text: "short", entities: [bold(2, 4)] } } })),
      ).rejects.toThrow(/past the end/);
      // The limit counts the text, not its formatting.
      const atLimit = request({ content: { default: { text: "x".repeat(4096), entities: [bold(0, 4096)] } } });
      await expect(d.schedule(atLimit)).resolves.toMatchObject({
        id: atLimit.id,
        state: expect.stringMatching(/^(scheduled|running)$/),
      });
      await expect(d.schedule(request({ content: { default: { text: "x".repeat(4097) } } }))).rejects.toThrow(
        /text limit/,
      );
      // HTML from before entities: what the reader sees, not the markup.
      const htmlAtLimit = request({ content: { default: { html: `<b>${"x".repeat(4096)}</b>` } } });
      await expect(d.schedule(htmlAtLimit)).resolves.toMatchObject({ id: htmlAtLimit.id });
      await expect(d.schedule(request({ scheduledAt: "next tuesday" }))).rejects.toThrow(/scheduledAt/);

      const first = request({ id: "first", scheduledAt: new Date(Date.now() + 60_000).toISOString() });
      await d.schedule(first);
      await pause(5);
      const second = request({ id: "second", scheduledAt: new Date(Date.now() + 60_000).toISOString() });
      await d.schedule(second);
      const again = await d.schedule({ ...first, content: { default: { text: "changed" } } });
      expect(again.id).toBe("first");
      const listed = await d.list(2);
      expect(listed.map((s) => s.id)).toEqual(["second", "first"]);
      expect(await d.status("nope")).toBeUndefined();
      await d.cancel("first");
      await d.cancel("second");
    });

    it("fails a broadcast whose recipients cannot be resolved or that expired before it started", async () => {
      let calls = 0;
      const hooks = recordingHooks(async () => {
        calls += 1;
        throw new Error("subscriptions store is down");
      });
      const d = await engine(hooks, { maxAttempts: 2 });
      const req = request();
      await d.schedule(req);
      const end = await waitForEnd(d, req.id);
      expect(end).toMatchObject({ state: "failed", total: 0, sent: 0 });
      expect(calls).toBe(2);

      const expired = request({
        scheduledAt: new Date(Date.now() + 200).toISOString(),
        expiresAt: new Date(Date.now() + 100).toISOString(),
      });
      await d.schedule(expired);
      expect((await waitForEnd(d, expired.id)).state).toBe("failed");
      expect(calls).toBe(2);
      expect(sendCalls(fake)).toEqual([]);
    });
  });
}
