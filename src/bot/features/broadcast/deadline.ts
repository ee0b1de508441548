import type { i18n } from "i18next";
import { deadlineInstant, type DeadlineTime } from "../../../catalog/deadlines.js";
import { deadlineSchema, LANGUAGES, type Deadline, type Localized } from "../../../catalog/schema.js";
import { translator } from "../../../i18n.js";

/**
 * The application deadline a broadcast's announcement carries: typed by the coordinator as a day, with
 * a time and a time zone when the call states them; what it closes is said in each language by the bot
 * ("Applications close"), so the coordinator types no label.
 */

export type DeadlineInputError = "format" | "passed" | "beforeSending";

/**
 * "2027-03-15", "2027-03-15 17:00" or "2027-03-15 17:00 Asia/Shanghai" (a zone also without a time),
 * checked by the catalog's own rules; the deadline must still be ahead when the broadcast goes out.
 */
export function parseDeadlineInput(text: string, sendingAt: number): DeadlineTime | DeadlineInputError {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}):(\d{2}))?(?:\s+(\S+))?$/.exec(text.trim());
  if (!m) return "format";
  const deadline: DeadlineTime = {
    date: m[1]!,
    ...(m[2] ? { time: `${m[2].padStart(2, "0")}:${m[3]}` } : {}),
    ...(m[4] ? { zone: m[4] } : {}),
  };
  const checked = deadlineSchema.safeParse({ ...deadline, label: { en: "-", fr: "-", ru: "-", zh: "-" } });
  if (!checked.success) return "format";
  const at = deadlineInstant(deadline);
  if (at <= Date.now()) return "passed";
  if (at <= sendingAt) return "beforeSending";
  return deadline;
}

/** The deadline with what it closes in the four languages, as the announcement record holds it. */
export function labelledDeadline(deadline: DeadlineTime, i18n: i18n): Deadline {
  const label = Object.fromEntries(
    LANGUAGES.map((lang) => [lang, translator(i18n, lang)("broadcast:deadline.label")]),
  ) as Localized;
  return {
    date: deadline.date,
    ...(deadline.time ? { time: deadline.time } : {}),
    ...(deadline.zone ? { zone: deadline.zone } : {}),
    label,
  };
}
