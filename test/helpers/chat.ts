/**
 * The bot under test in process: createBot over test dependencies, talking to the fake Bot API one
 * update at a time (bot.handleUpdate, so each call returns once the update is handled): what users say,
 * press and type inline, and the calls the bot made in answer. Every test of a feature uses it; the
 * whole app over real HTTP (polling, webhook) is test/helpers/bot-harness.ts.
 */
import type { Api, Bot } from "grammy";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { i18n } from "i18next";
import type { InlineKeyboardButton, InlineKeyboardMarkup, Message, Update } from "grammy/types";
import { lateBoundClient } from "../../src/app/bot-client.js";
import { createBroadcasting, type Broadcasting } from "../../src/app/broadcasts.js";
import type { BroadcastSettings } from "../../src/broadcast/config.js";
import type { BotContext, BotDeps } from "../../src/bot/context.js";
import { LANGUAGES, type Language } from "../../src/catalog/schema.js";
import { translator } from "../../src/i18n.js";
import { createBot } from "../../src/bot/index.js";
import { testDeps } from "./bot-deps.js";
import { startFakeBotApi, type ChatType, type FakeBotApi, type Payload, type RecordedCall } from "./fake-bot-api.js";

export interface From {
  languageCode?: string;
  chatId?: number;
  chatType?: ChatType;
  firstName?: string;
  username?: string;
}

export interface Chat {
  bot: Bot<BotContext>;
  deps: BotDeps;
  /** Broadcasting, started, when asked for (`ChatOptions.broadcasting`). */
  broadcasting: Broadcasting | undefined;
  /** Sends text from `user` (private chat unless told) and returns the calls made in answer. */
  say(user: number, text: string, from?: From): Promise<RecordedCall[]>;
  /** Presses a button of the bot's last message in the chat (or of `messageId`); `force` skips the check that the button exists. */
  press(user: number, data: string, options?: From & { messageId?: number; force?: boolean }): Promise<RecordedCall[]>;
  /** An inline query from `user` (`offset`: the page Telegram asks for). */
  inline(user: number, query: string, options?: { languageCode?: string; offset?: string }): Promise<RecordedCall[]>;
  /** The bot's messages in a chat as Telegram holds them now (after edits and deletions), oldest first. */
  botMessages(chatId: number): Message[];
  /** Delivers any update (an update_id is given when missing). */
  deliver(update: Omit<Update, "update_id"> & { update_id?: number }): Promise<RecordedCall[]>;
  /** Closes the broadcasting and the live catalog made here (not those of a `base`). */
  close(): Promise<void>;
}

export interface ChatOptions {
  /** Dependencies made beforehand (testDeps), used instead of new ones. */
  base?: BotDeps;
  /** Replaces some of the dependencies. */
  deps?: Partial<BotDeps>;
  /**
   * Services built over the dependencies before the bot, as the app builds them (src/app/compose.ts):
   * given the dependencies and the bot's client (usable once the bot exists, so start their workers
   * after chatWith), returns the dependencies they add (delivery, reminders).
   */
  services?: (deps: BotDeps, telegram: Api) => Partial<BotDeps>;
  /**
   * Broadcasting wired as the app wires it without Redis (src/app/broadcasts.ts: the in-memory delivery
   * engine, sending to this fake Bot API with its token), with these settings: its delivery is the bot's,
   * its workers are started once the bot exists; `close()` closes it.
   */
  broadcasting?: Partial<BroadcastSettings>;
}

export async function chatWith(
  api: FakeBotApi,
  overrides: Parameters<typeof testDeps>[0] & ChatOptions = {},
): Promise<Chat> {
  const { base, deps: extra, services, broadcasting: settings, ...rest } = overrides;
  const made = { ...(base ?? (await testDeps(rest))), ...extra };
  const telegram = lateBoundClient();
  const broadcasting = settings
    ? createBroadcasting({
        config: { mode: "polling", TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot },
        deps: made,
        api: telegram.api,
        settings,
      })
    : undefined;
  const withDelivery: BotDeps = broadcasting ? { ...made, delivery: broadcasting.delivery } : made;
  const deps: BotDeps = { ...withDelivery, ...services?.(withDelivery, telegram.api) };
  const bot = createBot(deps, { token: api.token, apiRoot: api.apiRoot, botInfo: api.botInfo });
  telegram.bind(bot.api);
  await broadcasting?.start();
  const deliver = async (update: Omit<Update, "update_id"> & { update_id?: number }) => {
    const mark = api.mark();
    // pushUpdate records the update the way Telegram would (callback query ids, chat membership).
    await bot.handleUpdate(api.pushUpdate(update));
    return api.calls.slice(mark);
  };
  return {
    bot,
    deps,
    broadcasting,
    deliver,
    async close() {
      await broadcasting?.close();
      if (!base) await made.live?.close();
    },
    say: (user, text, from = {}) =>
      deliver(
        api.textMessage({
          ...from,
          chatId: from.chatId ?? user,
          userId: user,
          text,
          languageCode: from.languageCode ?? "en",
        }),
      ),
    press: (user, data, options = {}) =>
      deliver(
        api.callbackQuery({
          chatId: options.chatId ?? user,
          userId: user,
          data,
          languageCode: options.languageCode ?? "en",
          chatType: options.chatType,
          ...(options.messageId !== undefined ? { messageId: options.messageId } : {}),
          ...(options.force ? { allowUnknownData: true } : {}),
        }),
      ),
    botMessages: (chatId) => api.chatHistory(chatId).filter((m) => m.from?.id === api.botId),
    inline: (user, query, options = {}) =>
      deliver(api.inlineQuery({ ...options, userId: user, query, languageCode: options.languageCode ?? "en" })),
  };
}

/** What `useChat` keeps current: read its fields inside hooks and tests, not when the file is loaded. */
export interface ChatSetup {
  /** The fake Bot API, started once for the file and reset before each test. */
  readonly api: FakeBotApi;
  /** The bot for the running test, made afresh over `api` (a test may replace it; the one here at its end is closed). */
  chat: Chat;
  /** A user id no earlier test of the file has used. */
  user: number;
  /** Makes the running test's bot again with these options instead of the file's (over a reset api, for a new user). */
  remake(chat?: Parameters<typeof chatWith>[1]): Promise<void>;
  /** Moves `user` to an id not used before in the file, and returns it. */
  newUser(): number;
}

export interface UseChatOptions {
  /** The running test's `user`: this, then one more for each test after. Default 1000. */
  firstUser?: number;
  /** Also clear what the fake Telegram holds (webhook, commands, chat histories, blocked chats), not only the recorded calls. */
  resetState?: boolean;
  /** How each test's bot is made (chatWith's options). */
  chat?: Parameters<typeof chatWith>[1];
}

/** The file's fake Bot API, started before its tests and closed after them: read `api` inside hooks and tests. */
export function useFakeBotApi(options?: Parameters<typeof startFakeBotApi>[0]): { readonly api: FakeBotApi } {
  let api: FakeBotApi | undefined;
  beforeAll(async () => {
    api = await startFakeBotApi(options);
  });
  afterAll(() => api?.close());
  return {
    get api() {
      if (!api) throw new Error("the fake Bot API is started in beforeAll: read it in a hook or a test");
      return api;
    },
  };
}

/**
 * The set-up most feature tests share, registered as the file's hooks: a fake Bot API for the file, and
 * before each test a reset of it, a new bot over it (`chatWith`) and a user id of its own, so that no
 * test sees another's state. Hooks a file adds after calling it run after these.
 */
export function useChat(options: UseChatOptions = {}): ChatSetup {
  let nextUser = options.firstUser ?? 1000;
  const make = async (chat: Parameters<typeof chatWith>[1]) => {
    setup.api.reset({ state: options.resetState ?? false });
    setup.chat = await chatWith(setup.api, chat);
    setup.newUser();
  };
  const fake = useFakeBotApi();
  // chat and user are filled in by the hook below, before any test or later hook reads them.
  const setup = {
    get api() {
      return fake.api;
    },
    newUser: () => (setup.user = nextUser++),
    async remake(chat) {
      await setup.chat.close();
      await make(chat);
    },
  } as ChatSetup;
  beforeEach(() => make(options.chat));
  afterEach(() => setup.chat.close());
  return setup;
}

export function calls(all: RecordedCall[], method: string): Payload[] {
  return all.filter((c) => c.method === method).map((c) => c.payload);
}

/** The one sendMessage or editMessageText among the calls. */
export function shown(all: RecordedCall[]): Payload {
  const views = all.filter((c) => c.method === "sendMessage" || c.method === "editMessageText");
  if (views.length !== 1)
    throw new Error(`expected one message, got ${views.map((v) => v.method).join(", ") || "none"}`);
  if (views[0]!.response?.ok === false) throw new Error(`Telegram refused it: ${JSON.stringify(views[0]!.response)}`);
  return views[0]!.payload;
}

/** The toast of the callback query's answer ("" for none); throws when the query was not answered. */
export function toast(all: RecordedCall[]): string {
  const answers = calls(all, "answerCallbackQuery");
  if (answers.length !== 1) throw new Error(`expected one answerCallbackQuery, got ${answers.length}`);
  return String(answers[0]!.text ?? "");
}

export function buttons(payload: Payload): InlineKeyboardButton[] {
  return ((payload.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat();
}

/** A button as the tests read it: its label and its callback data (none for a link). */
export interface Button {
  text: string;
  data?: string;
}

/** The buttons of a message, row after row (none without a keyboard). */
export function keyboard(message: Message | undefined): Button[] {
  return ((message?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => ({ text: b.text, data: "callback_data" in b ? b.callback_data : undefined }));
}

export function data(payload: Payload): string[] {
  return buttons(payload).flatMap((b) => ("callback_data" in b && b.callback_data ? [b.callback_data] : []));
}

/** The text of the button carrying `callbackData`. */
export function label(payload: Payload, callbackData: string): string | undefined {
  return buttons(payload).find((b) => "callback_data" in b && b.callback_data === callbackData)?.text;
}

/** HTML → what the user reads. */
export function plain(payload: Payload): string {
  return String(payload.text ?? "")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/**
 * The language the bot answered a question in: that of an answer's 📖 button, or of the opening of "no
 * good answer"; undefined for a message that answers no question (a menu, a confirmation, help).
 */
export function answerLanguage(
  message: { text?: unknown; reply_markup?: unknown } | undefined,
  i18n: i18n,
): Language | undefined {
  if (!message) return undefined;
  const text = String(message.text ?? "");
  const labels = buttons(message as Payload).map((b) => b.text);
  return LANGUAGES.find((lang) => {
    const t = translator(i18n, lang);
    const opening = t("question:noMatch.title", { query: "\u0000" }).split("\u0000")[0]!;
    return labels.includes(t("record:button.details")) || text.startsWith(opening);
  });
}
