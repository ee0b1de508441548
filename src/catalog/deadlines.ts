import { DateTime, IANAZone } from "luxon";

/**
 * Application deadlines. A deadline is a day (`2027-03-15`), optionally with a time of day (`17:00`),
 * in a time zone (`zone`, an IANA name; UTC when absent, like every other catalog date). A day alone
 * means the end of that day in its zone: applications are open until 23:59:59.
 */
export const DEFAULT_DEADLINE_ZONE = "UTC";

/** What a deadline needs to be placed in time (the label does not matter here). */
export interface DeadlineTime {
  date: string;
  time?: string | undefined;
  zone?: string | undefined;
}

/** Whether `zone` is an IANA time zone this runtime knows ("Asia/Shanghai", "UTC"). */
export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The zone a deadline is in. */
export function deadlineZone(deadline: DeadlineTime): string {
  return deadline.zone ?? DEFAULT_DEADLINE_ZONE;
}

/** The instant (ms since the epoch) the deadline passes: its time, or the end of its day, in its zone. */
export function deadlineInstant(deadline: DeadlineTime): number {
  const zone = deadlineZone(deadline);
  const day = DateTime.fromISO(deadline.date, { zone });
  if (!day.isValid) return Number.NaN;
  if (deadline.time) {
    const [hour, minute] = deadline.time.split(":").map(Number) as [number, number];
    return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
  }
  return day.endOf("day").toMillis() + 1;
}

/**
 * When the reminder `days` before a deadline is due: for a timed deadline, exactly that long before it;
 * for a day, at 09:00 (in the deadline's zone) that many days before the day, so "tomorrow" and "in 7
 * days" are said on a day the reader is awake in.
 */
export function reminderInstant(deadline: DeadlineTime, days: number): number {
  const zone = deadlineZone(deadline);
  if (deadline.time) return DateTime.fromMillis(deadlineInstant(deadline), { zone }).minus({ days }).toMillis();
  const day = DateTime.fromISO(deadline.date, { zone });
  return day.minus({ days }).set({ hour: REMINDER_HOUR, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

/** The hour of the day (in the deadline's zone) reminders of a date-only deadline are sent at. */
export const REMINDER_HOUR = 9;

/** A stable key of a deadline's time: "2027-03-15", "2027-03-15T17:00", "2027-03-15T17:00@Asia/Shanghai". */
export function deadlineKey(deadline: DeadlineTime): string {
  return `${deadline.date}${deadline.time ? `T${deadline.time}` : ""}${deadline.zone ? `@${deadline.zone}` : ""}`;
}

/** The deadlines of a list that have not passed at `now`, soonest first. */
export function upcomingDeadlines<D extends DeadlineTime>(deadlines: readonly D[] | undefined, now: number): D[] {
  return (deadlines ?? [])
    .filter((d) => deadlineInstant(d) > now)
    .sort((a, b) => deadlineInstant(a) - deadlineInstant(b));
}

/** The time of day of a deadline (or 23:59 for a day) and its zone's short name in a language ("UTC", "GMT+8"). */
export function deadlineClock(deadline: DeadlineTime, locale: string): { time: string; zone: string } {
  const zone = deadlineZone(deadline);
  const at = DateTime.fromMillis(deadlineInstant(deadline) - (deadline.time ? 0 : 1), { zone }).setLocale(locale);
  const zoneName = zone === "UTC" || zone === "Etc/UTC" ? "UTC" : at.toFormat("ZZZZ");
  return { time: at.toFormat("HH:mm"), zone: zoneName };
}
