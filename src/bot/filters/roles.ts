import type { Middleware } from "grammy";
import type { BotContext } from "../context.js";

/**
 * Who may do what. Administrators are the user ids of ADMIN_IDS (configuration, never stored);
 * coordinators are granted by an administrator (the RoleStore), and every administrator is a
 * coordinator too. The check runs on the server for every update that acts — a command, a button
 * press, the text of a multi-step flow — because a button's payload can be forged by anyone and a
 * role can be revoked while its buttons are still on screen.
 */

/** The user behind the update is an administrator. */
export function isAdmin(ctx: BotContext): boolean {
  const id = ctx.from?.id;
  return id !== undefined && !ctx.from?.is_bot && ctx.deps.settings.adminIds.includes(id);
}

/** The user behind the update is a coordinator (or an administrator). Asks the role store each time. */
export async function isCoordinator(ctx: BotContext): Promise<boolean> {
  if (isAdmin(ctx)) return true;
  const id = ctx.from?.id;
  if (id === undefined || ctx.from?.is_bot) return false;
  return ctx.deps.state.roles.isCoordinator(id);
}

/** Passes administrators on; anyone else gets a short refusal and nothing happens. */
export const adminOnly: Middleware<BotContext> = async (ctx, next) => {
  if (isAdmin(ctx)) return next();
  await refuse(ctx, "admin");
};

/** Passes coordinators (and administrators) on; anyone else gets a short refusal and nothing happens. */
export const coordinatorOnly: Middleware<BotContext> = async (ctx, next) => {
  if (await isCoordinator(ctx)) return next();
  await refuse(ctx, "coordinator");
};

/** Refusals of one user written to the audit log per window; beyond, they are only logged, so forged presses cannot flush the log. */
const AUDITED_REFUSALS = 5;
const AUDITED_REFUSALS_WINDOW_MS = 10 * 60_000;

/**
 * The refusal: a toast for a button (its message is left as it is), a reply for a command or text.
 * Other updates are dropped silently. Each refusal goes into the audit log with the user id and what
 * was tried (the command, or the button's data).
 */
export async function refuse(ctx: BotContext, role: "admin" | "coordinator"): Promise<void> {
  ctx.deps.logger.info(
    { update: ctx.update.update_id, user: ctx.from?.id, role, data: ctx.callbackQuery?.data, command: commandOf(ctx) },
    "refused: role required",
  );
  await auditRefusal(ctx, role);
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: ctx.t("coordinator:refused.button") });
    return;
  }
  if (ctx.message && ctx.chat)
    await ctx.reply(ctx.t(role === "admin" ? "coordinator:refused.admin" : "coordinator:refused.coordinator"));
}

async function auditRefusal(ctx: BotContext, role: "admin" | "coordinator"): Promise<void> {
  const user = ctx.from?.id;
  if (user === undefined) return;
  const { state, logger } = ctx.deps;
  try {
    if ((await state.counters.increment(`refused:${user}`, AUDITED_REFUSALS_WINDOW_MS)) > AUDITED_REFUSALS) return;
    const command = commandOf(ctx);
    const details: Record<string, string | boolean> = { role };
    if (command !== undefined) details.command = command;
    else if (ctx.callbackQuery?.data !== undefined) details.button = ctx.callbackQuery.data;
    else details.text = true;
    await state.audit.append({ actor: user, action: "refused", details });
  } catch (error) {
    // The refusal itself must still be said; the log line above keeps the trace.
    logger.warn(
      { update: ctx.update.update_id, message: error instanceof Error ? error.message : String(error) },
      "refusal not audited",
    );
  }
}

function commandOf(ctx: BotContext): string | undefined {
  const text = ctx.message?.text;
  return text?.startsWith("/") ? text.split(/[\s@]/, 1)[0] : undefined;
}
