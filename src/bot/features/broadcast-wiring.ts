import { Api, type Bot } from "grammy";
import { z } from "zod";
import { createMemoryAnnouncements, createRedisAnnouncements, type AnnouncementStore } from "../../announcements/store.js";
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RATE_PER_SECOND, type BroadcastSettings } from "../../broadcast/config.js";
import { createDelivery } from "../../broadcast/index.js";
import { telegramSender } from "../../broadcast/sender.js";
import type { DeliveryService } from "../../broadcast/types.js";
import { LiveCatalog } from "../../catalog/live.js";
import { LANGUAGES } from "../../catalog/schema.js";
import type { Config } from "../../config.js";
import { connectRedis } from "../../state/redis.js";
import type { Audience } from "../../state/coordination.js";
import type { BotContext, BotDeps } from "../context.js";
import { progressHook } from "./broadcast-progress.js";

/**
 * Broadcasting in the app: the delivery engine (BullMQ on REDIS_URL, else in memory) sending with the
 * bot's token, the subscriptions as its audience and its list of unreachable chats, progress edited
 * into the coordinator's message; and the live catalog, which merges the announcements of broadcasts
 * into the searched catalog. Workers run in the bot process by default.
 */

export interface BroadcastWiringOptions {
  config: Config;
  bot: Bot<BotContext>;
  deps: BotDeps;
  settings?: Partial<BroadcastSettings>;
  /** Run delivery workers in this process (default true). */
  workers?: boolean;
}

export interface BroadcastWiring {
  delivery: DeliveryService;
  live: LiveCatalog;
  announcements: AnnouncementStore;
  close(): Promise<void>;
}

const audienceSchema = z.object({
  everyone: z.boolean().optional(),
  topics: z.array(z.string()).optional(),
  kinds: z.array(z.string()).optional(),
  countries: z.array(z.string()).optional(),
  languages: z.array(z.enum(LANGUAGES)).optional(),
});

export async function wireBroadcasts(options: BroadcastWiringOptions): Promise<BroadcastWiring> {
  const { config, bot, deps } = options;
  const { logger, state } = deps;
  const closers: (() => Promise<void>)[] = [];

  // Announcements: beside the state (Redis when there is one) so every bot process finds them.
  let announcements: AnnouncementStore;
  if (config.REDIS_URL) {
    const redis = connectRedis(config.REDIS_URL, logger);
    closers.push(async () => {
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    });
    announcements = createRedisAnnouncements(redis, { logger });
  } else {
    announcements = createMemoryAnnouncements();
  }
  const live = deps.live ?? new LiveCatalog(deps.search.catalog, announcements, (engine) => (deps.search = engine));
  deps.live = live;
  try {
    if ((await announcements.all()).length > 0) await live.rebuild();
  } catch (error) {
    logger.warn({ message: (error as Error).message }, "announcements not loaded at start; they come back with the next broadcast or reload");
  }

  let delivery = deps.delivery;
  if (!delivery) {
    // The console answers Telegram calls in-process on the bot's client; elsewhere a client without auto-retry (the engine paces and retries).
    const api = config.mode === "console" ? bot.api : new Api(bot.token, { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: 30 });
    delivery = createDelivery({
      redisUrl: config.REDIS_URL,
      sender: telegramSender(api),
      hooks: {
        resolveRecipients: async (audience) => {
          const parsed = audienceSchema.safeParse(audience);
          if (!parsed.success) throw new Error("broadcast audience is not an audience");
          return state.subscriptions.resolve(parsed.data as Audience);
        },
        markInactive: (chatId) => state.subscriptions.setActive(chatId, false),
        onProgress: progressHook({ api: bot.api, i18n: deps.i18n, sessions: state.sessions, logger }),
      },
      ratePerSecond: options.settings?.ratePerSecond ?? DEFAULT_RATE_PER_SECOND,
      maxAttempts: options.settings?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      ...(options.settings?.concurrency !== undefined ? { concurrency: options.settings.concurrency } : {}),
      ...(options.settings?.lockMs !== undefined && config.REDIS_URL ? { lockMs: options.settings.lockMs } : {}),
      logger,
    });
    const own = delivery;
    closers.unshift(() => own.close());
    if (options.workers ?? true) await delivery.startWorkers();
  }
  deps.delivery = delivery;

  let closed: Promise<void> | undefined;
  return {
    delivery,
    live,
    announcements,
    close() {
      closed ??= (async () => {
        for (const close of closers) await close().catch((error: unknown) => logger.warn({ message: (error as Error).message }, "broadcasting did not close cleanly"));
      })();
      return closed;
    },
  };
}
