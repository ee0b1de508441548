import type { Api } from "grammy";

/**
 * The bot's Telegram client for the services the composition root builds before the bot (reminders,
 * broadcast delivery), so the dependencies the bot is created with are complete. `api` stands in for
 * the bot's own client: once `bind` is given it, every call made through `api` is a call on that
 * client, with its transformers (auto-retry, the HTML default, and in the console the in-process
 * answers installed after the app is built). Services keep `api` and call it only once they run, after
 * the bot exists; a call before `bind` fails.
 */
export interface BotClient {
  readonly api: Api;
  /** Gives the bot's client; once. */
  bind(api: Api): void;
}

export function lateBoundClient(): BotClient {
  let target: Api | undefined;
  const api = new Proxy({} as Api, {
    get(_, key) {
      if (!target) {
        // Checks such as "is it a promise?" or inspection get nothing rather than an error.
        if (typeof key === "symbol" || key === "then") return undefined;
        throw new Error(`the bot's Telegram client is not bound yet (${key})`);
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    api,
    bind(bound) {
      if (target && target !== bound) throw new Error("the bot's Telegram client is already bound");
      target = bound;
    },
  };
}
