import type { Context, SessionFlavor } from "grammy";
import type { i18n } from "i18next";
import type { DeliveryService } from "../broadcast/types.js";
import type { Language } from "../catalog/schema.js";
import type { DecisionCache } from "./decisions.js";
import type { Translate } from "../i18n.js";
import type { LiveCatalog } from "../live/catalog.js";
import type { Logger } from "../logger.js";
import type { ReminderService } from "../reminders/types.js";
import type { SearchEngine } from "../search/engine.js";
import type { SessionData, StateBackend } from "../state/types.js";

/**
 * What the bot needs from the rest of the program; injected so tests build a bot without globals.
 * Complete when the bot is created and never changed after (src/app/compose.ts builds every service
 * first): features read them and own no connections.
 */
export interface BotDeps {
  readonly search: SearchEngine;
  readonly state: StateBackend;
  readonly logger: Logger;
  readonly i18n: i18n;
  readonly settings: BotSettings;
  /** Broadcast delivery (/broadcast, /broadcasts); absent: broadcasting is unavailable. */
  readonly delivery?: DeliveryService;
  /**
   * The owner of the searched catalog (`search` is its engine): announcements, removals and /reload go
   * through it and reach every process. Absent: /reload is unavailable and broadcasts add no announcement.
   */
  readonly live?: LiveCatalog;
  /** Application deadline reminders (⏰ on cards, /reminders); absent: reminders are unavailable. */
  readonly reminders?: ReminderService;
  /** What the engine said about texts asked before (src/bot/decisions.ts); absent: the engine is asked every time. */
  readonly decisions?: DecisionCache;
}

export interface BotSettings {
  /** Confidence under which the best hit does not count as an answer. */
  readonly answerThreshold: number;
  /** Longest 429 wait auto-retry accepts. */
  readonly retryMaxDelaySeconds: number;
  /** Telegram user ids of the administrators (ADMIN_IDS); they are coordinators too. */
  readonly adminIds: readonly number[];
  /** Per-user flood control on incoming messages (FLOOD_*); absent or maxMessages 0: none. */
  readonly flood?: { maxMessages: number; windowSeconds: number };
  /** The per-chat lease (CHAT_LEASE_*), in milliseconds; absent: DEFAULT_CHAT_LEASE of src/bot/middlewares/turn.ts. */
  readonly lease?: { ttlMs: number; waitMs: number };
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
