import type { Redis } from "ioredis";

/**
 * An 'error' event without a listener can throw and take the process down; connection errors reach
 * callers as rejected commands anyway, so here they are only reported, once per distinct failure rather
 * than once per reconnect attempt. `restored` hears when the connection is back after a failure.
 */
export function watchConnection(redis: Redis, failed: (err: Error) => void, restored?: () => void): void {
  let lastError: string | undefined;
  redis.on("error", (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    failed(err);
  });
  redis.on("ready", () => {
    if (lastError !== undefined) restored?.();
    lastError = undefined;
  });
}
