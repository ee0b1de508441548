// `npm run worker`: a broadcast worker process, next to the bot or on another machine. It delivers the
// messages of broadcasts the bot started (it cannot resolve audiences: the bot does that), at the rate
// shared by every worker on the same Redis. Reads REDIS_URL (required), TELEGRAM_BOT_TOKEN (required),
// TELEGRAM_API_ROOT, LOG_LEVEL and BROADCAST_* (see ./config.ts). Chats found inactive and progress
// reports go through Redis (see ./broadcast/redis-hooks.ts). SIGTERM / SIGINT: finishes the messages in flight,
// then exits 0. Exit 2: bad configuration.
import { startBroadcastWorker } from "./app/worker.js";
import { loadEnvironment } from "./config.js";
import { createLogger } from "./logger.js";
import { configSecrets, createRedactor } from "./redact.js";

const SHUTDOWN_TIMEOUT_MS = 30_000;

async function main(): Promise<number> {
  const loaded = loadEnvironment(process.env);
  if ("report" in loaded) {
    process.stderr.write(loaded.report);
    return 2;
  }
  const { config, broadcast: settings } = loaded;
  const missing = [
    !config.REDIS_URL && "REDIS_URL (the worker takes broadcasts from Redis)",
    !config.TELEGRAM_BOT_TOKEN && "TELEGRAM_BOT_TOKEN",
  ].filter(Boolean);
  if (missing.length > 0 || !config.REDIS_URL || !config.TELEGRAM_BOT_TOKEN) {
    process.stderr.write(`Configuration error: the broadcast worker needs ${missing.join(" and ")}\n`);
    return 2;
  }

  const logger = createLogger(config.LOG_LEVEL, "stdout", configSecrets(config));
  const worker = await startBroadcastWorker(
    {
      REDIS_URL: config.REDIS_URL,
      TELEGRAM_BOT_TOKEN: config.TELEGRAM_BOT_TOKEN,
      TELEGRAM_API_ROOT: config.TELEGRAM_API_ROOT,
    },
    settings,
    logger,
  );
  logger.info(
    { ratePerSecond: settings.ratePerSecond, paid: settings.paid, maxAttempts: settings.maxAttempts, pid: process.pid },
    "broadcast worker ready",
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  logger.info({ signal }, "broadcast worker stopping: finishing the messages in flight");
  const force = setTimeout(() => {
    logger.error({ ms: SHUTDOWN_TIMEOUT_MS }, "shutdown took too long: exiting anyway");
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  force.unref();
  await worker.close();
  logger.info({}, "broadcast worker stopped");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`broadcast worker crashed: ${createRedactor(configSecrets(process.env))(text)}\n`);
    process.exit(1);
  },
);
