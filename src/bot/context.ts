import type { Context, SessionFlavor } from "grammy";
import type { i18n } from "i18next";
import type { DeliveryService } from "../broadcast/types.js";
import type { LiveCatalog } from "../catalog/live.js";
import type { ReloadResult } from "../catalog/reload.js";
import type { Language } from "../catalog/schema.js";
import type { Translate } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { SearchEngine } from "../search/engine.js";
import type { SessionData, StateBackend } from "../state/types.js";

/** What the bot needs from the rest of the program; injected so tests build a bot without globals. */
export interface BotDeps {
  search: SearchEngine;
  state: StateBackend;
  logger: Logger;
  i18n: i18n;
  settings: BotSettings;
  /** /reload: reads CATALOG_DIR again and swaps `search` when it is valid (src/catalog/reload.ts); absent: /reload is unavailable. */
  reloadCatalog?: () => Promise<ReloadResult>;
  /** Broadcast delivery (/broadcast, /broadcasts); absent: broadcasting is unavailable. */
  delivery?: DeliveryService;
  /** The searched catalog = catalog files + announcements; broadcasts publish announcements through it. */
  live?: LiveCatalog;
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
  t: Translate;
}

export type BotContext = Context & SessionFlavor<SessionData> & Extras;

/** Conversation state belongs to the user (the same in a private chat and via inline mode). */
export function sessionKey(ctx: Context): string | undefined {
  return ctx.from ? `user:${ctx.from.id}` : undefined;
}
