// The composition root: builds the app once (compose.ts) and runs it in a Telegram mode. Entry points,
// the console and tests come in here.
import type { App } from "./compose.js";
import type { RunningBot, StartOptions } from "./http-server.js";

export { createApp, type App, type CreateAppOptions } from "./compose.js";
export { openHttpServer, type OpenServer, type RunningBot, type StartOptions } from "./http-server.js";
export { StartupError } from "./startup-error.js";
export { ALLOWED_UPDATES } from "./telegram.js";

// Each Telegram mode is loaded when it starts: the console runs neither, and long polling's runner
// (grammY's @grammyjs/runner) is not needed by a webhook.

/** Long polling (src/app/run-polling.ts). */
export async function startPolling(app: App, options?: StartOptions): Promise<RunningBot> {
  const { startPolling: start } = await import("./run-polling.js");
  return start(app, options);
}

/** Webhook (src/app/run-webhook.ts). */
export async function startWebhook(app: App, options?: StartOptions): Promise<RunningBot> {
  const { startWebhook: start } = await import("./run-webhook.js");
  return start(app, options);
}
