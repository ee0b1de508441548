/**
 * One bot on several processes, as it is deployed: N webhook replicas (`npm start`, each its own
 * process and port) and one broadcast worker (`npm run worker`) on one redis-server started here, the
 * fake Bot API, and a round-robin HTTP proxy in front of the replicas' webhooks — everything on
 * 127.0.0.1. Updates reach the replicas through the proxy the way Telegram's reach a load balancer,
 * or directly one replica (a Telegram redelivery landing on another replica than the first time).
 *
 *   const set = await startReplicaSet({ replicas: 3 });
 *   const reply = await set.reply("incubators in Kazakhstan", { userId: 7 });   // through the proxy
 *   await set.deliverTo(2, sameUpdate);                                         // straight to replica 2
 *   await set.kill(1);                                                          // kill -9
 *   await set.stop();                                                           // everything, always
 *
 * Delivery through the proxy behaves like Telegram's: an answer other than 2xx, or no answer, is
 * delivered again (to whichever replica the proxy picks next), a few times. The proxy skips a replica
 * that refuses the connection (a dead one) and tries the next; it answers 502 when a replica dropped a
 * request it had taken (killed while handling it). Every answer a replica gave is recorded
 * (`answers`), for checking that none was a 5xx.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Update } from "grammy/types";
import { waitForAny, type Sender } from "./bot-harness.js";
import {
  HARNESS_TOKEN,
  startFakeBotApi,
  type FakeBotApi,
  type FakeBotApiOptions,
  type RecordedCall,
  type WebhookDelivery,
} from "./fake-bot-api.js";
import { nodeArgs, startMain, type MainProcess } from "./main-process.js";
import { openClient, startRedisServer, type RedisServer } from "./redis-server.js";
import { processIndexFile } from "./saved-index.js";

export interface ReplicaSetOptions {
  /** Webhook replicas (default 3). */
  replicas?: number;
  /** Start the broadcast worker process (default true). */
  worker?: boolean;
  /**
   * More environment for every bot and worker process, e.g. ADMIN_IDS or FLOOD_MAX_MESSAGES. Without
   * SEARCH_INDEX_FILE, the bots load the run's saved index of the bundled catalog (test/helpers/saved-index.ts),
   * each set from a copy of its own (a bot whose catalog differs builds, and saves over the copy).
   */
  env?: Record<string, string>;
  /** LOG_LEVEL of the processes: "info" (default), "debug" or "trace" — the start is read from the info lines. The logs are kept for `logs()`. */
  logLevel?: "info" | "debug" | "trace";
  fake?: FakeBotApiOptions;
  /** How long the processes may take to start, together (default 90 s: a few process starts share the cores). */
  startTimeoutMs?: number;
}

export interface Replica {
  index: number;
  /** The replica's own HTTP port on 127.0.0.1. */
  port: number;
  /** Its webhook, bypassing the proxy. */
  webhookUrl: string;
  healthUrl: string;
  process: MainProcess;
  /** False once killed or exited. */
  readonly alive: boolean;
  /** Its JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** Its stdout and stderr so far. */
  output(): string;
}

/** One answer the proxy got from a replica, or its failure to get one. */
export interface UpstreamAnswer {
  replica: number;
  /** The update id of the body, when it had one. */
  updateId?: number;
  /** HTTP status, or 0 when the replica gave no answer. */
  status: number;
  /** For status 0: "refused" (nothing listening, the next replica was tried) or "dropped" (the connection broke after the request was sent). */
  failure?: "refused" | "dropped";
  /** Through the proxy, or delivered straight to the replica. */
  via: "proxy" | "direct";
}

export interface DeliveryResult {
  update: Update;
  /** Index of the first fake Bot API call that can belong to the answer. */
  after: number;
  /** Every attempt, in order; the last one is the one that was accepted (or the last tried). */
  attempts: { status: number; error?: string }[];
  /** True when a replica finally answered 2xx. */
  delivered: boolean;
}

export interface ReplicaSet {
  api: FakeBotApi;
  redis: RedisServer;
  replicas: Replica[];
  /** The broadcast worker process, when started. */
  worker?: MainProcess;
  /** Where Telegram sends updates: the proxy's URL with the webhook's path. */
  proxyUrl: string;
  /** WEBHOOK_SECRET shared by the replicas (the fake sends it with each delivery). */
  secret: string;
  /** Every answer the replicas gave (or failed to give), in order. */
  answers: UpstreamAnswer[];
  /** Delivers an update through the proxy, again after a failed attempt (like Telegram), up to `attempts` times (default 5). */
  deliver(update: Update, options?: { attempts?: number }): Promise<DeliveryResult>;
  /** Delivers an update straight to one replica, once (no proxy, no second attempt). Rejects if the replica gives no answer. */
  deliverTo(index: number, update: Update): Promise<WebhookDelivery>;
  /** POSTs a raw body to the proxy with the webhook secret; the status the proxy passed on. */
  postRaw(body: string): Promise<number>;
  send(text: string, from?: Sender): Promise<DeliveryResult>;
  /** Presses a button (callback data) on the bot's last message in the chat, or on `messageId`. */
  press(data: string, from?: Sender & { messageId?: number }): Promise<DeliveryResult>;
  /** Sends text through the proxy and waits for the bot's sendMessage or editMessageText in that chat. */
  reply(text: string, from?: Sender): Promise<RecordedCall>;
  /** Sends text straight to replica `index` and waits for the answer in that chat. */
  replyFrom(index: number, text: string, from?: Sender): Promise<RecordedCall>;
  /** Waits for a sendMessage or editMessageText in the chat of `from`, made from `after` on. */
  waitForChat(after: number, from?: Sender, methods?: string[], timeoutMs?: number): Promise<RecordedCall>;
  /**
   * Resolves once `count` replicas have each logged a line for which `match` is true (their logs reach
   * this process a little after their HTTP answers); rejects after `timeoutMs`.
   */
  waitForLogs(match: (line: Record<string, unknown>) => boolean, count: number, timeoutMs?: number): Promise<void>;
  /** kill -9 of one replica; resolves once it has exited. The proxy is not told. */
  kill(index: number): Promise<void>;
  /** Stops every process (SIGTERM, then SIGKILL), the proxy, the fake Bot API and Redis. Idempotent, never rejects. */
  stop(): Promise<void>;
}

const DEFAULT_USER = 1001;
const WAIT_MS = 15_000;
/** A webhook may take up to its own 25 s timeout to answer. */
const DELIVERY_TIMEOUT_MS = 30_000;
const REDELIVERY_PAUSE_MS = 100;
const STOP_GRACE_MS = 10_000;
/** A bound on a hang: each replica loads (or builds) its search index, and on a loaded machine that takes a minute or more. */
const START_TIMEOUT_MS = 240_000;

export async function startReplicaSet(options: ReplicaSetOptions = {}): Promise<ReplicaSet> {
  const count = options.replicas ?? 3;
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const guard = await guardRedis(redis);
    cleanups.push(() => terminate(guard));
    const api = await startFakeBotApi({ token: HARNESS_TOKEN, ...options.fake });
    cleanups.push(() => api.close());

    const index = options.env?.SEARCH_INDEX_FILE === undefined ? await processIndexFile() : undefined;
    let indexEnv = {};
    if (index) {
      const dir = await mkdtemp(path.join(os.tmpdir(), "coopdesk-replicas-index-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const copy = path.join(dir, path.basename(index));
      await copyFile(index, copy);
      indexEnv = { SEARCH_INDEX_FILE: copy };
    }

    const secret = randomBytes(24).toString("base64url");
    const hookPath = `/telegram/${randomBytes(6).toString("hex")}`;
    const env = {
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      REDIS_URL: redis.url,
      LOG_LEVEL: options.logLevel ?? "info",
      ...options.env,
    };
    const botEnv = {
      ...env,
      ...indexEnv,
      WEBHOOK_URL: `https://coopdesk.example${hookPath}`,
      WEBHOOK_SECRET: secret,
      HOST: "127.0.0.1",
      PORT: "0",
    };

    const processes: MainProcess[] = [];
    cleanups.push(() => Promise.all(processes.map((p) => terminate(p.child))));
    const bots = Array.from({ length: count }, () => spawnNode("main", botEnv));
    processes.push(...bots);
    const worker = options.worker === false ? undefined : spawnNode("worker-main", env);
    if (worker) processes.push(worker);

    const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
    const started = await withTimeout(
      Promise.all(bots.map((p) => p.waitForLog("bot started"))),
      timeoutMs,
      () => `replicas not started within ${timeoutMs} ms:\n${bots.map((p) => p.output().slice(-2000)).join("\n---\n")}`,
    );
    if (worker)
      await withTimeout(
        worker.waitForLog("broadcast worker ready"),
        timeoutMs,
        () => `broadcast worker not ready within ${timeoutMs} ms:\n${worker.output().slice(-2000)}`,
      );

    const replicas: Replica[] = bots.map((process, index) => {
      const port = Number(String(started[index]?.listen).split(":").at(-1));
      const base = `http://127.0.0.1:${port}`;
      return {
        index,
        port,
        webhookUrl: `${base}${hookPath}`,
        healthUrl: `${base}/healthz`,
        process,
        get alive() {
          return !exited(process.child);
        },
        logs: () => process.logs(),
        output: () => process.output(),
      };
    });

    const answers: UpstreamAnswer[] = [];
    const proxy = await startProxy(replicas, answers);
    cleanups.push(() => proxy.close());
    const proxyUrl = `${proxy.url}${hookPath}`;

    return replicaSet({ api, redis, replicas, worker, proxyUrl, secret, answers, stop: cleanUp });
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function replicaSet(
  parts: Pick<ReplicaSet, "api" | "redis" | "replicas" | "worker" | "proxyUrl" | "secret" | "answers" | "stop">,
): ReplicaSet {
  const { api, replicas, answers } = parts;
  let stopping: Promise<void> | undefined;

  const set: ReplicaSet = {
    ...parts,
    async deliver(update, { attempts = 5 } = {}) {
      const after = api.mark();
      const tried: DeliveryResult["attempts"] = [];
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const delivery = await api.deliverToWebhook(update, {
            url: parts.proxyUrl,
            secret: parts.secret,
            timeoutMs: DELIVERY_TIMEOUT_MS,
          });
          tried.push({ status: delivery.status });
          if (delivery.status >= 200 && delivery.status < 300)
            return { update, after, attempts: tried, delivered: true };
        } catch (error) {
          tried.push({ status: 0, error: (error as Error).message });
        }
        if (attempt < attempts) await sleep(REDELIVERY_PAUSE_MS * attempt);
      }
      return { update, after, attempts: tried, delivered: false };
    },
    async deliverTo(index, update) {
      const replica = replicas[index];
      if (!replica) throw new Error(`no replica ${index}`);
      try {
        const delivery = await api.deliverToWebhook(update, {
          url: replica.webhookUrl,
          secret: parts.secret,
          timeoutMs: DELIVERY_TIMEOUT_MS,
        });
        answers.push({ replica: index, updateId: update.update_id, status: delivery.status, via: "direct" });
        return delivery;
      } catch (error) {
        const refused = (error as NodeJS.ErrnoException).code === "ECONNREFUSED";
        answers.push({
          replica: index,
          updateId: update.update_id,
          status: 0,
          failure: refused ? "refused" : "dropped",
          via: "direct",
        });
        throw error;
      }
    },
    postRaw(body) {
      return post(parts.proxyUrl, body, {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": parts.secret,
      }).then((r) => r.status);
    },
    send(text, from) {
      return set.deliver(api.textMessage({ ...who(from), text }));
    },
    press(data, from = {}) {
      return set.deliver(
        api.callbackQuery({
          ...who(from),
          data,
          ...(from.messageId !== undefined ? { messageId: from.messageId } : {}),
        }),
      );
    },
    waitForChat(after, from, methods = ["sendMessage", "editMessageText"], timeoutMs = WAIT_MS) {
      const chatId = who(from).chatId;
      return waitForAny(api, methods, (p) => Number(p.chat_id) === chatId, after, timeoutMs);
    },
    async reply(text, from) {
      const sent = await set.send(text, from);
      if (!sent.delivered)
        throw new Error(`update ${sent.update.update_id} not delivered: ${JSON.stringify(sent.attempts)}`);
      return set.waitForChat(sent.after, from);
    },
    async replyFrom(index, text, from) {
      const after = api.mark();
      const delivery = await set.deliverTo(index, api.textMessage({ ...who(from), text }));
      if (delivery.status !== 200) throw new Error(`replica ${index} answered ${delivery.status}: ${delivery.body}`);
      return set.waitForChat(after, from);
    },
    waitForLogs(match, count, timeoutMs = WAIT_MS) {
      let seen = 0;
      const all = new Promise<void>((resolve) => {
        for (const replica of replicas) {
          replica.process.waitForLog(match).then(
            () => ++seen === count && resolve(),
            () => undefined,
          );
        }
      });
      return withTimeout(
        all,
        timeoutMs,
        () => `${seen} of the ${count} replicas expected logged the line within ${timeoutMs} ms`,
      );
    },
    async kill(index) {
      const child = replicas[index]?.process.child;
      if (!child || exited(child)) return;
      const exit = once(child, "exit");
      child.kill("SIGKILL");
      await exit;
    },
    stop() {
      stopping ??= parts.stop();
      return stopping;
    },
  };
  return set;
}

/** Private chats only: the chat is the user's. */
function who(from: Sender = {}) {
  const userId = from.userId ?? DEFAULT_USER;
  return {
    userId,
    chatId: from.chatId ?? userId,
    chatType: from.chatType ?? ("private" as const),
    languageCode: from.languageCode ?? "en",
    ...(from.username ? { username: from.username } : {}),
    ...(from.firstName ? { firstName: from.firstName } : {}),
  };
}

// ---------------------------------------------------------------------------
// Processes

/** The entry point of npm start or npm run worker (compiled, see main-process.ts), with exactly this environment (plus PATH). */
function spawnNode(entry: string, env: Record<string, string>): MainProcess {
  // No kill timer of its own: stop() ends it, and it exits by itself if this process dies (exit-with-parent.ts).
  return startMain(env, 24 * 3600_000, nodeArgs(entry, { preload: ["exit-with-parent"] }));
}

/**
 * The bot and worker processes exit by themselves when this process dies (exit-with-parent.ts);
 * redis-server cannot, so a small watcher kills it and removes its data then. Stopped first on a
 * normal stop, so it never outlives the server it watches.
 */
async function guardRedis(redis: RedisServer): Promise<ChildProcess> {
  const client = await openClient(redis.url);
  const pid = Number(/process_id:(\d+)/.exec(await client.info("server"))?.[1]);
  await client.quit();
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error("redis-server did not say its process id");
  const watcher = [
    "const [pid, dir] = process.argv.slice(1); const parent = process.ppid;",
    "setInterval(() => { if (process.ppid === parent) return;",
    "try { process.kill(Number(pid), 'SIGKILL'); } catch {}",
    "setTimeout(() => { require('node:fs').rmSync(dir, { recursive: true, force: true }); process.exit(0); }, 200); }, 500);",
  ].join(" ");
  const child = spawn(process.execPath, ["-e", watcher, String(pid), redis.dir], { stdio: "ignore" });
  await once(child, "spawn");
  return child;
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
async function terminate(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const exit = once(child, "exit");
  child.kill("SIGTERM");
  const timer = sleep(STOP_GRACE_MS, "timeout" as const, { ref: false });
  if ((await Promise.race([exit, timer])) === "timeout") {
    child.kill("SIGKILL");
    await exit;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------
// The proxy

interface Proxy {
  url: string;
  close(): Promise<void>;
}

/**
 * Round robin over the replicas. A refused connection (nothing listening: a dead replica) goes to the
 * next one; a request whose connection broke once sent is answered 502 (the replica may have handled
 * part of it, so only the sender, like Telegram, decides to deliver it again).
 */
async function startProxy(replicas: Replica[], answers: UpstreamAnswer[]): Promise<Proxy> {
  let next = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const updateId = updateIdOf(body);
      const first = next++ % replicas.length;
      for (let i = 0; i < replicas.length; i++) {
        const replica = replicas[(first + i) % replicas.length] as Replica;
        try {
          const answer = await post(
            `http://127.0.0.1:${replica.port}${req.url ?? "/"}`,
            body,
            pick(req, ["content-type", "x-telegram-bot-api-secret-token"]),
          );
          answers.push({
            replica: replica.index,
            ...(updateId !== undefined ? { updateId } : {}),
            status: answer.status,
            via: "proxy",
          });
          res.writeHead(answer.status, { "content-type": answer.contentType ?? "application/json" });
          res.end(answer.body);
          return;
        } catch (error) {
          const refused = (error as NodeJS.ErrnoException).code === "ECONNREFUSED";
          answers.push({
            replica: replica.index,
            ...(updateId !== undefined ? { updateId } : {}),
            status: 0,
            failure: refused ? "refused" : "dropped",
            via: "proxy",
          });
          if (!refused) break;
        }
      }
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "no replica answered" }));
    })().catch(() => res.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

function updateIdOf(body: Buffer): number | undefined {
  try {
    const id = (JSON.parse(body.toString("utf8")) as { update_id?: unknown }).update_id;
    return typeof id === "number" ? id : undefined;
  } catch {
    return undefined;
  }
}

function pick(req: IncomingMessage, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  return headers;
}

function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: Buffer; contentType?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: false,
        timeout: DELIVERY_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.once("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            ...(res.headers["content-type"] ? { contentType: res.headers["content-type"] } : {}),
          }),
        );
        res.once("error", reject);
      },
    );
    req.once("timeout", () => req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
    req.once("error", reject);
    req.end(body);
  });
}
