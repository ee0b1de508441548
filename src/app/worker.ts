import { Api } from "../grammy.js";
import { DEFAULT_BROADCAST_PREFIX, createBullDelivery } from "../broadcast/bull.js";
import type { BroadcastSettings } from "../broadcast/config.js";
import { redisHooks } from "../broadcast/redis-hooks.js";
import { telegramSender } from "../broadcast/sender.js";
import type { Logger } from "../logger.js";
import { redisClients } from "./redis.js";

/**
 * A broadcast worker process composed: delivery workers sending with the bot's token (no bot, no
 * catalog: the bot resolves audiences), reporting progress and unreachable chats through Redis
 * (../broadcast/redis-hooks.ts). src/worker-main.ts reads the configuration and runs it.
 */
export interface BroadcastWorkerConfig {
  REDIS_URL: string;
  TELEGRAM_BOT_TOKEN: string;
  TELEGRAM_API_ROOT: string;
}

export interface BroadcastWorker {
  /** Finishes the messages in flight, then closes the queues and Redis clients. */
  close(): Promise<void>;
}

export async function startBroadcastWorker(
  config: BroadcastWorkerConfig,
  settings: BroadcastSettings,
  logger: Logger,
): Promise<BroadcastWorker> {
  const prefix = DEFAULT_BROADCAST_PREFIX;
  const api = new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: 30 });
  const redis = redisClients(config.REDIS_URL, logger);
  const delivery = createBullDelivery({
    connection: config.REDIS_URL,
    redis: redis.client("background"),
    sender: telegramSender(api),
    hooks: redisHooks(redis.client("background"), prefix),
    ratePerSecond: settings.ratePerSecond,
    paid: settings.paid,
    maxAttempts: settings.maxAttempts,
    ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
    lockMs: settings.lockMs,
    prefix,
    roles: { start: false, send: true },
    logger,
  });
  try {
    await delivery.startWorkers();
  } catch (error) {
    await delivery.close();
    await redis.close();
    throw error;
  }
  return {
    async close() {
      await delivery.close();
      await redis.close();
    },
  };
}
