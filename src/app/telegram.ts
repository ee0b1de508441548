import { setTimeout as delay } from "node:timers/promises";
import { Api, GrammyError, HttpError } from "../grammy.js";
import type { UserFromGetMe } from "grammy/types";
import { setCommands, setRoleMenus } from "../bot/commands.js";
import { plural } from "../catalog/load.js";
import { createRedactor } from "../redact.js";
import type { App } from "./compose.js";
import { StartupError } from "./startup-error.js";

/** Talking to Telegram at start and while running: connecting, command menus, failures in words. */

/**
 * Update types the bot asks Telegram for: the ones its features handle (Telegram remembers the last
 * list, so it is always sent). A feature that handles another type must add it here.
 */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;

export interface ConnectOptions {
  /** Attempts at reaching Telegram at start (getMe) before giving up; default 6 (about a minute). */
  connectAttempts?: number;
  /** First wait between attempts, doubled each time up to 30 s; default 1000 ms. */
  connectRetryMs?: number;
  /** Sets the bot's command menus; default src/bot/commands.ts. Failures are logged, never fatal. */
  setCommands?: (app: App) => Promise<void>;
  /** Aborts the start (SIGTERM while Telegram is being retried). */
  signal?: AbortSignal;
}

/**
 * getMe, with a client that has no auto-retry, so each failure is logged: a refused token stops the
 * start at once (retrying cannot help); an unreachable Telegram is retried with exponential backoff,
 * then given up with exit code 1 (a supervisor such as Docker restarts the bot later).
 */
export async function connectTelegram(app: App, options: ConnectOptions = {}): Promise<UserFromGetMe> {
  const { bot, config, logger } = app;
  const attempts = options.connectAttempts ?? 6;
  let wait = options.connectRetryMs ?? 1000;
  const probe = new Api(bot.token, { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: 15 });
  for (let attempt = 1; ; attempt++) {
    try {
      // grammY types its signal with the abort-controller polyfill; Node's own AbortSignal is what it uses at run time.
      const me = await probe.getMe(options.signal as Parameters<typeof probe.getMe>[0]);
      bot.botInfo = me;
      await bot.init();
      logger.info({ username: me.username, id: me.id, apiRoot: config.TELEGRAM_API_ROOT }, "connected to Telegram");
      return me;
    } catch (error) {
      options.signal?.throwIfAborted();
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        throw new StartupError(
          `Telegram refused the bot token (${error.error_code} ${error.description}): check TELEGRAM_BOT_TOKEN (get one from @BotFather)`,
          1,
        );
      }
      const reason = describeTelegramError(error, bot.token);
      if (attempt >= attempts) {
        throw new StartupError(
          `cannot reach Telegram at ${config.TELEGRAM_API_ROOT} after ${plural(attempts, "attempt")}: ${reason}`,
          1,
        );
      }
      logger.warn(
        { attempt, of: attempts, retryInMs: wait, reason, apiRoot: config.TELEGRAM_API_ROOT },
        "Telegram not reachable yet; retrying",
      );
      await delay(wait, undefined, { signal: options.signal });
      wait = Math.min(wait * 2, 30_000);
    }
  }
}

/** A start-up call that must succeed; its failure becomes a StartupError with a readable reason. */
export async function telegramStep<T>(app: App, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StartupError(`${what} failed: ${describeTelegramError(error, app.bot.token)}`, 1);
  }
}

export async function applyCommands(app: App, options: ConnectOptions): Promise<void> {
  const set = options.setCommands ?? defaultSetCommands;
  try {
    await set(app);
  } catch (error) {
    app.logger.warn(
      { reason: describeTelegramError(error, app.bot.token) },
      "could not set the command menus; the bot works without them",
    );
  }
}

async function defaultSetCommands(app: App): Promise<void> {
  const result = await setCommands(app.bot.api, app.deps.i18n, app.logger);
  app.logger.info(result, "command menus set");
  // Administrators and coordinators get their commands in their own chat's menu.
  const coordinators = await app.deps.state.roles.coordinators().catch(() => []);
  if (app.config.ADMIN_IDS.length || coordinators.length)
    app.logger.info(
      await setRoleMenus(app.bot.api, app.deps.i18n, app.config.ADMIN_IDS, coordinators, app.logger),
      "role command menus set",
    );
}

/** A one-line reason for a failed Bot API call; network errors never carry the request URL (it holds the token). */
export function describeTelegramError(error: unknown, token?: string): string {
  let text: string;
  if (error instanceof GrammyError) text = `${error.error_code} ${error.description}`;
  else if (error instanceof HttpError) {
    const cause = error.error as { code?: unknown; cause?: { code?: unknown } } | undefined;
    const code =
      typeof cause?.code === "string"
        ? cause.code
        : typeof cause?.cause?.code === "string"
          ? cause.cause.code
          : undefined;
    text = code ? `${error.message} (${code})` : error.message;
  } else text = error instanceof Error ? error.message : String(error);
  return createRedactor([token])(text);
}
