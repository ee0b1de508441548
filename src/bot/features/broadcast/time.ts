import type { Language } from "../../../catalog/schema.js";
import { dateTimeFormat } from "../../views/format.js";

/**
 * Dates and times typed by a coordinator: "2026-12-01 09:00 Europe/Berlin", "2026-12-01 09:00 +03:00",
 * "2026-12-01T09:00Z", "2026-12-01 9:00 UTC+3". The zone is required (a time without one is
 * ambiguous for a team spread over several countries). IANA zones are resolved with Intl alone.
 */

export type ParsedTime =
  { ok: true; at: Date; zone: string } | { ok: false; reason: "format" | "zone" | "date" | "gap" | "past" | "far" };

/** Furthest ahead a broadcast can be scheduled. */
export const MAX_SCHEDULE_DAYS = 366;

const PATTERN = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+|\s*,\s*)(\d{1,2})[:h.](\d{2})\s*(.*)$/i;

export function parseScheduleTime(input: string, now: Date = new Date()): ParsedTime {
  const m = PATTERN.exec(input.trim());
  if (!m) return { ok: false, reason: "format" };
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const zoneText = (m[6] ?? "").trim();
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return { ok: false, reason: "date" };
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return { ok: false, reason: "date" };
  if (zoneText === "") return { ok: false, reason: "zone" };

  let at: number;
  let zone: string;
  const offset = parseOffset(zoneText);
  if (offset !== undefined) {
    at = wall - offset * 60_000;
    zone = formatOffset(offset);
  } else {
    const iana = canonicalZone(zoneText);
    if (!iana) return { ok: false, reason: "zone" };
    const resolved = zonedToUtc(wall, iana);
    if (resolved === undefined) return { ok: false, reason: "gap" };
    at = resolved;
    zone = iana;
  }
  if (at <= now.getTime()) return { ok: false, reason: "past" };
  if (at - now.getTime() > MAX_SCHEDULE_DAYS * 86_400_000) return { ok: false, reason: "far" };
  return { ok: true, at: new Date(at), zone };
}

/** "+03:00", "-0530", "+3", "UTC+3", "GMT-04:00", "Z", "UTC" → minutes east of UTC. */
export function parseOffset(text: string): number | undefined {
  const t = text.trim().toUpperCase();
  if (t === "Z" || t === "UTC" || t === "GMT") return 0;
  const m = /^(?:UTC|GMT)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$/.exec(t);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === "+" ? 1 : -1) * (hours * 60 + minutes);
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** The IANA name Intl knows for a zone typed in any case ("europe/berlin" → "Europe/Berlin"), if any. */
export function canonicalZone(text: string): string | undefined {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(text)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Minutes east of UTC in `zone` at the instant `utcMs`. */
export function zoneOffsetAt(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((local - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * The instant when the clocks of `zone` show `wallMs` (a wall-clock time written as if it were UTC).
 * A time skipped by a daylight-saving change does not exist: undefined. A repeated one takes the first.
 */
export function zonedToUtc(wallMs: number, zone: string): number | undefined {
  const candidates = new Set<number>();
  for (const probe of [wallMs - 86_400_000, wallMs, wallMs + 86_400_000]) {
    const offset = zoneOffsetAt(probe, zone);
    candidates.add(wallMs - offset * 60_000);
  }
  const valid = [...candidates]
    .filter((utc) => utc + zoneOffsetAt(utc, zone) * 60_000 === wallMs)
    .sort((a, b) => a - b);
  return valid[0];
}

/** A date and time in the coordinator's language, in the zone they typed ("Tuesday 1 December 2026, 09:00 (Europe/Berlin)"). */
export function formatScheduleTime(at: Date, zone: string, lang: Language): string {
  const style = { dateStyle: "full", timeStyle: "short" } as const;
  const offset = /^[+-]\d{2}:\d{2}$/.test(zone) ? parseOffset(zone) : undefined;
  if (offset !== undefined) {
    // Intl of Node 20 knows no offset zones: show the wall clock of that offset as if it were UTC.
    const text = dateTimeFormat(lang, { ...style, timeZone: "UTC" }).format(new Date(at.getTime() + offset * 60_000));
    return `${text} (UTC${zone})`;
  }
  try {
    return `${dateTimeFormat(lang, { ...style, timeZone: zone }).format(at)} (${zone})`;
  } catch {
    return `${dateTimeFormat(lang, { ...style, timeZone: "UTC" }).format(at)} (UTC)`;
  }
}

/** A calendar date "YYYY-MM-DD" (for an announcement's expiry), or undefined. */
export function parseDate(input: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(input.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A calendar date in the coordinator's language ("1 December 2026"). */
export function formatDate(date: string, lang: Language): string {
  return dateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/** The date `days` after `from` (UTC), as "YYYY-MM-DD". */
export function addDays(from: Date, days: number): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
