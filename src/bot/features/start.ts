import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { startKeyboard } from "../keyboards/start.js";

/**
 * /start: who the bot is for and what it does, how to ask (or, in a group, how to address it), and
 * one button per list to start browsing. Deep links (/start r_<id>) are answered earlier by the
 * record feature.
 */
export const startFeature = new Composer<BotContext>();

startFeature.command("start", async (ctx) => {
  const { t } = ctx;
  const inGroup = ctx.chat.type === "group" || ctx.chat.type === "supergroup";
  const name = escapeHtml(ctx.from?.first_name ?? "");
  const text = [
    t("start:greeting", { name }),
    "",
    inGroup ? t("start:askGroup", { username: ctx.me.username }) : t("start:ask"),
    "",
    t("start:browse"),
  ].join("\n");
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: startKeyboard(t), link_preview_options: { is_disabled: true } });
});
