import { Composer } from "../../grammy.js";
import type { BotContext } from "../context.js";
import { isCoordinator } from "../filters/roles.js";

/** Help sections, in the order they are shown. */
const SECTIONS = ["ask", "browse", "subscribe", "inline", "language", "links", "groups"] as const;

/**
 * /help: how to ask, the browsing commands, inline mode, the language setting, shared links and how
 * the bot behaves in groups; coordinators also see their own commands.
 */
export const helpFeature = new Composer<BotContext>();

helpFeature.command("help", async (ctx) => {
  const { t } = ctx;
  const username = ctx.me.username;
  const sections = [t("help:title"), ...SECTIONS.map((section) => t(`help:${section}`, { username }))];
  if (await isCoordinator(ctx)) sections.push(t("help:coordinators"));
  const text = sections.join("\n\n");
  await ctx.reply(text, { link_preview_options: { is_disabled: true } });
});
