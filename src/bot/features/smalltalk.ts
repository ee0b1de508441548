import type { SmalltalkKind } from "../../search/question.js";
import type { BotContext } from "../context.js";
import { startKeyboard } from "../keyboards/start.js";

/**
 * Small talk — greetings, thanks, "what can you do?", an emoji, an unknown /command — gets a short
 * friendly reply in the user's language with example questions and the quick-start buttons: never
 * "no good answer", and never logged as an unanswered question.
 */
export async function replyToSmalltalk(ctx: BotContext, kind: SmalltalkKind): Promise<void> {
  const { t } = ctx;
  const inGroup = ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
  const how = inGroup ? t("start:askGroup", { username: ctx.me.username }) : t("start:ask");
  const text = [t(`question:smalltalk.${kind}`), "", how, "", t("start:browse")].join("\n");
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: startKeyboard(t), link_preview_options: { is_disabled: true } });
}
