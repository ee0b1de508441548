import type { Middleware } from "grammy";
import { supportedLanguage, translator } from "../../i18n.js";
import { holdLease, type LeaseTrouble } from "../../state/leases.js";
import { sessionKey, type BotContext, type BotDeps } from "../context.js";

/**
 * A handler rarely takes seconds (a slow one renews its lease); a crashed replica's chats are free
 * again after the TTL, which is shorter than the wait, so Telegram's redelivery of the update the
 * crash interrupted gets the lease and is handled.
 */
export const DEFAULT_CHAT_LEASE = { ttlMs: 5_000, waitMs: 10_000 };

/** Whose updates are kept in order: the chat's, else (inline queries) the user's. */
export function conversationKey(ctx: BotContext): string | undefined {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}

/**
 * One chat's updates are handled one at a time across every bot process on the same state backend:
 * the rest of the chain (session read, handlers, session write) runs under the chat's lease, renewed
 * while it runs. An update that cannot have the lease within the wait is not handled: the user is
 * asked to send it again, in their language. A state failure while acquiring rejects, to the error
 * boundary.
 */
export function chatLease(deps: BotDeps): Middleware<BotContext> {
  const { ttlMs, waitMs } = deps.settings.lease ?? DEFAULT_CHAT_LEASE;
  return async (ctx, next) => {
    const chat = conversationKey(ctx);
    if (chat === undefined) return next();
    const update = ctx.update.update_id;
    const onTrouble = (trouble: LeaseTrouble) => {
      const message =
        "error" in trouble
          ? trouble.error instanceof Error
            ? trouble.error.message
            : String(trouble.error)
          : undefined;
      deps.logger.warn(
        { update, chat, trouble: trouble.kind, ...(message ? { message } : {}) },
        "chat lease trouble while handling an update",
      );
    };
    const outcome = await holdLease(deps.state.leases, `chat:${chat}`, { ttlMs, waitMs, onTrouble }, () => next());
    if (outcome.held) return;
    // A redelivery of an update already handled (answered meanwhile) needs no notice.
    if (await deps.state.updates.handled(update).catch(() => false)) return;
    deps.logger.warn(
      { update, chat, waitedMs: waitMs },
      "the chat's previous update is still being handled; asked to send this one again",
    );
    await askToSendAgain(ctx, deps);
  };
}

async function askToSendAgain(ctx: BotContext, deps: BotDeps): Promise<void> {
  try {
    const t = translator(deps.i18n, await noticeLanguage(ctx, deps));
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t("errors:busy") });
    else if (ctx.chat && ctx.chat.type !== "channel") await ctx.reply(t("errors:busy"));
  } catch (error) {
    deps.logger.warn(
      { update: ctx.update.update_id, message: error instanceof Error ? error.message : String(error) },
      "busy notice not sent",
    );
  }
}

/** The conversation's language when the session has one (read only: the lease is not ours), else Telegram's. */
async function noticeLanguage(ctx: BotContext, deps: BotDeps) {
  const key = sessionKey(ctx);
  const stored = key === undefined ? undefined : await deps.state.sessions.read(key).catch(() => undefined);
  const code = ctx.from?.language_code;
  return stored?.lang ?? supportedLanguage(typeof code === "string" ? code : undefined) ?? "en";
}
