import type { Middleware } from "grammy";
import type { BotContext } from "../context.js";

export function isPrivateChat(ctx: BotContext): boolean {
  return ctx.chat?.type === "private";
}

export function isGroupChat(ctx: BotContext): boolean {
  return ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";
}

/** Lets an update through in a private chat; anywhere else `refuse` answers it instead. */
export function privateChatOnly(refuse: (ctx: BotContext) => Promise<unknown>): Middleware<BotContext> {
  return async (ctx, next) => {
    if (isPrivateChat(ctx)) return next();
    await refuse(ctx);
  };
}

/** Coordinator and administrator commands show other people's questions and records: only in a private chat. */
export const privateChatForCoordinators = privateChatOnly((ctx) => ctx.reply(ctx.t("coordinator:privateOnly")));
