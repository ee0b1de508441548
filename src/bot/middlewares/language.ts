import type { NextFunction } from "grammy";
import { supportedLanguage, translator } from "../../i18n.js";
import type { BotContext } from "../context.js";
import { isPrivateChat } from "../filters/chat.js";

/** Fewer letters than this say too little about a language to switch the conversation to it. */
const MIN_LETTERS_TO_DETECT = 4;

/**
 * Picks the reply language: the user's explicit choice (/language) wins; otherwise the language of the
 * message being answered when there is enough of it to tell; otherwise the language of the
 * conversation so far; otherwise Telegram's language_code; otherwise English.
 */
export async function languageMiddleware(ctx: BotContext, next: NextFunction): Promise<void> {
  const session = ctx.session;
  const fromTelegram = supportedLanguage(ctx.from?.language_code);
  let lang = session.langChosen && session.lang ? session.lang : (session.lang ?? fromTelegram ?? "en");
  if (!session.langChosen) {
    // @mentions (the bot's own, in groups) are names, not words of any language.
    const text = (ctx.message?.text ?? ctx.inlineQuery?.query)?.replace(/@\w+/g, " ");
    if (text && !text.trimStart().startsWith("/") && (text.match(/\p{L}/gu)?.length ?? 0) >= MIN_LETTERS_TO_DETECT) {
      lang = ctx.deps.search.language(text, lang);
    }
    if (isPrivateChat(ctx) && session.lang !== lang) session.lang = lang;
  }
  ctx.lang = lang;
  ctx.t = translator(ctx.deps.i18n, lang);
  await next();
}
