import type { App, OpenServer, RunningBot } from "./app/index.js";
import { loadEnvironment } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { configSecrets, createRedactor, type Redactor } from "./redact.js";

/**
 * `npm start`. The mode follows the configuration: no TELEGRAM_BOT_TOKEN → a console chat in the
 * terminal; a token → long polling; a token and WEBHOOK_URL → webhook server.
 *
 * Exit codes: 0 after a clean stop (also SIGTERM or SIGINT while starting), 2 for bad configuration or a
 * bad catalog, 3 when Redis did not answer within REDIS_START_TIMEOUT_SECONDS, 1 when Telegram cannot be
 * used (token refused, unreachable after retries, long polling stopped) or on a crash.
 */

const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<number> {
  const loaded = loadEnvironment(process.env);
  if ("report" in loaded) {
    process.stderr.write(loaded.report);
    return 2;
  }
  const { config, broadcast } = loaded;

  // In the console the chat is on stdout: logs go to stderr, and only warnings unless LOG_LEVEL asks for more.
  const consoleMode = config.mode === "console";
  const secrets = configSecrets(config);
  const redact = createRedactor(secrets);
  const logger = createLogger(
    consoleMode && !process.env.LOG_LEVEL ? "warn" : config.LOG_LEVEL,
    consoleMode ? "stderr" : "stdout",
    secrets,
  );
  activeLogger = logger;
  activeRedact = redact;
  installProcessHandlers(logger, redact);

  // Loaded once the configuration is known to be good, so configuration errors are reported at once.
  const { createApp, openHttpServer, startPolling, startWebhook } = await import("./app/index.js");

  if (consoleMode) {
    let app: App;
    try {
      app = await createApp(config, { logger, broadcast });
    } catch (error) {
      return startupFailed(error, logger, redact);
    }
    const { runConsole } = await import("./console/chat.js");
    try {
      await runConsole(app);
    } finally {
      await app.close();
    }
    return 0;
  }

  // SIGTERM or SIGINT while starting (waiting for Redis or Telegram) stops the start at once; once
  // running, they stop the bot (set below).
  const starting = new AbortController();
  let stop: ((code: number, reason: string) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop) return stop(0, signal);
    if (starting.signal.aborted) return;
    logger.info({ signal }, "stop requested while starting");
    starting.abort(new Error(`${signal} while starting`));
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  let server: OpenServer | undefined;
  let app: App | undefined;
  let running: RunningBot;
  try {
    // /healthz answers "starting" from here on.
    server = await openHttpServer(config, logger);
    app = await createApp(config, { logger, broadcast, signal: starting.signal });
    const options = { server, signal: starting.signal };
    running = config.mode === "webhook" ? await startWebhook(app, options) : await startPolling(app, options);
  } catch (error) {
    await app?.close();
    await server?.handle.close(0);
    if (starting.signal.aborted) {
      logger.info({}, "stopped while starting");
      return 0;
    }
    return startupFailed(error, logger, redact);
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    stop = (code: number, reason: string): void => {
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
          logger.error({ message: redact(String((error as Error).message)) }, "shutdown failed");
          resolve(1);
        },
      );
    };
    // A signal that came as the start finished.
    if (starting.signal.aborted) stop(0, "stop requested while starting");
    running.done.catch((error: unknown) => {
      process.stderr.write(`${redact((error as Error).message)}\n`);
      stop?.(1, "bot stopped by itself");
    });
  });
}

function startupFailed(error: unknown, logger: Logger, redact: Redactor): number {
  const startup = isStartupError(error);
  const message = startup ? error.message : error instanceof Error ? error.message : String(error);
  const clean = redact(message);
  logger.fatal({ reason: clean }, "cannot start");
  process.stderr.write(`Cannot start: ${clean}\n`);
  if (startup) return error.exitCode;
  if (!(error instanceof Error) || !error.stack) return 1;
  process.stderr.write(`${redact(error.stack)}\n`);
  return 1;
}

/** StartupError (src/app/startup-error.ts) without loading the app module. */
function isStartupError(error: unknown): error is Error & { exitCode: number } {
  return (
    error instanceof Error &&
    error.name === "StartupError" &&
    typeof (error as { exitCode?: unknown }).exitCode === "number"
  );
}

function installProcessHandlers(logger: Logger, redact: Redactor): void {
  process.on("unhandledRejection", (reason) => {
    // Update errors are handled by the bot's error boundary; anything reaching here is a bug elsewhere: log it, keep serving.
    const message = reason instanceof Error ? reason.message : String(reason);
    const stack = reason instanceof Error ? reason.stack : undefined;
    logger.error({ message: redact(message), stack: stack && redact(stack) }, "unhandled promise rejection");
  });
  process.on("uncaughtException", (error) => {
    logger.fatal(
      { message: redact(error.message), stack: error.stack && redact(error.stack) },
      "uncaught exception: exiting",
    );
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

/** The logger main() made, flushed before exiting, and the redactor of its secrets. */
let activeLogger: Logger | undefined;
let activeRedact: Redactor = createRedactor([process.env.TELEGRAM_BOT_TOKEN, process.env.WEBHOOK_SECRET]);

main().then(
  (code) => exit(activeLogger, code),
  (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`Crashed: ${activeRedact(text)}\n`);
    return exit(activeLogger, 1);
  },
);
