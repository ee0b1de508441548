import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Update } from "grammy/types";
import type { Logger } from "../logger.js";

/**
 * The Telegram webhook: checks the secret header, reads the update and hands it to the bot, then
 * answers Telegram. A failure inside a handler is the bot's error boundary's business (src/bot/errors.ts),
 * so an update that was read is always answered 200: a 5xx would only make Telegram deliver it again.
 * A body that is not an update at all gets 400; none of this ever answers 500.
 */

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface WebhookHandlerOptions {
  /** WEBHOOK_SECRET: Telegram sends it in X-Telegram-Bot-Api-Secret-Token. */
  secret: string;
  /** The bot's `handleUpdate`. */
  handleUpdate: (update: Update) => Promise<void>;
  logger: Logger;
  /** Telegram gets its 200 after this long even if the update is still being handled (it goes on in the background). */
  timeoutMs: number;
}

export interface WebhookHandler {
  handle(request: WebhookRequest): Promise<WebhookAnswer>;
  /** Waits (up to `maxMs`) for updates still being handled after Telegram got its answer. */
  idle(maxMs: number): Promise<void>;
}

const SECRET_HEADER = "x-telegram-bot-api-secret-token";

export function webhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const { logger } = options;
  const expected = digest(options.secret);
  const running = new Set<Promise<void>>();

  return {
    async handle({ headers, body }) {
      const header = headers[SECRET_HEADER];
      // Compared as digests, so the time taken says nothing about the secret, not even its length.
      if (typeof header !== "string" || !timingSafeEqual(digest(header), expected))
        return { status: 401, body: { error: "unauthorized" } };
      let value: unknown;
      try {
        value = JSON.parse(body.toString("utf8"));
      } catch {
        logger.warn({ bytes: body.length }, "webhook body is not JSON; answered 400");
        return { status: 400, body: { error: "body is not a JSON update" } };
      }
      if (!isUpdate(value)) {
        logger.warn({ got: kindOf(value) }, "webhook body is not an update; answered 400");
        return { status: 400, body: { error: "body is not a Telegram update" } };
      }
      const update = value;
      const task = options.handleUpdate(update).catch((error: unknown) => {
        // The bot's error boundary handles update failures; anything reaching here is a bug of the boundary.
        logger.error(
          { update: update.update_id, message: error instanceof Error ? error.message : String(error) },
          "update failed outside the error boundary",
        );
      });
      running.add(task);
      void task.finally(() => running.delete(task));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), options.timeoutMs);
      });
      const outcome = await Promise.race([task, late]);
      clearTimeout(timer);
      if (outcome === "late")
        logger.warn(
          { update: update.update_id, ms: options.timeoutMs },
          "update took longer than the webhook timeout; answered Telegram, still handling",
        );
      return { status: 200, body: { ok: true } };
    },
    async idle(maxMs) {
      if (running.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxMs);
      });
      await Promise.race([Promise.allSettled([...running]), grace]);
      clearTimeout(timer);
    },
  };
}

/** A JSON object with a non-negative integer update_id; the fields inside are checked by the bot (src/bot/middlewares/well-formed.ts). */
function isUpdate(value: unknown): value is Update {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const id = (value as { update_id?: unknown }).update_id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object without a valid update_id" : typeof value;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
