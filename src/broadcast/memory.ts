// In-process broadcast delivery without Redis (the console and no-REDIS_URL mode). Same behaviour as the
// BullMQ engine — global rate, per-chat spacing, 429 pauses everything, 403 / "chat not found" mark the
// chat inactive, retries with exponential backoff, scheduling, cancel, status, throttled progress —
// except durability: broadcasts, schedules and what was delivered live in this process only and are
// lost when it stops. One process only: the rate is not shared with anybody.
import { SecondCounter } from "./cost.js";
import {
  DEFAULT_LIST_LIMIT,
  PROGRESS_INTERVAL_MS,
  ProgressReporter,
  backoffMs,
  buildStatus,
  chatSpacingMs,
  checkRequest,
  classifyError,
  engineSettings,
  limiterFor,
  pickContent,
  uniqueRecipients,
} from "./core.js";
import type { CheckedRequest, EngineSettings, StatusFields } from "./core.js";
import type {
  BroadcastRequest,
  BroadcastStatus,
  DeliveryEngineOptions,
  DeliveryPacing,
  DeliveryService,
} from "./types.js";

export interface MemoryDeliveryOptions extends DeliveryEngineOptions {
  /** Default 28 messages per second, or 950 with `paid`. */
  ratePerSecond?: number;
  /** Paid broadcasting: every send passes `allow_paid_broadcast`; the messages Telegram bills are counted. */
  paid?: boolean;
  /** Messages in flight at once. Default from the rate (4–50). */
  concurrency?: number;
}

interface Broadcast {
  checked: CheckedRequest;
  fields: StatusFields;
  delivered: Set<number>;
  settled: Set<number>;
  /** Scheduled with paid broadcasting. */
  paid: boolean;
  timer?: NodeJS.Timeout;
  seq: number;
}

interface Task {
  id: string;
  chatId: number;
  lang: string;
  /** Failed tries so far. */
  attempts: number;
  notBefore: number;
}

/** A queue with cheap shift/unshift at the front (arrays shift in O(n)). */
class Deque<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  unshift(item: T): void {
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }

  removeWhere(predicate: (item: T) => boolean): void {
    this.items = this.items.slice(this.head).filter((item) => !predicate(item));
    this.head = 0;
  }
}

/** setTimeout's longest delay; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createMemoryDelivery(options: MemoryDeliveryOptions): DeliveryService {
  return new MemoryDelivery(options);
}

class MemoryDelivery implements DeliveryService {
  private readonly settings: EngineSettings;
  private readonly broadcasts = new Map<string, Broadcast>();
  /** Messages delivered in the current second: past the free ones, a paid broadcast's are billed. */
  private readonly second = new SecondCounter();
  private readonly reporter: ProgressReporter;
  /** Token bucket: as many tokens as one BullMQ limiter window (a tenth of a second's worth or so). */
  private readonly bucketSize: number;
  private tokens: number;
  private refilledAt = Date.now();
  private readonly ready = new Deque<Task>();
  /** Sorted by notBefore. */
  private delayed: Task[] = [];
  private readonly chatFreeAt = new Map<number, number>();
  private pausedUntil = 0;
  private inFlight = new Set<Promise<void>>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private wakeAt = Infinity;
  private running = false;
  private closed = false;
  private seq = 0;
  private readonly starts = new Set<Promise<void>>();

  constructor(private readonly options: MemoryDeliveryOptions) {
    this.settings = engineSettings(options);
    this.reporter = new ProgressReporter(
      options.hooks,
      options.progressIntervalMs ?? PROGRESS_INTERVAL_MS,
      options.logger,
    );
    this.bucketSize = limiterFor(this.settings.rate).max;
    this.tokens = this.bucketSize;
  }

  // ---- API ----------------------------------------------------------------------------------------

  get pacing(): DeliveryPacing {
    return { ratePerSecond: this.settings.rate, paid: this.settings.paid };
  }

  async schedule(request: BroadcastRequest): Promise<BroadcastStatus> {
    if (this.closed) throw new Error("delivery service is closed");
    const checked = checkRequest(request);
    const existing = this.broadcasts.get(request.id);
    if (existing) return this.toStatus(existing);
    const fields: StatusFields = {
      id: request.id,
      createdBy: request.createdBy,
      state: "scheduled",
      total: 0,
      sent: 0,
      failed: 0,
      blocked: 0,
      createdAtMs: Date.now(),
      ...(this.settings.paid ? { billed: 0 } : {}),
    };
    if (checked.scheduledAtMs !== undefined) fields.scheduledAtMs = checked.scheduledAtMs;
    // A deep copy, as Redis would keep it: later changes by the caller do not leak in.
    const stored: CheckedRequest = { ...checked, request: JSON.parse(JSON.stringify(request)) as BroadcastRequest };
    const b: Broadcast = {
      checked: stored,
      fields,
      delivered: new Set(),
      settled: new Set(),
      paid: this.settings.paid,
      seq: this.seq++,
    };
    this.broadcasts.set(request.id, b);
    this.armStart(b);
    return this.toStatus(b);
  }

  async cancel(id: string): Promise<BroadcastStatus | undefined> {
    const b = this.broadcasts.get(id);
    if (!b) return undefined;
    if (b.fields.state === "scheduled" || b.fields.state === "running") {
      b.fields.state = "cancelled";
      b.fields.finishedAtMs = Date.now();
      if (b.timer) clearTimeout(b.timer);
      this.ready.removeWhere((t) => t.id === id);
      this.delayed = this.delayed.filter((t) => t.id !== id);
      this.reportFinal(b);
    }
    return this.toStatus(b);
  }

  async status(id: string): Promise<BroadcastStatus | undefined> {
    const b = this.broadcasts.get(id);
    return b ? this.toStatus(b) : undefined;
  }

  async list(limit = DEFAULT_LIST_LIMIT): Promise<BroadcastStatus[]> {
    return [...this.broadcasts.values()]
      .sort((a, b) => b.fields.createdAtMs - a.fields.createdAtMs || b.seq - a.seq)
      .slice(0, Math.max(0, Math.floor(limit)))
      .map((b) => this.toStatus(b));
  }

  async startWorkers(): Promise<void> {
    if (this.closed) throw new Error("delivery service is closed");
    this.running = true;
    this.pump();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.running = false;
    for (const b of this.broadcasts.values()) if (b.timer) clearTimeout(b.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await Promise.all([...this.starts]);
    await Promise.all([...this.inFlight]);
    await this.reporter.idle();
  }

  // ---- start --------------------------------------------------------------------------------------

  private armStart(b: Broadcast): void {
    const wait = (b.checked.scheduledAtMs ?? 0) - Date.now();
    if (wait <= 0) return void this.trackStart(this.start(b));
    b.timer = setTimeout(() => this.armStart(b), Math.min(wait, MAX_TIMER_MS));
    b.timer.unref?.();
  }

  private trackStart(p: Promise<void>): void {
    this.starts.add(p);
    void p.finally(() => this.starts.delete(p));
  }

  private async start(b: Broadcast): Promise<void> {
    const id = b.fields.id;
    if (b.fields.state !== "scheduled" || this.closed) return;
    if (b.checked.expiresAtMs !== undefined && b.checked.expiresAtMs <= Date.now()) {
      this.finish(b, "failed");
      return;
    }
    let recipients: { chatId: number; lang: string }[] | undefined;
    for (let attempt = 1; recipients === undefined; attempt++) {
      try {
        recipients = uniqueRecipients(await this.options.hooks.resolveRecipients(b.checked.request.audience));
      } catch (err) {
        this.options.logger?.warn({ err, broadcast: id, attempt }, "resolving broadcast recipients failed");
        if (attempt >= this.settings.maxAttempts || this.closed) {
          if (b.fields.state === "scheduled") this.finish(b, "failed");
          return;
        }
        await new Promise((r) => setTimeout(r, backoffMs(this.settings.backoffMs, attempt)));
      }
    }
    if (b.fields.state !== "scheduled") return; // cancelled meanwhile
    b.fields.state = "running";
    b.fields.startedAtMs = Date.now();
    b.fields.total = recipients.length;
    if (recipients.length === 0) {
      this.finish(b, "done");
      return;
    }
    for (const r of recipients) this.ready.push({ id, chatId: r.chatId, lang: r.lang, attempts: 0, notBefore: 0 });
    this.reporter.report(id, b.checked.request.progress, async () => this.toStatus(b), false);
    this.pump();
  }

  // ---- delivery loop ------------------------------------------------------------------------------

  /** Starts as many sends as the limits allow now, and arms a timer for when more can go. */
  private pump(): void {
    if (!this.running || this.closed) return;
    let nextWake = Infinity;
    while (this.inFlight.size < this.settings.concurrency) {
      const now = Date.now();
      if (this.pausedUntil > now) {
        nextWake = this.pausedUntil;
        break;
      }
      while (this.delayed.length > 0 && (this.delayed[0] as Task).notBefore <= now)
        this.ready.push(this.delayed.shift() as Task);
      const task = this.ready.shift();
      if (!task) {
        if (this.delayed.length > 0) nextWake = (this.delayed[0] as Task).notBefore;
        break;
      }
      const b = this.broadcasts.get(task.id);
      if (!b || b.fields.state !== "running" || b.delivered.has(task.chatId) || b.settled.has(task.chatId)) continue;
      if (b.checked.expiresAtMs !== undefined && b.checked.expiresAtMs <= now) {
        this.settle(b, task.chatId, "failed");
        continue;
      }
      const free = this.chatFreeAt.get(task.chatId) ?? 0;
      if (free > now) {
        this.delay({ ...task, notBefore: free });
        continue;
      }
      this.tokens = Math.min(this.bucketSize, this.tokens + ((now - this.refilledAt) * this.settings.rate) / 1000);
      this.refilledAt = now;
      if (this.tokens < 1) {
        this.ready.unshift(task);
        nextWake = now + Math.ceil(((1 - this.tokens) * 1000) / this.settings.rate);
        break;
      }
      this.tokens -= 1;
      this.chatFreeAt.set(task.chatId, now + chatSpacingMs(task.chatId));
      const p = this.send(b, task).finally(() => {
        this.inFlight.delete(p);
        this.pump();
      });
      this.inFlight.add(p);
    }
    if (this.chatFreeAt.size > 10_000) this.pruneChats();
    this.wake(nextWake);
  }

  private wake(at: number): void {
    if (at === Infinity || (this.wakeTimer && this.wakeAt <= at)) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = Infinity;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private delay(task: Task): void {
    let i = this.delayed.length;
    while (i > 0 && (this.delayed[i - 1] as Task).notBefore > task.notBefore) i--;
    this.delayed.splice(i, 0, task);
  }

  private pruneChats(): void {
    const now = Date.now();
    for (const [chatId, at] of this.chatFreeAt) if (at <= now) this.chatFreeAt.delete(chatId);
  }

  private async send(b: Broadcast, task: Task): Promise<void> {
    const id = b.fields.id;
    try {
      await this.options.sender.send(
        task.chatId,
        pickContent(b.checked.request.content, task.lang),
        b.paid ? { paid: true } : undefined,
      );
    } catch (err) {
      const failure = classifyError(err);
      switch (failure.kind) {
        case "rate-limit":
          this.options.logger?.warn(
            { broadcast: id, retryAfterMs: failure.retryAfterMs },
            "Telegram flood control: pausing broadcasts",
          );
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + failure.retryAfterMs);
          this.ready.unshift(task);
          return;
        case "inactive":
          try {
            await this.options.hooks.markInactive(task.chatId, failure.reason);
          } catch (hookErr) {
            this.options.logger?.warn({ err: hookErr, chatId: task.chatId }, "markInactive failed");
          }
          this.settle(b, task.chatId, "blocked");
          return;
        case "permanent":
          this.options.logger?.warn(
            { broadcast: id, chatId: task.chatId, error: failure.message },
            "broadcast message refused",
          );
          this.settle(b, task.chatId, "failed");
          return;
        case "transient": {
          const attempts = task.attempts + 1;
          if (attempts >= this.settings.maxAttempts) {
            this.options.logger?.warn(
              { broadcast: id, chatId: task.chatId, error: failure.message },
              "broadcast message failed after retries",
            );
            this.settle(b, task.chatId, "failed");
          } else {
            this.delay({ ...task, attempts, notBefore: Date.now() + backoffMs(this.settings.backoffMs, attempts) });
          }
          return;
        }
      }
    }
    this.settle(b, task.chatId, "sent");
  }

  private settle(b: Broadcast, chatId: number, outcome: "sent" | "blocked" | "failed"): void {
    if (outcome === "sent") {
      if (b.delivered.has(chatId)) return;
      b.delivered.add(chatId);
      b.fields.sent += 1;
      if (this.second.add() && b.paid) b.fields.billed = (b.fields.billed ?? 0) + 1;
    } else {
      if (b.delivered.has(chatId) || b.settled.has(chatId)) return;
      b.settled.add(chatId);
      b.fields[outcome] += 1;
    }
    const f = b.fields;
    if (f.state === "running" && f.sent + f.failed + f.blocked >= f.total) {
      this.finish(b, "done");
    } else if (this.reporter.take(f.id)) {
      this.reporter.report(f.id, b.checked.request.progress, async () => this.toStatus(b), false);
    }
  }

  private finish(b: Broadcast, state: "done" | "failed"): void {
    b.fields.state = state;
    b.fields.finishedAtMs = Date.now();
    this.reportFinal(b);
  }

  private reportFinal(b: Broadcast): void {
    this.reporter.report(b.fields.id, b.checked.request.progress, async () => this.toStatus(b), true);
  }

  private toStatus(b: Broadcast): BroadcastStatus {
    return buildStatus(b.fields, this.settings.rate);
  }
}
