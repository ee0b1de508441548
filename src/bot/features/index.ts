import { Router } from "@grammyjs/router";
import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { browseFeature } from "./browse.js";
import { helpFeature } from "./help.js";
import { inlineFeature } from "./inline.js";
import { languageFeature, languageStep } from "./language.js";
import { recordFeature } from "./record.js";
import { handleQuestion, questionFeature } from "./question.js";
import { startFeature } from "./start.js";

/** Every feature of the bot, in the order they see updates. */
export const features = new Composer<BotContext>();

// The record feature goes first: it answers deep links (/start r_<id>) before the greeting does.
features.use(recordFeature);
features.use(startFeature);
features.use(helpFeature);
features.use(languageFeature);
features.use(browseFeature);
features.use(questionFeature);
features.use(inlineFeature);

/**
 * Free text goes where the conversation stands: the router reads the flow step from the session
 * (a multi-step flow sets it; it is cleared when the flow ends). Without a step, text is a question.
 */
const router = new Router<BotContext>((ctx) => (ctx.message?.text !== undefined && !ctx.message.text.startsWith("/") ? (ctx.session.step ?? "question") : undefined));
router.route("language", languageStep);
router.route("question", handleQuestion);
router.otherwise(handleQuestion);
features.use(router);
