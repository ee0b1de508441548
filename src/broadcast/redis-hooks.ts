// The Redis contract between a separate worker process (`src/worker-main.ts`), which cannot reach the app's
// subscription store nor format its messages, and the app:
//
// - `<prefix>inactive` — set of chat ids that answered 403 (blocked, kicked, deactivated) or "chat not
//   found"; `<prefix>inactive-reason` — hash chat id → "blocked" | "not-found". The app drains both
//   (`takeInactiveChats`) and updates its subscriptions.
// - `<prefix>broadcast-progress` — pub/sub channel; each message is JSON `{ status, progress }`
//   (BroadcastStatus and the coordinator's message), throttled like `onProgress`. The app subscribes
//   and edits the coordinator's message.
//
// Audiences are resolved by the app only: a process with these hooks runs no start jobs.
import type { Redis } from "ioredis";
import type { BroadcastStatus, DeliveryHooks } from "./types.js";

export const inactiveChatsKey = (prefix: string): string => `${prefix}inactive`;
export const inactiveReasonsKey = (prefix: string): string => `${prefix}inactive-reason`;
export const progressChannel = (prefix: string): string => `${prefix}broadcast-progress`;

export interface ProgressMessage {
  status: BroadcastStatus;
  progress: { chatId: number; messageId: number };
}

export function redisHooks(redis: Redis, prefix: string): DeliveryHooks {
  return {
    resolveRecipients() {
      return Promise.reject(new Error("this process cannot resolve audiences: the app starts broadcasts"));
    },
    async markInactive(chatId, reason) {
      await redis
        .multi()
        .sadd(inactiveChatsKey(prefix), chatId)
        .hset(inactiveReasonsKey(prefix), String(chatId), reason)
        .exec();
    },
    async onProgress(status, progress) {
      const message: ProgressMessage = { status, progress };
      await redis.publish(progressChannel(prefix), JSON.stringify(message));
    },
  };
}

/** For the app: takes (and removes) up to `max` chats the workers found inactive. */
export async function takeInactiveChats(
  redis: Redis,
  prefix: string,
  max = 1000,
): Promise<{ chatId: number; reason: "blocked" | "not-found" }[]> {
  const ids = await redis.spop(inactiveChatsKey(prefix), max);
  if (ids.length === 0) return [];
  const reasons = await redis.hmget(inactiveReasonsKey(prefix), ...ids);
  await redis.hdel(inactiveReasonsKey(prefix), ...ids);
  return ids.map((id, i) => ({ chatId: Number(id), reason: reasons[i] === "not-found" ? "not-found" : "blocked" }));
}
