import { Composer, type Middleware } from "grammy";
import type { BotContext } from "../context.js";

export const languageFeature = new Composer<BotContext>();
export const languageStep: Middleware<BotContext> = (_ctx, next) => next();
