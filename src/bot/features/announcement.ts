import { Composer, InlineKeyboard } from "../../grammy.js";
import type { Subscription } from "../../state/coordination.js";
import { decodeCallback, encodeCallback } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { subscriptionKeyboard } from "../keyboards/subscribe.js";
import { editView, sendView } from "../views/show.js";
import { answerExpired } from "./browse.js";
import { choicesOf, menuView } from "./subscribe.js";

/**
 * The buttons at the end of a received announcement (src/bot/views/announcement.ts). None of them
 * edits the announcement: "manage" sends the subscription menu as a new message, "stop" ends the
 * subscription and says so in a new message with an undo button, which restores the subscription as it
 * was (the session keeps it until then).
 */
export const announcementFeature = new Composer<BotContext>();

declare module "../../state/types.js" {
  interface SessionData {
    /** The subscription stopped from an announcement, kept for its undo button. */
    stoppedSubscription?: Subscription;
  }
}

announcementFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith("a:")) return next();
  const action = decodeCallback(ctx.callbackQuery.data);
  // Announcements go to people, in their private chat; anywhere else the button is not ours.
  if (action?.type !== "announcement" || ctx.chat?.type !== "private") return answerExpired(ctx);
  const chatId = ctx.chat.id;
  const subscriptions = ctx.deps.state.subscriptions;

  switch (action.op) {
    case "manage": {
      const current = await subscriptions.get(chatId);
      const draft = choicesOf(current);
      ctx.session.subscribeDraft = draft;
      await sendView(ctx, menuView(ctx, draft, current !== undefined));
      await ctx.answerCallbackQuery();
      return;
    }
    case "stop": {
      const current = await subscriptions.get(chatId);
      if (!current) {
        await ctx.answerCallbackQuery({ text: ctx.t("announcement:notSubscribed") });
        return;
      }
      const { chatId: _chat, active: _active, ...subscription } = current;
      await subscriptions.remove(chatId);
      ctx.session.stoppedSubscription = subscription;
      ctx.session.subscribeDraft = undefined;
      ctx.deps.logger.info({ chat: chatId }, "unsubscribed from an announcement");
      await sendView(ctx, {
        text: ctx.t("announcement:stopped"),
        keyboard: new InlineKeyboard().text(
          ctx.t("announcement:button.undo"),
          encodeCallback({ type: "announcement", op: "undo" }),
        ),
      });
      await ctx.answerCallbackQuery({ text: ctx.t("announcement:toast.stopped") });
      return;
    }
    case "undo": {
      const stopped = ctx.session.stoppedSubscription;
      if (!stopped) return answerExpired(ctx);
      ctx.session.stoppedSubscription = undefined;
      // Subscribed again meanwhile: that newer choice stands.
      if (await subscriptions.get(chatId)) {
        await editView(ctx, { text: ctx.t("announcement:alreadyBack"), keyboard: subscriptionKeyboard(ctx.t) });
        await ctx.answerCallbackQuery();
        return;
      }
      await subscriptions.set(chatId, stopped);
      ctx.deps.logger.info({ chat: chatId }, "subscription restored");
      await editView(ctx, { text: ctx.t("announcement:restored"), keyboard: subscriptionKeyboard(ctx.t) });
      await ctx.answerCallbackQuery({ text: ctx.t("announcement:toast.restored") });
      return;
    }
  }
});
