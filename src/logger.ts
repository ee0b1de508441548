import pino from "pino";

export type Logger = pino.Logger;

/**
 * JSON logs on stdout (stderr in console mode, where stdout is the chat). Anything that could hold the
 * bot token or a secret is redacted by path, and the token itself is never passed to a log call.
 */
export function createLogger(level: string, destination: "stdout" | "stderr" = "stdout"): Logger {
  return pino(
    {
      level,
      redact: { paths: ["token", "*.token", "config.TELEGRAM_BOT_TOKEN", "config.WEBHOOK_SECRET", "headers.authorization", "*.headers['x-telegram-bot-api-secret-token']"], censor: "[redacted]" },
    },
    pino.destination(destination === "stdout" ? 1 : 2),
  );
}
