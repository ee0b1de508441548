/**
 * Time for a lease test, moved by the test instead of waited for: whether a lease lapses then depends on
 * the time said to pass, not on how soon a busy machine runs a timer.
 * - memory: the in-process leases expire on timers and `keepRenewed` renews on an interval, all on
 *   vitest's fake timers, which `pass` advances;
 * - redis: Redis's clock cannot be moved, so `pass` takes the time off the remaining TTL of the lease
 *   keys (PEXPIRE: a key whose TTL runs out is deleted, as an expiry deletes it) and advances the
 *   process's intervals (`keepRenewed`'s renewals, on fake intervals). The leases take TTLs of many
 *   seconds, which no real delay between two steps comes near.
 * Real timers are back after the test.
 */
import type { Redis } from "ioredis";
import { onTestFinished, vi } from "vitest";
import { until } from "./until.js";

export interface LeaseTime {
  /** `ms` go by: lease TTLs run down by that much, and the timers due meanwhile fire in order. */
  pass(ms: number): Promise<void>;
  /** Resolves once `check()` holds after what `pass` set off (a renewal's round trip to Redis). */
  settled(check: () => boolean, what: string): Promise<void>;
}

export function leaseTime(kind: "memory" | "redis", redis?: { admin: Redis; keys: string[] }): LeaseTime {
  onTestFinished(() => void vi.useRealTimers());
  if (kind === "memory") {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    return {
      pass: (ms) => vi.advanceTimersByTimeAsync(ms).then(() => undefined),
      async settled(check, what) {
        await vi.advanceTimersByTimeAsync(0);
        if (!check()) throw new Error(`${what}: not so once the fake time's timers ran`);
      },
    };
  }
  if (!redis) throw new Error("leaseTime on Redis needs a client and the lease keys");
  // Only intervals: Redis's client keeps its own timeouts on the real clock.
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  return {
    async pass(ms) {
      for (const key of redis.keys) {
        const left = await redis.admin.pttl(key);
        if (left > 0) await redis.admin.pexpire(key, left - ms);
      }
      await vi.advanceTimersByTimeAsync(ms);
    },
    settled: (check, what) => until(check, 10_000, what),
  };
}
