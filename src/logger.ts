import pino from "pino";
import { createRedactor, scrub } from "./redact.js";

export type Logger = pino.Logger;

/** The slice of a logger the services use: pino's three levels, so a pino logger or a test's stub fits. */
export interface ServiceLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * JSON logs on stdout (stderr in console mode, where stdout is the chat). Credentials never reach them:
 * every string of every line — the message, each field, the fields of logged errors — goes through the
 * redactor of src/redact.ts, which replaces the given secrets (token, webhook secret, URL passwords) and
 * blanks credentials by their shape (URL user info, Redis AUTH arguments) whatever their value.
 */
export function createLogger(
  level: string,
  destination: "stdout" | "stderr" | pino.DestinationStream = "stdout",
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const redact = createRedactor(secrets);
  return pino(
    {
      level,
      redact: {
        paths: [
          "token",
          "*.token",
          "config.TELEGRAM_BOT_TOKEN",
          "config.WEBHOOK_SECRET",
          "headers.authorization",
          "*.headers['x-telegram-bot-api-secret-token']",
        ],
        censor: "[redacted]",
      },
      // Errors are turned into plain, redacted objects here, before any serializer sees them...
      formatters: { log: (object) => scrub(object, redact) as Record<string, unknown> },
      // ...so pino's error serializer must leave them as they are.
      serializers: { err: (value: unknown) => value },
      hooks: {
        logMethod(args, method) {
          const clean: unknown[] = args.map((arg) => (typeof arg === "string" ? redact(arg) : arg));
          // logger.error(error) would take the error's own message as the line's message, unredacted.
          if (clean[0] instanceof Error && typeof clean[1] !== "string") clean.splice(1, 0, redact(clean[0].message));
          method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    typeof destination === "string" ? pino.destination(destination === "stdout" ? 1 : 2) : destination,
  );
}
