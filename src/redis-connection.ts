import { createRequire } from "node:module";
import type * as BullMQ from "bullmq";
import type * as IORedis from "ioredis";
import type { Redis } from "ioredis";

const require = createRequire(import.meta.url);

/**
 * The Redis client package, loaded when a client is first made rather than with the modules that make
 * one: a bot without REDIS_URL (the console, one process with its state in memory) never loads it, which
 * saves ~15 MB and a tenth of a second of its start. A CommonJS package, so `require` gives what `import`
 * would.
 */
export function ioredis(): typeof IORedis {
  return require("ioredis") as typeof IORedis;
}

/** BullMQ (and through it ioredis), loaded when a queue is first made; see `ioredis`. */
export function bullmq(): typeof BullMQ {
  return require("bullmq") as typeof BullMQ;
}

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
