import { Api } from "../grammy.js";
import { z } from "zod";
import { DEFAULT_MAX_ATTEMPTS, type BroadcastSettings } from "../broadcast/config.js";
import {
  createDelivery,
  DEFAULT_BROADCAST_PREFIX,
  progressChannel,
  takeInactiveChats,
  type ProgressMessage,
} from "../broadcast/index.js";
import { telegramSender } from "../broadcast/sender.js";
import type { DeliveryHooks, DeliveryService } from "../broadcast/types.js";
import { LANGUAGES } from "../catalog/schema.js";
import type { Audience } from "../state/coordination.js";
import type { BotDeps } from "../bot/context.js";
import { progressHook } from "../bot/features/broadcast/progress.js";
import { redisClients, type RedisClients } from "./redis.js";

/**
 * Broadcasting in the app: the delivery engine (BullMQ on REDIS_URL, else in memory) sending with the
 * bot's token, the subscriptions as its audience and its list of unreachable chats, progress edited
 * into the coordinator's message. Built before the bot (the engine is one of its dependencies);
 * `start` runs its workers (in the bot process by default) once the bot's client is there.
 */

/** What broadcasting reads of the app's configuration. */
export interface BroadcastConfig {
  /** In "console" mode Telegram calls are answered in-process on the bot's own client. */
  mode: string;
  /** The bot's token, which deliveries are sent with (not read in console mode). */
  TELEGRAM_BOT_TOKEN?: string | undefined;
  TELEGRAM_API_ROOT: string;
  REDIS_URL?: string | undefined;
}

export interface BroadcastingOptions {
  config: BroadcastConfig;
  /** What broadcasting reads: the subscriptions and sessions, translations for progress. */
  deps: Pick<BotDeps, "state" | "i18n" | "logger">;
  /** The bot's client (src/app/bot-client.ts: bound once the bot exists): progress edits, and sends in console mode. */
  api: Api;
  /** Where the clients listening to worker processes come from (with REDIS_URL; default: made here). */
  redis?: RedisClients | undefined;
  settings?: Partial<BroadcastSettings>;
  /** Run delivery workers in this process when started (default true). */
  workers?: boolean;
  /** How often chats found unreachable by separate worker processes are marked inactive (default 5 s). */
  inactivePollMs?: number;
}

export interface Broadcasting {
  readonly delivery: DeliveryService;
  /** Runs the delivery workers and listens to separate worker processes (the bot's client must be bound by then). */
  start(): Promise<void>;
  /** Closes the delivery engine, then stops listening to worker processes. Idempotent. */
  close(): Promise<void>;
}

const audienceSchema = z.object({
  everyone: z.boolean().optional(),
  topics: z.array(z.string()).optional(),
  kinds: z.array(z.string()).optional(),
  countries: z.array(z.string()).optional(),
  languages: z.array(z.enum(LANGUAGES)).optional(),
});

export function createBroadcasting(options: BroadcastingOptions): Broadcasting {
  const { config, deps } = options;
  const { logger, state } = deps;
  // The console answers Telegram calls in-process on the bot's client; elsewhere a client without auto-retry (the engine paces and retries).
  const sendApi =
    config.mode === "console"
      ? options.api
      : new Api(requireToken(config), { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: 30 });
  const onProgress = progressHook({ api: options.api, i18n: deps.i18n, sessions: state.sessions, logger });
  const delivery = createDelivery({
    redisUrl: config.REDIS_URL,
    ...(config.REDIS_URL && options.redis ? { redis: options.redis.client("background") } : {}),
    sender: telegramSender(sendApi),
    hooks: {
      resolveRecipients: async (audience) => {
        const parsed = audienceSchema.safeParse(audience);
        if (!parsed.success) throw new Error("broadcast audience is not an audience");
        return state.subscriptions.resolve(parsed.data as Audience);
      },
      markInactive: (chatId) => state.subscriptions.setActive(chatId, false),
      onProgress,
    },
    // Unset, the rate follows paid broadcasting (28 or 950 a second).
    ...(options.settings?.ratePerSecond !== undefined ? { ratePerSecond: options.settings.ratePerSecond } : {}),
    paid: options.settings?.paid ?? false,
    maxAttempts: options.settings?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    ...(options.settings?.concurrency !== undefined ? { concurrency: options.settings.concurrency } : {}),
    ...(options.settings?.lockMs !== undefined && config.REDIS_URL ? { lockMs: options.settings.lockMs } : {}),
    logger,
  });
  // Closed in this order: the engine (it finishes the messages in flight), then the listener to worker processes.
  const closers: (() => Promise<void>)[] = [() => delivery.close()];

  let closed: Promise<void> | undefined;
  return {
    delivery,
    async start() {
      if (closed) throw new Error("broadcasting is closed");
      if (options.workers ?? true) await delivery.startWorkers();
      // Separate worker processes (`npm run worker`) report through Redis: progress on a channel, unreachable chats in a set.
      if (config.REDIS_URL)
        closers.push(
          await listenToWorkers(
            options.redis ?? redisClients(config.REDIS_URL, logger),
            state,
            onProgress,
            logger,
            options.inactivePollMs ?? 5000,
          ),
        );
    },
    close() {
      closed ??= (async () => {
        for (const close of closers)
          await close().catch((error: unknown) =>
            logger.warn({ message: (error as Error).message }, "broadcasting did not close cleanly"),
          );
      })();
      return closed;
    },
  };
}

function requireToken(config: BroadcastConfig): string {
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error("broadcast delivery needs the bot's token (TELEGRAM_BOT_TOKEN)");
  return config.TELEGRAM_BOT_TOKEN;
}

async function listenToWorkers(
  clients: RedisClients,
  state: BotDeps["state"],
  onProgress: NonNullable<DeliveryHooks["onProgress"]>,
  logger: BotDeps["logger"],
  pollMs: number,
): Promise<() => Promise<void>> {
  const prefix = DEFAULT_BROADCAST_PREFIX;
  const subscriber = clients.client("requests");
  const redis = clients.client("requests");
  subscriber.on("message", (_channel: string, raw: string) => {
    let message: ProgressMessage;
    try {
      message = JSON.parse(raw) as ProgressMessage;
    } catch {
      return;
    }
    if (!message?.status?.id || !message.progress) return;
    onProgress(message.status, message.progress).catch((error: unknown) =>
      logger.warn({ message: (error as Error).message }, "worker progress not shown"),
    );
  });
  await subscriber
    .subscribe(progressChannel(prefix))
    .catch((error: unknown) =>
      logger.warn({ message: (error as Error).message }, "not listening to broadcast workers' progress"),
    );
  let draining = false;
  const timer = setInterval(() => {
    if (draining) return;
    draining = true;
    takeInactiveChats(redis, prefix)
      .then((chats) => Promise.all(chats.map((c) => state.subscriptions.setActive(c.chatId, false))))
      .catch((error: unknown) =>
        logger.warn({ message: (error as Error).message }, "chats found unreachable by workers not marked inactive"),
      )
      .finally(() => (draining = false));
  }, pollMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    for (const client of [subscriber, redis]) {
      await client.quit().catch(() => undefined);
      client.disconnect();
    }
  };
}
