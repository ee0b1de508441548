import type { AddressInfo } from "node:net";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { createHttpServer, type HttpServerHandle } from "../server/http.js";
import { StartupError } from "./startup-error.js";
import type { ConnectOptions } from "./telegram.js";

/** What the two Telegram modes share: the HTTP server opened before them, their options and their handle. */

/** A started bot: where its HTTP server listens, and how to stop everything it started. */
export interface RunningBot {
  mode: "polling" | "webhook";
  /** HTTP server address (webhook + /healthz, or /healthz alone in polling mode). */
  address: AddressInfo;
  /** Settles when the bot stops by itself (e.g. the runner gives up); rejects with the cause. */
  done: Promise<void>;
  /** Stops taking updates, lets in-flight updates finish (up to a grace period), closes the server and state. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions extends ConnectOptions {
  /** How long stop() waits for updates being handled; default 10 s. */
  drainMs?: number;
  /** The HTTP server opened early by openHttpServer (it said "starting" meanwhile); default: one is opened here. */
  server?: OpenServer;
}

/** An HTTP server already listening. */
export interface OpenServer {
  handle: HttpServerHandle;
  address: AddressInfo;
}

/**
 * Opens the HTTP server before the bot can serve: /healthz answers 503 "starting" (and the webhook path
 * 503, so Telegram keeps its updates for later) until startPolling or startWebhook takes it over.
 */
export async function openHttpServer(config: Config, logger: Logger): Promise<OpenServer> {
  const handle = createHttpServer({ logger, health: async () => ({ status: "starting", mode: config.mode }) });
  if (config.mode === "webhook" && config.WEBHOOK_URL) {
    handle.setWebhook({
      path: new URL(config.WEBHOOK_URL).pathname,
      handle: async () => ({ status: 503, body: { error: "starting" } }),
    });
  }
  let address: AddressInfo;
  try {
    address = await handle.listen(config.HOST, config.PORT);
  } catch (error) {
    throw new StartupError(`cannot listen on ${config.HOST}:${config.PORT}: ${(error as Error).message}`, 1);
  }
  logger.info({ listen: `${address.address}:${address.port}` }, "HTTP server listening; starting");
  return { handle, address };
}
