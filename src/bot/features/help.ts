import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Help sections, in the order they are shown. */
const SECTIONS = ["ask", "browse", "inline", "language", "links", "groups"] as const;

/**
 * /help: how to ask, the browsing commands, inline mode, the language setting, shared links and how
 * the bot behaves in groups.
 */
export const helpFeature = new Composer<BotContext>();

helpFeature.command("help", async (ctx) => {
  const { t } = ctx;
  const username = ctx.me.username;
  const text = [t("help:title"), ...SECTIONS.map((section) => t(`help:${section}`, { username }))].join("\n\n");
  await ctx.reply(text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
});
