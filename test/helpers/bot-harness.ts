/**
 * The whole bot against the fake Bot API, started through the production code path: createApp from
 * src/app.ts, then startPolling (the @grammyjs/runner loop) or startWebhook (a real node:http server on
 * 127.0.0.1:0 registered with setWebhook). Only the dependencies can be swapped (bundled catalog,
 * in-memory state and silent logs by default).
 *
 *   const bot = await startTestBot({ mode: "webhook" });
 *   const reply = await bot.reply("/start");          // the sendMessage call answering it
 *   await bot.stop();
 */
import { randomBytes } from "node:crypto";
import type { Update } from "grammy/types";
import pino from "pino";
import {
  createApp,
  startPolling,
  startWebhook,
  type App,
  type RunningBot,
  type StartOptions,
} from "../../src/app/index.js";
import type { BotDeps } from "../../src/bot/context.js";
import { loadConfig } from "../../src/config.js";
import { testDeps } from "./bot-deps.js";
import { data, plain } from "./chat.js";
import {
  HARNESS_TOKEN,
  startFakeBotApi,
  type ChatType,
  type FakeBotApi,
  type FakeBotApiOptions,
  type Payload,
  type RecordedCall,
  type WebhookDelivery,
} from "./fake-bot-api.js";

export type TestBotMode = "polling" | "webhook";

export interface TestBotOptions {
  mode: TestBotMode;
  deps?: Partial<BotDeps>;
  /** More environment for loadConfig (e.g. ANSWER_THRESHOLD). */
  env?: Record<string, string>;
  fake?: FakeBotApiOptions;
  /** The app's logger (default: silent, or TEST_LOG_LEVEL); e.g. a captured one to assert on log lines. */
  logger?: pino.Logger;
  /** Called with the fake before the bot starts (inject failures, override methods). */
  prepare?: (api: FakeBotApi) => void;
  start?: StartOptions;
}

export interface Sender {
  /** Default 1001. */
  userId?: number;
  /** Default: the user's private chat (chatId = userId). */
  chatId?: number;
  chatType?: ChatType;
  /** Telegram's language_code of the user; default "en". */
  languageCode?: string;
  username?: string;
  firstName?: string;
}

export interface Sent {
  update: Update;
  /** Index of the first API call that can belong to the answer (for `api.waitForCall(…, { after })`). */
  after: number;
  /** Webhook mode: what the webhook answered (the update is fully handled by then). */
  delivery?: WebhookDelivery;
}

export interface TestBot {
  mode: TestBotMode;
  api: FakeBotApi;
  app: App;
  running: RunningBot;
  /** Webhook mode: where the bot's server takes updates, e.g. http://127.0.0.1:40123/telegram/x. */
  webhookUrl?: string;
  /** Base URL of the bot's HTTP server (webhook and /healthz). */
  serverUrl: string;
  /** The bot's username at the fake Telegram. */
  username: string;
  /** Hands an update to the bot the way the mode does: queued for getUpdates, or POSTed to the webhook. */
  deliver(update: Update): Promise<Sent>;
  send(text: string, from?: Sender): Promise<Sent>;
  /** Presses the button with this callback data on a message (default the bot's last message in the chat). */
  press(data: string, from?: Sender & { messageId?: number }): Promise<Sent>;
  inline(query: string, from?: Sender & { offset?: string }): Promise<Sent>;
  /** Sends text and waits for the bot's next sendMessage or editMessageText in that chat. */
  reply(text: string, from?: Sender): Promise<RecordedCall>;
  /** Presses a button and waits for the callback query's answer plus the message it sent or edited, if any. */
  pressAndWait(
    data: string,
    from?: Sender & { messageId?: number },
  ): Promise<{ answer: RecordedCall; message?: RecordedCall }>;
  inlineAndWait(query: string, from?: Sender & { offset?: string }): Promise<RecordedCall>;
  /** Waits for a call to the chat of `from` made after `sent`. */
  waitForChat(sent: Sent, from?: Sender, methods?: string[], timeoutMs?: number): Promise<RecordedCall>;
  stop(): Promise<void>;
}

const DEFAULT_USER = 1001;
/** How long to wait for an answer: a bound on a hang, roomy for a loaded machine (answering takes well under a second). */
const WAIT_MS = 30_000;

export async function startTestBot(options: TestBotOptions): Promise<TestBot> {
  const api = await startFakeBotApi({ token: HARNESS_TOKEN, maxLongPollMs: 500, ...options.fake });
  const secret = randomBytes(24).toString("base64url");
  const hookPath = `/telegram/${randomBytes(6).toString("hex")}`;
  let app: App | undefined;
  try {
    options.prepare?.(api);
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "silent",
      ...(options.mode === "webhook"
        ? { WEBHOOK_URL: `https://coopdesk.example${hookPath}`, WEBHOOK_SECRET: secret }
        : {}),
      ...options.env,
    });
    if (config.mode !== options.mode) throw new Error(`configuration gives mode ${config.mode}, not ${options.mode}`);
    const logger =
      options.logger ??
      (process.env.TEST_LOG_LEVEL ? pino({ level: process.env.TEST_LOG_LEVEL }) : pino({ level: "silent" }));
    const deps = { ...(await testDeps()), logger, ...options.deps };
    app = await createApp(config, { deps, logger });
    const start = { connectRetryMs: 50, drainMs: 3000, ...options.start };
    const running = options.mode === "polling" ? await startPolling(app, start) : await startWebhook(app, start);
    const serverUrl = `http://127.0.0.1:${running.address.port}`;
    return harness(
      options.mode,
      api,
      app,
      running,
      serverUrl,
      options.mode === "webhook" ? `${serverUrl}${hookPath}` : undefined,
    );
  } catch (error) {
    await app?.close();
    await api.close();
    throw error;
  }
}

function harness(
  mode: TestBotMode,
  api: FakeBotApi,
  app: App,
  running: RunningBot,
  serverUrl: string,
  webhookUrl: string | undefined,
): TestBot {
  const who = (from: Sender = {}) => {
    const userId = from.userId ?? DEFAULT_USER;
    return {
      userId,
      chatId: from.chatId ?? userId,
      chatType: from.chatType ?? "private",
      languageCode: from.languageCode ?? "en",
      ...(from.username ? { username: from.username } : {}),
      ...(from.firstName ? { firstName: from.firstName } : {}),
    };
  };

  /** The chat id the fake stores for a chat (group ids are made negative). */
  const storedChatId = (from: Sender = {}): number => {
    const w = who(from);
    if (w.chatType === "private" || w.chatId < 0) return w.chatId;
    return w.chatType === "supergroup" ? -(1_000_000_000_000 + w.chatId) : -w.chatId;
  };

  const bot: TestBot = {
    mode,
    api,
    app,
    running,
    webhookUrl,
    serverUrl,
    username: api.botInfo.username,
    async deliver(update) {
      const after = api.mark();
      if (mode === "polling") {
        api.pushUpdate(update);
        return { update, after };
      }
      const delivery = await api.deliverToWebhook(update, { url: webhookUrl });
      if (delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}: ${delivery.body}`);
      return { update, after, delivery };
    },
    send(text, from) {
      return bot.deliver(api.textMessage({ ...who(from), text }));
    },
    press(data, from = {}) {
      return bot.deliver(
        api.callbackQuery({
          ...who(from),
          data,
          ...(from.messageId !== undefined ? { messageId: from.messageId } : {}),
        }),
      );
    },
    inline(query, from = {}) {
      const w = who(from);
      return bot.deliver(
        api.inlineQuery({
          userId: w.userId,
          languageCode: w.languageCode,
          query,
          ...(from.offset !== undefined ? { offset: from.offset } : {}),
        }),
      );
    },
    waitForChat(sent, from, methods = ["sendMessage", "editMessageText"], timeoutMs = WAIT_MS) {
      const chatId = storedChatId(from);
      return waitForAny(api, methods, (p) => Number(p.chat_id) === chatId, sent.after, timeoutMs);
    },
    async reply(text, from) {
      return bot.waitForChat(await bot.send(text, from), from);
    },
    async pressAndWait(data, from = {}) {
      const sent = await bot.press(data, from);
      const queryId = sent.update.callback_query?.id;
      const answer = await api.waitForCall("answerCallbackQuery", (p) => p.callback_query_id === queryId, {
        after: sent.after,
        timeoutMs: WAIT_MS,
      });
      const chatId = storedChatId(from);
      const message = api.calls.find(
        (c) =>
          c.index >= sent.after &&
          ["sendMessage", "editMessageText", "editMessageReplyMarkup"].includes(c.method) &&
          Number(c.payload.chat_id) === chatId,
      );
      return { answer, message };
    },
    async inlineAndWait(query, from) {
      const sent = await bot.inline(query, from);
      const queryId = sent.update.inline_query?.id;
      return api.waitForCall("answerInlineQuery", (p) => p.inline_query_id === queryId, {
        after: sent.after,
        timeoutMs: WAIT_MS,
      });
    },
    async stop() {
      try {
        await running.stop();
      } finally {
        await api.close();
      }
    },
  };
  return bot;
}

/** The first call of any of `methods` matching `predicate` with index ≥ after. */
export function waitForAny(
  api: FakeBotApi,
  methods: string[],
  predicate: (p: Payload) => boolean,
  after: number,
  timeoutMs = WAIT_MS,
): Promise<RecordedCall> {
  const controller = new AbortController();
  const waits = methods.map((m) =>
    api.waitForCall(m, (p) => !controller.signal.aborted && predicate(p), { after, timeoutMs }),
  );
  return Promise.any(waits)
    .then((call) => {
      controller.abort();
      return call;
    })
    .catch((error: AggregateError) => {
      throw new Error(error.errors.map((e: Error) => e.message).join("\n"));
    });
}

/** The text Telegram would show for a call's HTML (tags removed, entities decoded). */
export const plainText = (call: RecordedCall): string => plain(call.payload);

/** Callback data of every button in a call's inline keyboard. */
export const buttonData = (call: RecordedCall): string[] => data(call.payload);
