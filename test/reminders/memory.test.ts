// The in-process reminder engine (console mode): the shared behaviour, minus durability.
import { describe, expect, it } from "vitest";
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

describeReminderBehaviour("in-memory", (options) => createMemoryReminders(options));

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
