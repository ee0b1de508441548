import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Api, GrammyError, HttpError, type Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { i18n } from "i18next";
import { setCommands, setRoleMenus } from "./bot/commands.js";
import type { BotContext, BotDeps } from "./bot/context.js";
import { wireBroadcasts } from "./bot/features/broadcast/wiring.js";
import { wireReminders } from "./bot/features/reminders-wiring.js";
import { wireSavedSearches } from "./bot/features/saved-search-notifier.js";
import { createBot } from "./bot/index.js";
import type { BroadcastSettings } from "./broadcast/config.js";
import { formatProblem, loadCatalog, plural } from "./catalog/load.js";
import type { Config, Mode } from "./config.js";
import { createI18n } from "./i18n.js";
import { createLogger, type Logger } from "./logger.js";
import { configSecrets } from "./redact.js";
import { LiveCatalog } from "./live/catalog.js";
import { SearchEngine } from "./search/engine.js";
import { createHttpServer, type HttpServerHandle } from "./server/http.js";
import { healthCheck } from "./server/health.js";
import { webhookHandler } from "./server/webhook.js";
import { createState, RedisUnavailableError, waitForRedis } from "./state/index.js";
import type { StateBackend } from "./state/types.js";

/**
 * Composition of the program: configuration → logger → catalog → search engine → state → i18n → bot.
 * Nothing here reads process.env or exits the process; main.ts does that, and tests build the same app.
 */

/**
 * Update types the bot asks Telegram for: the ones its features handle (Telegram remembers the last
 * list, so it is always sent). A feature that handles another type must add it here.
 */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "my_chat_member"] as const;

/** Token used in console mode, where no request ever leaves the process. */
export const CONSOLE_TOKEN = "0:console-mode-no-network";

/** A startup failure with the exit code main.ts should use (2: configuration or data, 1: environment). */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "StartupError";
  }
}

export interface App {
  config: Config;
  mode: Mode;
  logger: Logger;
  /** Frozen once the app is composed. */
  deps: Readonly<BotDeps>;
  bot: Bot<BotContext>;
  /** Closes what the app opened (state backend). Idempotent. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Replaces the logger built from LOG_LEVEL (stdout in server modes, stderr in console mode). */
  logger?: Logger;
  /** Ready-made dependencies (tests): a given `search` skips loading the catalog, a given `state` is not closed by `close()` unless created here. */
  deps?: Partial<BotDeps>;
  /** Bot identity, so no getMe is needed (console mode sets its own). */
  botInfo?: UserFromGetMe;
  /** Broadcast delivery settings (BROADCAST_* of src/broadcast/config.ts); defaults when absent. */
  broadcast?: Partial<BroadcastSettings>;
  /** Run broadcast delivery workers in the bot process (default true; `npm run worker` runs them apart). */
  broadcastWorkers?: boolean;
  /** Aborts the start (SIGTERM while waiting for Redis): createApp rejects with the signal's reason. */
  signal?: AbortSignal;
}

export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? options.deps?.logger ?? createLogger(config.LOG_LEVEL, config.mode === "console" ? "stderr" : "stdout", configSecrets(config));
  const search = options.deps?.search ?? (await buildSearch(config, logger));
  const ownState = options.deps?.state === undefined;
  if (ownState && config.REDIS_URL) await reachRedis(config, logger, options.signal);
  const state: StateBackend = options.deps?.state ?? createState({ redisUrl: config.REDIS_URL, ttlSeconds: config.STATE_TTL_SECONDS }, logger);
  let translations: i18n;
  try {
    translations = options.deps?.i18n ?? (await createI18n());
  } catch (error) {
    if (ownState) await state.close();
    throw new StartupError(`could not load the translations: ${(error as Error).message}`, 2);
  }
  // The searched catalog: the files plus the changes every process shares through the state backend.
  const live = await LiveCatalog.start({ dir: config.CATALOG_DIR, files: search.catalog, engine: search, changes: state.catalog, logger });
  const deps: BotDeps = {
    search: live.search,
    live,
    state,
    logger,
    i18n: translations,
    settings: {
      answerThreshold: config.ANSWER_THRESHOLD,
      retryMaxDelaySeconds: config.RETRY_MAX_DELAY_SECONDS,
      adminIds: config.ADMIN_IDS,
      lease: { ttlMs: config.CHAT_LEASE_TTL_SECONDS * 1000, waitMs: config.CHAT_LEASE_WAIT_SECONDS * 1000 },
      // The console has one local user, who may well paste a script of questions.
      ...(config.mode === "console" ? {} : { flood: { maxMessages: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS } }),
      ...options.deps?.settings,
    },
  };

  let reminding: { close(): Promise<void> } | undefined;
  const release = async () => {
    await reminding?.close();
    await live.close();
    if (ownState) await state.close();
  };
  let bot: Bot<BotContext>;
  try {
    bot =
      config.mode === "console"
        ? createBot(deps, { token: CONSOLE_TOKEN, botInfo: options.botInfo ?? consoleBotInfo(config.BOT_USERNAME), deduplicate: false })
        : createBot(deps, { token: requireToken(config), apiRoot: config.TELEGRAM_API_ROOT, botInfo: options.botInfo });
  } catch (error) {
    await release();
    throw error;
  }

  // Deadline reminders (deps.reminders), following the live catalog's changes.
  try {
    reminding = await wireReminders({ config, bot, deps });
  } catch (error) {
    await release();
    throw new StartupError(`could not start deadline reminders: ${(error as Error).message}`, 1);
  }

  // Broadcasting: delivery (deps.delivery), with announcements entering the live catalog.
  let broadcasting: Awaited<ReturnType<typeof wireBroadcasts>>;
  try {
    broadcasting = await wireBroadcasts({ config, bot, deps, settings: options.broadcast, workers: options.broadcastWorkers });
  } catch (error) {
    await release();
    throw new StartupError(`could not start broadcast delivery: ${(error as Error).message}`, 1);
  }

  // Saved searches: every record going live here is checked against them; one process sends each notification.
  const savedSearches = wireSavedSearches({ api: bot.api, deps });

  // Composed once: from here on no feature or runtime can swap a dependency (the catalog changes in
  // place through deps.live; connections belong to what created them).
  Object.freeze(deps.settings);
  Object.freeze(deps);

  let closed: Promise<void> | undefined;
  return {
    config,
    mode: config.mode,
    logger,
    deps,
    bot,
    close() {
      // Reminders close beside the broadcast queues: each is bounded, and Redis refusing every client
      // must not add up their waits past the shutdown limit.
      closed ??= Promise.all([
        savedSearches.close().then(() => broadcasting.close()),
        reminding?.close(),
      ]).then(release);
      return closed;
    },
  };
}

async function buildSearch(config: Config, logger: Logger): Promise<SearchEngine> {
  const started = Date.now();
  const result = await loadCatalog(config.CATALOG_DIR).catch((error: unknown) => {
    throw new StartupError(`could not read the catalog in ${config.CATALOG_DIR}: ${(error as Error).message}`, 2);
  });
  if (!result.ok) {
    const lines = result.problems.map(formatProblem);
    throw new StartupError(`catalog in ${config.CATALOG_DIR} has ${plural(lines.length, "problem")}:\n${lines.map((l) => `  ${l}`).join("\n")}`, 2);
  }
  const engine = SearchEngine.build(result.catalog);
  logger.info({ records: engine.size, ms: Date.now() - started, dir: config.CATALOG_DIR }, "catalog loaded and indexed");
  return engine;
}

/**
 * Redis must answer before anything else connects to it (state, announcements, delivery), each with its
 * own reconnect loop and error log. Bounded by REDIS_START_TIMEOUT_SECONDS; giving up is exit code 3.
 */
async function reachRedis(config: Config, logger: Logger, signal: AbortSignal | undefined): Promise<void> {
  try {
    await waitForRedis(config.REDIS_URL as string, { timeoutMs: config.REDIS_START_TIMEOUT_SECONDS * 1000, signal, logger });
  } catch (error) {
    if (error instanceof RedisUnavailableError) throw new StartupError(`${error.message} (REDIS_START_TIMEOUT_SECONDS=${config.REDIS_START_TIMEOUT_SECONDS})`, EXIT_REDIS_UNAVAILABLE);
    throw error;
  }
}

/** Exit code when Redis cannot be reached at start (2 is configuration or data, 1 Telegram). */
export const EXIT_REDIS_UNAVAILABLE = 3;

function requireToken(config: Config): string {
  if (!config.TELEGRAM_BOT_TOKEN) throw new StartupError("TELEGRAM_BOT_TOKEN is required in polling and webhook modes", 2);
  return config.TELEGRAM_BOT_TOKEN;
}

/** What getMe would say about the bot in console mode (no Telegram to ask). */
export function consoleBotInfo(username: string): UserFromGetMe {
  return {
    id: 7_000_000_001,
    is_bot: true,
    first_name: "Cooperation Desk",
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

// ---------------------------------------------------------------------------
// Telegram modes

/** A started bot: where its HTTP server listens, and how to stop everything it started. */
export interface RunningBot {
  mode: "polling" | "webhook";
  /** HTTP server address (webhook + /healthz, or /healthz alone in polling mode). */
  address: AddressInfo;
  /** Settles when the bot stops by itself (e.g. the runner gives up); rejects with the cause. */
  done: Promise<void>;
  /** Stops taking updates, lets in-flight updates finish (up to a grace period), closes the server and state. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Attempts at reaching Telegram at start (getMe) before giving up; default 6 (about a minute). */
  connectAttempts?: number;
  /** First wait between attempts, doubled each time up to 30 s; default 1000 ms. */
  connectRetryMs?: number;
  /** How long stop() waits for updates being handled; default 10 s. */
  drainMs?: number;
  /** Sets the bot's command menus; default src/bot/commands.ts. Failures are logged, never fatal. */
  setCommands?: (app: App) => Promise<void>;
  /** The HTTP server opened early by openHttpServer (it said "starting" meanwhile); default: one is opened here. */
  server?: OpenServer;
  /** Aborts the start (SIGTERM while Telegram is being retried). */
  signal?: AbortSignal;
}

/** An HTTP server already listening. */
export interface OpenServer {
  handle: HttpServerHandle;
  address: AddressInfo;
}

/**
 * Opens the HTTP server before the bot can serve: /healthz answers 503 "starting" (and the webhook path
 * 503, so Telegram keeps its updates for later) until startPolling or startWebhook takes it over.
 */
export async function openHttpServer(config: Config, logger: Logger): Promise<OpenServer> {
  const handle = createHttpServer({ logger, health: async () => ({ status: "starting", mode: config.mode }) });
  if (config.mode === "webhook" && config.WEBHOOK_URL) {
    handle.setWebhook({ path: new URL(config.WEBHOOK_URL).pathname, handle: async () => ({ status: 503, body: { error: "starting" } }) });
  }
  let address: AddressInfo;
  try {
    address = await handle.listen(config.HOST, config.PORT);
  } catch (error) {
    throw new StartupError(`cannot listen on ${config.HOST}:${config.PORT}: ${(error as Error).message}`, 1);
  }
  logger.info({ listen: `${address.address}:${address.port}` }, "HTTP server listening; starting");
  return { handle, address };
}

/** Long polling with @grammyjs/runner (updates of one chat stay in order: createBot sequentializes), plus /healthz. */
export async function startPolling(app: App, options: StartOptions = {}): Promise<RunningBot> {
  const { bot, logger } = app;
  await connectTelegram(app, options);
  await telegramStep(app, "deleteWebhook", () => bot.api.deleteWebhook({ drop_pending_updates: false }));
  await applyCommands(app, options);
  logFetchFailures(app);
  const { handle: server, address } = options.server ?? (await open(app));
  server.setHealth(() => healthCheck(app));

  const runner = run(bot, { runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 } } });
  logger.info({ mode: "polling", username: bot.botInfo.username, health: `http://${address.address}:${address.port}/healthz` }, "bot started");
  const done = watchRunner(app, runner);

  let stopped: Promise<void> | undefined;
  return {
    mode: "polling",
    address,
    done,
    stop() {
      stopped ??= (async () => {
        if (runner.isRunning()) await runner.stop().catch(() => undefined);
        await drain(() => runner.size(), options.drainMs ?? 10_000);
        await server.close();
        await app.close();
        logger.info({ mode: "polling" }, "bot stopped");
      })();
      return stopped;
    },
  };
}

/** Webhook on HOST:PORT at the path of WEBHOOK_URL (with /healthz), registered with Telegram by setWebhook. */
export async function startWebhook(app: App, options: StartOptions = {}): Promise<RunningBot> {
  const { bot, logger, config } = app;
  if (!config.WEBHOOK_URL || !config.WEBHOOK_SECRET) throw new StartupError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET", 2);
  await connectTelegram(app, options);
  const path = new URL(config.WEBHOOK_URL).pathname;
  const hook = webhookHandler({ secret: config.WEBHOOK_SECRET, handleUpdate: (update) => bot.handleUpdate(update), logger, timeoutMs: WEBHOOK_TIMEOUT_MS });
  const { handle: server, address } = options.server ?? (await open(app));
  server.setHealth(() => healthCheck(app));
  server.setWebhook({ path, handle: (request) => hook.handle(request) });
  try {
    await telegramStep(app, "setWebhook", () =>
      bot.api.setWebhook(config.WEBHOOK_URL as string, { secret_token: config.WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES] }),
    );
  } catch (error) {
    await server.close();
    throw error;
  }
  await applyCommands(app, options);
  logger.info({ mode: "webhook", username: bot.botInfo.username, url: config.WEBHOOK_URL, listen: `${address.address}:${address.port}` }, "bot started");

  let stopped: Promise<void> | undefined;
  return {
    mode: "webhook",
    address,
    done: new Promise<void>(() => {}),
    stop() {
      stopped ??= (async () => {
        // The webhook stays registered: Telegram keeps updates while the bot restarts.
        const deadline = Date.now() + (options.drainMs ?? 10_000);
        await server.close(options.drainMs ?? 10_000);
        // Updates answered at the webhook timeout may still be running.
        await hook.idle(Math.max(0, deadline - Date.now()));
        await app.close();
        logger.info({ mode: "webhook" }, "bot stopped");
      })();
      return stopped;
    },
  };
}

const WEBHOOK_TIMEOUT_MS = 25_000;

function open(app: App): Promise<OpenServer> {
  return openHttpServer(app.config, app.logger);
}

/**
 * getMe, with a client that has no auto-retry, so each failure is logged: a refused token stops the
 * start at once (retrying cannot help); an unreachable Telegram is retried with exponential backoff,
 * then given up with exit code 1 (a supervisor such as Docker restarts the bot later).
 */
export async function connectTelegram(app: App, options: StartOptions = {}): Promise<UserFromGetMe> {
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
        throw new StartupError(`cannot reach Telegram at ${config.TELEGRAM_API_ROOT} after ${plural(attempts, "attempt")}: ${reason}`, 1);
      }
      logger.warn({ attempt, of: attempts, retryInMs: wait, reason, apiRoot: config.TELEGRAM_API_ROOT }, "Telegram not reachable yet; retrying");
      await delay(wait, undefined, { signal: options.signal });
      wait = Math.min(wait * 2, 30_000);
    }
  }
}

/** A start-up call that must succeed; its failure becomes a StartupError with a readable reason. */
async function telegramStep<T>(app: App, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StartupError(`${what} failed: ${describeTelegramError(error, app.bot.token)}`, 1);
  }
}

async function applyCommands(app: App, options: StartOptions): Promise<void> {
  const set = options.setCommands ?? defaultSetCommands;
  try {
    await set(app);
  } catch (error) {
    app.logger.warn({ reason: describeTelegramError(error, app.bot.token) }, "could not set the command menus; the bot works without them");
  }
}

async function defaultSetCommands(app: App): Promise<void> {
  const result = await setCommands(app.bot.api, app.deps.i18n, app.logger);
  app.logger.info(result, "command menus set");
  // Administrators and coordinators get their commands in their own chat's menu.
  const coordinators = await app.deps.state.roles.coordinators().catch(() => []);
  if (app.config.ADMIN_IDS.length || coordinators.length) app.logger.info(await setRoleMenus(app.bot.api, app.deps.i18n, app.config.ADMIN_IDS, coordinators, app.logger), "role command menus set");
}

/** Long-polling failures the runner retries silently are logged here (without the request URL, which holds the token). */
function logFetchFailures(app: App): void {
  app.bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      if (method === "getUpdates" && !signal?.aborted) app.logger.warn({ reason: describeTelegramError(error, app.bot.token) }, "fetching updates failed; retrying");
      throw error;
    }
  });
}

function watchRunner(app: App, runner: RunnerHandle): Promise<void> {
  const task = runner.task() ?? Promise.resolve();
  return task.then(
    () => undefined,
    (error: unknown) => {
      const reason = describeTelegramError(error, app.bot.token);
      app.logger.fatal({ reason }, "long polling stopped");
      throw new StartupError(`long polling stopped: ${reason}`, 1);
    },
  );
}

async function drain(inFlight: () => number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

/** A one-line reason for a failed Bot API call; network errors never carry the request URL (it holds the token). */
export function describeTelegramError(error: unknown, token?: string): string {
  let text: string;
  if (error instanceof GrammyError) text = `${error.error_code} ${error.description}`;
  else if (error instanceof HttpError) {
    const cause = error.error as { code?: unknown; cause?: { code?: unknown } } | undefined;
    const code = typeof cause?.code === "string" ? cause.code : typeof cause?.cause?.code === "string" ? cause.cause.code : undefined;
    text = code ? `${error.message} (${code})` : error.message;
  } else text = error instanceof Error ? error.message : String(error);
  return redact(text, token);
}

export function redact(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out;
}
