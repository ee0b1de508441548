// The BullMQ reminder engine against a redis-server of its own: the shared behaviour, then what only a
// durable engine does — a reminder scheduled by one process is sent by another started later, and
// several processes applying the same catalog change keep one job per reminder.
import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { reminderInstant } from "../../src/catalog/deadlines.js";
import { createBullReminders, DEFAULT_REMINDER_PREFIX, REMINDER_QUEUE } from "../../src/reminders/bull.js";
import { createReminders } from "../../src/reminders/index.js";
import type { ReminderService } from "../../src/reminders/types.js";
import { redisForTests } from "../helpers/redis-server.js";
import { until } from "../helpers/until.js";
import {
  describeReminderBehaviour,
  MovableClock,
  RecordingHooks,
  SEVEN_DAYS_BEFORE,
  withDeadline,
} from "./behaviour.js";

const redis = redisForTests();

/** Resolves once no job of the queue is waiting or running (delayed ones may remain). */
async function idle(q: Queue): Promise<void> {
  for (;;) {
    const c = await q.getJobCounts("waiting", "active", "prioritized");
    if ((c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeReminderBehaviour("BullMQ", (options) => createBullReminders({ ...options, connection: redis.url }));

describe("BullMQ reminders across processes", () => {
  const open: ReminderService[] = [];
  const queues: Queue[] = [];
  afterEach(async () => {
    for (const engine of open.splice(0)) await engine.close();
    for (const queue of queues.splice(0)) await queue.close();
  });

  function engine(
    hooks = new RecordingHooks(),
    clock = new MovableClock(),
  ): { reminders: ReminderService; hooks: RecordingHooks; clock: MovableClock } {
    const reminders = createReminders({ redisUrl: redis.url, hooks, clock, backoffMs: 20 });
    open.push(reminders);
    return { reminders, hooks, clock };
  }

  function queue(): Queue {
    const q = new Queue(REMINDER_QUEUE, {
      connection: { url: redis.url },
      prefix: DEFAULT_REMINDER_PREFIX.replace(/:$/, ""),
    });
    queues.push(q);
    return q;
  }

  it("a reminder scheduled before a restart is sent once by the process started after it", async () => {
    const clock = new MovableClock();
    clock.comeIn(SEVEN_DAYS_BEFORE, 600);
    const before = engine(new RecordingHooks(), clock);
    const planned = await before.reminders.add(21, withDeadline("grant", "2031-05-20"));
    // The process stops (no worker ever ran in it) before the reminder is due.
    await before.reminders.close();
    expect(before.hooks.sent).toEqual([]);

    const after = engine(new RecordingHooks(), clock);
    await after.reminders.startWorkers();
    await until(() => after.hooks.sent.length === 1, 15_000, "the reminder after the restart");
    expect(after.hooks.sent[0]).toMatchObject({ id: planned![0]!.id, chatId: 21, recordId: "grant", days: 7 });
    // Nothing of it is left to run: it was sent, not rescheduled.
    const q = queue();
    expect(await q.getJob(planned![0]!.id)).toBeUndefined();
    expect((await after.reminders.list(21))[0]?.pending.map((r) => r.days)).toEqual([1]);
  });

  it("two processes applying the same change keep one job per reminder, sent once", async () => {
    const clock = new MovableClock();
    const a = engine(new RecordingHooks(), clock);
    const b = engine(new RecordingHooks(), clock);
    await a.reminders.add(31, withDeadline("grant", "2031-05-20"));
    await b.reminders.add(32, withDeadline("grant", "2031-05-20"));
    // The deadline moves; both replicas follow the change at once. The clock stands, and the workers
    // start after the jobs are counted: none is due and taken before then, however slow the steps.
    const sevenDaysBefore = reminderInstant({ date: "2031-07-01" }, 7);
    clock.standBefore(sevenDaysBefore, 800);
    const moved = withDeadline("grant", "2031-07-01");
    await Promise.all([a.reminders.recordChanged("grant", moved), b.reminders.recordChanged("grant", moved)]);
    const q = queue();
    const delayed = (await q.getDelayed()).map((j) => j.id).sort();
    expect(delayed).toEqual([
      "rem.31.grant.2031-07-01.1d",
      "rem.31.grant.2031-07-01.7d",
      "rem.32.grant.2031-07-01.1d",
      "rem.32.grant.2031-07-01.7d",
    ]);
    await Promise.all([a.reminders.startWorkers(), b.reminders.startWorkers()]);
    const sent = () => [...a.hooks.sent, ...b.hooks.sent];
    await until(() => sent().length === 2, 15_000, "the two reminders");
    // Applied once more by a late replica, after they were sent: adds nothing that is sent again.
    clock.comeIn(sevenDaysBefore, 0);
    await b.reminders.recordChanged("grant", moved);
    await idle(q);
    expect(
      sent()
        .map((r) => r.id)
        .sort(),
    ).toEqual(["rem.31.grant.2031-07-01.7d", "rem.32.grant.2031-07-01.7d"]);
  });

  it("two processes applying one change as a reminder comes due, one before its time and one after, keep it and send it once", async () => {
    const early = new MovableClock();
    const late = new MovableClock();
    const a = engine(new RecordingHooks(), early);
    const b = engine(new RecordingHooks(), late);
    early.standBefore(SEVEN_DAYS_BEFORE, 400);
    late.standBefore(SEVEN_DAYS_BEFORE, -1000);
    const planned = await a.reminders.add(51, withDeadline("grant", "2031-05-20"));
    const edited = withDeadline("grant", "2031-05-20", "2031-09-01");
    // The replica that finds the reminder's time past applies the change last.
    await a.reminders.recordChanged("grant", edited);
    await b.reminders.recordChanged("grant", edited);
    await Promise.all([a.reminders.startWorkers(), b.reminders.startWorkers()]);
    const sent = () => [...a.hooks.sent, ...b.hooks.sent];
    await until(() => sent().length === 1, 15_000, "the reminder due as the change came");
    // Applied once more by both after it was sent: adds nothing that is sent again.
    await Promise.all([a.reminders.recordChanged("grant", edited), b.reminders.recordChanged("grant", edited)]);
    const q = queue();
    await idle(q);
    expect(sent().map((r) => r.id)).toEqual([planned![0]!.id]);
    expect((await q.getDelayed()).map((j) => j.id).sort()).toEqual([
      "rem.51.grant.2031-05-20.1d",
      "rem.51.grant.2031-09-01.1d",
      "rem.51.grant.2031-09-01.7d",
    ]);
  });

  it("a removed reminder leaves no job behind", async () => {
    const { reminders } = engine();
    const planned = await reminders.add(41, withDeadline("grant", "2031-05-20"));
    const q = queue();
    expect((await q.getDelayed()).map((j) => j.id).sort()).toEqual(planned!.map((r) => r.id).sort());
    await reminders.remove(41, "grant");
    expect(await q.getDelayed()).toEqual([]);
  });
});
