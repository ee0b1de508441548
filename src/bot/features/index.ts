import { Router } from "@grammyjs/router";
import { Composer } from "../../grammy.js";
import type { BotContext } from "../context.js";
import { isPrivateChat } from "../filters/chat.js";
import { adminFeature } from "./admin.js";
import { announcementFeature } from "./announcement.js";
import {
  broadcastFeature,
  composeStep,
  deadlineStep,
  expiresStep,
  recordStep as broadcastRecordStep,
  scheduleStep,
  variantStep,
} from "./broadcast/feature.js";
import { STEP, VARIANT_STEPS } from "./broadcast/draft.js";
import { browseFeature, upcomingEventsHook } from "./browse.js";
import { COMMENT_STEP, commentStep, editFeature, VALUE_STEP, valueStep } from "./edit.js";
import { feedbackFeature } from "./feedback.js";
import { helpFeature } from "./help.js";
import { inlineFeature } from "./inline.js";
import { languageFeature, languageStep } from "./language.js";
import { recordFeature } from "./record.js";
import { remindersFeature } from "./reminders.js";
import { savedSearchFeature } from "./saved-searches.js";
import { handleQuestion, handleWordless, questionFeature } from "./question.js";
import { startFeature } from "./start.js";
import { subscribeFeature } from "./subscribe.js";
import { RECORD_STEP, recordStep, REPLY_STEP, replyStep, unansweredFeature } from "./unanswered.js";

/** Every feature of the bot, in the order they see updates. */
const allFeatures = new Composer<BotContext>();

/**
 * A plain question — text in a private chat, no command, outside any flow — is for the upcoming-events
 * hook and the question feature only: every other feature answers commands, buttons or its own flow
 * steps. It goes straight to them instead of through every feature's filters.
 */
function isPlainQuestion(ctx: BotContext): boolean {
  const message = ctx.message;
  if (
    message?.text === undefined ||
    !isPrivateChat(ctx) ||
    ctx.session.step !== undefined ||
    message.text.startsWith("/")
  )
    return false;
  // What grammY's command filters read as a command (Telegram marks one only on a leading "/").
  return !message.entities?.some((e) => e.type === "bot_command" && e.offset === 0);
}

export const features = new Composer<BotContext>();
features.branch(isPlainQuestion, [upcomingEventsHook, handleQuestion], allFeatures);

// Broadcasting sees its buttons ("bc:…") before the record feature, which calls any payload it cannot decode expired.
allFeatures.use(broadcastFeature);
// Record editing ("ed:…") too.
allFeatures.use(editFeature);
// Saved searches ("n:…") too.
allFeatures.use(savedSearchFeature);
// Deadline buttons ("dl:…") too.
allFeatures.use(remindersFeature);
// The record feature goes first: it answers deep links (/start r_<id>) before the greeting does.
allFeatures.use(recordFeature);
allFeatures.use(startFeature);
allFeatures.use(helpFeature);
allFeatures.use(languageFeature);
allFeatures.use(browseFeature);
// The buttons under a received announcement ("a:…").
allFeatures.use(announcementFeature);
// Subscriptions ("s:…", my_chat_member), votes on answers ("v:…"), coordinators' and administrators' commands ("q:…").
allFeatures.use(subscribeFeature);
allFeatures.use(feedbackFeature);
allFeatures.use(unansweredFeature);
allFeatures.use(adminFeature);
allFeatures.use(questionFeature);
allFeatures.use(inlineFeature);

/**
 * Free text goes where the conversation stands: the router reads the flow step from the session
 * (a multi-step flow sets it; it is cleared when the flow ends). Without a step, text is a question, and
 * so is the caption of a photo or a document (the router's `otherwise`).
 */
const router = new Router<BotContext>((ctx) => {
  const message = ctx.message;
  if (message?.text !== undefined && !message.text.startsWith("/")) return ctx.session.step ?? "question";
  // A broadcast being composed also takes a photo or a document (with its caption).
  if ((message?.photo || message?.document) && ctx.session.step?.startsWith("broadcast:")) return ctx.session.step;
  return undefined;
});
router.route("language", languageStep);
router.route("question", handleQuestion);
router.route(REPLY_STEP, replyStep);
router.route(RECORD_STEP, recordStep);
router.route(VALUE_STEP, valueStep);
router.route(COMMENT_STEP, commentStep);
router.route(STEP.compose, composeStep);
router.route(STEP.schedule, scheduleStep);
router.route(STEP.expires, expiresStep);
router.route(STEP.record, broadcastRecordStep);
router.route(STEP.deadline, deadlineStep);
for (const [lang, step] of VARIANT_STEPS) router.route(step, variantStep(lang));
router.otherwise(handleQuestion);
allFeatures.use(router);
// A sticker, a photo without a caption, a location… in a private chat: how to ask.
allFeatures.use(handleWordless);
