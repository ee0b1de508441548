import { limit } from "@grammyjs/ratelimiter";
import type { Middleware } from "grammy";
import type { BotContext, BotDeps } from "../context.js";

/**
 * Per-user flood control on incoming messages, with @grammyjs/ratelimiter: at most `maxMessages` a user's
 * messages in a window of `windowSeconds` are answered; the first one over gets one polite notice, the
 * rest of the window is ignored. The counts live in the state layer — Redis when configured, so the
 * limit holds across replicas — through the limiter's Redis interface (`incr`, `pexpire`).
 * Button presses and inline queries are not counted: they are answered in place and cannot flood a chat.
 */
export function floodControl(deps: BotDeps): Middleware<BotContext> {
  const settings = deps.settings.flood;
  if (!settings || settings.maxMessages <= 0) return (_ctx, next) => next();
  const windowMs = settings.windowSeconds * 1000;
  return limit<BotContext, { incr(key: string): Promise<number>; pexpire(key: string, ms: number): Promise<number> }>({
    timeFrame: windowMs,
    limit: settings.maxMessages,
    keyPrefix: "flood:",
    keyGenerator: (ctx) => (ctx.message && ctx.from ? String(ctx.from.id) : undefined),
    storageClient: {
      // One atomic step counts the hit and starts its window (the limiter's own INCR then PEXPIRE could leave a counter that never expires).
      incr: (key) =>
        deps.state.counters.increment(key, windowMs).catch((error: unknown) => {
          // Flood control must not take the bot down with the state: an uncounted message is answered.
          deps.logger.warn(
            { message: error instanceof Error ? error.message : String(error) },
            "flood control could not count a message; letting it through",
          );
          return 0;
        }),
      pexpire: async () => 1,
    },
    onLimitExceeded: async (ctx) => {
      deps.logger.info(
        {
          update: ctx.update.update_id,
          user: ctx.from?.id,
          max: settings.maxMessages,
          windowSeconds: settings.windowSeconds,
        },
        "flood control: messages ignored until the window ends",
      );
      try {
        await ctx.reply(ctx.t("errors:flood"));
      } catch (error) {
        deps.logger.warn(
          { update: ctx.update.update_id, message: error instanceof Error ? error.message : String(error) },
          "flood notice not sent",
        );
      }
    },
  });
}
