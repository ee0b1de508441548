// The composition root: builds the app once (compose.ts) and runs it in a Telegram mode. Entry points,
// the console and tests come in here.
export { createApp, type App, type CreateAppOptions } from "./compose.js";
export { openHttpServer, type OpenServer, type RunningBot, type StartOptions } from "./http-server.js";
export { startPolling } from "./run-polling.js";
export { startWebhook } from "./run-webhook.js";
export { StartupError } from "./startup-error.js";
export { ALLOWED_UPDATES } from "./telegram.js";
