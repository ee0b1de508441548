import { Composer } from "grammy";
import type { BotContext } from "../context.js";

export const startFeature = new Composer<BotContext>();
