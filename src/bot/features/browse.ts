import { Composer } from "grammy";
import type { BotContext } from "../context.js";

export const browseFeature = new Composer<BotContext>();
