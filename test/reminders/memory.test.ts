// The in-process reminder engine (console mode): the shared behaviour, minus durability.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createReminders } from "../../src/reminders/index.js";
import { createMemoryReminders } from "../../src/reminders/memory.js";
import {
  describeReminderBehaviour,
  MovableClock,
  RecordingHooks,
  SEVEN_DAYS_BEFORE,
  withDeadline,
} from "./behaviour.js";
import { until } from "../helpers/until.js";

describeReminderBehaviour("in-memory", (options) => createMemoryReminders(options), { fakeTimers: true });

/**
 * Runs a test on in-memory reminders whose workers run from the start, on fake timers: the time is fake, so
 * no timer can go off mid-setup.
 */
async function onFakeTimers(
  test: (
    reminders: ReturnType<typeof createMemoryReminders>,
    hooks: RecordingHooks,
    clock: MovableClock,
  ) => Promise<void>,
): Promise<void> {
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
  const hooks = new RecordingHooks();
  const clock = new MovableClock();
  const reminders = createMemoryReminders({ hooks, clock });
  try {
    await reminders.startWorkers();
    await test(reminders, hooks, clock);
  } finally {
    await reminders.close();
  }
}

describe("in-memory timers", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // The shared behaviour starts the workers after a setup that cancels reminders. Here they run first,
  // so the cancelled reminders' timers are armed.
  it("sends none of the reminders a deadline change or a chat's removal ended, though their timers were armed", () =>
    onFakeTimers(async (reminders, hooks, clock) => {
      clock.comeIn(SEVEN_DAYS_BEFORE, 400);
      await reminders.add(8, withDeadline("moved", "2031-05-20"));
      await reminders.add(9, withDeadline("kept", "2031-05-20"));
      await reminders.add(10, withDeadline("kept", "2031-05-20"));
      await reminders.recordChanged("moved", withDeadline("moved", "2031-06-30"));
      await reminders.remove(9, "kept");
      await vi.advanceTimersByTimeAsync(400);
      expect(hooks.sent.map((r) => [r.chatId, r.recordId, r.deadline, r.days])).toEqual([
        [10, "kept", "2031-05-20", 7],
      ]);
    }));

  // The reminder's timer is armed and has not gone off yet when the clock passes its time and the edit
  // comes: the edit keeps the deadline, so the timer still sends it, once.
  it("sends the reminder whose timer had not gone off yet when the record changed", () =>
    onFakeTimers(async (reminders, hooks, clock) => {
      clock.standBefore(SEVEN_DAYS_BEFORE, 400);
      const planned = await reminders.add(8, withDeadline("grant", "2031-05-20"));
      clock.standBefore(SEVEN_DAYS_BEFORE, -1);
      await reminders.recordChanged("grant", withDeadline("grant", "2031-05-20"));
      await reminders.recordChanged("grant", withDeadline("grant", "2031-05-20"));
      await vi.advanceTimersByTimeAsync(400);
      expect(hooks.ids()).toEqual([planned![0]!.id]);
      await reminders.recordChanged("grant", withDeadline("grant", "2031-05-20"));
      await vi.advanceTimersByTimeAsync(400);
      expect(hooks.ids()).toEqual([planned![0]!.id]);
    }));
});

describe("createReminders without Redis", () => {
  it("keeps reminders in this process and sends them once workers run", async () => {
    const hooks = new RecordingHooks();
    const clock = new MovableClock();
    const reminders = createReminders({ hooks, clock });
    clock.comeIn(SEVEN_DAYS_BEFORE, 50);
    await reminders.add(1, withDeadline("grant", "2031-05-20"));
    await reminders.startWorkers();
    await until(() => hooks.sent.length === 1, 10_000, "the reminder");
    expect(hooks.sent[0]).toMatchObject({ chatId: 1, recordId: "grant", days: 7 });
    await reminders.close();
  });
});
