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

/**
 * The refusal: a toast for a button (its message is left as it is), a reply for a command or text.
 * Other updates are dropped silently.
 */
export async function refuse(ctx: BotContext, role: "admin" | "coordinator"): Promise<void> {
  ctx.deps.logger.info({ update: ctx.update.update_id, user: ctx.from?.id, role, data: ctx.callbackQuery?.data, command: commandOf(ctx) }, "refused: role required");
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: ctx.t("coordinator:refused.button") });
    return;
  }
  if (ctx.message && ctx.chat) await ctx.reply(ctx.t(role === "admin" ? "coordinator:refused.admin" : "coordinator:refused.coordinator"), { parse_mode: "HTML" });
}

function commandOf(ctx: BotContext): string | undefined {
  const text = ctx.message?.text;
  return text?.startsWith("/") ? text.split(/[\s@]/, 1)[0] : undefined;
}
