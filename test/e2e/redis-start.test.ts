import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { HARNESS_TOKEN, startFakeBotApi, type FakeBotApi } from "../helpers/fake-bot-api.js";
import { startMain } from "../helpers/main-process.js";
import { openClient, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { fixtureIndexFile } from "../helpers/saved-index.js";

/**
 * The process when Redis is unreachable or refuses the password at start: it retries for
 * REDIS_START_TIMEOUT_SECONDS while /healthz says "starting", stops at once on SIGTERM, gives up with a
 * one-line message and exit code 3 — and no password ever reaches its output.
 */

/** A bound on a hang: on a loaded machine a process's start can take a minute. */
const SPAWN_TIMEOUT_MS = 180_000;
const PASSWORD = "Sup3r-Secret-Redis-Passw0rd";

/**
 * A two-record catalog (test/catalog/fixture.ts): nothing here depends on the bundled one. The processes
 * load its index, saved once per run, instead of building it.
 */
let catalogDir: string;
let indexFile: string;
beforeAll(async () => {
  catalogDir = (await makeCatalog()).dir;
  indexFile = await fixtureIndexFile();
});
afterAll(removeFixtures);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Redis that asks for PASSWORD (set once it answers, as the test helper checks readiness with a bare PING). */
async function redisWithPassword(): Promise<RedisServer> {
  const server = await startRedisServer();
  cleanups.push(() => server.stop());
  const admin = await openClient(server.url);
  await admin.config("SET", "requirepass", PASSWORD);
  await admin.quit();
  return server;
}

async function fakeTelegram(): Promise<FakeBotApi> {
  const api = await startFakeBotApi({ token: HARNESS_TOKEN, maxLongPollMs: 500 });
  cleanups.push(() => api.close());
  return api;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function env(api: FakeBotApi | undefined, redisUrl: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: HARNESS_TOKEN,
    TELEGRAM_API_ROOT: api?.apiRoot ?? "http://127.0.0.1:9",
    REDIS_URL: redisUrl,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "debug",
    CATALOG_DIR: catalogDir,
    SEARCH_INDEX_FILE: indexFile,
    ...more,
  };
}

describe("npm start with Redis refusing or unreachable", () => {
  it(
    "a refused password: retried for REDIS_START_TIMEOUT_SECONDS, then exit code 3 with one line saying why; the password never in the output",
    async () => {
      const redis = await redisWithPassword();
      const main = startMain(
        env(undefined, `redis://:wrong-${PASSWORD}@127.0.0.1:${redis.port}`, { REDIS_START_TIMEOUT_SECONDS: "2" }),
      );
      const { code, stdout, stderr } = await main.exit;
      expect(code).toBe(3);
      expect(stderr.trim().split("\n")).toEqual([
        `Cannot start: Redis at 127.0.0.1:${redis.port} not available after 2 s: password refused: check the password in REDIS_URL (REDIS_START_TIMEOUT_SECONDS=2)`,
      ]);
      expect(main.logs().some((l) => l.msg === "Redis not available yet; retrying")).toBe(true);
      expect(stdout + stderr).not.toContain(PASSWORD);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "/healthz says starting while Redis is unreachable; SIGTERM stops the start at once with exit code 0",
    async () => {
      const main = startMain(
        env(undefined, `redis://:${PASSWORD}@127.0.0.1:${await freePort()}/0`, { REDIS_START_TIMEOUT_SECONDS: "600" }),
      );
      const listening = await main.waitForLog("HTTP server listening; starting");
      await main.waitForLog("Redis not available yet; retrying");
      const res = await fetch(`http://${String(listening.listen)}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "starting", mode: "polling" });
      main.child.kill("SIGTERM");
      const { code, stdout, stderr } = await main.exit;
      expect(code, stderr).toBe(0);
      expect(main.logs().map((l) => l.msg)).toContain("stopped while starting");
      expect(stdout + stderr).not.toContain(PASSWORD);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "Redis coming up late: the start goes on and the bot serves",
    async () => {
      const api = await fakeTelegram();
      const port = await freePort();
      const main = startMain(env(api, `redis://127.0.0.1:${port}`, { REDIS_START_TIMEOUT_SECONDS: "600" }));
      await main.waitForLog("Redis not available yet; retrying");
      const redis = await startRedisServer({ port });
      cleanups.push(() => redis.stop());
      const started = await main.waitForLog("bot started");
      expect((await fetch(String(started.health))).status).toBe(200);
      main.child.kill("SIGTERM");
      expect((await main.exit).code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "a password changed on the server while running: every client's AUTH failure is logged without the password",
    async () => {
      const api = await fakeTelegram();
      const redis = await redisWithPassword();
      const main = startMain(env(api, `redis://default:${PASSWORD}@127.0.0.1:${redis.port}/0`));
      await main.waitForLog("bot started");
      // Every client (state, announcements, broadcast queues and workers) reconnects with the old password.
      const admin = await openClient(`redis://:${PASSWORD}@127.0.0.1:${redis.port}`);
      await admin.config("SET", "requirepass", "another-password-now");
      await admin.call("CLIENT", "KILL", "TYPE", "normal").catch(() => undefined);
      await admin.quit().catch(() => undefined);
      const refused = await main.waitForLog(/^Redis connection error$/);
      expect(JSON.stringify(refused)).toMatch(/WRONGPASS/);
      await main.waitForLog(/^broadcast .*error$/);
      // Stopping while Redis refuses every client is bounded: the broadcast queues are disconnected
      // instead of waiting on their reconnect backoff, and the process exits cleanly.
      main.child.kill("SIGTERM");
      const { stdout, stderr, code } = await main.exit;
      expect(
        code,
        stderr +
          stdout
            .split("\n")
            .filter((l) => /"level":(40|50|60)/.test(l))
            .join("\n"),
      ).toBe(0);
      expect(stdout + stderr).not.toContain(PASSWORD);
      expect(stdout).toContain('"args":["[redacted]"]');
    },
    SPAWN_TIMEOUT_MS,
  );
});
