// Throwaway redis-server processes for tests. Each test file gets its own server on a free loopback
// port with its own data directory, so tests never touch a Redis that is already running (e.g. on 6379).
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createState } from "../../src/state/index.js";
import type { StateBackend } from "../../src/state/types.js";

export interface RedisServerOptions {
  /** Persist every write to an append-only file, e.g. to restart a "crashed" server on the same data. */
  appendonly?: boolean;
  /** Data directory, reused as is and kept on stop. Default: a fresh temporary directory, removed on stop. */
  dir?: string;
  /** Port to listen on, which must be free. Default: a free ephemeral port. */
  port?: number;
  /** More redis-server arguments, e.g. ["--appendfsync", "always"]. */
  extraArgs?: string[];
}

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** Stops the server and waits for it to exit. `signal: "SIGKILL"` simulates a crash. Idempotent. */
  stop(options?: { signal?: NodeJS.Signals }): Promise<void>;
}

const NOT_FOUND = "redis-server not found on PATH: install it (apt-get install redis-server) — Redis tests do not skip";
// A bound on a hang only: a loaded machine can take seconds to start a process.
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5000;
/** Another process can grab a free port before redis-server binds it; then we simply pick another one. */
const PORT_ATTEMPTS = 3;

/** Servers still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), "coopdesk-redis-")));
  try {
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      // Never spawn onto an occupied port: the PING check could then be answered by someone else's Redis.
      if (options.port !== undefined) await assertPortFree(port);
      try {
        const child = await spawnRedis(redisArgs(port, dir, options));
        return serverHandle(child, port, dir, ownDir);
      } catch (error) {
        const retry = options.port === undefined && attempt < PORT_ATTEMPTS && error instanceof PortTakenError;
        if (!retry) throw error;
      }
    }
  } catch (error) {
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Removes every key; for isolating tests that share one server. */
export async function flushAll(url: string): Promise<void> {
  const client = await openClient(url);
  try {
    await client.flushall();
  } finally {
    await client.quit();
  }
}

/** A plain client for inspecting or tampering with what the code under test stored. Caller quits it. */
export async function openClient(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on("error", () => {}); // failures surface as rejected commands
  await client.connect();
  return client;
}

/**
 * One redis-server per file, started by the first suite that calls `use()` and flushed before each of
 * its tests, stopped after the file; `admin` is a plain client on it. A file's memory suites thus run
 * without redis-server, while its Redis suites fail with `startRedisServer`'s message.
 */
export function redisOnDemand(): { use(): void; readonly url: string; readonly admin: Redis } {
  let server: RedisServer | undefined;
  let admin: Redis | undefined;
  let ready: Promise<void> | undefined;
  afterAll(async () => {
    await admin?.quit();
    await server?.stop();
  });
  const redis = {
    use(): void {
      beforeAll(() => {
        ready ??= (async () => {
          server = await startRedisServer();
          admin = await openClient(server.url);
        })();
        return ready;
      });
      beforeEach(() => flushAll(redis.url));
    },
    get url(): string {
      if (!server) throw new Error("the test redis-server is not started yet");
      return server.url;
    },
    get admin(): Redis {
      if (!admin) throw new Error("the test redis-server is not started yet");
      return admin;
    },
  };
  return redis;
}

/**
 * A redis-server for the tests of the describe (or file) this is called in: started before them,
 * flushed before each, stopped after them together with the clients opened through `client()` and the
 * state backends opened through `state()` (each one what a bot process has: its own connections).
 */
export function redisForTests(): { readonly url: string; client(): Promise<Redis>; state(): StateBackend } {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  const states: StateBackend[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) await c.quit().catch(() => undefined);
    for (const s of states) await s.close().catch(() => undefined);
    await server?.stop();
  });
  beforeEach(() => flushAll(redis.url));
  const redis = {
    get url(): string {
      if (!server) throw new Error("the test redis-server is not started yet");
      return server.url;
    },
    async client(): Promise<Redis> {
      const c = await openClient(redis.url);
      clients.push(c);
      return c;
    },
    state(): StateBackend {
      const s = createState({ redisUrl: redis.url, ttlSeconds: 3600 }, pino({ level: "silent" }));
      states.push(s);
      return s;
    },
  };
  return redis;
}

/** Sends a raw PING; true only for a PONG (not e.g. -LOADING while an AOF is replayed). */
export function pingPort(port: number, timeoutMs = 250): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let reply = "";
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) finish(reply.startsWith("+PONG"));
    });
    socket.on("error", () => finish(false));
  });
}

class PortTakenError extends Error {}

function redisArgs(port: number, dir: string, options: RedisServerOptions): string[] {
  return [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    options.appendonly ? "yes" : "no",
    "--dir",
    dir,
    ...(options.extraArgs ?? []),
  ];
}

/** Starts redis-server and resolves once it answers PING; rejects (never hangs) if it cannot get there. */
async function spawnRedis(args: string[]): Promise<ChildProcess> {
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  const output = captureOutput(child);
  try {
    await once(child, "spawn");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(NOT_FOUND, { cause: error });
    throw new Error(`could not start redis-server: ${(error as Error).message}`, { cause: error });
  }
  running.add(child);
  child.once("exit", () => running.delete(child));

  const port = Number(args[args.indexOf("--port") + 1]);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited(child)) {
      const log = output();
      if (/Address already in use/i.test(log)) throw new PortTakenError(`port ${port} was taken: ${log}`);
      throw new Error(`redis-server exited before accepting connections:\n${log}`);
    }
    if (await pingPort(port)) return child;
    await sleep(50);
  }
  await terminate(child, "SIGKILL");
  throw new Error(`redis-server did not answer PING on port ${port} within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

function serverHandle(child: ChildProcess, port: number, dir: string, ownDir: boolean): RedisServer {
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop(options = {}) {
      stopped ??= (async () => {
        await terminate(child, options.signal ?? "SIGTERM");
        if (ownDir) await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Sends `signal` and waits for the exit, escalating to SIGKILL if the server does not go. */
async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (exited(child)) return;
  const exit = once(child, "exit");
  child.kill(signal);
  const timer = sleep(STOP_TIMEOUT_MS, "timeout" as const, { ref: false });
  if ((await Promise.race([exit, timer])) === "timeout") {
    child.kill("SIGKILL");
    await exit;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Keeps the tail of the server's log for error messages. */
function captureOutput(child: ChildProcess): () => string {
  let log = "";
  const append = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  return () => log;
}

/** Lets the OS pick a free loopback port, then releases it for redis-server. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

async function assertPortFree(port: number): Promise<void> {
  const server = net.createServer();
  server.listen(port, "127.0.0.1");
  try {
    await once(server, "listening");
  } catch (error) {
    throw new Error(`port ${port} is already in use; refusing to start redis-server there`, { cause: error });
  }
  server.close();
  await once(server, "close");
}
