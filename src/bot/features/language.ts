import { Composer } from "../../grammy.js";
import type { NextFunction } from "grammy";
import type { i18n } from "i18next";
import { LANGUAGES, type Language } from "../../catalog/schema.js";
import { supportedLanguage, translator } from "../../i18n.js";
import { decodeCallback } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { withoutMention } from "../filters/group.js";
import { languageKeyboard } from "../keyboards/language.js";
import { editView } from "../views/show.js";
import { answerExpired } from "./browse.js";
import { handleQuestion } from "./question.js";

/** The router step while the bot waits for a typed language name. */
export const LANGUAGE_STEP = "language";

type Choice = Language | "auto";

/**
 * /language: the four languages and "automatic" as buttons. A button (or a typed name while the step
 * is set) fixes the reply language, which then wins over the language of later messages; "automatic"
 * hands the choice back to per-message detection.
 */
export const languageFeature = new Composer<BotContext>();

languageFeature.command("language", async (ctx) => {
  const { t } = ctx;
  const current: Choice = ctx.session.langChosen && ctx.session.lang ? ctx.session.lang : "auto";
  const currentName = current === "auto" ? t("language:auto") : ctx.deps.i18n.getFixedT(current)("common:languageName");
  ctx.session.step = LANGUAGE_STEP;
  await ctx.reply(t("language:prompt", { current: escapeHtml(currentName) }), {
    reply_markup: languageKeyboard(ctx.deps.i18n, t, current),
  });
});

languageFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith("l:")) return next();
  const action = decodeCallback(ctx.callbackQuery.data);
  if (action?.type !== "lang") return answerExpired(ctx);
  const lang = await choose(ctx, action.lang);
  const { t } = ctx;
  await editView(ctx, {
    text: t(action.lang === "auto" ? "language:chosenAuto" : "language:chosen"),
    keyboard: languageKeyboard(ctx.deps.i18n, t, action.lang),
  });
  await ctx.answerCallbackQuery({ text: t(action.lang === "auto" ? "language:toastAuto" : "language:toast") });
  ctx.deps.logger.debug({ user: ctx.from.id, lang, auto: action.lang === "auto" }, "language chosen");
});

/**
 * Text typed while the step is set: a language's name (in any of the four languages) or code chooses it;
 * anything else ends the step and is taken as a question.
 */
export const languageStep = new Composer<BotContext>();

languageStep.on("message:text", async (ctx: BotContext, next: NextFunction) => {
  ctx.session.step = undefined;
  const text = withoutMention(ctx.message?.text ?? "", ctx.me.username);
  const choice = namesOf(ctx.deps.i18n).get(normalize(text));
  if (!choice) return next();
  await choose(ctx, choice);
  await ctx.reply(ctx.t(choice === "auto" ? "language:chosenAuto" : "language:chosen"));
});
languageStep.use(handleQuestion);

/**
 * Applies a choice to the session and to the rest of this update, and to the subscription (broadcasts
 * then arrive in the new language); returns the reply language.
 */
async function choose(ctx: BotContext, choice: Choice): Promise<Language> {
  const session = ctx.session;
  session.step = undefined;
  if (choice === "auto") {
    // Until the next message says otherwise, Telegram's language is the best guess.
    session.langChosen = false;
    session.lang = supportedLanguage(ctx.from?.language_code) ?? ctx.lang;
  } else {
    session.langChosen = true;
    session.lang = choice;
  }
  ctx.lang = session.lang;
  ctx.t = translator(ctx.deps.i18n, session.lang);
  await followInSubscription(ctx, session.lang);
  return session.lang;
}

/** A subscriber's broadcasts follow the language they choose; a state failure must not lose the choice. */
async function followInSubscription(ctx: BotContext, lang: Language): Promise<void> {
  const chatId = ctx.chat?.type === "private" ? ctx.chat.id : undefined;
  if (chatId === undefined) return;
  try {
    const subscription = await ctx.deps.state.subscriptions.get(chatId);
    if (subscription && subscription.lang !== lang) {
      const { topics, kinds, countries } = subscription;
      await ctx.deps.state.subscriptions.set(chatId, { topics, kinds, countries, lang });
    }
  } catch (error) {
    ctx.deps.logger.warn(
      { update: ctx.update.update_id, message: error instanceof Error ? error.message : String(error) },
      "subscription language not updated",
    );
  }
}

/** Lower case, no accents, no surrounding punctuation: "Français!" → "francais". */
function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "")
    .replace(/\s+/g, " ");
}

const NAMES = new WeakMap<i18n, Map<string, Choice>>();

/**
 * Every name a user may type for a language, from all four locales: its code, its own name
 * (common:languageName) and what each locale calls it (language:names.*, comma-separated).
 */
function namesOf(i18n: i18n): Map<string, Choice> {
  let names = NAMES.get(i18n);
  if (names) return names;
  names = new Map<string, Choice>();
  for (const lang of LANGUAGES) {
    names.set(lang, lang);
    names.set(normalize(i18n.getFixedT(lang)("common:languageName")), lang);
  }
  for (const locale of LANGUAGES) {
    const t = i18n.getFixedT(locale);
    for (const choice of [...LANGUAGES, "auto"] as const) {
      for (const name of t(`language:names.${choice}`).split(",")) {
        const key = normalize(name);
        if (key && !names.has(key)) names.set(key, choice);
      }
    }
  }
  NAMES.set(i18n, names);
  return names;
}
