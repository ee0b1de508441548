import type { Transformer } from "grammy";
import { pauseBeforeRetry } from "./pause.js";

export interface FloodRetryOptions {
  /** The longest `retry_after` waited out (RETRY_MAX_DELAY_SECONDS); a longer one fails the call at once. */
  maxDelaySeconds: number;
  /** The most time one call spends waiting out 429s in all; then its 429 fails it. Default 60 s, or maxDelaySeconds if longer. */
  maxWaitSeconds?: number;
  /** Up to this much is added at random to each wait, so calls held back together do not all come back at once. Default 1000 ms. */
  jitterMs?: number;
  random?: () => number;
}

/**
 * A call Telegram answers 429 ("Too Many Requests: retry after N") is sent again after N seconds (and a
 * random part of a second), as many times as it takes within a time budget, not a number of tries.
 *
 * Under load, many replies wait out the same flood limit, come back in the same second and meet it
 * again: auto-retry, which counted 429s among its three retries, gave up on about one reply in thirty
 * when 50 users sent 350 messages at once against Telegram's 30 messages a second and 1 a second per
 * chat, and the users got an apology instead of their answer. auto-retry still retries 5xx answers.
 */
export function waitOutFloodLimits(options: FloodRetryOptions): Transformer {
  const maxDelay = options.maxDelaySeconds;
  const budget = options.maxWaitSeconds ?? Math.max(60, maxDelay);
  const jitter = options.jitterMs ?? 1000;
  const random = options.random ?? Math.random;
  return async (prev, method, payload, signal) => {
    let waited = 0;
    for (;;) {
      const result = await prev(method, payload, signal);
      const after = result.ok ? undefined : result.parameters?.retry_after;
      if (typeof after !== "number" || after > maxDelay || waited + after > budget || signal?.aborted) return result;
      // grammY types its signal with the abort-controller polyfill; Node's own AbortSignal is what it gets at run time.
      await pauseBeforeRetry(
        after * 1000 + Math.floor(random() * jitter),
        signal as AbortSignal | undefined,
        () => new Error("aborted while waiting out Telegram's flood limit"),
      );
      waited += after;
    }
  };
}
