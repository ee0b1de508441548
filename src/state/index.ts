// Entry point of the conversation-state layer: picks the backend from configuration.
import type { Redis } from "ioredis";
import { createMemoryState } from "./memory.js";
import { connectRedis, createRedisState, redisHost } from "./redis.js";
import type { StateBackend, StateLogger } from "./types.js";

export type { QuestionLog, SessionData, SessionStore, StateBackend, StateLogger, UnansweredQuestion } from "./types.js";
export type {
  Audience,
  AuditEntry,
  AuditLog,
  Recipient,
  RoleStore,
  SubscriberEntry,
  Subscription,
  SubscriptionStore,
} from "./coordination.js";
export { createMemoryState } from "./memory.js";
export { connectRedis, createRedisState, RedisUnavailableError, waitForRedis } from "./redis.js";

export interface StateConfig {
  /** When absent or empty, state is kept in process memory: fine for one instance, lost on restart. */
  redisUrl?: string;
  ttlSeconds: number;
  /** How long a saved search lasts after it is saved or last notified (default DEFAULT_SAVED_SEARCH_DAYS). */
  savedSearchTtlMs?: number;
  /** The client to keep state with, on redisUrl (the app's come from src/app/redis.ts); default: one opened here. Closed with the state. */
  redis?: Redis;
}

export function createState(config: StateConfig, logger?: StateLogger): StateBackend {
  if (!config.redisUrl) {
    logger?.info({ backend: "memory" }, "conversation state kept in memory (no REDIS_URL)");
    return createMemoryState({
      ttlSeconds: config.ttlSeconds,
      ...(config.savedSearchTtlMs ? { savedSearchTtlMs: config.savedSearchTtlMs } : {}),
    });
  }
  logger?.info({ backend: "redis", host: redisHost(config.redisUrl) }, "conversation state kept in Redis");
  return createRedisState(config.redis ?? connectRedis(config.redisUrl, logger), {
    ttlSeconds: config.ttlSeconds,
    logger,
    ...(config.savedSearchTtlMs ? { savedSearchTtlMs: config.savedSearchTtlMs } : {}),
  });
}
