import type { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { i18n } from "i18next";
import type { BotContext, BotDeps } from "../bot/context.js";
import { DecisionCache } from "../bot/decisions.js";
import { lateBoundClient } from "./bot-client.js";
import { createBroadcasting, type Broadcasting } from "./broadcasts.js";
import { createReminding, type Reminding } from "./reminders.js";
import { wireSavedSearches } from "./saved-searches.js";
import { createBot } from "../bot/index.js";
import type { BroadcastSettings } from "../broadcast/config.js";
import { catalogFingerprint, formatProblem, loadCatalog, plural } from "../catalog/load.js";
import type { Config, Mode } from "../config.js";
import { createI18n } from "../i18n.js";
import { createLogger, type Logger } from "../logger.js";
import { configSecrets } from "../redact.js";
import { LiveCatalog } from "../live/catalog.js";
import { decide } from "../search/decide.js";
import type { SearchEngine } from "../search/engine.js";
import { loadSavedIndex, openSearchEngine } from "../search/snapshot.js";
import { createState, RedisUnavailableError, waitForRedis } from "../state/index.js";
import type { StateBackend } from "../state/types.js";
import { redisClients } from "./redis.js";
import { EXIT_REDIS_UNAVAILABLE, StartupError } from "./startup-error.js";

/**
 * Composition of the program: configuration → logger → catalog → search engine → state → i18n → bot.
 * Nothing here reads process.env or exits the process; main.ts does that, and tests build the same app.
 * The Telegram modes that run it are run-polling.ts and run-webhook.ts; index.ts is the way in.
 */

/** Token used in console mode, where no request ever leaves the process. */
export const CONSOLE_TOKEN = "0:console-mode-no-network";

export interface App {
  config: Config;
  mode: Mode;
  logger: Logger;
  /** Frozen once the app is composed. */
  deps: Readonly<BotDeps>;
  bot: Bot<BotContext>;
  /** Closes what the app opened (services, state backend, Redis clients). Idempotent. */
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
  const logger =
    options.logger ??
    options.deps?.logger ??
    createLogger(config.LOG_LEVEL, config.mode === "console" ? "stderr" : "stdout", configSecrets(config));
  const search = options.deps?.search ?? warmedUp(await buildSearch(config, logger), logger);
  const ownState = options.deps?.state === undefined;
  if (ownState && config.REDIS_URL) await reachRedis(config, logger, options.signal);
  // Every Redis client of the app comes from here; each service closes its own, and close() ends the rest.
  const redis = config.REDIS_URL ? redisClients(config.REDIS_URL, logger) : undefined;
  const state: StateBackend =
    options.deps?.state ??
    createState(
      {
        redisUrl: config.REDIS_URL,
        ttlSeconds: config.STATE_TTL_SECONDS,
        savedSearchTtlMs: config.SAVED_SEARCH_DAYS * 24 * 3600 * 1000,
        ...(redis ? { redis: redis.client("requests") } : {}),
      },
      logger,
    );
  let translations: i18n;
  try {
    translations = options.deps?.i18n ?? (await createI18n());
  } catch (error) {
    if (ownState) await state.close();
    await redis?.close();
    throw new StartupError(`could not load the translations: ${(error as Error).message}`, 2);
  }
  // The searched catalog: the files plus the changes every process shares through the state backend.
  const live = await LiveCatalog.start({
    dir: config.CATALOG_DIR,
    files: search.catalog,
    engine: search,
    changes: state.catalog,
    logger,
  });
  // The services the features use are built before the bot, so the bot gets its dependencies complete.
  // What they send goes out on the bot's own client, bound to them as soon as the bot exists; their
  // workers start after that.
  const telegram = lateBoundClient();
  let reminding: Reminding | undefined;
  let broadcasting: Broadcasting | undefined;
  const release = async () => {
    await Promise.all([broadcasting?.close(), reminding?.close()]);
    await live.close();
    if (ownState) await state.close();
    await redis?.close();
  };
  const failed = async (error: unknown, what?: string): Promise<never> => {
    await release();
    throw what === undefined ? error : new StartupError(`${what}: ${(error as Error).message}`, 1);
  };

  let token: string;
  try {
    token = config.mode === "console" ? CONSOLE_TOKEN : requireToken(config);
  } catch (error) {
    return failed(error);
  }
  const serviceDeps = { search: live.search, live, state, logger, i18n: translations };

  // Deadline reminders, following the live catalog's changes.
  try {
    reminding = createReminding({ config, deps: serviceDeps, api: telegram.api, redis });
  } catch (error) {
    return failed(error, "could not start deadline reminders");
  }
  // Broadcasting: delivery, with announcements entering the live catalog.
  try {
    broadcasting = createBroadcasting({
      config,
      deps: serviceDeps,
      api: telegram.api,
      redis,
      settings: options.broadcast,
      workers: options.broadcastWorkers,
    });
  } catch (error) {
    return failed(error, "could not start broadcast delivery");
  }

  // Composed once: from here on no feature or runtime can swap a dependency (the catalog changes in
  // place through deps.live; connections belong to what created them).
  const deps: BotDeps = Object.freeze({
    ...serviceDeps,
    reminders: reminding.reminders,
    delivery: broadcasting.delivery,
    decisions: options.deps?.decisions ?? new DecisionCache(),
    settings: Object.freeze({
      answerThreshold: config.ANSWER_THRESHOLD,
      retryMaxDelaySeconds: config.RETRY_MAX_DELAY_SECONDS,
      adminIds: config.ADMIN_IDS,
      lease: { ttlMs: config.CHAT_LEASE_TTL_SECONDS * 1000, waitMs: config.CHAT_LEASE_WAIT_SECONDS * 1000 },
      // The console has one local user, who may well paste a script of questions.
      ...(config.mode === "console"
        ? {}
        : { flood: { maxMessages: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS } }),
      ...options.deps?.settings,
    }),
  });

  let bot: Bot<BotContext>;
  try {
    bot =
      config.mode === "console"
        ? createBot(deps, {
            token,
            botInfo: options.botInfo ?? consoleBotInfo(config.BOT_USERNAME),
            deduplicate: false,
          })
        : createBot(deps, { token, apiRoot: config.TELEGRAM_API_ROOT, botInfo: options.botInfo });
  } catch (error) {
    return failed(error);
  }
  telegram.bind(bot.api);

  try {
    await reminding.start();
  } catch (error) {
    return failed(error, "could not start deadline reminders");
  }
  try {
    await broadcasting.start();
  } catch (error) {
    return failed(error, "could not start broadcast delivery");
  }

  // Saved searches: every record going live here is checked against them; one process sends each notification.
  const savedSearches = wireSavedSearches({ api: bot.api, deps });
  const started = { reminding, broadcasting };

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
        savedSearches.close().then(() => started.broadcasting.close()),
        started.reminding.close(),
      ]).then(release);
      return closed;
    },
  };
}

/** One question per language, decided once at start (see warmedUp). */
const WARM_UP = [
  "incubators in Kazakhstan",
  "incubateurs au Kazakhstan",
  "инкубаторы в Казахстане",
  "哈萨克斯坦的孵化器",
];

/**
 * The first decision in each language pays one-time costs (stemmers, caches, records and names decoded from
 * the saved index): 50–150 ms of CPU each. Paid here, before any update is taken, they do not hold up the
 * first questions — four at once on a loaded machine held a replica's event loop past Redis's command timeout.
 */
function warmedUp(engine: SearchEngine, logger: Logger): SearchEngine {
  const started = Date.now();
  for (const question of WARM_UP) decide(engine, question, { limit: 5 });
  logger.debug({ ms: Date.now() - started }, "search warmed up");
  return engine;
}

async function buildSearch(config: Config, logger: Logger): Promise<SearchEngine> {
  const started = Date.now();
  const dir = config.CATALOG_DIR;
  const file = config.SEARCH_INDEX_FILE;
  // The same files as when the index was saved: the catalog comes with it, no YAML is parsed.
  const fingerprint = file ? await catalogFingerprint(dir) : undefined;
  if (file && fingerprint) {
    const saved = loadSavedIndex(file, fingerprint);
    if (saved.ok) {
      logger.info(
        { file, records: saved.engine.size, key: saved.header.key, ms: Date.now() - started, dir },
        "catalog and search index loaded from the saved index",
      );
      return saved.engine;
    }
  }
  const result = await loadCatalog(dir).catch((error: unknown) => {
    throw new StartupError(`could not read the catalog in ${dir}: ${(error as Error).message}`, 2);
  });
  if (!result.ok) {
    const lines = result.problems.map(formatProblem);
    throw new StartupError(
      `catalog in ${dir} has ${plural(lines.length, "problem")}:\n${lines.map((l) => `  ${l}`).join("\n")}`,
      2,
    );
  }
  // Saved with the catalog only when no file changed while the catalog was read.
  const unchanged = fingerprint !== undefined && (await catalogFingerprint(dir)) === fingerprint;
  const engine = openSearchEngine(result.catalog, {
    file,
    logger,
    save: true,
    fingerprint: unchanged ? fingerprint : undefined,
  });
  logger.info({ records: engine.size, ms: Date.now() - started, dir }, "catalog loaded and indexed");
  return engine;
}

/**
 * Redis must answer before anything else connects to it (state, announcements, delivery), each with its
 * own reconnect loop and error log. Bounded by REDIS_START_TIMEOUT_SECONDS; giving up is exit code 3.
 */
async function reachRedis(config: Config, logger: Logger, signal: AbortSignal | undefined): Promise<void> {
  try {
    await waitForRedis(config.REDIS_URL as string, {
      timeoutMs: config.REDIS_START_TIMEOUT_SECONDS * 1000,
      signal,
      logger,
    });
  } catch (error) {
    if (error instanceof RedisUnavailableError)
      throw new StartupError(
        `${error.message} (REDIS_START_TIMEOUT_SECONDS=${config.REDIS_START_TIMEOUT_SECONDS})`,
        EXIT_REDIS_UNAVAILABLE,
      );
    throw error;
  }
}

function requireToken(config: Config): string {
  if (!config.TELEGRAM_BOT_TOKEN)
    throw new StartupError("TELEGRAM_BOT_TOKEN is required in polling and webhook modes", 2);
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
