import { Composer } from "../../grammy.js";
import type { BotContext } from "../context.js";
import { isGroupChat } from "../filters/chat.js";
import { escapeHtml } from "../format.js";
import { welcomeView } from "../views/welcome.js";

/**
 * /start: who the bot is for and what it does, how to ask (or, in a group, how to address it), and
 * one button per list to start browsing. Deep links (/start r_<id>) are answered earlier by the
 * record feature.
 */
export const startFeature = new Composer<BotContext>();

startFeature.command("start", async (ctx) => {
  const name = escapeHtml(ctx.from?.first_name ?? "");
  const view = welcomeView(ctx.t, ctx.t("start:greeting", { name }), isGroupChat(ctx) ? ctx.me : undefined);
  await ctx.reply(view.text, { reply_markup: view.keyboard, link_preview_options: { is_disabled: true } });
});
