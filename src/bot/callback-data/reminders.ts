import { isPayloadOf, withinLimit } from "./payload.js";

/**
 * Buttons of application deadlines. Payloads start with "dl:" and are decoded as strictly as the
 * others: an unknown shape or a malformed record id decodes to undefined (the button has expired).
 *
 *   dl:r:<record id>    ⏰ remind me of the record's deadlines
 *   dl:c:<record id>    📅 the deadlines as a calendar file (.ics)
 *   dl:x:<record id>    stop the reminders about the record (from /reminders or a reminder)
 */
export type ReminderAction = { op: "remind" | "calendar" | "stop"; id: string };

export const REMINDER_PREFIX = "dl:";
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const OP_CODE: Record<ReminderAction["op"], string> = { remind: "r", calendar: "c", stop: "x" };

export function encodeReminder(action: ReminderAction): string {
  if (!ID.test(action.id)) throw new Error("not a record id");
  const data = `${REMINDER_PREFIX}${OP_CODE[action.op]}:${action.id}`;
  return withinLimit(data);
}

export function decodeReminder(data: string | undefined): ReminderAction | undefined {
  if (!isPayloadOf(data, REMINDER_PREFIX)) return undefined;
  const parts = data.split(":");
  const op = (Object.keys(OP_CODE) as ReminderAction["op"][]).find((o) => OP_CODE[o] === parts[1]);
  const id = parts[2];
  return parts.length === 3 && op && id && ID.test(id) ? { op, id } : undefined;
}
