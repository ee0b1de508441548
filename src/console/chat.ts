import { createInterface } from "node:readline";
import type { User } from "grammy/types";
import type { App } from "../app/index.js";
import { htmlByDefault } from "../bot/html-default.js";
import { supportedLanguage } from "../i18n.js";
import { dim } from "./render.js";
import { ConsoleTelegram } from "./telegram.js";

/**
 * The console chat: the real bot (same createBot handlers and middleware) talking to a person in the
 * terminal, with every Bot API call answered in-process (ConsoleTelegram). Lines are handled one at a
 * time, each update to the end before the next line, so piped input behaves like a typed conversation.
 */

export interface ConsoleOptions {
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  /** ANSI styles; default: output is a TTY and NO_COLOR is not set. */
  color?: boolean;
}

/** Telegram user id of the person at the terminal. */
export const CONSOLE_USER_ID = 100_000_001;

const QUIT = new Set(["/quit", "/exit"]);

export async function runConsole(app: App, options: ConsoleOptions = {}): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const env = options.env ?? process.env;
  const interactive = Boolean(input.isTTY && output.isTTY);
  const style = { color: options.color ?? Boolean(output.isTTY && !env.NO_COLOR) };
  // A reader that goes away (`npm start | head`) ends the chat quietly instead of crashing on EPIPE.
  let gone = false;
  const write = (text: string): void => {
    if (!gone) output.write(text);
  };

  const { bot } = app;
  const user = consoleUser(env);
  const telegram = new ConsoleTelegram({ botInfo: bot.botInfo, user, write, style });
  // The console answers every call itself, ahead of the bot's own transformers, so it applies their HTML default first.
  bot.api.config.use((prev, method, payload, signal) =>
    htmlByDefault((m, p, s) => telegram.transformer(prev, m, p, s), method, payload, signal),
  );
  await bot.init();

  write(
    dim(
      [
        `${bot.botInfo.first_name} — console chat (nothing is sent to Telegram; language: ${user.language_code}).`,
        `Type a question or a /command. A number presses a button of the last message with buttons.`,
        `"@${bot.botInfo.username} words" runs an inline query. /quit or Ctrl-D leaves.`,
      ].join("\n"),
      style,
    ) + "\n\n",
  );

  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, prompt: "› " });
  rl.on("SIGINT", () => rl.close());
  const onOutputError = (error: NodeJS.ErrnoException): void => {
    gone = true;
    rl.close();
    if (error.code !== "EPIPE") app.logger.error({ message: error.message }, "console output failed");
  };
  output.on("error", onOutputError);
  const lines = rl[Symbol.asyncIterator]();
  if (interactive) rl.prompt();
  try {
    for await (const line of lines) {
      if (gone) break;
      if (!interactive && line.trim() !== "") write(`› ${line.trim()}\n\n`);
      if (QUIT.has(line.trim().toLowerCase())) break;
      const action = telegram.input(line);
      if (action.kind === "update") {
        try {
          await bot.handleUpdate(action.update);
        } catch (error) {
          // bot.catch already handles update errors; this is its own failure.
          app.logger.error({ message: (error as Error).message }, "update failed in the console");
          write(dim(`(the bot failed on this update: ${(error as Error).message})`, style) + "\n\n");
        }
        action.after?.();
      } else if (action.kind === "say") {
        write(dim(action.text, style) + "\n\n");
      }
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
  }
  if (interactive) write("\n");
}

/** The person at the terminal, speaking the language of their locale (LC_ALL, LC_MESSAGES, LANG). */
export function consoleUser(env: NodeJS.ProcessEnv): User {
  return {
    id: CONSOLE_USER_ID,
    is_bot: false,
    first_name: env.USER?.trim() || "You",
    language_code: consoleLanguage(env),
  };
}

export function consoleLanguage(env: NodeJS.ProcessEnv): string {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v.trim() !== "");
  return supportedLanguage(locale) ?? "en";
}
