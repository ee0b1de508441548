import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";
import type { HealthReport } from "./health.js";
import type { WebhookAnswer, WebhookRequest } from "./webhook.js";

/**
 * The bot's HTTP server (node:http): the Telegram webhook (POST on its path) and GET /healthz.
 * Everything else is 404. Webhook bodies are read here, within a size limit, then handed to the
 * webhook handler (src/server/webhook.ts), whose answer is sent as JSON.
 */

/** Telegram updates are a few kilobytes; anything near this is not one. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export interface WebhookRoute {
  /** Path of WEBHOOK_URL, e.g. "/telegram/webhook". */
  path: string;
  /** Checks the secret header, reads and handles the update (src/server/webhook.ts); must not throw. */
  handle: (request: WebhookRequest) => Promise<WebhookAnswer>;
}

export interface HttpServerOptions {
  logger: Logger;
  health: () => Promise<HealthReport>;
  webhook?: WebhookRoute;
  bodyLimitBytes?: number;
}

export interface HttpServerHandle {
  server: Server;
  /** Replaces what /healthz reports (the server opens while the bot is still starting). */
  setHealth(health: () => Promise<HealthReport>): void;
  /** Starts taking webhook updates (or replaces the route). */
  setWebhook(webhook: WebhookRoute): void;
  listen(host: string, port: number): Promise<AddressInfo>;
  /** Stops accepting connections, waits up to `graceMs` for requests in progress, then drops the rest. Idempotent. */
  close(graceMs?: number): Promise<void>;
}

export function createHttpServer(options: HttpServerOptions): HttpServerHandle {
  const { logger } = options;
  let { health, webhook } = options;
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const inFlight = new Set<Promise<void>>();

  const server = createServer((req, res) => {
    const task = route(req, res).catch((error: unknown) => {
      logger.error({ message: (error as Error).message, path: safePath(req) }, "HTTP request failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 15_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = safePath(req);
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      req.resume();
      const report = await health();
      sendJson(res, report.status === "ok" ? 200 : 503, report, req.method === "HEAD");
      return;
    }
    if (webhook && path === webhook.path && req.method === "POST") {
      await handleWebhook(req, res, webhook);
      return;
    }
    req.resume();
    sendJson(res, 404, { error: "not found" });
  }

  async function handleWebhook(req: IncomingMessage, res: ServerResponse, hook: WebhookRoute): Promise<void> {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return tooLarge(req, res);
    const body = await readBody(req, limit);
    if (body === undefined) return tooLarge(req, res);
    const answer = await hook.handle({ headers: req.headers, body });
    sendJson(res, answer.status, answer.body);
  }

  function tooLarge(req: IncomingMessage, res: ServerResponse): void {
    logger.warn({ path: safePath(req), limit }, "webhook body over the size limit");
    res.setHeader("connection", "close");
    sendJson(res, 413, { error: `body over ${limit} bytes` });
    req.resume(); // discard the rest, so the client reads the answer instead of a reset connection
  }

  let closing: Promise<void> | undefined;
  return {
    server,
    setHealth(next) {
      health = next;
    },
    setWebhook(next) {
      webhook = next;
    },
    async listen(host, port) {
      server.listen(port, host);
      await Promise.race([
        once(server, "listening"),
        once(server, "error").then(([error]) => {
          throw error;
        }),
      ]);
      return server.address() as AddressInfo;
    },
    close(graceMs = 10_000) {
      closing ??= (async () => {
        if (!server.listening) return;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        });
        await Promise.race([Promise.allSettled([...inFlight]), grace]);
        clearTimeout(timer);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/**
 * The body, or undefined as soon as it grows over `limit` bytes. The stream keeps flowing (and is
 * discarded) after that, so the client can finish sending and read the 413; a client that goes on far
 * past the limit is cut off.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > limit * 16) req.destroy();
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.once("error", (error) => (over ? undefined : reject(error)));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(headOnly ? undefined : text);
}

function safePath(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return "/";
  }
}
