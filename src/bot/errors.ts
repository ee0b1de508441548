import { randomBytes } from "node:crypto";
import { GrammyError, HttpError } from "../grammy.js";
import type { BotError } from "grammy";
import { supportedLanguage, translator } from "../i18n.js";
import type { BotContext, BotDeps } from "./context.js";

/**
 * The one error boundary of the bot, whatever delivered the update (long polling, the webhook, the
 * console): the failure is logged with the update id, the user gets an apology where there is a chat
 * to put it in, and nothing is thrown on — so the webhook answers Telegram 200 and the update is not
 * delivered again. The apology never holds the error's own text (a Redis OOM message, a script hash):
 * only a short error id, which is also in the log line. Never rejects.
 */
export async function handleUpdateError(error: BotError<BotContext>, deps: BotDeps): Promise<void> {
  const { ctx } = error;
  const cause = error.error;
  const update = ctx.update?.update_id;
  const id = errorId();
  try {
    const refusal = cause instanceof GrammyError ? telegramRefusal(cause) : undefined;
    if (cause instanceof GrammyError) {
      const detail = {
        update,
        errorId: id,
        kind: "telegram",
        method: cause.method,
        code: cause.error_code,
        description: cause.description,
      };
      // A user who blocked the bot or pressed a button long ago is ordinary life for a bot, not a fault.
      if (refusal) deps.logger.warn({ ...detail, refusal }, "update not completed: Telegram refused");
      else deps.logger.error(detail, "update failed");
    } else if (cause instanceof HttpError) {
      deps.logger.warn(
        { update, errorId: id, kind: "network", message: cause.message },
        "update failed: Telegram not reachable",
      );
    } else {
      deps.logger.error(
        {
          update,
          errorId: id,
          kind: "internal",
          message: cause instanceof Error ? cause.message : String(cause),
          stack: cause instanceof Error ? cause.stack : undefined,
        },
        "update failed",
      );
    }
    // Nobody to apologise to: the chat is gone for the bot, or the button's query can no longer be answered.
    if (refusal) return;
    await apologise(ctx, deps, id);
  } catch (failure) {
    // The boundary itself must never throw (that would turn into a 500 and a redelivery).
    deps.logger.warn(
      { update, message: failure instanceof Error ? failure.message : String(failure) },
      "error handling failed",
    );
  }
}

/** Telegram answers that retrying or apologising cannot change. */
function telegramRefusal(error: GrammyError): "blocked" | "query-expired" | undefined {
  if (error.error_code === 403) return "blocked";
  if (error.error_code === 400 && /query is too old|query ID is invalid/i.test(error.description))
    return "query-expired";
  return undefined;
}

/**
 * A short id for one failure, shown to whoever met it and written in the log line, so a report ("it said
 * error 7F3A9C") leads to the cause. Six hex digits: easy to read out, unique enough within a log's days.
 */
export function errorId(): string {
  return randomBytes(3).toString("hex").toUpperCase();
}

async function apologise(ctx: BotContext, deps: BotDeps, id: string): Promise<void> {
  const update = ctx.update.update_id;
  try {
    const code = ctx.from?.language_code;
    const t = ctx.t ?? translator(deps.i18n, supportedLanguage(typeof code === "string" ? code : undefined) ?? "en");
    const text = t("errors:generic", { id });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (ctx.chat && ctx.chat.type !== "channel") await ctx.reply(text);
  } catch (replyError) {
    // Telegram itself failing: nothing more to tell the user; the log already has the cause.
    deps.logger.warn(
      { update, message: replyError instanceof Error ? replyError.message : String(replyError) },
      "apology not sent",
    );
  }
}
