// The BullMQ engine against a redis-server of its own and the fake Bot API: the shared behaviour, then
// what only a durable engine does — several processes sharing one rate, cancelled jobs leaving the queue,
// and a worker process killed mid-broadcast.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BROADCAST_PREFIX, SEND_QUEUE, createBullDelivery } from "../../src/broadcast/bull.js";
import { inactiveChatsKey, progressChannel, takeInactiveChats } from "../../src/broadcast/redis-hooks.js";
import type { ProgressMessage } from "../../src/broadcast/redis-hooks.js";
import type { BroadcastRequest, DeliveryService } from "../../src/broadcast/types.js";
import { apiErrors, telegramRateLimits } from "../helpers/fake-bot-api.js";
import type { FakeBotApi } from "../helpers/fake-bot-api.js";
import { nodeArgs } from "../helpers/main-process.js";
import { openClient, startRedisServer } from "../helpers/redis-server.js";
import type { RedisServer } from "../helpers/redis-server.js";
import { describeDeliveryBehaviour } from "./behaviour.js";
import {
  TOKEN,
  delivered,
  deliveriesPerChat,
  limitsFor,
  people,
  recordingHooks,
  sendCalls,
  senderFor,
  startFake,
  waitFor,
  waitForEnd,
} from "./support.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let redis: RedisServer;
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedisServer({ appendonly: true });
});
afterAll(async () => {
  await redis?.stop();
});

describeDeliveryBehaviour("BullMQ", (options) =>
  // Each engine its own namespace: no pause, chat spacing or queue shared with another test.
  createBullDelivery({ ...options, connection: redis.url, prefix: `t${++prefixes}:`, lockMs: 5000 }),
);

function request(id: string): BroadcastRequest {
  return { id, createdBy: 1, content: { default: { text: "Announcement", entities: [] } }, audience: "all" };
}

describe("BullMQ: several processes on one Redis", () => {
  let fake: FakeBotApi;
  const open: DeliveryService[] = [];

  beforeAll(async () => {
    fake = await startFake();
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close()));
    fake.reset({ state: true });
  });

  it("share one global rate and split the work", async () => {
    const policy = limitsFor(100);
    fake.setSendPolicy(policy);
    const prefix = `shared${++prefixes}:`;
    const calls = [0, 0];
    const make = (i: number) => {
      const sender = senderFor(fake);
      const d = createBullDelivery({
        connection: redis.url,
        prefix,
        ratePerSecond: 100,
        concurrency: 6,
        hooks: recordingHooks(people(200, 20_000)),
        sender: { send: (chatId, content) => ((calls[i] = (calls[i] ?? 0) + 1), sender.send(chatId, content)) },
      });
      open.push(d);
      return d;
    };
    const [a, b] = [make(0), make(1)];
    await Promise.all([a.startWorkers(), b.startWorkers()]);
    const t0 = Date.now();
    await a.schedule(request("shared"));
    const end = await waitForEnd(b, "shared");
    const seconds = (Date.now() - t0) / 1000;
    expect(end).toMatchObject({ state: "done", sent: 200 });
    expect(seconds).toBeGreaterThan(1.8); // 200 at 100/s in total, not 100/s each
    expect(calls[0]).toBeGreaterThan(20);
    expect(calls[1]).toBeGreaterThan(20);
    expect(policy.stats.rejections).toEqual([]);
    expect([...deliveriesPerChat(fake).values()].every((n) => n === 1)).toBe(true);
  });

  it("delivers a broadcast stored before entities, its content HTML, as HTML", async () => {
    fake.setSendPolicy(limitsFor(100));
    const prefix = `legacy${++prefixes}:`;
    const recipients = [
      { chatId: 41_001, lang: "en" as const },
      { chatId: 41_002, lang: "fr" as const },
    ];
    // The process before the upgrade: it stored a broadcast scheduled a little later and stopped.
    const before = createBullDelivery({
      connection: redis.url,
      prefix,
      hooks: recordingHooks(recipients),
      sender: senderFor(fake),
    });
    await before.schedule({ ...request("queued-before"), scheduledAt: new Date(Date.now() + 1500).toISOString() });
    const inspect = await openClient(redis.url);
    try {
      // Its content as that version stored it (the request's JSON, as sent with parse_mode HTML).
      await inspect.hset(
        `${prefix}broadcast:queued-before`,
        "content",
        JSON.stringify({
          default: { html: "<b>Call</b> &lt;open&gt;" },
          variants: { fr: { html: "<i>Appel</i> ouvert", photo: "AgACAgIAAxkBAAIBZ2Yq" } },
        }),
      );
    } finally {
      await inspect.quit();
      await before.close();
    }
    // The upgraded process takes the start job and sends.
    const after = createBullDelivery({
      connection: redis.url,
      prefix,
      hooks: recordingHooks(recipients),
      sender: senderFor(fake),
    });
    open.push(after);
    await after.startWorkers();
    expect(await waitForEnd(after, "queued-before")).toMatchObject({ state: "done", sent: 2, failed: 0 });
    const byChat = new Map(delivered(fake).map((c) => [Number(c.payload.chat_id), c]));
    expect(byChat.get(41_001)).toMatchObject({
      method: "sendMessage",
      payload: { text: "<b>Call</b> &lt;open&gt;", parse_mode: "HTML" },
    });
    expect(byChat.get(41_002)).toMatchObject({
      method: "sendPhoto",
      payload: { caption: "<i>Appel</i> ouvert", parse_mode: "HTML" },
    });
    expect(fake.chatHistory(41_001).at(-1)).toMatchObject({
      text: "Call <open>",
      entities: [{ type: "bold", offset: 0, length: 4 }],
    });
  });

  it("cancel removes the broadcast's waiting jobs from the queue", async () => {
    fake.setSendPolicy(limitsFor(100));
    const prefix = `cancel${++prefixes}:`;
    const d = createBullDelivery({
      connection: redis.url,
      prefix,
      ratePerSecond: 10,
      hooks: recordingHooks(people(300, 30_000)),
      sender: senderFor(fake),
    });
    open.push(d);
    await d.startWorkers();
    await d.schedule(request("big"));
    await waitFor("the first messages", () => delivered(fake).length >= 3);
    const queue = new Queue(SEND_QUEUE, { connection: { url: redis.url }, prefix: prefix.slice(0, -1) });
    try {
      expect(await queue.getWaitingCount()).toBeGreaterThan(250);
      await d.cancel("big");
      const counts = await queue.getJobCounts("waiting", "delayed", "prioritized");
      expect(counts).toEqual({ waiting: 0, delayed: 0, prioritized: 0 });
    } finally {
      await queue.close();
    }
  });
});

describe("BullMQ: a worker process killed mid-broadcast", () => {
  const RECIPIENTS = 1000;
  // A broadcast long enough for the worker processes' progress reports (one per 3 s across them).
  const RATE = 200;
  const CONCURRENCY = 16;
  let fake: FakeBotApi;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fake = await startFake();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await fake.close();
  });

  function startWorker(log: string[]): ChildProcess {
    const child = spawn(process.execPath, nodeArgs("worker-main"), {
      cwd: repoRoot,
      // Only what the worker needs: never a REDIS_URL or token from the developer's environment.
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        REDIS_URL: redis.url,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        BROADCAST_RATE_PER_SECOND: String(RATE),
        BROADCAST_CONCURRENCY: String(CONCURRENCY),
        BROADCAST_LOCK_SECONDS: "2",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    const collect = (chunk: Buffer) => log.push(chunk.toString());
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    return child;
  }

  // The waits below only bound how long a stuck run may hang: a loaded machine can take a while to
  // start a process and to deliver at the configured rate.
  async function ready(log: string[]): Promise<void> {
    await waitFor("the worker to be ready", () => log.join("").includes("broadcast worker ready"), 30_000);
  }

  it(
    "continues where it stopped: nobody missed, duplicates only from messages in flight at the kill",
    { timeout: 240_000 },
    async () => {
      const policy = telegramRateLimits({ globalPerSecond: RATE, perChatPerSecond: 1, perGroupPerMinute: 20 });
      fake.setSendPolicy(policy);
      // Once 35 % of the sends are accepted, Telegram holds each further one until the first worker is
      // dead, then delivers it: what was delivered at the kill does not depend on how soon a busy machine
      // lets the test see the count, and the sends in flight at the kill are the held ones — delivered,
      // but never confirmed to the worker that sent them.
      const holdFrom = (RECIPIENTS * 35) / 100;
      let held = 0;
      let holding = true;
      let deliverHeld!: () => void;
      const afterKill = new Promise<void>((resolve) => (deliverHeld = resolve));
      fake.setHandler("sendMessage", (_payload, ctx) => {
        if (!holding || policy.stats.allowed <= holdFrom) return ctx.fallback();
        held++;
        return afterKill.then(() => ctx.fallback());
      });
      const recipients = people(RECIPIENTS, 100_000);
      const blocked = [100_010, 100_500, 100_990];
      for (const chatId of blocked) fake.failChat(chatId, apiErrors.blockedByUser());

      // The app: resolves the audience and fans out; it sends nothing itself.
      const hooks = recordingHooks(recipients);
      const app = createBullDelivery({
        connection: redis.url,
        sender: senderFor(fake),
        hooks,
        ratePerSecond: RATE,
        roles: { start: true, send: false },
      });
      const inspect = await openClient(redis.url);
      // What the worker processes report for the coordinator's message.
      const subscriber = await openClient(redis.url);
      const published: ProgressMessage[] = [];
      subscriber.on("message", (_channel: string, message: string) =>
        published.push(JSON.parse(message) as ProgressMessage),
      );
      await subscriber.subscribe(progressChannel(DEFAULT_BROADCAST_PREFIX));
      const logs: string[][] = [[], []];
      try {
        await app.startWorkers();
        const first = startWorker(logs[0] as string[]);
        await ready(logs[0] as string[]);
        await app.schedule({
          id: "crash",
          createdBy: 1,
          content: { default: { text: "Deadline extended", entities: [{ type: "bold", offset: 0, length: 8 }] } },
          audience: { all: true },
          progress: { chatId: 1, messageId: 99 },
        });

        await waitFor("sends held at 35 %", () => held > 0, 60_000, 5);
        const deliveredAtKill = delivered(fake).length;
        first.kill("SIGKILL");
        const activeAtKill = await inspect.llen(`${DEFAULT_BROADCAST_PREFIX.slice(0, -1)}:${SEND_QUEUE}:active`);
        await once(first, "exit");
        const attemptedAtExit = sendCalls(fake).length;
        const heldAtKill = held;
        await new Promise((r) => setTimeout(r, 300));
        expect(sendCalls(fake).length).toBe(attemptedAtExit); // really stopped
        expect(delivered(fake).length).toBe(deliveredAtKill);
        expect((await app.status("crash"))?.state).toBe("running");
        holding = false;
        deliverHeld();

        const killedAt = Date.now();
        const second = startWorker(logs[1] as string[]);
        await ready(logs[1] as string[]);
        const restartedAt = Date.now();
        const end = await waitForEnd(app, "crash", 90_000);
        const doneAt = Date.now();
        expect(end).toMatchObject({
          state: "done",
          total: RECIPIENTS,
          sent: RECIPIENTS - blocked.length,
          blocked: blocked.length,
          failed: 0,
        });

        const counts = deliveriesPerChat(fake);
        const missing = recipients.filter((r) => !blocked.includes(r.chatId) && !counts.has(r.chatId));
        const twice = [...counts.values()].filter((n) => n > 1).length;
        console.log(
          `crash test: killed after ${deliveredAtKill}/${RECIPIENTS} delivered with ${activeAtKill} job(s) active, ${heldAtKill} send(s) held ` +
            `(concurrency ${CONCURRENCY}); missing ${missing.length}, received twice ${twice}; 429s ${policy.stats.rejections.length}; ` +
            `restarted in ${restartedAt - killedAt} ms, done ${doneAt - restartedAt} ms later`,
        );
        expect(deliveredAtKill).toBe(holdFrom);
        expect(missing).toEqual([]);
        expect(activeAtKill).toBeLessThanOrEqual(CONCURRENCY);
        // Each held send was delivered and its job done again by the second worker; a job can also have
        // been killed between its send and its completion. Either way it was active at the kill.
        expect(twice).toBeGreaterThanOrEqual(heldAtKill);
        expect(twice).toBeLessThanOrEqual(activeAtKill);
        expect([...counts.values()].every((n) => n <= 2)).toBe(true);

        // The worker processes reported the blocked chats and the progress through Redis, for the app.
        const inactive = await takeInactiveChats(inspect, DEFAULT_BROADCAST_PREFIX);
        expect(inactive.sort((a, b) => a.chatId - b.chatId)).toEqual(
          blocked.map((chatId) => ({ chatId, reason: "blocked" })),
        );
        expect(await inspect.scard(inactiveChatsKey(DEFAULT_BROADCAST_PREFIX))).toBe(0);
        expect(hooks.progress[0]?.status).toMatchObject({ state: "running", sent: 0, total: RECIPIENTS }); // the app's own report at the start
        await waitFor("the final progress report", () => published.at(-1)?.status.state === "done");
        expect(published.at(-1)).toMatchObject({
          progress: { chatId: 1, messageId: 99 },
          status: { sent: RECIPIENTS - blocked.length, remaining: 0 },
        });
        expect(published.filter((m) => m.status.state === "running").length).toBeGreaterThanOrEqual(1);

        // SIGTERM: a clean stop.
        second.kill("SIGTERM");
        const [code] = (await once(second, "exit")) as [number | null];
        expect(code).toBe(0);
      } catch (error) {
        console.error(
          `${delivered(fake).length}/${RECIPIENTS} delivered; worker logs:\n--- first ---\n${logs[0]?.join("")}\n--- second ---\n${logs[1]?.join("")}`,
        );
        throw error;
      } finally {
        await app.close();
        await inspect.quit();
        await subscriber.quit();
      }
    },
  );
});
