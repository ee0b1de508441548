/** Broadcast delivery settings; read from the environment with the rest of the configuration (`src/config.ts`). */

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

/** Enough parallel sends to keep the rate with half a second of latency per message. */
export function defaultConcurrency(ratePerSecond: number): number {
  return Math.min(50, Math.max(4, Math.ceil(ratePerSecond / 2)));
}
