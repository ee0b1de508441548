// Durable broadcast delivery on BullMQ + Redis, shared by any number of worker processes on any machine.
//
// A broadcast starts with a "start" job (delayed until scheduledAt): the app's resolver turns the audience
// into recipients, a snapshot of them is stored, and one "send" job per recipient is added in chunks with
// jobId `<broadcastId>.<chatId>` (BullMQ refuses ':' in custom ids), so adding a chunk twice adds nothing.
//
// Redis keys (P = prefix, default "coopdesk:"):
//   P broadcast:<id>              hash: request, state, total, sent/failed/blocked counters, times
//   P broadcast:<id>:delivered    set of chat ids a message was delivered to (checked before each send)
//   P broadcast:<id>:dropped      hash chat id → blocked | failed
//   P broadcast:<id>:recipients   list "chatId|lang", the snapshot taken at the start
//   P broadcasts                  sorted set of ids by creation time (for list())
//   P broadcast-pause             set for retry_after when Telegram answers 429: nobody sends meanwhile
//   P broadcast-chat:<chatId>     taken for 1.25 s (groups 3.25 s) by each send to the chat
//   P broadcast-second            messages delivered in the current second (the free ones of paid broadcasts)
//   <P without ':'>:broadcast-start:*, …:broadcast-send:*   BullMQ's queues
//
// Each message: claim (one Lua script: broadcast still running? already delivered? paused? chat free?) →
// send → record (SADD delivered + HINCRBY, idempotent, and "done" when the counts reach the total). A job
// run twice (retry, stalled-job recovery after a crash) finds its chat in the delivered set and sends
// nothing; only a message sent but not yet recorded when a process died can go out twice.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ConnectionOptions, Job, Queue, Worker } from "bullmq";
import type { Redis, RedisOptions } from "ioredis";
import { bullmq, ioredis, watchConnection } from "../redis-connection.js";
import { settlesWithin } from "../settles-within.js";
import { DEFAULT_LOCK_MS, FREE_BROADCAST_PER_SECOND } from "./config.js";
import {
  DEFAULT_LIST_LIMIT,
  PROGRESS_INTERVAL_MS,
  ProgressReporter,
  buildStatus,
  chatSpacingMs,
  checkRequest,
  classifyError,
  engineSettings,
  limiterFor,
  pickContent,
  uniqueRecipients,
} from "./core.js";
import type { EngineSettings, StatusFields } from "./core.js";
import type {
  BroadcastContent,
  BroadcastRequest,
  BroadcastStatus,
  DeliveryEngineOptions,
  DeliveryPacing,
  DeliveryService,
} from "./types.js";

export const DEFAULT_BROADCAST_PREFIX = "coopdesk:";
export const START_QUEUE = "broadcast-start";
export const SEND_QUEUE = "broadcast-send";

export interface BullDeliveryOptions extends DeliveryEngineOptions {
  /** redis:// URL or ioredis options. */
  connection: string | RedisOptions;
  /** A client of its own for the engine's keys and scripts, owned by the caller (the app's come from src/app/redis.ts); default: one opened on `connection` and closed with the engine. */
  redis?: Redis;
  /** Messages per second across all processes sharing the Redis. Default 28, or 950 with `paid`. */
  ratePerSecond?: number;
  /**
   * Paid broadcasting: broadcasts scheduled here are sent with `allow_paid_broadcast` (by any worker) and
   * count the messages Telegram bills. Every process sharing the Redis should be configured alike.
   */
  paid?: boolean;
  /** Namespace of every key. Default "coopdesk:". */
  prefix?: string;
  /** Messages in flight at once in this process. Default from the rate (4–50). */
  concurrency?: number;
  /** Lock of an active job; a crashed process's jobs are taken over after about this long. Default 30 s. */
  lockMs?: number;
  /**
   * What `startWorkers()` runs here. A start needs the app's resolver, so a process that cannot resolve
   * audiences (worker-main) runs only `send`. Default both.
   */
  roles?: { start?: boolean; send?: boolean };
  /** How long a finished broadcast's keys are kept. Default 30 days. */
  retentionSeconds?: number;
}

interface SendData {
  /** broadcast id */
  b: string;
  /** chat id */
  c: number;
  /** language ("" = unknown) */
  l: string;
}

interface StartData {
  b: string;
}

interface Meta {
  content: BroadcastContent;
  progress?: { chatId: number; messageId: number };
  paid: boolean;
}

const FANOUT_CHUNK = 1000;
const REMOVE_CHUNK = 500;
const META_CACHE_SIZE = 100;
/** A message whose job stalls this often (its worker died each time) is given up. */
const MAX_STALLED = 10;

/**
 * The Lua scripts, one file each in ./lua/ named "<command>-<number of keys>.lua" (as BullMQ names its
 * own), with a header saying KEYS, ARGV and the result. Read once, when this module loads.
 */
const SCRIPT_NAMES = ["create", "begin", "claim", "record", "cancel", "fail", "pause"] as const;
const SCRIPT_DIR = new URL("./lua/", import.meta.url);

function loadScripts(): Record<ScriptName, { keys: number; lua: string }> {
  const files = readdirSync(SCRIPT_DIR).filter((file) => file.endsWith(".lua"));
  const scripts = {} as Record<ScriptName, { keys: number; lua: string }>;
  for (const name of SCRIPT_NAMES) {
    const file = files.find((f) => new RegExp(`^${name}-\\d+\\.lua$`).test(f));
    if (!file) throw new Error(`broadcast script ${name}-<keys>.lua is missing from ${fileURLToPath(SCRIPT_DIR)}`);
    scripts[name] = {
      keys: Number(file.slice(name.length + 1, -".lua".length)),
      lua: readFileSync(new URL(file, SCRIPT_DIR), "utf8"),
    };
  }
  return scripts;
}

const SCRIPTS = loadScripts();

type ScriptName = (typeof SCRIPT_NAMES)[number];
type ScriptClient = Redis & Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

export function createBullDelivery(options: BullDeliveryOptions): DeliveryService {
  return new BullDelivery(options);
}

class BullDelivery implements DeliveryService {
  private readonly settings: EngineSettings;
  private readonly redis: ScriptClient;
  private readonly ownRedis: boolean;
  private readonly bullConnection: ConnectionOptions;
  private readonly prefix: string;
  private readonly bullPrefix: string;
  private readonly lockMs: number;
  private readonly retention: number;
  private readonly progressIntervalMs: number;
  private readonly sendQueue: Queue<SendData>;
  private readonly startQueue: Queue<StartData>;
  private readonly reporter: ProgressReporter;
  private readonly metaCache = new Map<string, Meta | null>();
  private workers: Worker[] = [];
  private closed = false;

  constructor(private readonly options: BullDeliveryOptions) {
    this.prefix = options.prefix ?? DEFAULT_BROADCAST_PREFIX;
    this.bullPrefix = this.prefix.replace(/:+$/, "") || "bull";
    this.settings = engineSettings(options);
    this.lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    this.retention = options.retentionSeconds ?? 30 * 24 * 3600;
    this.progressIntervalMs = options.progressIntervalMs ?? PROGRESS_INTERVAL_MS;
    this.reporter = new ProgressReporter(options.hooks, this.progressIntervalMs, options.logger);

    const url = typeof options.connection === "string" ? options.connection : undefined;
    const rest: RedisOptions = typeof options.connection === "string" ? {} : options.connection;
    this.bullConnection = (url !== undefined ? { url } : { ...rest }) as ConnectionOptions;
    this.ownRedis = !options.redis;
    this.redis = (options.redis ?? this.openRedis(url, { maxRetriesPerRequest: 3, ...rest })) as ScriptClient;
    for (const [name, script] of Object.entries(SCRIPTS)) {
      this.redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
    }
    const queueOptions = { connection: this.bullConnection, prefix: this.bullPrefix };
    const { Queue } = bullmq();
    this.sendQueue = new Queue<SendData>(SEND_QUEUE, queueOptions);
    this.startQueue = new Queue<StartData>(START_QUEUE, queueOptions);
    for (const q of [this.sendQueue, this.startQueue])
      q.on("error", (err) => options.logger?.warn({ err }, "broadcast queue error"));
  }

  /** A client of its own, its connection errors logged (a given client's owner logs them). */
  private openRedis(url: string | undefined, clientOptions: RedisOptions): Redis {
    const { Redis } = ioredis();
    const redis = url !== undefined ? new Redis(url, clientOptions) : new Redis(clientOptions);
    watchConnection(redis, (err) => this.options.logger?.warn({ err }, "broadcast Redis connection error"));
    return redis;
  }

  // ---- keys ---------------------------------------------------------------------------------------

  private key(id: string, part?: "delivered" | "dropped" | "recipients" | "tmp" | "tick"): string {
    return `${this.prefix}broadcast:${id}${part ? `:${part}` : ""}`;
  }

  private get indexKey(): string {
    return `${this.prefix}broadcasts`;
  }

  get pacing(): DeliveryPacing {
    return { ratePerSecond: this.settings.rate, paid: this.settings.paid };
  }

  private get secondKey(): string {
    return `${this.prefix}broadcast-second`;
  }

  private get pauseKey(): string {
    return `${this.prefix}broadcast-pause`;
  }

  private chatKey(chatId: number): string {
    return `${this.prefix}broadcast-chat:${chatId}`;
  }

  private countKeys(id: string): string[] {
    return [this.key(id), this.key(id, "delivered"), this.key(id, "dropped"), this.key(id, "recipients")];
  }

  private sendJobId(id: string, chatId: number): string {
    return `${id}.${chatId}`;
  }

  // ---- API ----------------------------------------------------------------------------------------

  async schedule(request: BroadcastRequest): Promise<BroadcastStatus> {
    const checked = checkRequest(request);
    const now = Date.now();
    await this.redis.create(
      this.key(request.id),
      this.indexKey,
      request.id,
      request.createdBy,
      now,
      checked.scheduledAtMs ?? "",
      checked.expiresAtMs ?? "",
      JSON.stringify(request.content),
      checked.audienceJson,
      request.progress ? JSON.stringify(request.progress) : "",
      this.settings.paid ? "1" : "",
    );
    const status = await this.status(request.id);
    if (!status) throw new Error(`broadcast ${request.id} vanished right after it was stored`);
    // Also for an id scheduled before: a crash between storing and queueing left no start job; adding
    // it again is a no-op when it exists (same jobId).
    if (status.state === "scheduled") {
      const at = status.scheduledAt ? Date.parse(status.scheduledAt) : now;
      await this.startQueue.add(
        "start",
        { b: request.id },
        {
          jobId: `start.${request.id}`,
          delay: Math.max(0, at - Date.now()),
          attempts: this.settings.maxAttempts,
          backoff: { type: "exponential", delay: this.settings.backoffMs },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
        },
      );
    }
    return status;
  }

  async cancel(id: string): Promise<BroadcastStatus | undefined> {
    if (!isId(id)) return undefined;
    const [before, changed] = (await this.redis.cancel(...this.countKeys(id), this.retention)) as [string, number];
    if (before === "") return undefined;
    if (changed === 1) {
      await this.startQueue.remove(`start.${id}`).catch(() => 0);
      if (before === "running") await this.removeSendJobs(id);
      const meta = await this.meta(id);
      this.reporter.report(id, meta?.progress, () => this.status(id), true);
    }
    return this.status(id);
  }

  async status(id: string): Promise<BroadcastStatus | undefined> {
    if (!isId(id)) return undefined;
    const fields = await this.redis.hmget(this.key(id), ...STATUS_FIELDS);
    return this.toStatus(fields);
  }

  async list(limit = DEFAULT_LIST_LIMIT): Promise<BroadcastStatus[]> {
    const count = Math.max(0, Math.floor(limit));
    if (count === 0) return [];
    const ids = await this.redis.zrevrange(this.indexKey, 0, count - 1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.key(id), ...STATUS_FIELDS);
    const rows = (await pipeline.exec()) ?? [];
    const out: BroadcastStatus[] = [];
    const gone: string[] = [];
    rows.forEach(([err, fields], i) => {
      const status = err ? undefined : this.toStatus(fields as (string | null)[]);
      if (status) out.push(status);
      else if (!err) gone.push(ids[i] as string);
    });
    // Finished broadcasts expire after the retention period; their index entries go with them.
    if (gone.length > 0) await this.redis.zrem(this.indexKey, ...gone);
    return out;
  }

  async startWorkers(): Promise<void> {
    if (this.closed) throw new Error("delivery service is closed");
    if (this.workers.length > 0) return;
    const roles = { start: true, send: true, ...this.options.roles };
    const { Worker } = bullmq();
    const common = {
      connection: this.bullConnection,
      prefix: this.bullPrefix,
      lockDuration: this.lockMs,
      stalledInterval: Math.max(500, Math.round(this.lockMs / 2)),
      maxStalledCount: MAX_STALLED,
    };
    if (roles.start) {
      this.workers.push(
        new Worker<StartData>(START_QUEUE, (job) => this.processStart(job), { ...common, concurrency: 2 }),
      );
    }
    if (roles.send) {
      this.workers.push(
        new Worker<SendData>(SEND_QUEUE, (job, token) => this.processSend(job, token), {
          ...common,
          concurrency: this.settings.concurrency,
          limiter: limiterFor(this.settings.rate),
        }),
      );
    }
    for (const worker of this.workers) {
      worker.on("error", (err) => this.options.logger?.error({ err, queue: worker.name }, "broadcast worker error"));
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Lets the messages in flight finish (and be recorded) before the connections go — for a bounded
    // time: while Redis refuses every client, BullMQ's close waits on its reconnect backoff forever.
    const graceful = async () => {
      await Promise.all(this.workers.map((w) => w.close()));
      await this.reporter.idle();
      await Promise.all([this.sendQueue.close(), this.startQueue.close()]);
      if (this.ownRedis) await this.redis.quit();
    };
    if (!(await settlesWithin(graceful(), CLOSE_GRACE_MS))) {
      this.options.logger?.warn(
        { ms: CLOSE_GRACE_MS },
        "broadcast queues did not close in time (Redis unreachable?); disconnecting them",
      );
      await settlesWithin(Promise.all(this.workers.map((w) => w.close(true))), CLOSE_GRACE_MS);
      await settlesWithin(Promise.all([this.sendQueue.disconnect(), this.startQueue.disconnect()]), CLOSE_GRACE_MS);
      if (this.ownRedis) this.redis.disconnect();
    }
  }

  // ---- start --------------------------------------------------------------------------------------

  private async processStart(job: Job<StartData>): Promise<string> {
    const id = job.data.b;
    const [state, expiresAt, audience] = await this.redis.hmget(this.key(id), "state", "expiresAt", "audience");
    if (state === null || state === undefined) return "gone";
    if (state === "scheduled") {
      if (expiresAt !== null && Number(expiresAt) <= Date.now()) {
        await this.redis.fail(this.key(id), "expired before it started", this.retention);
        await this.reportFinal(id);
        return "expired";
      }
      let recipients: { chatId: number; lang: string }[];
      try {
        recipients = uniqueRecipients(await this.options.hooks.resolveRecipients(JSON.parse(audience ?? "null")));
      } catch (err) {
        this.options.logger?.warn(
          { err, broadcast: id, attempt: job.attemptsMade + 1 },
          "resolving broadcast recipients failed",
        );
        if (job.attemptsMade + 1 >= this.settings.maxAttempts) {
          await this.redis.fail(
            this.key(id),
            `recipients could not be resolved: ${(err as Error).message}`,
            this.retention,
          );
          await this.reportFinal(id);
        }
        throw err;
      }
      const tmp = this.key(id, "tmp");
      await this.redis.del(tmp);
      for (let i = 0; i < recipients.length; i += FANOUT_CHUNK) {
        await this.redis.rpush(tmp, ...recipients.slice(i, i + FANOUT_CHUNK).map((r) => `${r.chatId}|${r.lang}`));
      }
      const begun = (await this.redis.begin(
        this.key(id),
        tmp,
        this.key(id, "recipients"),
        recipients.length,
      )) as string;
      if (begun === "done") await this.reportFinal(id);
      if (begun !== "running") return begun || "gone";
      this.options.logger?.info({ broadcast: id, recipients: recipients.length }, "broadcast started");
      // Before the first message, so that the throttled reports of the senders come after it.
      const meta = await this.meta(id);
      if (meta?.progress && this.reporter.enabled) {
        this.reporter.take(id);
        await this.redis.set(this.key(id, "tick"), "1", "PX", this.progressIntervalMs);
        this.reporter.report(id, meta.progress, () => this.status(id), false);
      }
    } else if (state !== "running") {
      return state;
    }
    await this.fanOut(id);
    return "started";
  }

  /** Adds the send jobs from the snapshot, from where a previous run stopped. */
  private async fanOut(id: string): Promise<void> {
    const recipientsKey = this.key(id, "recipients");
    for (;;) {
      const [state, fanned, total] = await this.redis.hmget(this.key(id), "state", "fanned", "total");
      const from = Number(fanned ?? 0);
      if (state !== "running" || from >= Number(total ?? 0)) return;
      const chunk = await this.redis.lrange(recipientsKey, from, from + FANOUT_CHUNK - 1);
      if (chunk.length === 0) return;
      await this.sendQueue.addBulk(
        chunk.map((entry) => {
          const { chatId, lang } = parseEntry(entry);
          return {
            name: "send",
            data: { b: id, c: chatId, l: lang },
            opts: {
              jobId: this.sendJobId(id, chatId),
              attempts: this.settings.maxAttempts,
              backoff: { type: "exponential", delay: this.settings.backoffMs },
              removeOnComplete: true,
              removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
            },
          };
        }),
      );
      await this.redis.hset(this.key(id), "fanned", from + chunk.length);
      // Cancelled while this chunk was being added: its jobs would only be skipped, one limiter slot each.
      if ((await this.redis.hget(this.key(id), "state")) === "cancelled") await this.removeSendJobs(id, chunk);
    }
  }

  private async removeSendJobs(id: string, only?: string[]): Promise<void> {
    const entries = only ?? (await this.redis.lrange(this.key(id, "recipients"), 0, -1));
    for (let i = 0; i < entries.length; i += REMOVE_CHUNK) {
      // Active (locked) jobs are not removed: they find the broadcast cancelled and send nothing.
      await Promise.all(
        entries
          .slice(i, i + REMOVE_CHUNK)
          .map((e) => this.sendQueue.remove(this.sendJobId(id, parseEntry(e).chatId)).catch(() => 0)),
      );
    }
  }

  // ---- send ---------------------------------------------------------------------------------------

  private async processSend(job: Job<SendData>, token: string | undefined): Promise<string> {
    try {
      return await this.deliver(job, token);
    } catch (err) {
      const { DelayedError, RateLimitError, UnrecoverableError } = bullmq();
      const control = err instanceof DelayedError || err instanceof RateLimitError || err instanceof UnrecoverableError;
      // Anything unexpected (Redis down, …) on the last try still settles the message, or the broadcast
      // would never reach its total. Recording is idempotent.
      if (!control && job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const meta = await this.meta(job.data.b).catch(() => undefined);
        if (meta) await this.record(job.data.b, job.data.c, "failed", meta).catch(() => undefined);
      }
      throw err;
    }
  }

  private async deliver(job: Job<SendData>, token: string | undefined): Promise<string> {
    const { DelayedError, UnrecoverableError, Worker } = bullmq();
    const { b: id, c: chatId, l: lang } = job.data;
    const meta = await this.meta(id);
    if (!meta) return "gone";
    const [verdict, ms] = (await this.redis.claim(
      this.key(id),
      this.key(id, "delivered"),
      this.key(id, "dropped"),
      this.pauseKey,
      this.chatKey(chatId),
      chatId,
      chatSpacingMs(chatId),
    )) as [string, number];
    switch (verdict) {
      case "skip":
      case "done":
        return verdict;
      case "expired":
        await this.record(id, chatId, "failed", meta);
        return verdict;
      case "paused":
        // Someone got a 429: the limiter key is already set; make sure, then go back to waiting.
        await this.sendQueue.rateLimit(ms);
        throw Worker.RateLimitError();
      case "wait":
        // The chat had a message less than a second (group: 3 s) ago: come back when it is free.
        await job.moveToDelayed(Date.now() + ms, token);
        throw new DelayedError();
      case "go":
        break;
      default:
        throw new Error(`unexpected claim verdict ${verdict}`);
    }

    try {
      await this.options.sender.send(chatId, pickContent(meta.content, lang), meta.paid ? { paid: true } : undefined);
    } catch (err) {
      const failure = classifyError(err);
      switch (failure.kind) {
        case "rate-limit": {
          // The whole queue waits, in every process: BullMQ's limiter key, and our pause key for the
          // jobs that were already fetched.
          this.options.logger?.warn(
            { broadcast: id, retryAfterMs: failure.retryAfterMs },
            "Telegram flood control: pausing broadcasts",
          );
          await this.redis.pause(this.pauseKey, failure.retryAfterMs);
          await this.sendQueue.rateLimit(failure.retryAfterMs);
          throw Worker.RateLimitError();
        }
        case "inactive":
          try {
            await this.options.hooks.markInactive(chatId, failure.reason);
          } catch (hookErr) {
            this.options.logger?.warn({ err: hookErr, chatId }, "markInactive failed");
          }
          await this.record(id, chatId, "blocked", meta);
          throw new UnrecoverableError(failure.message);
        case "permanent":
          this.options.logger?.warn({ broadcast: id, chatId, error: failure.message }, "broadcast message refused");
          await this.record(id, chatId, "failed", meta);
          throw new UnrecoverableError(failure.message);
        case "transient":
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
            this.options.logger?.warn(
              { broadcast: id, chatId, error: failure.message },
              "broadcast message failed after retries",
            );
            await this.record(id, chatId, "failed", meta);
          }
          throw err instanceof Error ? err : new Error(failure.message);
      }
    }
    await this.record(id, chatId, "sent", meta);
    return "sent";
  }

  private async record(id: string, chatId: number, outcome: "sent" | "blocked" | "failed", meta: Meta): Promise<void> {
    const result = Number(
      await this.redis.record(
        ...this.countKeys(id),
        this.secondKey,
        chatId,
        outcome,
        FREE_BROADCAST_PER_SECOND,
        this.retention,
      ),
    );
    if (result === 2) {
      this.options.logger?.info({ broadcast: id }, "broadcast done");
      this.reporter.report(id, meta.progress, () => this.status(id), true);
      this.metaCache.delete(id);
      return;
    }
    if (meta.progress && this.reporter.enabled && this.reporter.take(id)) {
      // One report per interval across all processes.
      const ok = await this.redis.set(this.key(id, "tick"), "1", "PX", this.progressIntervalMs, "NX");
      if (ok === "OK") this.reporter.report(id, meta.progress, () => this.status(id), false);
    }
  }

  private async reportFinal(id: string): Promise<void> {
    const meta = await this.meta(id);
    this.reporter.report(id, meta?.progress, () => this.status(id), true);
  }

  /** Content and progress target of a broadcast (they never change), cached. */
  private async meta(id: string): Promise<Meta | undefined> {
    const cached = this.metaCache.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const [content, progress, paid] = await this.redis.hmget(this.key(id), "content", "progress", "paid");
    if (content === null || content === undefined) return undefined;
    const meta: Meta = { content: JSON.parse(content) as BroadcastContent, paid: paid === "1" };
    if (progress) meta.progress = JSON.parse(progress) as Meta["progress"];
    if (this.metaCache.size >= META_CACHE_SIZE) this.metaCache.delete(this.metaCache.keys().next().value as string);
    this.metaCache.set(id, meta);
    return meta;
  }

  private toStatus(fields: (string | null)[]): BroadcastStatus | undefined {
    const [id, createdBy, state, total, sent, failed, blocked, createdAt, scheduledAt, startedAt, finishedAt, billed] =
      fields;
    if (!id || !state) return undefined;
    const f: StatusFields = {
      id,
      createdBy: Number(createdBy),
      state: state as StatusFields["state"],
      total: Number(total ?? 0),
      sent: Number(sent ?? 0),
      failed: Number(failed ?? 0),
      blocked: Number(blocked ?? 0),
      createdAtMs: Number(createdAt),
    };
    if (scheduledAt) f.scheduledAtMs = Number(scheduledAt);
    if (startedAt) f.startedAtMs = Number(startedAt);
    if (finishedAt) f.finishedAtMs = Number(finishedAt);
    if (billed !== null && billed !== undefined) f.billed = Number(billed);
    return buildStatus(f, this.settings.rate);
  }
}

const STATUS_FIELDS = [
  "id",
  "createdBy",
  "state",
  "total",
  "sent",
  "failed",
  "blocked",
  "createdAt",
  "scheduledAt",
  "startedAt",
  "finishedAt",
  "billed",
];

function isId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id);
}

function parseEntry(entry: string): { chatId: number; lang: string } {
  const bar = entry.indexOf("|");
  return { chatId: Number(entry.slice(0, bar)), lang: entry.slice(bar + 1) };
}

/** How long closing may wait for in-flight messages and for Redis before it disconnects instead. */
const CLOSE_GRACE_MS = 3_000;
