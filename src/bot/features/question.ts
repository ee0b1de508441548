import { Composer, type Middleware } from "grammy";
import type { BotContext } from "../context.js";

export const questionFeature = new Composer<BotContext>();
export const handleQuestion: Middleware<BotContext> = (_ctx, next) => next();
