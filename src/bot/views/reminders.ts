import { createRequire } from "node:module";
import { DateTime } from "luxon";
import type * as Ics from "ics";
import type { EventAttributes } from "ics";
import { deadlineInstant, deadlineKey, deadlineZone, upcomingDeadlines } from "../../catalog/deadlines.js";
import { shortTitle, type CatalogRecord, type Deadline } from "../../catalog/schema.js";
import type { ChatReminders, PlannedReminder } from "../../reminders/types.js";
import { escapeHtml, MESSAGE_LIMIT, truncate } from "../format.js";
import { renderCard, deadlineLine, type ViewEnv } from "./card.js";
import { dateTimeFormat, formatList } from "./format.js";

const require = createRequire(import.meta.url);

/** The calendar package (and its validator, yup) is loaded when a calendar file is first asked for, not at every start. */
function ics(): typeof Ics {
  return require("ics") as typeof Ics;
}

/**
 * The views of application deadlines: a reminder as it is sent (in the reader's language of the
 * moment, with the record's card), the list of a chat's reminders, and the calendar file of a record.
 */

/** Longest record title on a list button. */
const BUTTON_TITLE_MAX = 40;

/** The deadline a reminder is about, if the record still has it. */
export function deadlineOf(record: CatalogRecord, key: string): Deadline | undefined {
  return record.dates?.deadlines?.find((d) => deadlineKey(d) === key);
}

/** "8 March" / "8 mars" / "8 марта" / "3月8日" for when a reminder comes, in its deadline's zone. */
export function reminderDate(
  reminder: Pick<PlannedReminder, "dueAt">,
  zone: string,
  env: Pick<ViewEnv, "lang">,
): string {
  return dateTimeFormat(env.lang, { day: "numeric", month: "long", timeZone: zone }).format(new Date(reminder.dueAt));
}

/** The dates the planned reminders come on, as one phrase ("8 March and 14 March"). */
export function reminderDates(planned: PlannedReminder[], record: CatalogRecord, env: Pick<ViewEnv, "lang">): string {
  return formatList(
    planned.map((r) => reminderDate(r, zoneOf(record, r.deadline), env)),
    env.lang,
  );
}

function zoneOf(record: CatalogRecord, key: string): string {
  const deadline = deadlineOf(record, key);
  return deadline ? deadlineZone(deadline) : "UTC";
}

/** A reminder: how many days are left, the deadline with its time and zone, then the record's card. */
export function renderReminder(
  record: CatalogRecord,
  reminder: PlannedReminder,
  deadline: Deadline,
  env: ViewEnv,
): string {
  const head = [env.t("reminders:message.head", { count: reminder.days }), deadlineLine(deadline, env)].join("\n");
  // One message: the card gets what the head leaves of Telegram's limit.
  return `${head}\n\n${renderCard(record, env, MESSAGE_LIMIT - head.length - 2)}`;
}

/** One line per record the chat is reminded of: its title, its next deadline and when the next reminder comes. */
export function renderRemindersList(
  entries: { record: CatalogRecord; reminders: ChatReminders }[],
  env: ViewEnv,
): string {
  if (entries.length === 0) return env.t("reminders:list.empty");
  const now = env.now ?? Date.now();
  const blocks = entries.map(({ record, reminders }) => {
    const [deadline] = upcomingDeadlines(record.dates?.deadlines, now);
    const lines = [
      env.t("reminders:list.item", {
        title: escapeHtml(shortTitle(record, env.lang)),
        deadline: deadline ? deadlineLine(deadline, env) : "",
      }),
    ];
    const next = reminders.pending[0];
    lines.push(
      next
        ? env.t("reminders:list.next", { date: escapeHtml(reminderDate(next, zoneOf(record, next.deadline), env)) })
        : env.t("reminders:list.none"),
    );
    return lines.join("\n");
  });
  return [env.t("reminders:list.title"), ...blocks, env.t("reminders:list.hint")].join("\n\n");
}

/** The text of a 🔕 button of the list. */
export function removeButtonText(record: CatalogRecord, env: Pick<ViewEnv, "lang" | "t">): string {
  return env.t("reminders:button.remove", { title: truncate(shortTitle(record, env.lang), BUTTON_TITLE_MAX) });
}

/** HTML of a view line → the plain text a calendar shows. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

export interface CalendarFile {
  filename: string;
  content: string;
}

/**
 * The record's deadlines still ahead as an iCalendar file: a day as an all-day event on that day, a
 * time of day as an event at that moment; each with its deadline line (time and zone said), the
 * record's summary and the link that opens its card in the bot, in the reader's language, and alarms
 * 7 days and 1 day before. A deadline's UID is the same at every download and across changes of its
 * day (record id and what the deadline closes), and its SEQUENCE is the record's revision, which grows
 * with every change: a calendar importing the file again moves the event instead of adding another.
 * Undefined when no deadline is ahead.
 */
export function calendarFile(
  record: CatalogRecord,
  env: ViewEnv,
  options: { link?: string; domain: string; sequence?: number },
): CalendarFile | undefined {
  const now = env.now ?? Date.now();
  const all = record.dates?.deadlines ?? [];
  const ahead = upcomingDeadlines(all, now);
  if (ahead.length === 0) return undefined;
  const kinds = deadlineKinds(all);
  const title = shortTitle(record, env.lang);
  const events: EventAttributes[] = ahead.map((deadline) => {
    const label = deadline.label[env.lang];
    const description = [
      plain(deadlineLine(deadline, env)),
      record.summary[env.lang],
      options.link ? env.t("reminders:calendar.open", { link: options.link }) : "",
    ]
      .filter(Boolean)
      .join("\n\n");
    const alarm = env.t("reminders:calendar.alarm", { label, title });
    const common = {
      uid: `deadline-${kinds.get(deadline)!}.${record.id}@${options.domain}`,
      sequence: options.sequence ?? 0,
      title: env.t("reminders:calendar.event", { label, title }),
      description,
      ...(options.link ? { url: options.link } : {}),
      productId: options.domain,
      transp: "TRANSPARENT" as const,
      alarms: [7, 1].map((days) => ({
        action: "display" as const,
        description: alarm,
        trigger: { days, before: true },
      })),
    };
    if (deadline.time) {
      const at = deadlineInstant(deadline);
      return {
        ...common,
        start: at,
        startInputType: "utc" as const,
        startOutputType: "utc" as const,
        end: at,
        endInputType: "utc" as const,
        endOutputType: "utc" as const,
      };
    }
    const day = DateTime.fromISO(deadline.date, { zone: "UTC" });
    const next = day.plus({ days: 1 });
    return {
      ...common,
      start: [day.year, day.month, day.day] as [number, number, number],
      end: [next.year, next.month, next.day] as [number, number, number],
    };
  });
  const { error, value } = ics().createEvents(events);
  if (error || !value) throw new Error(`calendar file not made: ${error?.message ?? "empty"}`);
  return { filename: `${record.id}-${env.t("reminders:calendar.file")}.ics`, content: value };
}

/**
 * What each deadline closes, as a UID part: its English label as a slug ("applications-close"), numbered
 * from the second deadline with the same label on. Moving a deadline to another day keeps it.
 */
function deadlineKinds(deadlines: readonly Deadline[]): Map<Deadline, string> {
  const seen = new Map<string, number>();
  const kinds = new Map<Deadline, string>();
  for (const deadline of deadlines) {
    const slug =
      deadline.label.en
        .normalize("NFKD")
        .replace(/\p{M}/gu, "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .slice(0, 40)
        .replace(/^-|-$/g, "") || "deadline";
    const n = (seen.get(slug) ?? 0) + 1;
    seen.set(slug, n);
    kinds.set(deadline, n === 1 ? slug : `${slug}-${n}`);
  }
  return kinds;
}
