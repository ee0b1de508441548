import type { Redis, RedisOptions } from "ioredis";
import type { Logger } from "../logger.js";
import { closeRedis, connectRedis, REDIS_CLIENT_OPTIONS } from "../state/redis.js";

/**
 * The Redis clients of a process (bot or broadcast worker), made here and nowhere else: one connection
 * per use, since a subscriber cannot send commands and each service quits on its own schedule. BullMQ's
 * queues and workers open their own connections from REDIS_URL (a worker's blocking connection must be
 * its own). `close()` ends every client its user has not closed already.
 */
export interface RedisClients {
  /**
   * A new client, its connection errors logged once per distinct failure. "requests": answers a user
   * is waiting for (fails fast when Redis is down); "background": queue bookkeeping and worker reports,
   * which may wait longer.
   */
  client(use: "requests" | "background"): Redis;
  close(): Promise<void>;
}

/** Background clients retry a request a little longer and have no per-command timeout. */
const BACKGROUND_OPTIONS: RedisOptions = { maxRetriesPerRequest: 3 };

export function redisClients(url: string, logger: Logger): RedisClients {
  const clients: Redis[] = [];
  let closed: Promise<void> | undefined;
  return {
    client(use) {
      if (closed) throw new Error("Redis clients are closed");
      const client = connectRedis(url, logger, use === "requests" ? REDIS_CLIENT_OPTIONS : BACKGROUND_OPTIONS);
      clients.push(client);
      return client;
    },
    close() {
      closed ??= Promise.all(clients.map((client) => closeRedis(client))).then(() => undefined);
      return closed;
    },
  };
}
