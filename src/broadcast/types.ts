// The broadcast delivery engine's public contract. The engine knows nothing of search or of the bot's
// features: the bot's /broadcast UI schedules requests, the subscriptions store resolves audiences and
// learns about chats that can no longer be reached, all through these types.
import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import type { Language } from "../catalog/schema.js";
import type { Recipient } from "../state/coordination.js";
import type { ServiceLogger } from "../logger.js";

/**
 * One message as sent to a chat: `text` as the reader sees it and its formatting as Telegram's own
 * `entities` (offsets and lengths in UTF-16 code units, like JavaScript strings), sent without a parse
 * mode — as the text (≤ 4096 characters) or, with a photo or a document, as its caption (≤ 1024).
 * `photo` / `document`: a Telegram file_id or an https:// URL. `keyboard`: inline buttons under it, sent
 * as they are (the app renders them; the engine does not read them).
 */
export interface MessageContent {
  text: string;
  entities?: MessageEntity[];
  photo?: string;
  document?: string;
  keyboard?: InlineKeyboardMarkup;
}

/**
 * The shape messages had before they kept entities: HTML, sent with parse_mode HTML (≤ 4096 or 1024
 * characters once parsed). Broadcasts queued or scheduled before the upgrade carry it in Redis, and
 * drafts composed before it schedule it; both are still sent as they were.
 */
export interface HtmlMessageContent {
  html: string;
  photo?: string;
  document?: string;
  keyboard?: InlineKeyboardMarkup;
}

/** What a recipient can be sent: a message of text and entities, or one of HTML from before. */
export type AnyMessageContent = MessageContent | HtmlMessageContent;

/** Each recipient gets the variant of their language, else `default`. */
export interface BroadcastContent {
  default: AnyMessageContent;
  variants?: Partial<Record<Language, AnyMessageContent>>;
}

export type { Recipient };

export interface BroadcastRequest {
  /** Idempotency key: scheduling an id again returns the existing broadcast. 1–64 of A–Z a–z 0–9 _ -. */
  id: string;
  /** User id of the coordinator. */
  createdBy: number;
  content: BroadcastContent;
  /** Opaque JSON, resolved by the app's `resolveRecipients` when the broadcast starts. */
  audience: unknown;
  /** ISO date-time; absent = now. */
  scheduledAt?: string;
  /** The coordinator's message that `onProgress` edits in place. */
  progress?: { chatId: number; messageId: number };
  /** ISO date-time after which nothing more is sent: unsent messages count as failed. */
  expiresAt?: string;
}

export type BroadcastState = "scheduled" | "running" | "done" | "cancelled" | "failed";

export interface BroadcastStatus {
  id: string;
  createdBy: number;
  state: BroadcastState;
  /** Recipients resolved at the start (0 while scheduled). */
  total: number;
  sent: number;
  /** Given up: permanent errors, retries exhausted, expired. */
  failed: number;
  /** Blocked the bot, kicked it, deactivated, or the chat does not exist (reported to `markInactive`). */
  blocked: number;
  /** total − sent − failed − blocked (what a cancelled broadcast did not send). */
  remaining: number;
  createdAt: string;
  scheduledAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** While running: remaining messages at the configured rate. */
  etaSeconds?: number;
  /**
   * Sent as a paid broadcast (`allow_paid_broadcast`): `billed` messages so far went over Telegram's free
   * 30 a second (0.1 Star each); `estimate` is the most the whole audience can be billed for at the rate.
   */
  paid?: { billed: number; estimate: number };
}

/** How a send goes out. */
export interface SendOptions {
  /** Pass `allow_paid_broadcast`: up to 1000 messages a second, 0.1 Star each over the free 30. */
  paid?: boolean;
}

/** Sends one message. Throws grammY's GrammyError / HttpError, or errors of the same shape. Must not retry 429s itself. */
export interface Sender {
  send(chatId: number, content: AnyMessageContent, options?: SendOptions): Promise<void>;
}

export interface DeliveryHooks {
  resolveRecipients(audience: unknown): Promise<Recipient[]>;
  markInactive(chatId: number, reason: "blocked" | "not-found"): Promise<void>;
  /** Throttled by the engine (every few seconds, at the start and at the end): the app edits the coordinator's message. */
  onProgress?(status: BroadcastStatus, progress: { chatId: number; messageId: number }): Promise<void>;
}

/** The engine's pace: its global rate, and whether it broadcasts paid. */
export interface DeliveryPacing {
  ratePerSecond: number;
  paid: boolean;
}

export interface DeliveryService {
  readonly pacing: DeliveryPacing;
  schedule(request: BroadcastRequest): Promise<BroadcastStatus>;
  cancel(id: string): Promise<BroadcastStatus | undefined>;
  status(id: string): Promise<BroadcastStatus | undefined>;
  /** Newest first. */
  list(limit?: number): Promise<BroadcastStatus[]>;
  /** In-process delivery (the bot process runs workers by default). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** What both delivery engines (BullMQ and in-process) take besides their pacing. */
export interface DeliveryEngineOptions {
  sender: Sender;
  hooks: DeliveryHooks;
  /** Tries per message on 5xx / network errors. Default 5. */
  maxAttempts?: number;
  /** First retry delay, doubled for each further try. Default 1000 ms. */
  backoffMs?: number;
  /** Minimum time between two progress reports of a broadcast. Default 3000 ms. */
  progressIntervalMs?: number;
  logger?: ServiceLogger;
}
