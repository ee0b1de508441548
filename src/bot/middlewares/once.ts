import type { NextFunction } from "grammy";
import type { BotContext } from "../context.js";
import { conversationKey } from "./lease.js";

/**
 * Each update has its effects once. Telegram delivers at least once — again after a timeout, a 5xx
 * or a replica's crash, possibly to another replica — so handled update ids are kept in the shared
 * state (24 hours) and a redelivery is skipped.
 *
 * Runs under the chat's lease (src/bot/middlewares/lease.ts): no other process handles this chat
 * meanwhile, so the id is marked once the update has run. An update whose process died half-way is
 * handled again when Telegram redelivers it (once its lease lapses); only a crash between the effects
 * and the mark repeats them. An update of no chat and no user (none the bot handles today) is claimed
 * before it runs instead.
 */
export async function onceOnly(ctx: BotContext, next: NextFunction): Promise<void> {
  const update = ctx.update.update_id;
  const updates = ctx.deps.state.updates;
  const unavailable = (error: unknown) => {
    // The state is down: the update itself will most likely fail on its session and be apologised for;
    // skipping it here would lose it silently.
    ctx.deps.logger.warn(
      { update, message: error instanceof Error ? error.message : String(error) },
      "could not check for a redelivered update; handling it",
    );
  };
  if (conversationKey(ctx) === undefined) {
    const first = await updates.claim(update).catch((error: unknown) => (unavailable(error), true));
    if (first) return next();
  } else {
    const seen = await updates.handled(update).catch((error: unknown) => (unavailable(error), false));
    if (!seen) {
      try {
        return await next();
      } finally {
        await updates
          .claim(update)
          .catch((error: unknown) =>
            ctx.deps.logger.warn(
              { update, message: error instanceof Error ? error.message : String(error) },
              "update not marked as handled",
            ),
          );
      }
    }
  }
  ctx.deps.logger.info({ update }, "update delivered again; already handled, skipped");
}
