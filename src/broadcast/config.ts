import { z } from "zod";
import { ConfigError } from "../config.js";

/**
 * Broadcast settings from the environment (merged into `.env.example` by the integrator):
 *
 * - `BROADCAST_RATE_PER_SECOND` — messages per second across every worker process sharing the Redis
 *   (default 28, just under Telegram's ~30 messages per second for a bot). Decimals allowed.
 * - `BROADCAST_MAX_ATTEMPTS` — tries per message on 5xx answers and network errors, with exponential
 *   backoff, before it counts as failed (default 5). 429s do not use up attempts; 403 and
 *   "chat not found" are never retried.
 * - `BROADCAST_CONCURRENCY` — messages in flight at once per worker process (default: enough for half a
 *   second of latency at the configured rate, 4–50). Also the most messages that can be sent twice
 *   when a worker process is killed.
 * - `BROADCAST_LOCK_SECONDS` — how long the messages of a crashed worker process stay locked before
 *   another worker takes them over (default 30; locks are renewed while a worker is alive).
 */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const schema = z.object({
  BROADCAST_RATE_PER_SECOND: optional(z.coerce.number().positive().max(10_000)),
  BROADCAST_MAX_ATTEMPTS: optional(z.coerce.number().int().min(1).max(50)),
  BROADCAST_CONCURRENCY: optional(z.coerce.number().int().min(1).max(1000)),
  BROADCAST_LOCK_SECONDS: optional(z.coerce.number().min(1).max(3600)),
});

export const DEFAULT_RATE_PER_SECOND = 28;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_LOCK_MS = 30_000;

export interface BroadcastSettings {
  ratePerSecond: number;
  maxAttempts: number;
  /** Unset: derived from the rate (see `defaultConcurrency`). */
  concurrency?: number;
  lockMs: number;
}

export function broadcastSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BroadcastSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // Like loadConfig: the variable and the rule, never the value.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`));
  }
  const e = parsed.data;
  return {
    ratePerSecond: e.BROADCAST_RATE_PER_SECOND ?? DEFAULT_RATE_PER_SECOND,
    maxAttempts: e.BROADCAST_MAX_ATTEMPTS ?? DEFAULT_MAX_ATTEMPTS,
    ...(e.BROADCAST_CONCURRENCY !== undefined ? { concurrency: e.BROADCAST_CONCURRENCY } : {}),
    lockMs: Math.round((e.BROADCAST_LOCK_SECONDS ?? DEFAULT_LOCK_MS / 1000) * 1000),
  };
}

/** Enough parallel sends to keep the rate with half a second of latency per message. */
export function defaultConcurrency(ratePerSecond: number): number {
  return Math.min(50, Math.max(4, Math.ceil(ratePerSecond / 2)));
}
