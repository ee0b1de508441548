import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import type { BotError} from "grammy";
import { Bot, GrammyError, HttpError, session, type BotConfig } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { SessionData } from "../state/types.js";
import type { BotContext, BotDeps } from "./context.js";
import { features } from "./features/index.js";
import { groupAddressFilter } from "./filters/group.js";
import { languageMiddleware } from "./middlewares/language.js";

export interface CreateBotOptions {
  token: string;
  /** Bot API root (a local Bot API server, or the fake one tests start). */
  apiRoot?: string;
  /** Known bot identity, so no getMe call is needed (console mode, tests). */
  botInfo?: UserFromGetMe;
}

/**
 * Builds the bot from its dependencies. Nothing here starts it: main.ts chooses polling, webhook or
 * the console, and tests drive it directly.
 */
export function createBot(deps: BotDeps, options: CreateBotOptions): Bot<BotContext> {
  const config: BotConfig<BotContext> = { client: { apiRoot: options.apiRoot } };
  if (options.botInfo) config.botInfo = options.botInfo;
  const bot = new Bot<BotContext>(options.token, config);

  // A 429 or a passing network/5xx failure is retried, but never for longer than the configured wait.
  bot.api.config.use(autoRetry({ maxDelaySeconds: deps.settings.retryMaxDelaySeconds, maxRetryAttempts: 3 }));

  bot.use((ctx, next) => {
    ctx.deps = deps;
    return next();
  });
  // Updates of one chat are handled one after another, so two quick messages never race on the session.
  bot.use(sequentialize((ctx: BotContext) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(groupAddressFilter);
  bot.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      storage: deps.state.sessions,
      // Conversation state belongs to the user (the same in a private chat and via inline mode).
      getSessionKey: (ctx) => (ctx.from ? `user:${ctx.from.id}` : undefined),
    }),
  );
  bot.use(languageMiddleware);
  bot.use(features);

  bot.catch((error) => handleError(error, deps));
  return bot;
}

async function handleError(error: BotError<BotContext>, deps: BotDeps): Promise<void> {
  const { ctx } = error;
  const cause = error.error;
  const detail =
    cause instanceof GrammyError
      ? { kind: "telegram", method: cause.method, code: cause.error_code, description: cause.description }
      : cause instanceof HttpError
        ? { kind: "network", message: cause.message }
        : { kind: "internal", message: cause instanceof Error ? cause.message : String(cause), stack: cause instanceof Error ? cause.stack : undefined };
  deps.logger.error({ update: ctx.update.update_id, ...detail }, "update failed");
  try {
    const t = ctx.t ?? deps.i18n.getFixedT("en");
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t("errors:generic") });
    else if (ctx.chat) await ctx.reply(t("errors:generic"));
  } catch (replyError) {
    // Telegram itself failing: nothing more to tell the user; the log already has the cause.
    deps.logger.warn({ update: ctx.update.update_id, message: (replyError as Error).message }, "apology not sent");
  }
}
