import type { Api } from "grammy";
import { createReminders } from "../reminders/index.js";
import type { ReminderService } from "../reminders/types.js";
import type { BotDeps } from "../bot/context.js";
import { reminderDelivery } from "../bot/features/reminders.js";
import type { RedisClients } from "./redis.js";

/**
 * Deadline reminders in the app: BullMQ on REDIS_URL (durable, shared by every bot process), else in
 * memory; sent with the bot's client by the bot processes (a reminder is rendered from the live catalog
 * in the reader's language, which `npm run worker` processes do not load). Every process follows the
 * live catalog: when a record's deadlines change its reminders move, when it leaves search they end —
 * each process applies the same change, and the job ids per (chat, record, deadline, offset) make that
 * one set of jobs.
 *
 * Built before the bot (the service is one of its dependencies); `start` sends due reminders once the
 * bot's client is there.
 */
export interface RemindingOptions {
  config: { REDIS_URL?: string | undefined };
  /** What reminders read: the searched catalog (and the live one they follow), sessions, translations. */
  deps: Pick<BotDeps, "search" | "live" | "state" | "i18n" | "logger">;
  /** The bot's client (src/app/bot-client.ts: bound once the bot exists); reminders are sent with it. */
  api: Api;
  /** Where the reminders' Redis client comes from (with REDIS_URL). */
  redis?: RedisClients | undefined;
  /** A service made elsewhere (tests): it follows the live catalog, but is neither started nor closed here. */
  reminders?: ReminderService;
  /** Send due reminders from this process when started (default true). */
  workers?: boolean;
}

export interface Reminding {
  readonly reminders: ReminderService;
  /** Starts sending due reminders (the bot's client must be bound by then). */
  start(): Promise<void>;
  /** Stops following the catalog and closes the service made here. Idempotent. */
  close(): Promise<void>;
}

export function createReminding(options: RemindingOptions): Reminding {
  const { deps } = options;
  const { logger } = deps;
  const own = !options.reminders;
  const reminders =
    options.reminders ??
    createReminders({
      redisUrl: options.config.REDIS_URL,
      ...(options.redis ? { redis: options.redis.client("background") } : {}),
      hooks: reminderDelivery(
        { search: deps.search, i18n: deps.i18n, sessions: deps.state.sessions, logger },
        options.api,
      ),
      logger,
    });
  const follow = (id: string, record: Parameters<typeof reminders.recordChanged>[1]) =>
    reminders
      .recordChanged(id, record)
      .catch((error: unknown) =>
        logger.warn(
          { record: id, message: (error as Error).message },
          "reminders not moved after a catalog change; they are checked again when due",
        ),
      );
  const stops = deps.live
    ? [
        deps.live.onRecordLive((events) => events.forEach((e) => void follow(e.record.id, e.record))),
        deps.live.onRecordGone((ids) => ids.forEach((id) => void follow(id, undefined))),
      ]
    : [];
  let closed: Promise<void> | undefined;
  return {
    reminders,
    async start() {
      if (own && (options.workers ?? true)) await reminders.startWorkers();
    },
    close() {
      closed ??= (async () => {
        for (const stop of stops) stop();
        if (own)
          await reminders
            .close()
            .catch((error: unknown) =>
              logger.warn({ message: (error as Error).message }, "reminders did not close cleanly"),
            );
      })();
      return closed;
    },
  };
}
