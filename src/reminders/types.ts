// Deadline reminders: the public contract. The service knows records only by their id and deadlines; the
// bot gives it a `deliver` hook that renders and sends a reminder (in the reader's language of the moment).
import type { CatalogRecord } from "../catalog/schema.js";
import type { ServiceLogger } from "../logger.js";

/** One reminder of one chat about one deadline of one record, `days` before it. */
export interface PlannedReminder {
  /**
   * Deterministic: the same chat, record, deadline and offset always give the same id, so adding it
   * again (another process applying the same catalog change, a second press) adds nothing.
   */
  id: string;
  chatId: number;
  recordId: string;
  /** The deadline's key (src/catalog/deadlines.ts `deadlineKey`): its day, time and zone. */
  deadline: string;
  /** How many days before the deadline (7 or 1). */
  days: number;
  /** When it is sent, ms since the epoch. */
  dueAt: number;
}

/** What the service reads of a record: its id and deadlines. */
export type RecordDeadlines = Pick<CatalogRecord, "id" | "dates">;

/** A chat's reminders about one record: the ones still to be sent (possibly none: the deadline is too close). */
export interface ChatReminders {
  recordId: string;
  pending: PlannedReminder[];
}

/** What came of sending a reminder. */
export type DeliveryOutcome =
  /** Sent. */
  | "sent"
  /** Nothing to send: the record or its deadline is no longer there. */
  | "gone"
  /** The chat cannot be written to (blocked the bot, deleted): all its reminders are removed. */
  | "unreachable";

export interface ReminderHooks {
  /** Sends one reminder. Throws on a passing failure (network, 5xx, 429): it is tried again later. */
  deliver(reminder: PlannedReminder): Promise<DeliveryOutcome>;
}

/** The time reminders are planned against; tests move it. */
export interface Clock {
  now(): number;
}

export interface ReminderService {
  /**
   * Reminds the chat of the record's upcoming deadlines, 7 days and 1 day before each (offsets already
   * past are skipped). Returns the reminders to come, soonest first; undefined when the record has no
   * upcoming deadline (nothing is kept). Adding again changes nothing: a reminder already due and not
   * sent yet is still sent, once.
   */
  add(chatId: number, record: RecordDeadlines): Promise<PlannedReminder[] | undefined>;
  /** Stops the chat's reminders about the record. False when it had none. */
  remove(chatId: number, recordId: string): Promise<boolean>;
  /** Whether the chat has reminders about the record. */
  has(chatId: number, recordId: string): Promise<boolean>;
  /** The records the chat is reminded of, with the reminders still to come. */
  list(chatId: number): Promise<ChatReminders[]>;
  /**
   * The record changed (undefined: withdrawn). Every chat's reminders about it follow: new deadlines
   * are scheduled (offsets already past skipped, as when added), those of an old deadline cancelled; a
   * record withdrawn or without an upcoming deadline ends its reminders. A reminder of a deadline the
   * record keeps that was due and not sent yet (the workers were down, a send is being tried again) is
   * still sent, once; one sent is not sent again. Idempotent: every process applying the same change
   * gets the same jobs.
   */
  recordChanged(recordId: string, record: RecordDeadlines | undefined): Promise<void>;
  /** Sends due reminders from this process. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface ReminderOptions {
  hooks: ReminderHooks;
  /** Default: the system clock. */
  clock?: Clock;
  /** Tries per reminder on passing failures. Default 5. */
  maxAttempts?: number;
  /** First retry delay, doubled for each further try. Default 1000 ms. */
  backoffMs?: number;
  logger?: ServiceLogger;
}
