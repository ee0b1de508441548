import type { App, RunningBot } from "./app.js";
import { broadcastSettingsFromEnv, type BroadcastSettings } from "./broadcast/config.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";

/**
 * `npm start`. The mode follows the configuration: no TELEGRAM_BOT_TOKEN → a console chat in the
 * terminal; a token → long polling; a token and WEBHOOK_URL → webhook server.
 *
 * Exit codes: 0 after a clean stop, 2 for bad configuration or a bad catalog, 1 when Telegram cannot be
 * used (token refused, unreachable after retries, long polling stopped) or on a crash.
 */

const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<number> {
  let config: Config;
  let broadcast: BroadcastSettings;
  try {
    config = loadConfig(process.env);
    broadcast = broadcastSettingsFromEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: fix these environment variables (see .env.example):\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
      return 2;
    }
    throw error;
  }

  // In the console the chat is on stdout: logs go to stderr, and only warnings unless LOG_LEVEL asks for more.
  const consoleMode = config.mode === "console";
  const logger = createLogger(consoleMode && !process.env.LOG_LEVEL ? "warn" : config.LOG_LEVEL, consoleMode ? "stderr" : "stdout");
  activeLogger = logger;
  const secrets = [config.TELEGRAM_BOT_TOKEN, config.WEBHOOK_SECRET];
  installProcessHandlers(logger, secrets);

  // Loaded once the configuration is known to be good, so configuration errors are reported at once.
  const { createApp, startPolling, startWebhook } = await import("./app.js");

  let app: App;
  try {
    app = await createApp(config, { logger, broadcast });
  } catch (error) {
    return startupFailed(error, logger, secrets);
  }

  if (consoleMode) {
    const { runConsole } = await import("./console/chat.js");
    try {
      await runConsole(app);
    } finally {
      await app.close();
    }
    return 0;
  }

  let running: RunningBot;
  try {
    running = config.mode === "webhook" ? await startWebhook(app) : await startPolling(app);
  } catch (error) {
    await app.close();
    return startupFailed(error, logger, secrets);
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number, reason: string): void => {
      if (stopping) {
        logger.warn({ reason }, "second stop request: exiting now");
        resolve(1);
        return;
      }
      stopping = true;
      logger.info({ reason }, "stopping");
      const force = setTimeout(() => {
        logger.error({ ms: SHUTDOWN_TIMEOUT_MS }, "shutdown took too long: exiting anyway");
        resolve(1);
      }, SHUTDOWN_TIMEOUT_MS);
      force.unref();
      running.stop().then(
        () => resolve(code),
        (error: unknown) => {
          logger.error({ message: redact(String((error as Error).message), ...secrets) }, "shutdown failed");
          resolve(1);
        },
      );
    };
    process.once("SIGINT", () => stop(0, "SIGINT"));
    process.once("SIGTERM", () => stop(0, "SIGTERM"));
    running.done.catch((error: unknown) => {
      process.stderr.write(`${redact((error as Error).message, ...secrets)}\n`);
      stop(1, "bot stopped by itself");
    });
  });
}

function startupFailed(error: unknown, logger: Logger, secrets: (string | undefined)[]): number {
  const startup = isStartupError(error);
  const message = startup ? error.message : error instanceof Error ? error.message : String(error);
  const clean = redact(message, ...secrets);
  logger.fatal({ reason: clean }, "cannot start");
  process.stderr.write(`Cannot start: ${clean}\n`);
  if (startup) return error.exitCode;
  if (!(error instanceof Error) || !error.stack) return 1;
  process.stderr.write(`${redact(error.stack, ...secrets)}\n`);
  return 1;
}

/** StartupError (src/app.ts) without loading the app module. */
function isStartupError(error: unknown): error is Error & { exitCode: number } {
  return error instanceof Error && error.name === "StartupError" && typeof (error as { exitCode?: unknown }).exitCode === "number";
}

/** Replaces every occurrence of the secrets (token, webhook secret) in a text meant for logs. */
function redact(text: string, ...secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out;
}

function installProcessHandlers(logger: Logger, secrets: (string | undefined)[]): void {
  process.on("unhandledRejection", (reason) => {
    // Update errors are handled by bot.catch; anything reaching here is a bug elsewhere: log it, keep serving.
    const message = reason instanceof Error ? reason.message : String(reason);
    const stack = reason instanceof Error ? reason.stack : undefined;
    logger.error({ message: redact(message, ...secrets), stack: stack && redact(stack, ...secrets) }, "unhandled promise rejection");
  });
  process.on("uncaughtException", (error) => {
    logger.fatal({ message: redact(error.message, ...secrets), stack: error.stack && redact(error.stack, ...secrets) }, "uncaught exception: exiting");
    void exit(logger, 1);
  });
}

async function exit(logger: Logger | undefined, code: number): Promise<never> {
  if (logger) await flush(logger);
  process.exit(code);
}

function flush(logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      resolve();
    }
  });
}

/** The logger main() made, flushed before exiting. */
let activeLogger: Logger | undefined;

main().then(
  (code) => exit(activeLogger, code),
  (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`Crashed: ${redact(text, process.env.TELEGRAM_BOT_TOKEN, process.env.WEBHOOK_SECRET)}\n`);
    return exit(activeLogger, 1);
  },
);
