import type { Transformer } from "grammy";
import { pauseBeforeRetry } from "./pause.js";
import { HttpError } from "../grammy.js";
import type { ServiceLogger } from "../logger.js";

export interface NetworkRetryOptions {
  /** The first wait after a failure; doubled after each one. Default 1 s. */
  firstDelayMs?: number;
  /** The longest wait between two tries. Default 10 s. */
  maxDelayMs?: number;
  /** Told once per call when its first try fails. */
  logger?: Pick<ServiceLogger, "warn">;
}

/**
 * Calls that fail on the way to Telegram — connection refused or reset, no answer within the client's
 * timeout, a body that is not the Bot API's — are tried again for as long as it takes, the waits doubling
 * from 1 s to at most 10 s, and never once the call is aborted (the bot stopping). The update waits
 * meanwhile, and its reply goes out once Telegram answers again.
 *
 * auto-retry's own waits for these double without a bound (3 s, 6 s, … up to an hour), and long
 * polling's runner does the same beneath it: after an outage of a few minutes the bot would wait about as
 * long again before its next try, long after Telegram was back.
 */
export function retryNetworkFailures(options: NetworkRetryOptions = {}): Transformer {
  const first = options.firstDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 10_000;
  return async (prev, method, payload, signal) => {
    let wait = first;
    for (let attempt = 1; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted) throw error;
        // HttpError's message names the method, never the URL (which holds the token).
        if (attempt === 1) options.logger?.warn({ method, message: error.message }, "Telegram not reachable; retrying");
        // grammY types its signal with the abort-controller polyfill; Node's own AbortSignal is what it gets at run time.
        await pauseBeforeRetry(
          wait,
          signal as AbortSignal | undefined,
          () => new Error("aborted while waiting to retry a call to Telegram"),
        );
        wait = Math.min(wait * 2, max);
      }
    }
  };
}
