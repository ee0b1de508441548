import { request } from "node:http";
import net from "node:net";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HEALTH_PING_TIMEOUT_MS, healthCheck, type ServingReport } from "../../src/server/health.js";
import { createHttpServer, type HttpServerHandle } from "../../src/server/http.js";
import { createState } from "../../src/state/index.js";
import { startTestBot, type TestBot } from "../helpers/bot-harness.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { until } from "../helpers/until.js";

const quiet = pino({ level: "silent" });

/** A raw HTTP request (fetch cannot send a wrong Content-Length or stream a body in pieces). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; chunks?: Buffer[] } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "POST", headers: options.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString("utf8"), headers: res.headers }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("webhook server: the real app in webhook mode", () => {
  let bot: TestBot;
  let secret: string;
  const update = (id = 1) =>
    JSON.stringify({
      update_id: id,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 5, type: "private", first_name: "A" },
        from: { id: 5, is_bot: false, first_name: "A" },
        text: "/help",
      },
    });

  beforeAll(async () => {
    bot = await startTestBot({ mode: "webhook" });
    secret = bot.app.config.WEBHOOK_SECRET as string;
  });
  afterAll(() => bot.stop());

  it("GET /healthz: 200 with mode, record count and in-memory state", async () => {
    const res = await fetch(`${bot.serverUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ status: "ok", mode: "webhook", records: bot.app.deps.search.size, state: "memory" });
    expect(body.records).toBeGreaterThan(10);
  });

  it("HEAD /healthz: 200 without a body", async () => {
    const res = await raw(`${bot.serverUrl}/healthz`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
  });

  it("accepts an update with the right secret header", async () => {
    const after = bot.api.mark();
    const res = await raw(bot.webhookUrl as string, {
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: update(11),
    });
    expect(res.status).toBe(200);
    await bot.api.waitForCall("sendMessage", (p) => p.chat_id === 5, { after });
  });

  it("answers 401 to a wrong or missing secret header and handles nothing", async () => {
    const after = bot.api.mark();
    const wrong = await raw(bot.webhookUrl as string, {
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": `${secret}x` },
      body: update(12),
    });
    const missing = await raw(bot.webhookUrl as string, {
      headers: { "content-type": "application/json" },
      body: update(13),
    });
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    // The next update with the right secret is answered, and is the only one that was.
    const right = await raw(bot.webhookUrl as string, {
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: update(14),
    });
    expect(right.status).toBe(200);
    await bot.api.waitForCall("sendMessage", (p) => p.chat_id === 5, { after });
    expect(bot.api.calls.slice(after).filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });

  it("delivered through the fake Telegram with a wrong secret: 401", async () => {
    const delivery = await bot.api.deliverToWebhook(bot.api.textMessage({ chatId: 6, userId: 6, text: "/help" }), {
      url: bot.webhookUrl,
      secret: "not-the-secret",
    });
    expect(delivery.status).toBe(401);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const res = await raw(bot.webhookUrl as string, {
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: "{not json",
    });
    expect(res.status).toBe(400);
  });

  it("answers 413 to a body over the limit, declared or streamed", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const declared = await raw(bot.webhookUrl as string, {
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: big,
    });
    expect(declared.status).toBe(413);
    const streamed = await raw(bot.webhookUrl as string, {
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": secret,
        "transfer-encoding": "chunked",
      },
      chunks: Array.from({ length: 24 }, () => Buffer.alloc(64 * 1024, 0x20)),
    });
    expect(streamed.status).toBe(413);
    // The server is still fine afterwards.
    expect((await fetch(`${bot.serverUrl}/healthz`)).status).toBe(200);
  });

  it("answers 404 to anything else", async () => {
    expect((await raw(`${bot.serverUrl}/`, { method: "GET" })).status).toBe(404);
    expect(
      (
        await raw(`${bot.serverUrl}/telegram/other`, {
          body: update(14),
          headers: { "x-telegram-bot-api-secret-token": secret },
        })
      ).status,
    ).toBe(404);
    expect((await raw(bot.webhookUrl as string, { method: "GET" })).status).toBe(404);
    expect((await raw(`${bot.serverUrl}/healthz`, { method: "POST", body: "{}" })).status).toBe(404);
  });
});

describe("/healthz with Redis state", () => {
  let redis: RedisServer;
  let bot: TestBot | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });
  afterAll(() => redis.stop());

  it("200 with redis ok when Redis answers", async () => {
    const state = createState({ redisUrl: redis.url, ttlSeconds: 60 }, quiet);
    try {
      bot = await startTestBot({ mode: "polling", deps: { state } });
      const res = await fetch(`${bot.serverUrl}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", state: "redis", redis: "ok" });
    } finally {
      await bot?.stop();
      bot = undefined;
      await state.close();
    }
  });

  // How long it waits for Redis at most is checked on a fake clock: "the health check's wait for Redis".
  it("503 with redis unreachable when Redis does not answer", async () => {
    const state = createState({ redisUrl: `redis://127.0.0.1:${await deadPort()}`, ttlSeconds: 60 }, quiet);
    try {
      bot = await startTestBot({ mode: "webhook", deps: { state } });
      const res = await fetch(`${bot.serverUrl}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: "unavailable",
        mode: "webhook",
        state: "redis",
        redis: "unreachable",
      });
    } finally {
      await bot?.stop();
      bot = undefined;
      await state.close();
    }
  });
});

describe("the health check's wait for Redis", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("calls a Redis that never answers PING unreachable once HEALTH_PING_TIMEOUT_MS (at most 2 s) has passed, not before", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const silent = { kind: "redis" as const, ping: () => new Promise<boolean>(() => {}) };
    let report: ServingReport | undefined;
    void healthCheck({ mode: "webhook", deps: { search: { size: 3 }, state: silent } }).then((r) => (report = r));
    await vi.advanceTimersByTimeAsync(HEALTH_PING_TIMEOUT_MS - 1);
    expect(report).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(report).toEqual({
      status: "unavailable",
      mode: "webhook",
      records: 3,
      state: "redis",
      redis: "unreachable",
    });
    expect(HEALTH_PING_TIMEOUT_MS).toBeLessThanOrEqual(2000);
  });
});

describe("HTTP server on its own", () => {
  let server: HttpServerHandle;
  let base: string;
  let release: () => void = () => {};
  /** Set once the slow request is in the handler. */
  let slowArrived = false;

  beforeAll(async () => {
    server = createHttpServer({
      logger: quiet,
      bodyLimitBytes: 1000,
      health: async () => ({ status: "ok", mode: "webhook", records: 3, state: "memory" }),
      webhook: {
        path: "/hook",
        handle: async ({ headers, body }) => {
          if (headers["x-slow"]) {
            slowArrived = true;
            await new Promise<void>((resolve) => (release = resolve));
          }
          return { status: 200, body: { size: body.length } };
        },
      },
    });
    const address = await server.listen("127.0.0.1", 0);
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => server.close(100));

  it("passes the body it read to the webhook handler, up to the limit", async () => {
    expect(await raw(`${base}/hook`, { body: Buffer.alloc(1000, 0x61) })).toMatchObject({
      status: 200,
      body: JSON.stringify({ size: 1000 }),
    });
    expect((await raw(`${base}/hook`, { body: Buffer.alloc(1001, 0x61) })).status).toBe(413);
  });

  it("lets a request in progress finish on close, then refuses new connections", async () => {
    const slow = raw(`${base}/hook`, { headers: { "x-slow": "1" }, body: "{}" });
    await until(() => slowArrived, 10_000, "the slow request in the handler");
    const closing = server.close(5000);
    release();
    expect((await slow).status).toBe(200);
    await closing;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
