// Deadline reminders: `createReminders` picks the durable BullMQ engine when there is a Redis, else the
// in-process one (console mode). Both behave alike (test/reminders/behaviour.ts).
import { createBullReminders, type BullReminderOptions } from "./bull.js";
import { createMemoryReminders } from "./memory.js";
import type { ReminderOptions, ReminderService } from "./types.js";

export type CreateRemindersOptions = ReminderOptions &
  Omit<BullReminderOptions, "connection"> & {
    /** redis:// URL: BullMQ, durable and shared by every process on this Redis. Unset: in-process. */
    redisUrl?: string | undefined;
  };

export function createReminders(options: CreateRemindersOptions): ReminderService {
  const { redisUrl, redis, ...rest } = options;
  return redisUrl
    ? createBullReminders({ ...rest, connection: redisUrl, ...(redis ? { redis } : {}) })
    : createMemoryReminders(rest);
}

export { createBullReminders, DEFAULT_REMINDER_PREFIX, REMINDER_QUEUE } from "./bull.js";
export { createMemoryReminders } from "./memory.js";
export { hasUpcomingDeadline, planReminders, REMINDER_DAYS, reminderId } from "./plan.js";
export type * from "./types.js";
