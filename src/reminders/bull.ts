// Deadline reminders on BullMQ + Redis: one delayed job per reminder, durable (a restarted process, or
// any other on the same Redis, sends it when it is due) and shared by every bot process.
//
// Redis keys (P = prefix, default "coopdesk:"):
//   P reminders:chat:<chatId>      hash record id → JSON of the chat's planned reminders about it
//   P reminders:record:<recordId>  set of the chat ids reminded of the record
//   P reminder-sent:<jobId>        set (NX) just before a reminder is sent: a job run twice sends once
//   <P without ':'>:reminders:*    BullMQ's queue
//
// Job ids are deterministic per (chat, record, deadline, offset) (see plan.ts): every process applying
// the same catalog change adds the same jobs — an id that exists is not added again — and removes the
// same old ones. A job also checks, when it runs, that the chat's stored plan still holds it, so a job
// left over by a race (a change applied while the chat removed the reminder) sends nothing. Planning
// again keeps in the plan (and so in the queue) a reminder of the old plan already due whose deadline
// the record still has: a job waiting for a worker, or between two tries, is sent all the same; one
// already sent (its mark set) gets no job again.
import type { ConnectionOptions, Job, Queue, Worker } from "bullmq";
import type { Redis, RedisOptions } from "ioredis";
import { bullmq, ioredis, watchConnection } from "../redis-connection.js";
import { settlesWithin } from "../settles-within.js";
import { ahead, hasUpcomingDeadline, planReminders } from "./plan.js";
import type {
  ChatReminders,
  Clock,
  PlannedReminder,
  RecordDeadlines,
  ReminderOptions,
  ReminderService,
} from "./types.js";

export const DEFAULT_REMINDER_PREFIX = "coopdesk:";
export const REMINDER_QUEUE = "reminders";

export interface BullReminderOptions extends ReminderOptions {
  /** redis:// URL or ioredis options: where BullMQ connects. */
  connection: string | RedisOptions;
  /** The client for the reminders' own keys, owned by the caller (the app's come from src/app/redis.ts); default: one opened on `connection` and closed with the service. */
  redis?: Redis;
  /** Namespace of every key. Default "coopdesk:". */
  prefix?: string;
  /** Lock of a job being sent; a crashed process's job is taken over after about this long. Default 30 s. */
  lockMs?: number;
}

/** How long the "sent" mark of a reminder is kept. */
const SENT_TTL_SECONDS = 60 * 24 * 3600;
/** How long closing may wait for Redis before it disconnects instead, and then for the disconnection. */
const CLOSE_GRACE_MS = 3_000;
const FORCE_GRACE_MS = 1_000;

/** Writes a chat's plan only while the chat still has reminders about the record (it may have removed them meanwhile). */
const SET_IF_PRESENT = `if redis.call("HEXISTS", KEYS[1], ARGV[1]) == 1 then redis.call("HSET", KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0`;

export function createBullReminders(options: BullReminderOptions): ReminderService {
  return new BullReminders(options);
}

class BullReminders implements ReminderService {
  private readonly redis: Redis;
  private readonly ownRedis: boolean;
  private readonly queue: Queue<PlannedReminder>;
  private readonly bullConnection: ConnectionOptions;
  private readonly prefix: string;
  private readonly bullPrefix: string;
  private readonly clock: Clock;
  private worker: Worker<PlannedReminder> | undefined;
  private closed = false;

  constructor(private readonly options: BullReminderOptions) {
    this.prefix = options.prefix ?? DEFAULT_REMINDER_PREFIX;
    this.bullPrefix = this.prefix.replace(/:+$/, "") || "bull";
    this.clock = options.clock ?? { now: () => Date.now() };
    const url = typeof options.connection === "string" ? options.connection : undefined;
    const rest: RedisOptions = typeof options.connection === "string" ? {} : options.connection;
    this.bullConnection = (url !== undefined ? { url } : { ...rest }) as ConnectionOptions;
    this.ownRedis = !options.redis;
    const clientOptions: RedisOptions = { maxRetriesPerRequest: 3, ...rest };
    this.redis = options.redis ?? this.openRedis(url, clientOptions);
    this.queue = new (bullmq().Queue)<PlannedReminder>(REMINDER_QUEUE, {
      connection: this.bullConnection,
      prefix: this.bullPrefix,
    });
    this.queue.on("error", (err) => options.logger?.warn({ message: err.message }, "reminder queue error"));
  }

  /** A client of its own, its connection errors logged (a given client's owner logs them). */
  private openRedis(url: string | undefined, clientOptions: RedisOptions): Redis {
    const { Redis } = ioredis();
    const redis = url !== undefined ? new Redis(url, clientOptions) : new Redis(clientOptions);
    watchConnection(redis, (err) =>
      this.options.logger?.warn({ message: err.message }, "reminders Redis connection error"),
    );
    return redis;
  }

  private chatKey(chatId: number): string {
    return `${this.prefix}reminders:chat:${chatId}`;
  }

  private recordKey(recordId: string): string {
    return `${this.prefix}reminders:record:${recordId}`;
  }

  private sentKey(id: string): string {
    return `${this.prefix}reminder-sent:${id}`;
  }

  async add(chatId: number, record: RecordDeadlines): Promise<PlannedReminder[] | undefined> {
    const now = this.clock.now();
    if (!hasUpcomingDeadline(record, now)) return undefined;
    const before = await this.stored(chatId, record.id);
    const planned = planReminders(chatId, record, now, before);
    await this.redis
      .multi()
      .hset(this.chatKey(chatId), record.id, JSON.stringify(planned))
      .sadd(this.recordKey(record.id), String(chatId))
      .exec();
    await this.follow(before ?? [], planned);
    return ahead(planned, now);
  }

  async remove(chatId: number, recordId: string): Promise<boolean> {
    const before = await this.stored(chatId, recordId);
    const [[, deleted] = []] =
      (await this.redis
        .multi()
        .hdel(this.chatKey(chatId), recordId)
        .srem(this.recordKey(recordId), String(chatId))
        .exec()) ?? [];
    await this.follow(before ?? [], []);
    return Number(deleted) > 0;
  }

  async has(chatId: number, recordId: string): Promise<boolean> {
    return (await this.redis.hexists(this.chatKey(chatId), recordId)) === 1;
  }

  async list(chatId: number): Promise<ChatReminders[]> {
    const all = await this.redis.hgetall(this.chatKey(chatId));
    const now = this.clock.now();
    const pending = Object.entries(all).map(([recordId, json]) => ({ recordId, planned: parsePlan(json) }));
    const sent = pending.flatMap((e) => e.planned.map((r) => r.id));
    const marks = sent.length ? await this.redis.mget(sent.map((id) => this.sentKey(id))) : [];
    const done = new Set(sent.filter((_, i) => marks[i] !== null));
    return pending.map(({ recordId, planned }) => ({
      recordId,
      pending: planned.filter((r) => r.dueAt > now && !done.has(r.id)),
    }));
  }

  async recordChanged(recordId: string, record: RecordDeadlines | undefined): Promise<void> {
    const chats = await this.redis.smembers(this.recordKey(recordId));
    const now = this.clock.now();
    for (const chat of chats) {
      const chatId = Number(chat);
      if (!record || !hasUpcomingDeadline(record, now)) {
        await this.remove(chatId, recordId);
        continue;
      }
      const before = await this.stored(chatId, recordId);
      if (!before) {
        await this.redis.srem(this.recordKey(recordId), chat);
        continue;
      }
      const planned = planReminders(chatId, record, now, before);
      const kept = await this.redis.eval(SET_IF_PRESENT, 1, this.chatKey(chatId), recordId, JSON.stringify(planned));
      // Removed by the chat meanwhile: its jobs go too.
      await this.follow(before, Number(kept) === 1 ? planned : []);
    }
  }

  async startWorkers(): Promise<void> {
    if (this.closed) throw new Error("reminder service is closed");
    if (this.worker) return;
    const lockMs = this.options.lockMs ?? 30_000;
    this.worker = new (bullmq().Worker)<PlannedReminder>(REMINDER_QUEUE, (job) => this.process(job), {
      connection: this.bullConnection,
      prefix: this.bullPrefix,
      concurrency: 4,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
    });
    this.worker.on("error", (err) => this.options.logger?.error({ message: err.message }, "reminder worker error"));
    await this.worker.waitUntilReady();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const graceful = async () => {
      await this.worker?.close();
      await this.queue.close();
      if (this.ownRedis) await this.redis.quit();
    };
    if (!(await settlesWithin(graceful(), CLOSE_GRACE_MS))) {
      this.options.logger?.warn(
        { ms: CLOSE_GRACE_MS },
        "reminder queue did not close in time (Redis unreachable?); disconnecting it",
      );
      if (this.ownRedis) this.redis.disconnect();
      await Promise.all([
        settlesWithin(this.worker?.close(true) ?? Promise.resolve(), FORCE_GRACE_MS),
        settlesWithin(this.queue.disconnect(), FORCE_GRACE_MS),
      ]);
    }
  }

  /** The chat's stored plan for the record; undefined when it has no reminders about it. */
  private async stored(chatId: number, recordId: string): Promise<PlannedReminder[] | undefined> {
    const json = await this.redis.hget(this.chatKey(chatId), recordId);
    return json === null ? undefined : parsePlan(json);
  }

  /**
   * Removes the jobs of `before` that `after` no longer has, and adds those of `after` not sent yet (an
   * existing id adds nothing: a job waiting, delayed or between two tries stays as it is).
   */
  private async follow(before: PlannedReminder[], after: PlannedReminder[]): Promise<void> {
    const kept = new Set(after.map((r) => r.id));
    // A job being sent right now is locked and stays: it finds itself out of the plan and sends nothing.
    await Promise.all(before.filter((r) => !kept.has(r.id)).map((r) => this.queue.remove(r.id).catch(() => 0)));
    if (after.length === 0) return;
    // A reminder sent already (kept in the plan until its deadline passes) gets no job again; one marked
    // after this read finds the mark when its job runs.
    const marks = await this.redis.mget(after.map((r) => this.sentKey(r.id)));
    const unsent = after.filter((_, i) => marks[i] === null);
    if (unsent.length === 0) return;
    const now = this.clock.now();
    const attempts = Math.max(1, this.options.maxAttempts ?? 5);
    await this.queue.addBulk(
      unsent.map((r) => ({
        name: "remind",
        data: r,
        opts: {
          jobId: r.id,
          delay: Math.max(0, r.dueAt - now),
          attempts,
          backoff: { type: "exponential", delay: this.options.backoffMs ?? 1000 },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
        },
      })),
    );
  }

  private async process(job: Job<PlannedReminder>): Promise<string> {
    const reminder = job.data;
    const plan = await this.stored(reminder.chatId, reminder.recordId);
    if (!plan?.some((r) => r.id === reminder.id)) return "stale";
    const claimed = await this.redis.set(this.sentKey(reminder.id), String(Date.now()), "EX", SENT_TTL_SECONDS, "NX");
    if (claimed !== "OK") return "already sent";
    let outcome;
    try {
      outcome = await this.options.hooks.deliver(reminder);
    } catch (error) {
      await this.redis.del(this.sentKey(reminder.id));
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.options.logger?.warn(
        { reminder: reminder.id, attempt: job.attemptsMade + 1, last, message: (error as Error).message },
        last ? "reminder not sent after retries" : "reminder not sent; trying again",
      );
      throw error;
    }
    if (outcome === "unreachable") {
      const records = await this.redis.hkeys(this.chatKey(reminder.chatId));
      for (const recordId of records) await this.remove(reminder.chatId, recordId);
    }
    return outcome;
  }
}

function parsePlan(json: string): PlannedReminder[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as PlannedReminder[]) : [];
  } catch {
    return [];
  }
}
