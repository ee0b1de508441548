import { Composer } from "grammy";
import type { BotContext } from "../context.js";

export const recordFeature = new Composer<BotContext>();
