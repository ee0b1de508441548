import type { CatalogRecord } from "./schema.js";

/** Catalog dates are ISO 8601 at year, month or day precision ("2025", "2024-08", "2024-08-22"), in UTC. */

/** The last day a date covers at its precision: "2025" → "2025-12-31", "2024-02" → "2024-02-29". */
export function lastDayOf(value: string): string {
  if (value.length === 10) return value;
  if (value.length === 4) return `${value}-12-31`;
  const [year, month] = value.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** Today in UTC, the way catalog dates are written; of the clock (read as a date once a day) unless given `now`. */
export function isoToday(now?: Date): string {
  if (now !== undefined) return now.toISOString().slice(0, 10);
  const time = Date.now();
  // A clock set back (a test's) is a new day too.
  if (time >= clockDay.ends || time < clockDay.starts) {
    const day = new Date(time).toISOString().slice(0, 10);
    const starts = Date.parse(day);
    clockDay = { day, starts, ends: starts + 24 * 3600 * 1000 };
  }
  return clockDay.day;
}

/** The clock's day `isoToday` last read, and its bounds (ms since the epoch). */
let clockDay = { day: "", starts: 0, ends: 0 };

/**
 * Whether an event is still to come (or under way): its last day is today or later. A date given as a
 * month or a year lasts to the end of that month or year.
 */
export function isUpcoming(record: CatalogRecord, today: string): boolean {
  const last = record.dates?.end ?? record.dates?.start;
  return last !== undefined && lastDayOf(last) >= today;
}
