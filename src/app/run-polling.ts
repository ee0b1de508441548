import { run, type RunnerHandle } from "@grammyjs/runner";
import { healthCheck } from "../server/health.js";
import { LONG_POLL_SECONDS } from "../bot/index.js";
import type { App } from "./compose.js";
import { openHttpServer, type RunningBot, type StartOptions } from "./http-server.js";
import { StartupError } from "./startup-error.js";
import { ALLOWED_UPDATES, applyCommands, connectTelegram, describeTelegramError, telegramStep } from "./telegram.js";

/** Long polling with @grammyjs/runner (updates of one chat stay in order: createBot sequentializes), plus /healthz. */
export async function startPolling(app: App, options: StartOptions = {}): Promise<RunningBot> {
  const { bot, logger } = app;
  await connectTelegram(app, options);
  await telegramStep(app, "deleteWebhook", () => bot.api.deleteWebhook({ drop_pending_updates: false }));
  await applyCommands(app, options);
  logFetchFailures(app);
  const { handle: server, address } = options.server ?? (await openHttpServer(app.config, app.logger));
  server.setHealth(() => healthCheck(app));

  const runner = run(bot, {
    runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: LONG_POLL_SECONDS } },
  });
  logger.info(
    { mode: "polling", username: bot.botInfo.username, health: `http://${address.address}:${address.port}/healthz` },
    "bot started",
  );
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

/** Long-polling failures the runner retries silently are logged here (without the request URL, which holds the token). */
function logFetchFailures(app: App): void {
  app.bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      if (method === "getUpdates" && !signal?.aborted)
        app.logger.warn({ reason: describeTelegramError(error, app.bot.token) }, "fetching updates failed; retrying");
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
