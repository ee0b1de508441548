import type { NextFunction } from "grammy";
import type { BotContext } from "../context.js";

/**
 * Each update has its effects once. Telegram delivers at least once — again after a timeout, a 5xx
 * or a replica's crash, possibly to another replica — so the update id is claimed in the shared state
 * (Redis SET NX, 24 hours) before anything happens, and a redelivery is skipped. The trade-off: an
 * update whose process dies half-way is not retried; a vote, a greeting or a broadcast confirmation
 * repeated would be worse than a message the user sends again.
 */
export async function onceOnly(ctx: BotContext, next: NextFunction): Promise<void> {
  const update = ctx.update.update_id;
  let first = true;
  try {
    first = await ctx.deps.state.updates.claim(update);
  } catch (error) {
    // The state is down: the update itself will most likely fail on its session and be apologised for;
    // skipping it here would lose it silently.
    ctx.deps.logger.warn({ update, message: error instanceof Error ? error.message : String(error) }, "could not check for a redelivered update; handling it");
  }
  if (!first) {
    ctx.deps.logger.info({ update }, "update delivered again; already handled, skipped");
    return;
  }
  await next();
}
