/** Broadcast delivery settings; read from the environment with the rest of the configuration (`src/config.ts`). */

export const DEFAULT_RATE_PER_SECOND = 28;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_LOCK_MS = 30_000;

/**
 * Telegram's broadcasting limits (Bot API, "Paid Broadcasts"): a bot broadcasts up to 30 messages a
 * second for free; with paid broadcasts enabled (in @BotFather) and `allow_paid_broadcast` passed on each
 * send, up to 1000 a second, each message over the free 30 in a second costing 0.1 Telegram Star from the
 * bot's balance — only messages delivered successfully are charged.
 */
export const FREE_BROADCAST_PER_SECOND = 30;
export const PAID_BROADCAST_MAX_PER_SECOND = 1000;
export const STARS_PER_PAID_MESSAGE = 0.1;
/** The paid rate's default, under Telegram's 1000 by the same margin as 28 under 30 for free broadcasts. */
export const DEFAULT_PAID_RATE_PER_SECOND = 950;

export interface BroadcastSettings {
  ratePerSecond: number;
  maxAttempts: number;
  /** Unset: derived from the rate (see `defaultConcurrency`). */
  concurrency?: number;
  lockMs: number;
  /** Paid broadcasting: every send passes `allow_paid_broadcast`, and the rate defaults to the paid one. */
  paid: boolean;
}

/** The global rate when none is configured: the paid one with paid broadcasting, else the free one. */
export function defaultRate(paid: boolean | undefined): number {
  return paid ? DEFAULT_PAID_RATE_PER_SECOND : DEFAULT_RATE_PER_SECOND;
}

/** Enough parallel sends to keep the rate with half a second of latency per message. */
export function defaultConcurrency(ratePerSecond: number): number {
  return Math.min(50, Math.max(4, Math.ceil(ratePerSecond / 2)));
}
