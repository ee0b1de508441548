// What every reminder engine does (in memory and on BullMQ), with a clock the tests move: a reminder
// due days from now is made due in a fraction of a second by moving the clock, never by waiting.
// The clock stands still while a test sets reminders up, and where the setup must be complete before
// anything is sent the workers start after it: what a test plans does not depend on how long the
// machine takes to carry out its steps.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reminderInstant } from "../../src/catalog/deadlines.js";
import type {
  Clock,
  DeliveryOutcome,
  PlannedReminder,
  RecordDeadlines,
  ReminderHooks,
  ReminderService,
} from "../../src/reminders/types.js";
import { until as waitFor } from "../helpers/until.js";

const LABEL = {
  en: "Applications close",
  fr: "Clôture des candidatures",
  ru: "Приём заявок заканчивается",
  zh: "申请截止",
};

export function withDeadline(
  id: string,
  ...dates: (string | { date: string; time?: string; zone?: string })[]
): RecordDeadlines {
  return {
    id,
    dates: { deadlines: dates.map((d) => ({ ...(typeof d === "string" ? { date: d } : d), label: LABEL })) },
  };
}

/**
 * A clock running with the real one, shifted so that a chosen instant comes in a few milliseconds; or
 * standing still before it, so that it does not come however long the steps that plan for it take.
 */
export class MovableClock implements Clock {
  private shift = 0;
  private standing: number | undefined;
  now(): number {
    return this.standing ?? Date.now() + this.shift;
  }
  /** From now on, `instant` is `ms` away, and the clock runs. */
  comeIn(instant: number, ms: number): void {
    this.standing = undefined;
    this.shift = instant - ms - Date.now();
  }
  /**
   * The clock stands `ms` before `instant` until moved again: every plan made meanwhile sees the same
   * moment (an engine that turns the time left into a real wait waits `ms` from when it plans).
   */
  standBefore(instant: number, ms: number): void {
    this.standing = instant - ms;
  }
}

/** Records what was sent; `outcome` chooses what the next sends answer. */
export class RecordingHooks implements ReminderHooks {
  readonly sent: PlannedReminder[] = [];
  attempts = 0;
  failuresLeft = 0;
  outcome: DeliveryOutcome = "sent";
  private held: Promise<void> | undefined;
  /** The sends from now on wait, once attempted, until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }
  async deliver(reminder: PlannedReminder): Promise<DeliveryOutcome> {
    this.attempts++;
    if (this.held) await this.held;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error("502 Bad Gateway");
    }
    if (this.outcome === "sent") this.sent.push(reminder);
    return this.outcome;
  }
  ids(): string[] {
    return this.sent.map((r) => r.id);
  }
}

export interface EngineOptions {
  hooks: ReminderHooks;
  clock: Clock;
  backoffMs: number;
}

export type MakeEngine = (options: EngineOptions) => ReminderService;

/** 09:00 UTC seven days before 2031-05-20: the first reminder of a deadline on that day. */
export const SEVEN_DAYS_BEFORE = reminderInstant({ date: "2031-05-20" }, 7);

/**
 * With `fakeTimers`, each test runs on vitest's fake timers (Date, setTimeout) and its waits advance
 * them: for an engine whose only waits are its own timers (the in-memory one), a reminder due in 400 ms
 * comes without 400 ms going by. Without, the waits are real (BullMQ keeps its delays in Redis).
 */
export function describeReminderBehaviour(label: string, make: MakeEngine, { fakeTimers = false } = {}): void {
  describe(`${label}: reminder behaviour`, () => {
    const open: ReminderService[] = [];
    if (fakeTimers) beforeEach(() => void vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] }));
    afterEach(async () => {
      for (const engine of open.splice(0)) await engine.close();
      if (fakeTimers) vi.useRealTimers();
    });

    /** Resolves once `check()` holds: the time goes by, for real or on the fake timers. */
    async function until(check: () => boolean, what: string): Promise<void> {
      if (!fakeTimers) return waitFor(check, 10_000, what);
      // The engines' waits are at most a second or so (the backoff is 20 ms): a minute bounds a hang.
      for (let ms = 0; !check(); ms += 10) {
        if (ms > 60_000) throw new Error(`${what} not reached in a minute of fake time`);
        await vi.advanceTimersByTimeAsync(10);
      }
    }

    /**
     * An engine on a clock of its own. With `workers: false` nothing is sent until the test starts the
     * workers: a reminder the setup goes on to cancel cannot go out while the setup is under way.
     */
    async function engine({ workers = true } = {}): Promise<{
      reminders: ReminderService;
      hooks: RecordingHooks;
      clock: MovableClock;
    }> {
      const hooks = new RecordingHooks();
      const clock = new MovableClock();
      const reminders = make({ hooks, clock, backoffMs: 20 });
      open.push(reminders);
      if (workers) await reminders.startWorkers();
      return { reminders, hooks, clock };
    }

    /**
     * A reminder of another chat made due right after everything else: once it has come, anything due
     * before it (a duplicate, a reminder that should have been cancelled) would have come too.
     */
    async function everythingDueHasCome(
      reminders: ReminderService,
      hooks: RecordingHooks,
      clock: MovableClock,
    ): Promise<void> {
      const marker = withDeadline(`marker-${Math.random().toString(36).slice(2, 8)}`, "2031-05-21");
      // Due after every reminder the tests schedule (at most 400 ms ahead) would have come.
      clock.comeIn(reminderInstant({ date: "2031-05-21" }, 7), 1000);
      await reminders.add(999, marker);
      await until(() => hooks.sent.some((r) => r.recordId === marker.id), "the marker reminder");
      hooks.sent.splice(
        hooks.sent.findIndex((r) => r.recordId === marker.id),
        1,
      );
    }

    it("plans reminders 7 days and 1 day before, skips those already past, and refuses a record without an upcoming deadline", async () => {
      const { reminders, clock } = await engine();
      clock.comeIn(Date.parse("2031-05-01T00:00:00Z"), 0);
      const both = await reminders.add(1, withDeadline("grant", "2031-05-20"));
      expect(both?.map((r) => [r.days, new Date(r.dueAt).toISOString()])).toEqual([
        [7, "2031-05-13T09:00:00.000Z"],
        [1, "2031-05-19T09:00:00.000Z"],
      ]);
      clock.comeIn(Date.parse("2031-05-17T00:00:00Z"), 0);
      expect((await reminders.add(2, withDeadline("grant", "2031-05-20")))?.map((r) => r.days)).toEqual([1]);
      clock.comeIn(Date.parse("2031-05-20T12:00:00Z"), 0);
      // Too close for any reminder, but still ahead: kept, so a later extension of the deadline reminds.
      expect(await reminders.add(3, withDeadline("grant", "2031-05-20"))).toEqual([]);
      expect(await reminders.has(3, "grant")).toBe(true);
      clock.comeIn(Date.parse("2031-05-21T00:00:01Z"), 0);
      expect(await reminders.add(4, withDeadline("grant", "2031-05-20"))).toBeUndefined();
      expect(await reminders.add(4, { id: "none", dates: {} })).toBeUndefined();
      expect(await reminders.list(4)).toEqual([]);
    });

    it("sends a due reminder once, however often it is added again", async () => {
      const { reminders, hooks, clock } = await engine();
      const record = withDeadline("grant", "2031-05-20");
      clock.standBefore(SEVEN_DAYS_BEFORE, 150);
      const planned = await reminders.add(7, record);
      await reminders.add(7, record);
      await reminders.recordChanged("grant", record);
      await until(() => hooks.sent.length >= 1, "the reminder");
      clock.comeIn(SEVEN_DAYS_BEFORE, 0);
      // Another process applying the same change, or a second press, after it was sent.
      await reminders.recordChanged("grant", record);
      await reminders.add(7, record);
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.ids()).toEqual([planned![0]!.id]);
      expect(hooks.sent[0]).toMatchObject({ chatId: 7, recordId: "grant", days: 7, deadline: "2031-05-20" });
      // The 1-day reminder is still to come.
      expect((await reminders.list(7)).map((e) => [e.recordId, e.pending.map((r) => r.days)])).toEqual([
        ["grant", [1]],
      ]);
    });

    it("moves the reminders when the deadline changes: the old ones are cancelled", async () => {
      const { reminders, hooks, clock } = await engine({ workers: false });
      clock.standBefore(SEVEN_DAYS_BEFORE, 400);
      await reminders.add(8, withDeadline("grant", "2031-05-20"));
      await reminders.recordChanged("grant", withDeadline("grant", "2031-06-30"));
      clock.comeIn(SEVEN_DAYS_BEFORE, 0);
      await reminders.startWorkers();
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.sent).toEqual([]);
      const [entry] = await reminders.list(8);
      expect(entry?.pending.map((r) => [r.deadline, r.days])).toEqual([
        ["2031-06-30", 7],
        ["2031-06-30", 1],
      ]);
    });

    it("sends the reminders of a deadline brought forward at their new time", async () => {
      const { reminders, hooks, clock } = await engine();
      const earlier = { date: "2031-06-30", time: "10:00" };
      clock.standBefore(reminderInstant(earlier, 7), 300);
      await reminders.add(18, withDeadline("grant", { date: "2031-06-30", time: "10:05" }));
      await reminders.recordChanged("grant", withDeadline("grant", earlier));
      await until(() => hooks.sent.length === 1, "the moved reminder");
      expect(hooks.sent[0]).toMatchObject({ chatId: 18, deadline: "2031-06-30T10:00", days: 7 });
      expect((await reminders.list(18))[0]?.pending.map((r) => [r.deadline, r.days])).toEqual([
        ["2031-06-30T10:00", 1],
      ]);
    });

    it("still sends, once, a reminder that was due and not yet sent when an edit kept its deadline", async () => {
      // The workers are down when the 7-day reminder comes due; the record is edited a minute later.
      const { reminders, hooks, clock } = await engine({ workers: false });
      clock.standBefore(SEVEN_DAYS_BEFORE, 400);
      const planned = await reminders.add(14, withDeadline("grant", "2031-05-20"));
      clock.standBefore(SEVEN_DAYS_BEFORE, -60_000);
      // The edit keeps the deadline and adds another; every replica applies it.
      const edited = withDeadline("grant", "2031-05-20", "2031-09-01");
      await reminders.recordChanged("grant", edited);
      await reminders.recordChanged("grant", edited);
      await reminders.startWorkers();
      await until(() => hooks.sent.length >= 1, "the reminder due before the edit");
      // Applied once more after it was sent: it is not sent again.
      await reminders.recordChanged("grant", edited);
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.ids()).toEqual([planned![0]!.id]);
      const [entry] = await reminders.list(14);
      expect(entry?.pending.map((r) => [r.deadline, r.days])).toEqual([
        ["2031-05-20", 1],
        ["2031-09-01", 7],
        ["2031-09-01", 1],
      ]);
    });

    it("still sends, once, a reminder whose send failed while the record changed", async () => {
      const { reminders, hooks, clock } = await engine();
      hooks.failuresLeft = 1;
      const release = hooks.hold();
      clock.standBefore(SEVEN_DAYS_BEFORE, 100);
      const planned = await reminders.add(15, withDeadline("grant", "2031-05-20"));
      await until(() => hooks.attempts === 1, "the first attempt");
      // The edit lands while the first attempt is under way, after the reminder's time; then it fails.
      clock.standBefore(SEVEN_DAYS_BEFORE, -60_000);
      await reminders.recordChanged("grant", withDeadline("grant", "2031-05-20"));
      release();
      await until(() => hooks.sent.length >= 1, "the reminder tried again");
      expect(hooks.attempts).toBe(2);
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.ids()).toEqual([planned![0]!.id]);
    });

    it("drops a reminder due and not sent when an edit moved or removed its deadline; the new date is planned as if new", async () => {
      const { reminders, hooks, clock } = await engine({ workers: false });
      clock.standBefore(SEVEN_DAYS_BEFORE, 400);
      await reminders.add(16, withDeadline("moved", "2031-05-20"));
      await reminders.add(16, withDeadline("replaced", "2031-05-20"));
      clock.standBefore(SEVEN_DAYS_BEFORE, -60_000);
      // A day earlier: its own 7-day reminder is already past, and skipped.
      await reminders.recordChanged("moved", withDeadline("moved", "2031-05-19"));
      await reminders.recordChanged("replaced", withDeadline("replaced", "2031-09-01"));
      await reminders.startWorkers();
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.sent).toEqual([]);
      const entries = await reminders.list(16);
      expect(
        entries
          .map((e) => [e.recordId, e.pending.map((r) => [r.deadline, r.days])])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual([
        ["moved", [["2031-05-19", 1]]],
        [
          "replaced",
          [
            ["2031-09-01", 7],
            ["2031-09-01", 1],
          ],
        ],
      ]);
    });

    it("keeps a reminder due and not yet sent when the chat asks again", async () => {
      const { reminders, hooks, clock } = await engine({ workers: false });
      clock.standBefore(SEVEN_DAYS_BEFORE, 400);
      const planned = await reminders.add(17, withDeadline("grant", "2031-05-20"));
      clock.standBefore(SEVEN_DAYS_BEFORE, -60_000);
      // What is still to come is the 1-day reminder; the one due is sent all the same.
      expect((await reminders.add(17, withDeadline("grant", "2031-05-20")))?.map((r) => r.days)).toEqual([1]);
      await reminders.startWorkers();
      await until(() => hooks.sent.length >= 1, "the reminder due before the second press");
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.ids()).toEqual([planned![0]!.id]);
    });

    it("cancels the reminders the chat removes, and only those", async () => {
      const { reminders, hooks, clock } = await engine({ workers: false });
      clock.standBefore(SEVEN_DAYS_BEFORE, 400);
      await reminders.add(9, withDeadline("grant", "2031-05-20"));
      await reminders.add(10, withDeadline("grant", "2031-05-20"));
      expect(await reminders.remove(9, "grant")).toBe(true);
      expect(await reminders.remove(9, "grant")).toBe(false);
      clock.comeIn(SEVEN_DAYS_BEFORE, 0);
      await reminders.startWorkers();
      await until(() => hooks.sent.length >= 1, "the reminder the other chat kept");
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.sent.map((r) => r.chatId)).toEqual([10]);
      expect(await reminders.has(9, "grant")).toBe(false);
      expect(await reminders.list(9)).toEqual([]);
    });

    it("ends the reminders of a withdrawn record, or of one whose deadline was taken away", async () => {
      const { reminders, hooks, clock } = await engine({ workers: false });
      clock.standBefore(SEVEN_DAYS_BEFORE, 400);
      await reminders.add(11, withDeadline("a", "2031-05-20"));
      await reminders.add(11, withDeadline("b", "2031-05-20"));
      await reminders.recordChanged("a", undefined);
      await reminders.recordChanged("b", { id: "b", dates: { start: "2031" } });
      clock.comeIn(SEVEN_DAYS_BEFORE, 0);
      await reminders.startWorkers();
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.sent).toEqual([]);
      expect(await reminders.list(11)).toEqual([]);
    });

    it("tries a failed send again, and sends it once", async () => {
      const { reminders, hooks, clock } = await engine();
      hooks.failuresLeft = 2;
      clock.comeIn(SEVEN_DAYS_BEFORE, 100);
      await reminders.add(12, withDeadline("grant", "2031-05-20"));
      await until(() => hooks.sent.length === 1, "the retried reminder");
      expect(hooks.attempts).toBe(3);
      await everythingDueHasCome(reminders, hooks, clock);
      expect(hooks.sent.map((r) => r.chatId)).toEqual([12]);
    });

    it("forgets every reminder of a chat that cannot be written to", async () => {
      const { reminders, hooks, clock } = await engine({ workers: false });
      hooks.outcome = "unreachable";
      clock.standBefore(SEVEN_DAYS_BEFORE, 100);
      await reminders.add(13, withDeadline("grant", "2031-05-20"));
      await reminders.add(13, withDeadline("other", "2031-09-01"));
      clock.comeIn(SEVEN_DAYS_BEFORE, 0);
      await reminders.startWorkers();
      await until(() => hooks.attempts === 1, "the attempt");
      hooks.outcome = "sent";
      await everythingDueHasCome(reminders, hooks, clock);
      expect(await reminders.list(13)).toEqual([]);
    });
  });
}
