import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot } from "../grammy.js";
import type { BotConfig } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { BotContext, BotDeps } from "./context.js";
import { handleUpdateError } from "./errors.js";
import { features } from "./features/index.js";
import { htmlByDefault } from "./html-default.js";
import { groupAddressFilter } from "./filters/group.js";
import { floodControl } from "./middlewares/flood.js";
import { languageMiddleware } from "./middlewares/language.js";
import { conversationKey, conversationTurn } from "./middlewares/turn.js";
import { wellFormedUpdate } from "./middlewares/well-formed.js";
import { waitOutFloodLimits } from "./flood-retry.js";
import { retryNetworkFailures } from "./network-retry.js";

/** How long a long poll (getUpdates) waits for updates at Telegram before it answers with none. */
export const LONG_POLL_SECONDS = 30;

/**
 * How long the bot waits for Telegram to answer one call before it gives the call up as a network
 * failure, which auto-retry tries again: a little over a long poll, which Telegram holds that long.
 * grammY's own default, 500 s, would leave a chat, or long polling and so every chat, waiting more than
 * eight minutes for an answer lost on the way (a connection that stays open while Telegram or a proxy
 * in front of it hangs), long after Telegram is back.
 */
export const API_TIMEOUT_SECONDS = LONG_POLL_SECONDS + 15;

export interface CreateBotOptions {
  token: string;
  /** Bot API root (a local Bot API server, or the fake one tests start). */
  apiRoot?: string;
  /** Known bot identity, so no getMe call is needed (console mode, tests). */
  botInfo?: UserFromGetMe;
  /**
   * Skip updates whose id was already handled (default true). The console turns it off: it numbers its
   * updates from 1 in every run, and nothing there is ever delivered twice.
   */
  deduplicate?: boolean;
}

/**
 * Builds the bot from its dependencies. Nothing here starts it: main.ts chooses polling, webhook or
 * the console, and tests drive it directly.
 */
export function createBot(deps: BotDeps, options: CreateBotOptions): Bot<BotContext> {
  const config: BotConfig<BotContext> = { client: { apiRoot: options.apiRoot, timeoutSeconds: API_TIMEOUT_SECONDS } };
  if (options.botInfo) config.botInfo = options.botInfo;
  const bot = new Bot<BotContext>(options.token, config);

  // A failure on the way to Telegram is retried until Telegram answers, at most 10 s apart
  // (src/bot/network-retry.ts); a 5xx three times by auto-retry (which leaves 429s alone: maxDelaySeconds 0);
  // a 429 after its retry_after, within a time budget (src/bot/flood-retry.ts), never for a longer wait
  // than the configured one.
  bot.api.config.use(retryNetworkFailures({ logger: deps.logger }));
  bot.api.config.use(autoRetry({ maxDelaySeconds: 0, maxRetryAttempts: 3, rethrowHttpErrors: true }));
  bot.api.config.use(waitOutFloodLimits({ maxDelaySeconds: deps.settings.retryMaxDelaySeconds }));
  bot.api.config.use(htmlByDefault);

  bot.use((ctx, next) => {
    ctx.deps = deps;
    return next();
  });
  // One error boundary around everything, whoever delivers the update (runner, webhook, console, tests):
  // a failure is logged and apologised for here and never escapes (src/bot/errors.ts).
  const guarded = bot.errorBoundary((error) => handleUpdateError(error, deps));
  guarded.use(wellFormedUpdate);
  // Updates of one chat are handled one after another, so two quick messages never race on the session:
  // in this process by sequentialize (no state round trip), across processes by the chat's lease.
  guarded.use(sequentialize(conversationKey));
  guarded.use(groupAddressFilter);
  // After the group filter (group chatter not addressed to the bot takes no lease): the chat's lease,
  // under it the redelivery check and the session. A redelivery of this chat's update waits for the
  // first delivery, then finds it handled.
  guarded.use(conversationTurn(deps, { deduplicate: options.deduplicate ?? true }));
  guarded.use(languageMiddleware);
  // After the language is known (the notice is in the user's language), before any feature does work.
  guarded.use(floodControl(deps));
  guarded.use(features);

  // Only reached by a failure of the boundary itself, which handles its own errors; kept as a last resort.
  bot.catch((error) => handleUpdateError(error, deps));
  return bot;
}
