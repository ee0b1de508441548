import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_SAVED_SEARCH_DAYS } from "./state/saved-searches.js";
import {
  DEFAULT_LOCK_MS,
  DEFAULT_MAX_ATTEMPTS,
  PAID_BROADCAST_MAX_PER_SECOND,
  defaultRate,
  type BroadcastSettings,
} from "./broadcast/config.js";

/**
 * The environment, validated once at start. Everything has an embedded default except the token, so
 * `npm start` with no environment runs the console chat on the bundled catalog with in-memory state.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Telegram's own Bot API servers, which take @BotFather's tokens only and post webhooks to https:// URLs only. */
const TELEGRAM_CLOUD_HOST = "api.telegram.org";

/**
 * Whether the bot talks to Telegram's own servers (the default) rather than a local Bot API server
 * (`telegram-bot-api --local`, an emulator), which takes any token and posts webhooks to http:// too. A
 * root that is no URL counts as Telegram's: it is reported on its own.
 */
function telegramCloud(env: NodeJS.ProcessEnv): boolean {
  const root = env.TELEGRAM_API_ROOT?.trim();
  return !root || !URL.canParse(root) || new URL(root).hostname === TELEGRAM_CLOUD_HOST;
}

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** The environment's schema; some checks depend on the Bot API server (see telegramCloud). */
const envSchema = (cloud: boolean) =>
  z
    .object({
      /**
       * The bot's token: its id, a colon, a secret. @BotFather's secrets have 35 characters (20 or more
       * asked, to leave room); a local Bot API server may take any.
       */
      TELEGRAM_BOT_TOKEN: optionalString.pipe(
        z
          .string()
          .regex(cloud ? /^\d+:[\w-]{20,}$/ : /^\d+:[\w-]+$/, "must look like 123456789:AA… (from @BotFather)")
          .optional(),
      ),
      /**
       * The Bot API's root. A trailing "/" ("http://127.0.0.1:8081/"), which grammY refuses, is dropped;
       * empty is the default, as for the other variables.
       */
      TELEGRAM_API_ROOT: optionalString
        .pipe(z.url({ protocol: /^https?$/ }).optional())
        .transform((root) => (root ?? "https://api.telegram.org").replace(/\/+$/, "")),
      /**
       * Where Telegram posts the updates: an https:// URL for Telegram's own servers; a local Bot API server
       * (TELEGRAM_API_ROOT elsewhere: `telegram-bot-api --local`, an emulator) also posts to http://.
       */
      WEBHOOK_URL: optionalString.pipe(
        z
          .url({
            protocol: cloud ? /^https$/ : /^https?$/,
            message:
              "must be an https:// URL Telegram can reach (http:// only with a local Bot API server as TELEGRAM_API_ROOT)",
          })
          .optional(),
      ),
      WEBHOOK_SECRET: optionalString.pipe(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 characters of A–Z, a–z, 0–9, _ and -")
          .optional(),
      ),
      HOST: z.string().default("0.0.0.0"),
      PORT: z.coerce.number().int().min(0).max(65535).default(8080),
      REDIS_URL: optionalString.pipe(
        z.url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL" }).optional(),
      ),
      STATE_TTL_SECONDS: z.coerce
        .number()
        .int()
        .positive()
        .default(30 * 24 * 3600),
      /** Days a saved search ("🔔 Notify me") lasts after it is saved or last notified; then it is removed. */
      SAVED_SEARCH_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_SAVED_SEARCH_DAYS),
      /** How long the start waits for Redis to answer (unreachable, refusing the password) before giving up with exit code 3. */
      REDIS_START_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
      CATALOG_DIR: z.string().default(path.join(repoRoot, "data")),
      /**
       * The saved search index: `npm run index:build` writes it, a start that builds saves it, a start loads it
       * when it matches the catalog and the engine. Default: one file per catalog folder in the system's
       * temporary folder (see defaultSearchIndexFile); empty for none.
       */
      SEARCH_INDEX_FILE: z.string().trim().optional(),
      LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      /** Below this confidence the best hit does not answer the question (it is recorded as unanswered). */
      ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
      /** Flood control: messages one user may send in FLOOD_WINDOW_SECONDS before the bot stops answering them until the window ends (0: no limit). */
      FLOOD_MAX_MESSAGES: z.coerce.number().int().min(0).max(10_000).default(20),
      FLOOD_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
      /** One chat's updates are handled one at a time across processes under a lease that lapses this long after its holder stops renewing it (a crash). */
      CHAT_LEASE_TTL_SECONDS: z.coerce.number().int().min(3).max(600).default(5),
      /** How long an update waits for the previous one of its chat; then the user is asked to send it again. Under the webhook's 25 s answer time. */
      CHAT_LEASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(20).default(10),
      /** Longest retry_after of a 429 the bot waits out (src/bot/flood-retry.ts) before giving up the call. */
      RETRY_MAX_DELAY_SECONDS: z.coerce.number().int().positive().default(30),
      /** Telegram user ids of the administrators (grant and revoke coordinators, /reload, /audit), comma-separated. */
      ADMIN_IDS: z
        .string()
        .default("")
        .transform((value, ctx) => {
          const ids = value
            .split(",")
            .map((id) => id.trim())
            .filter((id) => id !== "");
          if (!ids.every((id) => /^[1-9]\d{0,15}$/.test(id) && Number.isSafeInteger(Number(id)))) {
            ctx.addIssue({
              code: "custom",
              message: "must be comma-separated numeric Telegram user ids (e.g. 123456789,987654321)",
            });
            return z.NEVER;
          }
          return [...new Set(ids.map(Number))];
        }),
      /** Username shown in deep links in console mode (polling and webhook modes ask Telegram). */
      BOT_USERNAME: z
        .string()
        .regex(/^[A-Za-z0-9_]{5,32}$/)
        .default("CooperationDeskBot"),
    })
    .superRefine((env, ctx) => {
      if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET)
        ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "is required with WEBHOOK_URL" });
      if (env.WEBHOOK_URL && !env.TELEGRAM_BOT_TOKEN)
        ctx.addIssue({ code: "custom", path: ["TELEGRAM_BOT_TOKEN"], message: "is required with WEBHOOK_URL" });
    });

export type Mode = "console" | "polling" | "webhook";

export type Config = z.infer<ReturnType<typeof envSchema>> & { mode: Mode };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema(telegramCloud(env)).safeParse(env);
  if (!parsed.success) {
    // Messages name the variable and the rule, never the value (it may be a secret).
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
  }
  const c = parsed.data;
  const mode: Mode = !c.TELEGRAM_BOT_TOKEN ? "console" : c.WEBHOOK_URL ? "webhook" : "polling";
  const index = c.SEARCH_INDEX_FILE;
  const SEARCH_INDEX_FILE =
    index === undefined ? defaultSearchIndexFile(c.CATALOG_DIR) : index === "" ? undefined : path.resolve(index);
  return { ...c, SEARCH_INDEX_FILE, mode };
}

/**
 * Where the saved search index of a catalog folder goes by default: the system's temporary folder, one
 * file per folder, so a fresh clone's second start loads what its first built without writing into the
 * working copy, and runs on other catalogs (tests, a second deployment) leave it alone. The sources under
 * tsx and the compiled code have a file each: an index names the code it was made by, so taking turns
 * with one file would make each start build it again.
 */
export function defaultSearchIndexFile(catalogDir: string): string {
  const id = createHash("sha256").update(path.resolve(catalogDir)).digest("hex").slice(0, 12);
  const code = import.meta.url.endsWith(".ts") ? "src" : "dist";
  return path.join(os.tmpdir(), "cooperation-desk", `search-index-${id}-${code}.bin`);
}

/**
 * Broadcast settings from the environment:
 *
 * - `BROADCAST_PAID` — paid broadcasting (`true` / `false`, default false): every broadcast message is
 *   sent with `allow_paid_broadcast`, which lifts Telegram's limit from 30 to 1000 messages per second
 *   for 0.1 Star per message over the free 30 a second (enable paid broadcasts in @BotFather first).
 * - `BROADCAST_RATE_PER_SECOND` — messages per second across every worker process sharing the Redis
 *   (default 28, just under Telegram's ~30 messages per second for a bot; with `BROADCAST_PAID`, 950 and
 *   at most 1000). Decimals allowed.
 * - `BROADCAST_MAX_ATTEMPTS` — tries per message on 5xx answers and network errors, with exponential
 *   backoff, before it counts as failed (default 5). 429s do not use up attempts; 403 and
 *   "chat not found" are never retried.
 * - `BROADCAST_CONCURRENCY` — messages in flight at once per worker process (default: enough for half a
 *   second of latency at the configured rate, 4–50). Also the most messages that can be sent twice
 *   when a worker process is killed.
 * - `BROADCAST_LOCK_SECONDS` — how long the messages of a crashed worker process stay locked before
 *   another worker takes them over (default 30; locks are renewed while a worker is alive).
 */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

/** true / false (also 1 / 0, yes / no, on / off, any case); empty: the default. */
const flag = optional(
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { message: "must be true or false" }))
    .transform((v) => ["true", "1", "yes", "on"].includes(v)),
);

const broadcastSchema = z
  .object({
    BROADCAST_PAID: flag,
    BROADCAST_RATE_PER_SECOND: optional(z.coerce.number().positive().max(10_000)),
    BROADCAST_MAX_ATTEMPTS: optional(z.coerce.number().int().min(1).max(50)),
    BROADCAST_CONCURRENCY: optional(z.coerce.number().int().min(1).max(1000)),
    BROADCAST_LOCK_SECONDS: optional(z.coerce.number().min(1).max(3600)),
  })
  .superRefine((env, ctx) => {
    if (
      env.BROADCAST_PAID &&
      env.BROADCAST_RATE_PER_SECOND !== undefined &&
      env.BROADCAST_RATE_PER_SECOND > PAID_BROADCAST_MAX_PER_SECOND
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["BROADCAST_RATE_PER_SECOND"],
        message: `must be at most ${PAID_BROADCAST_MAX_PER_SECOND} with BROADCAST_PAID (Telegram's paid broadcast limit)`,
      });
    }
  });

export function broadcastSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BroadcastSettings {
  const parsed = broadcastSchema.safeParse(env);
  if (!parsed.success) {
    // Like loadConfig: the variable and the rule, never the value.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`));
  }
  const e = parsed.data;
  const paid = e.BROADCAST_PAID ?? false;
  return {
    ratePerSecond: e.BROADCAST_RATE_PER_SECOND ?? defaultRate(paid),
    maxAttempts: e.BROADCAST_MAX_ATTEMPTS ?? DEFAULT_MAX_ATTEMPTS,
    ...(e.BROADCAST_CONCURRENCY !== undefined ? { concurrency: e.BROADCAST_CONCURRENCY } : {}),
    lockMs: Math.round((e.BROADCAST_LOCK_SECONDS ?? DEFAULT_LOCK_MS / 1000) * 1000),
    paid,
  };
}

/**
 * What an entry point reads from its environment: the configuration and the broadcast settings, or the
 * report of every problem for stderr (the entry point then exits 2).
 */
export function loadEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): { config: Config; broadcast: BroadcastSettings } | { report: string } {
  try {
    return { config: loadConfig(env), broadcast: broadcastSettingsFromEnv(env) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.map((p) => `  - ${p}`).join("\n");
    return { report: `Configuration error: fix these environment variables (see .env.example):\n${problems}\n` };
  }
}
