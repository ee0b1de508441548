import type { NextFunction } from "grammy";
import { supportedLanguage, translator } from "../../i18n.js";
import type { BotContext } from "../context.js";
import { languageOf } from "../decisions.js";
import { isPrivateChat } from "../filters/chat.js";

/** Fewer letters than this say too little about a language to switch the conversation to it. */
const MIN_LETTERS_TO_DETECT = 4;

/**
 * The steps of the coordinators' flows, whose typed text is content for other people — a broadcast and
 * its language variants, a record's values (/edit, /new), a review comment, a reply to the askers of
 * /unanswered, a record's id — not a sign of the language the coordinator reads. Their screens stay in
 * the conversation's language, whatever language that text is written in.
 */
const CONTENT_STEP = /^(?:broadcast:.+|edit:.+|reply|unanswered:.+)$/;

export function isContentStep(step: string | undefined): boolean {
  return step !== undefined && CONTENT_STEP.test(step);
}

/**
 * Picks the reply language: the user's explicit choice (/language) wins; otherwise the language of the
 * message being answered when there is enough of it to tell (not in a coordinator's flow, see
 * `isContentStep`); otherwise the language of the conversation so far; otherwise Telegram's
 * language_code; otherwise English.
 */
export async function languageMiddleware(ctx: BotContext, next: NextFunction): Promise<void> {
  const session = ctx.session;
  const fromTelegram = supportedLanguage(ctx.from?.language_code);
  let lang = session.langChosen && session.lang ? session.lang : (session.lang ?? fromTelegram ?? "en");
  if (!session.langChosen) {
    // @mentions (the bot's own, in groups) are names, not words of any language.
    // A caption is the question of a photo or a document sent without text (src/bot/features/question.ts).
    const text = (ctx.message?.text ?? ctx.message?.caption ?? ctx.inlineQuery?.query)?.replace(/@\w+/g, " ");
    const content = ctx.message !== undefined && isContentStep(session.step);
    if (
      text &&
      !content &&
      !text.trimStart().startsWith("/") &&
      (text.match(/\p{L}/gu)?.length ?? 0) >= MIN_LETTERS_TO_DETECT
    ) {
      lang = languageOf(ctx.deps, text, lang);
      ctx.detected = { text, lang };
    }
    if (isPrivateChat(ctx) && session.lang !== lang) session.lang = lang;
  }
  ctx.lang = lang;
  ctx.t = translator(ctx.deps.i18n, lang);
  await next();
}
