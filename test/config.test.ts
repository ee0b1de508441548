import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadEnvironment } from "../src/config.js";

/**
 * Tests that spawn `node --import tsx src/main.ts` (module loading, catalog and index build) get more time:
 * a bound on a hang, as on a loaded machine a start can take a minute.
 */
const SPAWN_TIMEOUT_MS = 180_000;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TOKEN = "123456789:AAsecretTokenValue_abcdefghijklmnop";
const SECRET = "webhook-secret-VALUE_0123456789";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration: modes", () => {
  it("runs the console chat on the bundled catalog with in-memory state when nothing is set", () => {
    const config = loadConfig({});
    expect(config.mode).toBe("console");
    expect(config).toMatchObject({
      HOST: "0.0.0.0",
      PORT: 8080,
      LOG_LEVEL: "info",
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      BOT_USERNAME: "CooperationDeskBot",
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.CATALOG_DIR).toBe(path.join(ROOT, "data"));
  });

  it("treats empty and blank values as unset (a .env copied from .env.example works as is)", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "", WEBHOOK_URL: " ", WEBHOOK_SECRET: "", REDIS_URL: "" }).mode).toBe(
      "console",
    );
  });

  it("polls with a token and no webhook", () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN });
    expect(config.mode).toBe("polling");
    expect(config.TELEGRAM_BOT_TOKEN).toBe(TOKEN);
  });

  it("serves a webhook with a token, WEBHOOK_URL and WEBHOOK_SECRET", () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      WEBHOOK_URL: "https://bot.example.org/telegram/hook",
      WEBHOOK_SECRET: SECRET,
      PORT: "3000",
      HOST: "127.0.0.1",
    });
    expect(config.mode).toBe("webhook");
    expect(config).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", WEBHOOK_SECRET: SECRET });
  });

  it("takes TELEGRAM_API_ROOT (a local Bot API server) and numeric settings from strings", () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      STATE_TTL_SECONDS: "60",
      ANSWER_THRESHOLD: "0.25",
      RETRY_MAX_DELAY_SECONDS: "5",
    });
    expect(config).toMatchObject({
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081",
      STATE_TTL_SECONDS: 60,
      ANSWER_THRESHOLD: 0.25,
      RETRY_MAX_DELAY_SECONDS: 5,
    });
    expect(loadConfig({ REDIS_START_TIMEOUT_SECONDS: "5" }).REDIS_START_TIMEOUT_SECONDS).toBe(5);
    expect(loadConfig({}).REDIS_START_TIMEOUT_SECONDS).toBe(60);
  });

  it("takes an http:// WEBHOOK_URL with a local Bot API server, which posts to one, and only then", () => {
    const env = { TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: "http://127.0.0.1:8080/hook", WEBHOOK_SECRET: SECRET };
    const config = loadConfig({ ...env, TELEGRAM_API_ROOT: "http://127.0.0.1:8081" });
    expect(config).toMatchObject({ mode: "webhook", WEBHOOK_URL: "http://127.0.0.1:8080/hook" });
    expect(problems(env)).toEqual([
      "WEBHOOK_URL must be an https:// URL Telegram can reach (http:// only with a local Bot API server as TELEGRAM_API_ROOT)",
    ]);
  });

  it("takes a short test token with a local Bot API server, and only @BotFather's kind with Telegram's", () => {
    const local = loadConfig({ TELEGRAM_BOT_TOKEN: "123456:TEST-token", TELEGRAM_API_ROOT: "http://127.0.0.1:8081" });
    expect(local).toMatchObject({ mode: "polling", TELEGRAM_BOT_TOKEN: "123456:TEST-token" });
    expect(problems({ TELEGRAM_BOT_TOKEN: "123456:TEST-token" })).toEqual([
      "TELEGRAM_BOT_TOKEN must look like 123456789:AA… (from @BotFather)",
    ]);
    expect(problems({ TELEGRAM_BOT_TOKEN: "test-token", TELEGRAM_API_ROOT: "http://127.0.0.1:8081" })).toEqual([
      "TELEGRAM_BOT_TOKEN must look like 123456789:AA… (from @BotFather)",
    ]);
  });

  it("takes TELEGRAM_API_ROOT with a trailing slash (grammY refuses one) or empty (the default)", () => {
    expect(loadConfig({ TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" }).TELEGRAM_API_ROOT).toBe("http://127.0.0.1:8081");
    expect(loadConfig({ TELEGRAM_API_ROOT: " http://bot-api.local/root// " }).TELEGRAM_API_ROOT).toBe(
      "http://bot-api.local/root",
    );
    expect(loadConfig({ TELEGRAM_API_ROOT: "" }).TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
  });
});

describe("configuration: each bad variable is named, its value never shown", () => {
  const cases: [name: string, env: Record<string, string>, secret?: string][] = [
    ["TELEGRAM_BOT_TOKEN", { TELEGRAM_BOT_TOKEN: "not-a-token-SECRET123" }, "SECRET123"],
    ["TELEGRAM_BOT_TOKEN", { WEBHOOK_URL: "https://bot.example.org/hook", WEBHOOK_SECRET: SECRET }],
    ["WEBHOOK_SECRET", { TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://bot.example.org/hook" }],
    [
      "WEBHOOK_SECRET",
      { TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://bot.example.org/hook", WEBHOOK_SECRET: "short+bad/SECRETX" },
      "SECRETX",
    ],
    ["WEBHOOK_URL", { TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: "http://bot.example.org/hook", WEBHOOK_SECRET: SECRET }],
    ["WEBHOOK_URL", { TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: "not a url", WEBHOOK_SECRET: SECRET }],
    ["WEBHOOK_URL", { TELEGRAM_BOT_TOKEN: TOKEN, WEBHOOK_URL: "ftp://bot.example.org/hook", WEBHOOK_SECRET: SECRET }],
    ["TELEGRAM_API_ROOT", { TELEGRAM_API_ROOT: "ftp://api.example.org" }],
    ["PORT", { PORT: "99999" }],
    ["PORT", { PORT: "eighty" }],
    ["REDIS_URL", { REDIS_URL: "mysql://user:hunter2SECRET@db:3306" }, "hunter2SECRET"],
    ["STATE_TTL_SECONDS", { STATE_TTL_SECONDS: "0" }],
    ["REDIS_START_TIMEOUT_SECONDS", { REDIS_START_TIMEOUT_SECONDS: "0" }],
    ["REDIS_START_TIMEOUT_SECONDS", { REDIS_START_TIMEOUT_SECONDS: "soon" }],
    ["LOG_LEVEL", { LOG_LEVEL: "verbose" }],
    ["ANSWER_THRESHOLD", { ANSWER_THRESHOLD: "1.5" }],
    ["RETRY_MAX_DELAY_SECONDS", { RETRY_MAX_DELAY_SECONDS: "-1" }],
    ["BOT_USERNAME", { BOT_USERNAME: "a b" }],
  ];

  it.each(cases)("%s: %j", (name, env, secret) => {
    const found = problems(env);
    expect(
      found.some((p) => p.startsWith(`${name} `)),
      `problems: ${found.join(" | ")}`,
    ).toBe(true);
    for (const value of Object.values(env)) {
      if (value.length >= 8) expect(found.join("\n")).not.toContain(value);
    }
    if (secret) expect(found.join("\n")).not.toContain(secret);
  });

  it("reports every problem at once", () => {
    const found = problems({ PORT: "-1", LOG_LEVEL: "loud", REDIS_URL: "http://x" });
    expect(found.map((p) => p.split(" ")[0]).sort()).toEqual(["LOG_LEVEL", "PORT", "REDIS_URL"]);
  });
});

describe("loadEnvironment (npm start and the broadcast worker)", () => {
  it("gives the configuration and the broadcast settings of a good environment", () => {
    const loaded = loadEnvironment({ TELEGRAM_BOT_TOKEN: TOKEN, BROADCAST_RATE_PER_SECOND: "12" });
    expect("report" in loaded).toBe(false);
    if ("report" in loaded) return;
    expect(loaded.config.mode).toBe("polling");
    expect(loaded.broadcast.ratePerSecond).toBe(12);
  });

  it("reports every problem of the configuration, or else of the broadcast settings, never a value", () => {
    const config = loadEnvironment({ TELEGRAM_BOT_TOKEN: "12345:tooShortSECRETpart", PORT: "http" });
    expect(config).toEqual({ report: expect.stringMatching(/^Configuration error: fix these environment variables/) });
    const report = "report" in config ? config.report : "";
    expect(report).toMatch(/\n {2}- TELEGRAM_BOT_TOKEN must look like.*\n {2}- PORT .*\n$/s);
    expect(report).not.toContain("tooShortSECRETpart");
    const broadcast = loadEnvironment({ TELEGRAM_BOT_TOKEN: TOKEN, BROADCAST_RATE_PER_SECOND: "fast-please" });
    expect("report" in broadcast && broadcast.report).toMatch(/\n {2}- BROADCAST_RATE_PER_SECOND /);
    expect("report" in broadcast && broadcast.report).not.toContain("fast-please");
  });
});

describe("npm start with a bad configuration", () => {
  it(
    "prints the problems to stderr, never the secret, and exits 2 before doing anything",
    () => {
      const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, TELEGRAM_BOT_TOKEN: "12345:tooShortSECRETpart", PORT: "http" },
        encoding: "utf8",
        timeout: SPAWN_TIMEOUT_MS - 30_000,
      });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("Configuration error");
      expect(result.stderr).toMatch(/TELEGRAM_BOT_TOKEN must look like/);
      expect(result.stderr).toMatch(/PORT /);
      expect(result.stderr).not.toContain("tooShortSECRETpart");
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe(".env.example", () => {
  const text = readFileSync(path.join(ROOT, ".env.example"), "utf8");

  it("documents every variable the configuration reads", () => {
    const documented = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const read = Object.keys(loadConfig({})).filter((k) => k !== "mode");
    expect(read.filter((k) => !documented.has(k))).toEqual([]);
  });

  it("is valid as is, and with every example value uncommented (plus a token)", () => {
    const assignments = (pattern: RegExp) =>
      Object.fromEntries([...text.matchAll(pattern)].map((m) => [m[1] as string, m[2] as string]));
    expect(loadConfig(assignments(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)).mode).toBe("console");
    const all = {
      ...assignments(/^#?\s*([A-Z][A-Z0-9_]+)=(.*)$/gm),
      TELEGRAM_BOT_TOKEN: TOKEN,
      WEBHOOK_SECRET: SECRET,
      CATALOG_DIR: "data",
    };
    expect(loadConfig(all).mode).toBe("webhook");
  });
});
