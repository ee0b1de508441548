import type { NextFunction } from "grammy";
import type { BotContext } from "../context.js";
import { withoutInvisibles } from "../format.js";
import { isGroupChat } from "./chat.js";

/**
 * In groups the bot speaks only when spoken to: commands (addressed to it or to no bot in particular)
 * and messages that mention it or reply to it. Everything else in a group is ignored.
 */
export async function groupAddressFilter(ctx: BotContext, next: NextFunction): Promise<void> {
  const message = ctx.message;
  if (!message || !isGroupChat(ctx)) return next();
  const text = message.text ?? message.caption ?? "";
  const me = ctx.me.username.toLowerCase();
  const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(text);
  if (command) return command[1] === undefined || command[1].toLowerCase() === me ? next() : undefined;
  const mentioned = (message.entities ?? message.caption_entities ?? []).some(
    (e) => e.type === "mention" && text.slice(e.offset + 1, e.offset + e.length).toLowerCase() === me,
  );
  const repliedToMe = message.reply_to_message?.from?.id === ctx.me.id;
  if (mentioned || repliedToMe) return next();
}

/**
 * What a message says to the bot, as the question feature and the upcoming-events hook read it: without
 * invisible characters, and without the bot's @mention in a group or wherever it is mentioned ("@bot
 * incubators" in a private chat asks what it asks in a group).
 */
export function addressedText(ctx: BotContext, typed: string): { text: string; mentioned: boolean } {
  const raw = withoutInvisibles(typed);
  const mentioned = mentions(raw, ctx.me.username);
  return { text: isGroupChat(ctx) || mentioned ? withoutMention(raw, ctx.me.username) : raw, mentioned };
}

/** Whether the text @mentions the bot: how a group addresses it, and a habit of some in a private chat too. */
function mentions(text: string, username: string): boolean {
  return new RegExp(`@${username}\\b`, "i").test(text);
}

/** The question without the bot's @mention, for messages addressed to the bot in a group. */
export function withoutMention(text: string, username: string): string {
  return text
    .replace(new RegExp(`@${username}\\b`, "gi"), " ")
    .replace(/\s+/g, " ")
    .trim();
}
