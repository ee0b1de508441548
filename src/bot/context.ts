import type { Context, SessionFlavor } from "grammy";
import type { i18n } from "i18next";
import type { DeliveryService } from "../broadcast/types.js";
import type { Language } from "../catalog/schema.js";
import type { Translate } from "../i18n.js";
import type { LiveCatalog } from "../live/catalog.js";
import type { Logger } from "../logger.js";
import type { ReminderService } from "../reminders/types.js";
import type { SearchEngine } from "../search/engine.js";
import type { SessionData, StateBackend } from "../state/types.js";

/** What the bot needs from the rest of the program; injected so tests build a bot without globals. */
export interface BotDeps {
  search: SearchEngine;
  state: StateBackend;
  logger: Logger;
  i18n: i18n;
  settings: BotSettings;
  /** Broadcast delivery (/broadcast, /broadcasts); absent: broadcasting is unavailable. */
  delivery?: DeliveryService;
  /**
   * The owner of the searched catalog (`search` is its engine): announcements, removals and /reload go
   * through it and reach every process. Absent: /reload is unavailable and broadcasts add no announcement.
   */
  live?: LiveCatalog;
  /** Application deadline reminders (⏰ on cards, /reminders); absent: reminders are unavailable. */
  reminders?: ReminderService;
}

export interface BotSettings {
  /** Confidence under which the best hit does not count as an answer. */
  answerThreshold: number;
  /** Longest 429 wait auto-retry accepts. */
  retryMaxDelaySeconds: number;
  /** Telegram user ids of the administrators (ADMIN_IDS); they are coordinators too. */
  adminIds: number[];
  /** Per-user flood control on incoming messages (FLOOD_*); absent or maxMessages 0: none. */
  flood?: { maxMessages: number; windowSeconds: number };
  /** The per-chat lease (CHAT_LEASE_*), in milliseconds; absent: DEFAULT_CHAT_LEASE of src/bot/middlewares/lease.ts. */
  lease?: { ttlMs: number; waitMs: number };
}

interface Extras {
  deps: BotDeps;
  /** The language replies are written in (explicit choice, else the message's, else Telegram's). */
  lang: Language;
  /** The language the message's text was detected in, when it was (the search reuses it). */
  detected?: { text: string; lang: Language };
  t: Translate;
}

export type BotContext = Context & SessionFlavor<SessionData> & Extras;

/** Conversation state belongs to the user (the same in a private chat and via inline mode). */
export function sessionKey(ctx: Context): string | undefined {
  return ctx.from ? `user:${ctx.from.id}` : undefined;
}
