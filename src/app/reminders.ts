import type { Bot } from "grammy";
import { createReminders } from "../reminders/index.js";
import type { BotContext, BotDeps } from "../bot/context.js";
import { reminderDelivery } from "../bot/features/reminders.js";
import type { RedisClients } from "./redis.js";

/**
 * Deadline reminders in the app: BullMQ on REDIS_URL (durable, shared by every bot process), else in
 * memory; sent with the bot's client by the bot processes (a reminder is rendered from the live catalog
 * in the reader's language, which `npm run worker` processes do not load). Every process follows the
 * live catalog: when a record's deadlines change its reminders move, when it leaves search they end —
 * each process applies the same change, and the job ids per (chat, record, deadline, offset) make that
 * one set of jobs.
 */
export interface ReminderWiringOptions {
  config: { REDIS_URL?: string | undefined };
  bot: Bot<BotContext>;
  deps: BotDeps;
  /** Where the reminders' Redis client comes from (with REDIS_URL). */
  redis?: RedisClients | undefined;
  /** Send due reminders from this process (default true). */
  workers?: boolean;
}

export async function wireReminders(options: ReminderWiringOptions): Promise<{ close(): Promise<void> }> {
  const { bot, deps } = options;
  const { logger } = deps;
  const own = !deps.reminders;
  const reminders =
    deps.reminders ??
    createReminders({
      redisUrl: options.config.REDIS_URL,
      ...(options.redis ? { redis: options.redis.client("background") } : {}),
      hooks: reminderDelivery({ search: deps.search, i18n: deps.i18n, sessions: deps.state.sessions, logger }, bot.api),
      logger,
    });
  deps.reminders = reminders;
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
  try {
    if (own && (options.workers ?? true)) await reminders.startWorkers();
  } catch (error) {
    for (const stop of stops) stop();
    if (own) await reminders.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
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
