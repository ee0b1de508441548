import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A Lua script run by its SHA-1 (EVALSHA), sent whole only when the server does not have it yet (after
 * a restart or a SCRIPT FLUSH): the scripts of every update would otherwise send their text each time.
 */
export function luaScript(
  source: string,
): (redis: Redis, keys: string[], args: (string | number)[]) => Promise<unknown> {
  const sha = createHash("sha1").update(source).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
