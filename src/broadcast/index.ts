// Broadcast delivery engine: `createDelivery` picks the durable BullMQ engine when there is a Redis, else
// the in-process one.
import { createBullDelivery } from "./bull.js";
import type { BullDeliveryOptions } from "./bull.js";
import { createMemoryDelivery } from "./memory.js";
import type { MemoryDeliveryOptions } from "./memory.js";
import type { DeliveryService } from "./types.js";

export type DeliveryOptions = MemoryDeliveryOptions &
  Omit<BullDeliveryOptions, "connection"> & {
    /** redis:// URL: BullMQ engine, durable and shared by every process on this Redis. Unset: in-process. */
    redisUrl?: string;
  };

export function createDelivery(options: DeliveryOptions): DeliveryService {
  const { redisUrl, redis, ...rest } = options;
  return redisUrl
    ? createBullDelivery({ ...rest, connection: redisUrl, ...(redis ? { redis } : {}) })
    : createMemoryDelivery(rest);
}

export { createBullDelivery, DEFAULT_BROADCAST_PREFIX, SEND_QUEUE, START_QUEUE } from "./bull.js";
export type { BullDeliveryOptions } from "./bull.js";
export { createMemoryDelivery } from "./memory.js";
export type { MemoryDeliveryOptions } from "./memory.js";
export { telegramSender } from "./sender.js";
export {
  defaultConcurrency,
  defaultRate,
  FREE_BROADCAST_PER_SECOND,
  PAID_BROADCAST_MAX_PER_SECOND,
  STARS_PER_PAID_MESSAGE,
} from "./config.js";
export { estimateBilledMessages, starsFor } from "./cost.js";
export type { BroadcastSettings } from "./config.js";
export { BroadcastRequestError, classifyError, pickContent } from "./core.js";
export { inactiveChatsKey, inactiveReasonsKey, progressChannel, redisHooks, takeInactiveChats } from "./redis-hooks.js";
export type { ProgressMessage } from "./redis-hooks.js";
export type * from "./types.js";
