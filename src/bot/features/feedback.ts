import { Composer } from "../../grammy.js";
import type { InlineKeyboardButton } from "grammy/types";
import { decodeCallback } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { isPrivateChat } from "../filters/chat.js";
import { isNotModified, pressedMessage, sameMessage } from "../views/show.js";

/**
 * 👍/👎 under an answer card (the question feature's best match). 👎 puts the question in the
 * unanswered-questions log as "downvoted", with the record and its score, for coordinators to see in
 * /unanswered; 👍 is only logged. Either way the user gets a short thanks and the two buttons go away.
 * A vote counts once, on the last answer the user got (`session.answer`); older cards are thanked
 * without being counted. Only the asker's press changes a card: in a group, anyone else gets a short
 * answer and the buttons stay for the asker.
 */
export const feedbackFeature = new Composer<BotContext>();

feedbackFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith("v:")) return next();
  const action = decodeCallback(ctx.callbackQuery.data);
  if (action?.type !== "vote") return ctx.answerCallbackQuery({ text: ctx.t("common:expired") });
  const answer = ctx.session.answer;
  const current = answer !== undefined && answer.recordId === action.id && sameMessage(answer, pressedMessage(ctx));
  if (!current && !isAsker(ctx)) {
    await ctx.answerCallbackQuery({ text: ctx.t("feedback:notYours") });
    return;
  }
  await removeVoteButtons(ctx);
  if (!current) {
    await ctx.answerCallbackQuery({ text: ctx.t("feedback:stale") });
    return;
  }
  ctx.session.answer = undefined;
  if (action.up) {
    ctx.deps.logger.info({ record: answer.recordId, score: answer.score, lang: ctx.lang }, "answer upvoted");
  } else {
    try {
      await ctx.deps.state.questions.add({
        text: answer.query,
        lang: ctx.lang,
        userId: ctx.from.id,
        chatId: answer.chatId,
        at: new Date().toISOString(),
        reason: "downvoted",
        recordId: answer.recordId,
        score: answer.score,
      });
    } catch (error) {
      ctx.deps.logger.warn(
        { update: ctx.update.update_id, message: error instanceof Error ? error.message : String(error) },
        "downvoted question not recorded",
      );
    }
    ctx.deps.logger.info({ record: answer.recordId, score: answer.score, lang: ctx.lang }, "answer downvoted");
  }
  await ctx.answerCallbackQuery({ text: ctx.t(action.up ? "feedback:thanksUp" : "feedback:thanksDown") });
});

/**
 * Whether the user pressing is the one the card answered: in a private chat, always (nobody else sees
 * it); in a group, when the card replies to their question (the bot answers there by replying).
 */
function isAsker(ctx: BotContext): boolean {
  if (isPrivateChat(ctx)) return true;
  const message = ctx.callbackQuery?.message;
  const question = message && "reply_to_message" in message ? message.reply_to_message : undefined;
  return question?.from?.id !== undefined && question.from.id === ctx.from?.id;
}

/** The card keeps its other buttons; only the vote row goes. */
async function removeVoteButtons(ctx: BotContext): Promise<void> {
  const message = ctx.callbackQuery?.message;
  const rows = message?.reply_markup?.inline_keyboard;
  if (!message || !rows) return;
  const kept: InlineKeyboardButton[][] = rows
    .map((row) => row.filter((b) => !("callback_data" in b && b.callback_data?.startsWith("v:"))))
    .filter((row) => row.length > 0);
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: kept } });
  } catch (error) {
    // A double tap, or a message too old to edit: the thanks still goes out.
    if (!isNotModified(error))
      ctx.deps.logger.warn(
        { update: ctx.update.update_id, message: error instanceof Error ? error.message : String(error) },
        "vote buttons not removed",
      );
  }
}
