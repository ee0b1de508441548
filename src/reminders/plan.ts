import { createHash } from "node:crypto";
import { deadlineKey, reminderInstant, upcomingDeadlines } from "../catalog/deadlines.js";
import type { PlannedReminder, RecordDeadlines } from "./types.js";

/** Reminders are sent this many days before a deadline. */
export const REMINDER_DAYS = [7, 1] as const;

/**
 * The reminders a chat gets about a record at `now`: for every deadline still ahead, one 7 days and one
 * 1 day before it, leaving out those whose time has passed (a deadline 3 days away gets only the
 * 1-day one; one 12 hours away gets none). Soonest first.
 *
 * `before` is the chat's plan so far, when the reminders are planned again (the record changed, the chat
 * asked again): a reminder of it whose time has passed stays, as long as the record still has its
 * deadline (the same day, time and zone) and that deadline is ahead — it may be due and not sent yet
 * (the workers were down, it is being tried again), and planning again must not drop it; whether it was
 * sent is the sender's to know (it sends a reminder once). An offset already past of a deadline the plan
 * did not have is left out, as on a first plan.
 */
export function planReminders(
  chatId: number,
  record: RecordDeadlines,
  now: number,
  before: readonly PlannedReminder[] = [],
): PlannedReminder[] {
  const kept = new Set(before.map((r) => r.id));
  const planned: PlannedReminder[] = [];
  for (const deadline of upcomingDeadlines(record.dates?.deadlines, now)) {
    const key = deadlineKey(deadline);
    for (const days of REMINDER_DAYS) {
      const dueAt = reminderInstant(deadline, days);
      const id = reminderId(chatId, record.id, key, days);
      if (!(dueAt > now) && !kept.has(id)) continue;
      planned.push({ id, chatId, recordId: record.id, deadline: key, days, dueAt });
    }
  }
  return planned.sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
}

/** The reminders of a plan still to come at `now` (not those due already). */
export function ahead(planned: readonly PlannedReminder[], now: number): PlannedReminder[] {
  return planned.filter((r) => r.dueAt > now);
}

/** Whether the record has a deadline still ahead (reminders can be asked for). */
export function hasUpcomingDeadline(record: RecordDeadlines, now: number): boolean {
  return upcomingDeadlines(record.dates?.deadlines, now).length > 0;
}

/**
 * `rem.<chat>.<record>.<day>[T<hhmm>][z<zone hash>].<days>d` — only characters BullMQ takes in a custom
 * job id (no ':'), the same on every process.
 */
export function reminderId(chatId: number, recordId: string, deadline: string, days: number): string {
  const [when, zone] = deadline.split("@") as [string, string | undefined];
  const zonePart = zone ? `z${createHash("sha256").update(zone).digest("hex").slice(0, 8)}` : "";
  return `rem.${chatId}.${recordId}.${when.replace(":", "")}${zonePart}.${days}d`;
}
