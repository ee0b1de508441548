// Deadline reminders in this process (console mode, no Redis): the same behaviour as the BullMQ engine —
// deterministic ids, offsets already past skipped (but one due and not sent yet kept when planned
// again), sent at most once, cancelled when the deadline changes or the chat removes them — but timers
// in memory: nothing survives a restart.
import { ahead, hasUpcomingDeadline, planReminders } from "./plan.js";
import type {
  ChatReminders,
  Clock,
  PlannedReminder,
  RecordDeadlines,
  ReminderOptions,
  ReminderService,
} from "./types.js";

/** setTimeout's longest delay; a later reminder is armed again when it lapses. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createMemoryReminders(options: ReminderOptions): ReminderService {
  return new MemoryReminders(options);
}

class MemoryReminders implements ReminderService {
  /** chat → record → its planned reminders. */
  private readonly chats = new Map<number, Map<string, PlannedReminder[]>>();
  /** record → chats reminded of it. */
  private readonly byRecord = new Map<string, Set<number>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Reminders sent (or being sent): never twice. */
  private readonly sent = new Set<string>();
  private readonly clock: Clock;
  private running = false;
  private closed = false;

  constructor(private readonly options: ReminderOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  async add(chatId: number, record: RecordDeadlines): Promise<PlannedReminder[] | undefined> {
    const now = this.clock.now();
    if (!hasUpcomingDeadline(record, now)) return undefined;
    const before = this.chats.get(chatId)?.get(record.id) ?? [];
    const planned = planReminders(chatId, record, now, before);
    this.replace(chatId, record.id, before, planned);
    return ahead(planned, now);
  }

  async remove(chatId: number, recordId: string): Promise<boolean> {
    const planned = this.chats.get(chatId)?.get(recordId);
    if (!planned) return false;
    for (const r of planned) this.disarm(r.id);
    this.chats.get(chatId)!.delete(recordId);
    if (this.chats.get(chatId)!.size === 0) this.chats.delete(chatId);
    this.byRecord.get(recordId)?.delete(chatId);
    if (this.byRecord.get(recordId)?.size === 0) this.byRecord.delete(recordId);
    return true;
  }

  async has(chatId: number, recordId: string): Promise<boolean> {
    return this.chats.get(chatId)?.has(recordId) ?? false;
  }

  async list(chatId: number): Promise<ChatReminders[]> {
    const now = this.clock.now();
    return [...(this.chats.get(chatId) ?? new Map<string, PlannedReminder[]>())].map(([recordId, planned]) => ({
      recordId,
      pending: planned.filter((r) => r.dueAt > now && !this.sent.has(r.id)),
    }));
  }

  async recordChanged(recordId: string, record: RecordDeadlines | undefined): Promise<void> {
    for (const chatId of [...(this.byRecord.get(recordId) ?? [])]) {
      if (!record || !this.hasUpcoming(record)) {
        await this.remove(chatId, recordId);
        continue;
      }
      const before = this.chats.get(chatId)?.get(recordId) ?? [];
      this.replace(chatId, recordId, before, planReminders(chatId, record, this.clock.now(), before));
    }
  }

  async startWorkers(): Promise<void> {
    if (this.closed) throw new Error("reminder service is closed");
    if (this.running) return;
    this.running = true;
    for (const records of this.chats.values())
      for (const planned of records.values()) for (const r of planned) this.arm(r);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private hasUpcoming(record: RecordDeadlines): boolean {
    return hasUpcomingDeadline(record, this.clock.now());
  }

  /** The chat's plan for the record becomes `planned`: the timers of `before` it no longer has go. */
  private replace(chatId: number, recordId: string, before: PlannedReminder[], planned: PlannedReminder[]): void {
    const kept = new Set(planned.map((r) => r.id));
    for (const old of before) if (!kept.has(old.id)) this.disarm(old.id);
    this.put(chatId, recordId, planned);
  }

  private put(chatId: number, recordId: string, planned: PlannedReminder[]): void {
    let records = this.chats.get(chatId);
    if (!records) this.chats.set(chatId, (records = new Map()));
    records.set(recordId, planned);
    let chats = this.byRecord.get(recordId);
    if (!chats) this.byRecord.set(recordId, (chats = new Set()));
    chats.add(chatId);
    for (const r of planned) this.arm(r);
  }

  private arm(reminder: PlannedReminder, attempt = 0, at = reminder.dueAt): void {
    if (!this.running || this.timers.has(reminder.id) || this.sent.has(reminder.id)) return;
    const wait = Math.max(0, at - this.clock.now());
    const timer = setTimeout(
      () => {
        this.timers.delete(reminder.id);
        if (wait >= MAX_TIMER_MS) return this.arm(reminder, attempt, at);
        void this.fire(reminder, attempt);
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(reminder.id, timer);
  }

  private disarm(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private async fire(reminder: PlannedReminder, attempt: number): Promise<void> {
    // Still wanted: the chat has not removed it, and the record's deadline has not moved since.
    const current = this.chats.get(reminder.chatId)?.get(reminder.recordId);
    if (this.closed || !current?.some((r) => r.id === reminder.id) || this.sent.has(reminder.id)) return;
    this.sent.add(reminder.id);
    try {
      const outcome = await this.options.hooks.deliver(reminder);
      if (outcome === "unreachable")
        for (const recordId of [...(this.chats.get(reminder.chatId)?.keys() ?? [])])
          await this.remove(reminder.chatId, recordId);
    } catch (error) {
      this.sent.delete(reminder.id);
      const attempts = Math.max(1, this.options.maxAttempts ?? 5);
      if (attempt + 1 >= attempts) {
        this.options.logger?.warn(
          { reminder: reminder.id, message: (error as Error).message },
          "reminder not sent after retries",
        );
        return;
      }
      this.options.logger?.warn(
        { reminder: reminder.id, attempt: attempt + 1, message: (error as Error).message },
        "reminder not sent; trying again",
      );
      this.arm(reminder, attempt + 1, this.clock.now() + (this.options.backoffMs ?? 1000) * 2 ** attempt);
    }
  }
}
