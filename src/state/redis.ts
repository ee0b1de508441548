// Redis state backend: sessions survive restarts and can be shared by several bot processes.
import { setTimeout as delay } from "node:timers/promises";
import { Redis } from "ioredis";
import type { RedisOptions } from "ioredis";
import { createRedisAudit, createRedisRoles, createRedisSubscriptions } from "./coordination-redis.js";
import { clampLimit, DEFAULT_MAX_QUESTIONS, requirePositiveInteger } from "./options.js";
import { UPDATE_RETENTION_SECONDS, type QuestionLog, type SessionData, type SessionStore, type StateBackend, type StateLogger, type UnansweredQuestion, type UpdateLog } from "./types.js";

export const DEFAULT_PREFIX = "coopdesk:";

/** How long `close()` lets QUIT drain pending replies before dropping the connection. */
const QUIT_GRACE_MS = 1000;

export interface RedisStateOptions {
  ttlSeconds: number;
  maxQuestions?: number;
  /** Audit entries kept, approximately (the stream is trimmed with MAXLEN ~; default 10 000). */
  maxAudit?: number;
  /** Namespace for every key, so the bot can share a Redis database with other applications. */
  prefix?: string;
  logger?: StateLogger;
}

/**
 * Client options for a chat bot: a Redis blip is bridged by the offline queue, but a dead Redis fails
 * each request within seconds (so the user gets an answer) instead of hanging the update forever.
 */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: false,
  enableOfflineQueue: true,
  // Queued commands are failed after this many reconnect attempts.
  maxRetriesPerRequest: 2,
  // Never give up reconnecting (the bot keeps running), but back off to one attempt a second.
  retryStrategy: (times) => Math.min(100 * 2 ** (times - 1), 1000),
  connectTimeout: 5000,
  // Hard upper bound on any request, also for a server that accepts connections but never answers;
  // without it a request arriving mid-outage could wait up to (maxRetriesPerRequest + 1) backoff periods.
  commandTimeout: 2000,
};

/** Creates the ioredis client; the caller owns it, usually by handing it to `createRedisState`. */
export function connectRedis(url: string, logger?: StateLogger): Redis {
  const redis = new Redis(url, REDIS_CLIENT_OPTIONS);
  watchConnection(redis, logger);
  return redis;
}

export function createRedisState(redis: Redis, options: RedisStateOptions): StateBackend {
  const ttlSeconds = requirePositiveInteger("ttlSeconds", options.ttlSeconds);
  const maxQuestions = requirePositiveInteger("maxQuestions", options.maxQuestions ?? DEFAULT_MAX_QUESTIONS);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (redis.listenerCount("error") === 0) watchConnection(redis, options.logger);

  return {
    kind: "redis",
    sessions: redisSessions(redis, `${prefix}session:`, ttlSeconds, options.logger),
    questions: redisQuestions(redis, `${prefix}unanswered`, maxQuestions, options.logger),
    updates: redisUpdates(redis, `${prefix}update:`),
    subscriptions: createRedisSubscriptions(redis, { prefix, logger: options.logger }),
    roles: createRedisRoles(redis, { prefix }),
    audit: createRedisAudit(redis, { prefix, maxAudit: options.maxAudit, logger: options.logger }),
    ping: () => pingRedis(redis),
    close: () => closeRedis(redis),
  };
}

function redisSessions(redis: Redis, keyPrefix: string, ttlSeconds: number, logger?: StateLogger): SessionStore {
  return {
    async read(key) {
      const raw = await redis.get(keyPrefix + key);
      if (raw === null) return undefined;
      const value = parseJsonObject(raw);
      // A corrupt session only costs the user their conversation context; failing the update would cost the answer.
      if (value === undefined) logger?.warn({ key }, "ignoring corrupt session in Redis");
      return value as SessionData | undefined;
    },
    async write(key, value) {
      await redis.set(keyPrefix + key, JSON.stringify(value), "EX", ttlSeconds);
    },
    async delete(key) {
      await redis.del(keyPrefix + key);
    },
  };
}

/** SET NX: one atomic step, so of two replicas handed the same update at the same moment only one wins. */
function redisUpdates(redis: Redis, keyPrefix: string): UpdateLog {
  return {
    async claim(updateId) {
      return (await redis.set(keyPrefix + updateId, "1", "EX", UPDATE_RETENTION_SECONDS, "NX")) === "OK";
    },
  };
}

function redisQuestions(redis: Redis, key: string, maxQuestions: number, logger?: StateLogger): QuestionLog {
  return {
    async add(question) {
      // One transaction, so the list is never observed (or left, on a crash) longer than maxQuestions.
      const results = await redis.multi().lpush(key, JSON.stringify(question)).ltrim(key, 0, maxQuestions - 1).exec();
      throwIfFailed(results);
    },
    async recent(limit) {
      const count = clampLimit(limit, maxQuestions);
      if (count === 0) return [];
      const entries = await redis.lrange(key, 0, count - 1);
      return entries.flatMap((raw) => {
        const question = parseJsonObject(raw);
        if (question === undefined) logger?.warn({ key }, "ignoring corrupt unanswered-question entry in Redis");
        return question === undefined ? [] : [question as unknown as UnansweredQuestion];
      });
    },
  };
}

/** MULTI/EXEC reports per-command errors in its result instead of rejecting. */
function throwIfFailed(results: [error: Error | null, result: unknown][] | null): void {
  if (results === null) throw new Error("Redis transaction was aborted");
  for (const [error] of results) if (error) throw error;
}

/** Parses a stored JSON value; anything that is not a JSON object counts as corrupt. */
function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function pingRedis(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  }
}

async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  // QUIT lets pending replies arrive; with the server gone it would sit in the offline queue, hence the cap.
  await Promise.race([redis.quit().catch(() => undefined), delay(QUIT_GRACE_MS, undefined, { ref: false })]);
  // Also stops reconnect attempts when QUIT could not be delivered.
  redis.disconnect();
}

/**
 * An 'error' event without a listener can throw and take the process down; connection errors reach
 * callers as rejected commands anyway, so here they are only logged, once per distinct failure rather
 * than once per reconnect attempt.
 */
function watchConnection(redis: Redis, logger?: StateLogger): void {
  let lastError: string | undefined;
  redis.on("error", (err) => {
    if (err.message === lastError) return;
    lastError = err.message;
    logger?.warn({ err }, "Redis connection error");
  });
  redis.on("ready", () => {
    if (lastError !== undefined) logger?.info({}, "Redis connection restored");
    lastError = undefined;
  });
}
