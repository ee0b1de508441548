import { healthCheck } from "../server/health.js";
import { webhookHandler } from "../server/webhook.js";
import type { App } from "./compose.js";
import { openHttpServer, type RunningBot, type StartOptions } from "./http-server.js";
import { StartupError } from "./startup-error.js";
import { ALLOWED_UPDATES, applyCommands, connectTelegram, telegramStep } from "./telegram.js";

const WEBHOOK_TIMEOUT_MS = 25_000;

/** Webhook on HOST:PORT at the path of WEBHOOK_URL (with /healthz), registered with Telegram by setWebhook. */
export async function startWebhook(app: App, options: StartOptions = {}): Promise<RunningBot> {
  const { bot, logger, config } = app;
  if (!config.WEBHOOK_URL || !config.WEBHOOK_SECRET)
    throw new StartupError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET", 2);
  await connectTelegram(app, options);
  const path = new URL(config.WEBHOOK_URL).pathname;
  const hook = webhookHandler({
    secret: config.WEBHOOK_SECRET,
    handleUpdate: (update) => bot.handleUpdate(update),
    logger,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
  });
  const { handle: server, address } = options.server ?? (await openHttpServer(app.config, app.logger));
  server.setHealth(() => healthCheck(app));
  server.setWebhook({ path, handle: (request) => hook.handle(request) });
  try {
    await telegramStep(app, "setWebhook", () =>
      bot.api.setWebhook(config.WEBHOOK_URL as string, {
        secret_token: config.WEBHOOK_SECRET,
        allowed_updates: [...ALLOWED_UPDATES],
      }),
    );
  } catch (error) {
    await server.close();
    throw error;
  }
  await applyCommands(app, options);
  logger.info(
    {
      mode: "webhook",
      username: bot.botInfo.username,
      url: config.WEBHOOK_URL,
      listen: `${address.address}:${address.port}`,
    },
    "bot started",
  );

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
