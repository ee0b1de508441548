import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** Every feature of the bot, in the order they see updates. */
export const features = new Composer<BotContext>();
