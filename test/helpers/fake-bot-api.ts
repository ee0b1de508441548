/**
 * A fake Telegram Bot API server for end-to-end tests.
 *
 * The real bot talks to it over real HTTP on 127.0.0.1 (grammY:
 * `new Bot(api.token, { client: { apiRoot: api.apiRoot } })`). The fake keeps
 * just enough server state to answer like Telegram does:
 *
 * - an update queue served by long polling (`getUpdates` honours `offset`,
 *   `limit`, `timeout` — capped by `maxLongPollMs` — and `allowed_updates`),
 *   or delivered to a webhook with `deliverToWebhook`;
 * - per-chat message history with per-chat message ids, so sent, edited,
 *   copied and deleted messages behave like on Telegram (editing an unknown
 *   message, "message is not modified", keyboards removed by an edit without
 *   `reply_markup`, …);
 * - the HTML parse mode turned into `entities`, with Telegram's "can't parse
 *   entities" errors for malformed markup (src/telegram-emulator/html.ts; the
 *   bot sends no Markdown, so a Markdown text is refused);
 * - validation of the common limits (4096-character texts, 1024-character
 *   captions, 64-byte callback data, answered/unknown query ids, command
 *   names);
 * - chats blocked through `my_chat_member` updates answer 403.
 *
 * Everything is recorded in `calls`; tests wait for calls with `waitForCall`,
 * inject failures with `failNext` (per method) or `failChat` (per chat, e.g.
 * a user who blocked the bot) and replace method results with `setHandler`.
 * Rate limits are not enforced by default: `beforeSend` (option or
 * `setSendPolicy`) is the hook for a policy that answers 429, and
 * `telegramRateLimits()` is such a policy with Telegram's flood limits,
 * free broadcasts and paid ones (`allow_paid_broadcast`) alike.
 *
 * Only loopback traffic: the server listens on 127.0.0.1 and
 * `deliverToWebhook` refuses non-loopback webhook URLs.
 */
import { createServer, request as httpRequest } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  ChatMember,
  InlineKeyboardMarkup,
  InlineQuery,
  Message,
  MessageEntity,
  ResponseParameters,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import {
  apiError,
  apiErrors,
  bad,
  BotApiError,
  NOT_MODIFIED,
  QUERY_TOO_OLD,
} from "../../src/telegram-emulator/errors.js";
import type { ApiErrorSpec } from "../../src/telegram-emulator/errors.js";
import { formatText } from "../../src/telegram-emulator/html.js";

export { apiError, apiErrors, BotApiError as FakeBotApiError, type ApiErrorSpec };

// ---------------------------------------------------------------------------
// Public types

export const DEFAULT_FAKE_TOKEN = "123456:TEST-token";
/** A token in Telegram's format, for code that checks it (loadConfig); the default one is too short. */
export const HARNESS_TOKEN = "123456:TEST-harness-token-abcdefghijklmnop";
export const DEFAULT_BOT_USERNAME = "coopdesk_test_bot";

export type Payload = Record<string, unknown>;
export type ChatType = "private" | "group" | "supergroup" | "channel";

/** What `failNext` can inject. */
export interface FailureSpec extends ApiErrorSpec {
  /** Send this body verbatim (e.g. an nginx HTML page for 502) instead of JSON. */
  rawBody?: string;
  /** Destroy the connection without answering (a network error for the client). */
  dropConnection?: boolean;
}

export type ApiResponse =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

export interface RecordedFile {
  /** Form field name; grammY uses a random id referenced as `attach://<field>` in the payload. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface RecordedCall {
  /** Position in `calls`. */
  index: number;
  /** Canonical method name (`sendMessage` even when called as `/SENDMESSAGE`). */
  method: string;
  payload: Payload;
  /** `Date.now()` when the call arrived. */
  at: number;
  /** `http` for a request to the API, `webhook-reply` for a method sent in a webhook response body. */
  via: "http" | "webhook-reply";
  /** Files uploaded with multipart/form-data. */
  files: RecordedFile[];
  /** What the fake answered; set as soon as it is known (long polls: when they finish). */
  response?: ApiResponse;
}

export interface SendAttempt {
  method: string;
  chatId: number | string;
  chatType: ChatType;
  payload: Payload;
  /** `Date.now()` of the attempt. */
  at: number;
}

/**
 * Rate-limit hook, called before every method in `RATE_LIMITED_METHODS` that
 * targets a chat the bot may write to. Return an error (typically
 * `apiErrors.tooManyRequests(n)`) to reject the call, or nothing to allow it.
 */
export type SendPolicy = (attempt: SendAttempt) => ApiErrorSpec | undefined | void;

export interface HandlerContext {
  api: FakeBotApi;
  call: RecordedCall;
  /** The fake's built-in implementation of the method (throws `FakeBotApiError` on API errors). */
  fallback: () => unknown;
}

/** Method override. Return the `result`; throw `FakeBotApiError` (see `apiError`) for an error answer. */
export type MethodHandler = (payload: Payload, ctx: HandlerContext) => unknown;

export interface FakeBotApiOptions {
  /** Bot token; the bot id is the part before ":". Default "123456:TEST-token". */
  token?: string;
  username?: string;
  firstName?: string;
  /** Upper bound for a long poll, whatever `timeout` the bot asks for. Default 2000 ms. */
  maxLongPollMs?: number;
  /** Answer 400 "chat not found" for chats no update mentioned yet. Default false (chats are synthesized). */
  strictChats?: boolean;
  beforeSend?: SendPolicy;
}

export interface WaitOptions {
  /** Only consider calls with `index >= after` (see `mark()`). Default 0: every call since the last `reset()`. */
  after?: number;
  timeoutMs?: number;
}

export interface WebhookState {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
  maxConnections: number;
  ipAddress?: string;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface WebhookDelivery {
  update: Update;
  status: number;
  body: string;
  /** Parsed body when it is JSON. */
  json?: unknown;
  /** The method call the bot answered with in the webhook response body, if any. */
  replyCall?: RecordedCall;
}

export interface TextMessageOptions {
  chatId: number;
  userId: number;
  text: string;
  languageCode?: string;
  /** Default "private". For groups a positive `chatId` is negated (supergroups: -100…). */
  chatType?: ChatType;
  username?: string;
  firstName?: string;
  chatTitle?: string;
  replyToMessageId?: number;
}

export interface CallbackQueryOptions {
  chatId: number;
  userId: number;
  data: string;
  /** Message carrying the button; default the last message the bot sent to the chat. */
  messageId?: number;
  languageCode?: string;
  chatType?: ChatType;
  username?: string;
  /** Text of the button message when the fake has never seen it (it is then recorded as a bot message). */
  messageText?: string;
  /** Skip the check that `data` belongs to a button of the message's inline keyboard. */
  allowUnknownData?: boolean;
}

export interface InlineQueryOptions {
  userId: number;
  query: string;
  languageCode?: string;
  offset?: string;
  username?: string;
  chatType?: "sender" | ChatType;
}

export interface MyChatMemberOptions {
  chatId: number;
  userId: number;
  status: "kicked" | "member";
  chatType?: ChatType;
  languageCode?: string;
}

/** Methods that send a message into `chat_id` (checked for blocked chats and `strictChats`). */
export const CHAT_SEND_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendAudio",
  "sendVideo",
  "sendAnimation",
  "sendVoice",
  "sendVideoNote",
  "sendSticker",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "sendChatAction",
]);

/** Methods passed to the `beforeSend` policy (what Telegram's flood limits count). */
export const RATE_LIMITED_METHODS: ReadonlySet<string> = new Set([
  ...[...CHAT_SEND_METHODS].filter((m) => m !== "sendChatAction"),
  "editMessageText",
  "editMessageCaption",
  "editMessageReplyMarkup",
  "editMessageMedia",
]);

export interface TelegramRateLimitOptions {
  /**
   * Messages per second across all chats without `allow_paid_broadcast` (Telegram: 30): a token bucket
   * holding at most one second's worth, refilled continuously — a steady `globalPerSecond` passes, a
   * burst beyond a full bucket does not.
   */
  globalPerSecond: number;
  /**
   * Messages per second across all chats, paid broadcasts included (Telegram: 1000 with
   * `allow_paid_broadcast`); a bucket like the free one, which every send draws from. Default 1000
   * (or `globalPerSecond` when higher).
   */
  paidPerSecond?: number;
  /** Per chat: at least 1000 / perChatPerSecond ms between two messages. Default 1. */
  perChatPerSecond?: number;
  /** Per group, supergroup or channel: at most this many messages in any 60 s. Default 20. */
  perGroupPerMinute?: number;
  /**
   * After a 429, answer 429 (with the time left) to everything covered by it — every chat for the
   * global limit, that chat for a per-chat limit — until its retry_after has passed, as Telegram does.
   * Default true.
   */
  enforceRetryAfter?: boolean;
}

export interface RateLimitRejection {
  at: number;
  method: string;
  chatId: number | string;
  scope: "global" | "paid" | "chat" | "group" | "penalty";
  retryAfter: number;
  /** The send passed `allow_paid_broadcast`. */
  paid: boolean;
}

/**
 * A send policy enforcing Telegram's flood limits, with what it let through and refused. `paid`: sends
 * let through with `allow_paid_broadcast`; `billed`: those of them over the free `globalPerSecond` of
 * their second of the clock, which Telegram charges 0.1 Star each.
 */
export type TelegramRateLimitPolicy = SendPolicy & {
  readonly stats: { allowed: number; paid: number; billed: number; rejections: RateLimitRejection[] };
  /** Forgets counters, penalties and stats. */
  reset(): void;
};

/**
 * Telegram's flood limits as a `beforeSend` policy: about `globalPerSecond` messages a second overall
 * without `allow_paid_broadcast`, `paidPerSecond` with it (every send counting against the paid limit),
 * one a second per chat, 20 a minute per group — paid or not. A send over a limit answers 429 with
 * `parameters.retry_after` (whole seconds, at least 1) and does not count against the limits; after a
 * 429 of the free limit, sends without the flag wait out its retry_after, and after one of the paid
 * limit, every send does.
 */
export function telegramRateLimits(options: TelegramRateLimitOptions): TelegramRateLimitPolicy {
  const perSecond = options.globalPerSecond;
  if (!(perSecond > 0)) throw new RangeError("globalPerSecond must be positive");
  const paidPerSecond = options.paidPerSecond ?? Math.max(1000, perSecond);
  if (!(paidPerSecond >= perSecond)) throw new RangeError("paidPerSecond must be at least globalPerSecond");
  const chatGapMs = 1000 / (options.perChatPerSecond ?? 1);
  const groupPerMinute = options.perGroupPerMinute ?? 20;
  const enforce = options.enforceRetryAfter ?? true;
  let tokens = perSecond;
  let paidTokens = paidPerSecond;
  let refilledAt = Date.now();
  let penaltyUntil = 0;
  let paidPenaltyUntil = 0;
  /** Messages let through in the current second of the clock (billing: the first `perSecond` are free). */
  let second = { at: -1, count: 0 };
  const lastSend = new Map<string, number>();
  const chatPenalty = new Map<string, number>();
  const groupSends = new Map<string, number[]>();
  const stats = { allowed: 0, paid: 0, billed: 0, rejections: [] as RateLimitRejection[] };

  const reject = (attempt: SendAttempt, scope: RateLimitRejection["scope"], waitMs: number): ApiErrorSpec => {
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    const paid = attempt.payload.allow_paid_broadcast === true;
    stats.rejections.push({ at: attempt.at, method: attempt.method, chatId: attempt.chatId, scope, retryAfter, paid });
    return apiErrors.tooManyRequests(retryAfter);
  };

  const policy = (attempt: SendAttempt): ApiErrorSpec | undefined => {
    const now = attempt.at;
    const key = String(attempt.chatId);
    const paid = attempt.payload.allow_paid_broadcast === true;
    const elapsed = Math.max(0, now - refilledAt);
    tokens = Math.min(perSecond, tokens + (elapsed * perSecond) / 1000);
    paidTokens = Math.min(paidPerSecond, paidTokens + (elapsed * paidPerSecond) / 1000);
    refilledAt = Math.max(refilledAt, now);
    if (enforce && paidPenaltyUntil > now) return reject(attempt, "penalty", paidPenaltyUntil - now);
    if (enforce && !paid && penaltyUntil > now) return reject(attempt, "penalty", penaltyUntil - now);
    const chatUntil = chatPenalty.get(key) ?? 0;
    if (enforce && chatUntil > now) return reject(attempt, "penalty", chatUntil - now);

    const last = lastSend.get(key);
    if (last !== undefined && now - last < chatGapMs) {
      const verdict = reject(attempt, "chat", chatGapMs - (now - last));
      chatPenalty.set(key, now + (verdict.parameters?.retry_after ?? 1) * 1000);
      return verdict;
    }
    const isGroup = attempt.chatType !== "private";
    const recent = isGroup ? (groupSends.get(key) ?? []).filter((t) => now - t < 60_000) : [];
    if (isGroup && recent.length >= groupPerMinute) {
      const verdict = reject(attempt, "group", (recent[0] as number) + 60_000 - now);
      chatPenalty.set(key, now + (verdict.parameters?.retry_after ?? 1) * 1000);
      return verdict;
    }
    if (paidTokens < 1) {
      const verdict = reject(attempt, "paid", ((1 - paidTokens) * 1000) / paidPerSecond);
      paidPenaltyUntil = now + (verdict.parameters?.retry_after ?? 1) * 1000;
      return verdict;
    }
    if (!paid && tokens < 1) {
      const verdict = reject(attempt, "global", ((1 - tokens) * 1000) / perSecond);
      penaltyUntil = now + (verdict.parameters?.retry_after ?? 1) * 1000;
      return verdict;
    }
    paidTokens -= 1;
    if (!paid) tokens -= 1;
    lastSend.set(key, now);
    if (isGroup) groupSends.set(key, [...recent, now]);
    stats.allowed += 1;
    const at = Math.floor(now / 1000);
    second = second.at === at ? { at, count: second.count + 1 } : { at, count: 1 };
    if (paid) {
      stats.paid += 1;
      if (second.count > perSecond) stats.billed += 1;
    }
    return undefined;
  };

  return Object.assign(policy, {
    stats,
    reset() {
      tokens = perSecond;
      paidTokens = paidPerSecond;
      refilledAt = Date.now();
      penaltyUntil = 0;
      paidPenaltyUntil = 0;
      second = { at: -1, count: 0 };
      lastSend.clear();
      chatPenalty.clear();
      groupSends.clear();
      stats.allowed = 0;
      stats.paid = 0;
      stats.billed = 0;
      stats.rejections.length = 0;
    },
  });
}

export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const api = new FakeBotApi(options);
  await api.listen();
  return api;
}

// ---------------------------------------------------------------------------
// Implementation

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
/**
 * How long `deliverToWebhook` waits for the webhook's answer: a bound on a hang, above the bot's own
 * webhook timeout (25 s, after which it answers a slow update itself), so a loaded machine's slow
 * answer is still an answer.
 */
const WEBHOOK_WAIT_MS = 60_000;
const DEFAULT_UPDATE_TYPES_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const INLINE_BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

const MEDIA_FIELD: Record<string, string> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendAudio: "audio",
  sendVideo: "video",
  sendAnimation: "animation",
  sendVoice: "voice",
  sendVideoNote: "video_note",
  sendSticker: "sticker",
};

/** Form fields that are free text or string ids: never JSON-decoded. */
const STRING_FIELDS = new Set([
  "text",
  "caption",
  "description",
  "short_description",
  "name",
  "title",
  "query",
  "secret_token",
  "url",
  "parse_mode",
  "first_name",
  "last_name",
  "phone_number",
  "address",
  "question",
  "emoji",
  "action",
  "callback_query_id",
  "inline_query_id",
  "inline_message_id",
  "shipping_query_id",
  "pre_checkout_query_id",
  "file_id",
  "ip_address",
  "next_offset",
  "language_code",
  "payload",
  "currency",
  "provider_token",
  "start_parameter",
  "custom_emoji_id",
  "business_connection_id",
  "message_effect_id",
  "sticker",
  "photo",
  "document",
  "audio",
  "video",
  "animation",
  "voice",
  "video_note",
  "thumbnail",
  "certificate",
  "game_short_name",
  "switch_pm_text",
  "switch_pm_parameter",
  "cache_time_text",
  "explanation",
  "vcard",
  "foursquare_id",
]);

interface Poller {
  offset: number;
  limit: number;
  finish: (result: Update[] | BotApiError) => void;
}

interface Waiter {
  method: string;
  predicate?: (payload: Payload, call: RecordedCall) => boolean;
  after: number;
  resolve: (call: RecordedCall) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface QueryState {
  answered: boolean;
}

type StoredMessage = Message & { chat: Chat };

let sharedNextUpdateId = 700_000_001;

export class FakeBotApi {
  readonly token: string;
  readonly botId: number;
  readonly botInfo: UserFromGetMe;
  /** Every call, in arrival order (cleared by `reset()`). */
  readonly calls: RecordedCall[] = [];

  private server: Server | undefined;
  private port = 0;
  private closed = false;
  private readonly maxLongPollMs: number;
  private readonly strictChats: boolean;
  private sendPolicy: SendPolicy | undefined;

  private readonly waiters = new Set<Waiter>();
  private readonly failures = new Map<string, FailureSpec[]>();
  private readonly chatFailures = new Map<string, { error: ApiErrorSpec; remaining: number }>();
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly openResponses = new Set<ServerResponse>();

  private queue: Update[] = [];
  // Telegram's update ids keep increasing for a bot across restarts: every fake of a test process
  // continues one sequence, so a bot restarted against a new fake (on the same Redis) is never handed an
  // update id it already handled, which it would skip as a redelivery.
  private get nextUpdateId(): number {
    return sharedNextUpdateId;
  }
  private set nextUpdateId(value: number) {
    sharedNextUpdateId = value;
  }
  private allowedUpdates: string[] | undefined;
  private poller: Poller | undefined;
  private webhookState: WebhookState | undefined;

  private readonly commands = new Map<string, BotCommand[]>();
  private readonly botTexts = new Map<string, string>();
  private readonly menuButtons = new Map<string, unknown>();
  private readonly users = new Map<number, User>();
  private readonly chats = new Map<string, Chat>();
  private readonly messages = new Map<string, Map<number, StoredMessage>>();
  private readonly messageCounters = new Map<string, number>();
  private readonly memberStatus = new Map<string, "kicked" | "left">();
  private readonly callbackQueries = new Map<string, QueryState>();
  private readonly inlineQueries = new Map<string, QueryState>();
  private queryCounter = 1;
  private fileCounter = 1;

  constructor(options: FakeBotApiOptions = {}) {
    this.token = options.token ?? DEFAULT_FAKE_TOKEN;
    const id = Number(this.token.split(":")[0]);
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`Token must start with a numeric bot id: ${this.token}`);
    this.botId = id;
    this.botInfo = {
      id,
      is_bot: true,
      first_name: options.firstName ?? "Cooperation Desk",
      username: options.username ?? DEFAULT_BOT_USERNAME,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as UserFromGetMe;
    this.maxLongPollMs = options.maxLongPollMs ?? 2000;
    this.strictChats = options.strictChats ?? false;
    this.sendPolicy = options.beforeSend;
  }

  /** e.g. "http://127.0.0.1:40123" — pass as grammY's `client.apiRoot`. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The webhook as set by the bot (including the secret token, which getWebhookInfo does not reveal). */
  get webhook(): WebhookState | undefined {
    return this.webhookState ? { ...this.webhookState } : undefined;
  }

  /** Updates queued and not yet confirmed by a `getUpdates` offset. */
  get pendingUpdates(): readonly Update[] {
    return this.queue;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          this.writeJson(res, 500, {
            ok: false,
            error_code: 500,
            description: `Internal Server Error: ${String(err)}`,
          });
        } else {
          res.destroy();
        }
      });
    });
    server.keepAliveTimeout = 2000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Ends pending long polls (empty result), rejects pending `waitForCall`s and stops the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poller?.finish([]);
    for (const w of [...this.waiters]) {
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.reject(new Error(`Fake Bot API closed while waiting for ${w.method}`));
    }
    const pending = [...this.openResponses].map(
      (res) =>
        new Promise<void>((resolve) => {
          if (res.writableFinished) return resolve();
          const done = () => resolve();
          res.once("finish", done);
          res.once("close", done);
        }),
    );
    await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 500).unref())]);
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---- recording --------------------------------------------------------

  /** Index to pass as `{ after }` to `waitForCall` to ignore earlier calls. */
  mark(): number {
    return this.calls.length;
  }

  callsOf(method: string): RecordedCall[] {
    const m = canonicalMethod(method);
    return this.calls.filter((c) => c.method === m);
  }

  /**
   * Resolves with the first call of `method` (optionally matching `predicate`)
   * with `index >= after` — already recorded or arriving before the timeout.
   * The third argument is either the timeout in ms or `{ after, timeoutMs }`. The default (15 s) bounds
   * a hang; a call the code makes at once can take seconds on a loaded machine.
   */
  waitForCall(
    method: string,
    predicate?: (payload: Payload, call: RecordedCall) => boolean,
    opts: number | WaitOptions = {},
  ): Promise<RecordedCall> {
    const { after = 0, timeoutMs = 15_000 } = typeof opts === "number" ? { timeoutMs: opts } : opts;
    const m = canonicalMethod(method);
    const found = this.calls.find((c) => c.index >= after && c.method === m && (!predicate || predicate(c.payload, c)));
    if (found) return Promise.resolve(found);
    if (this.closed) return Promise.reject(new Error("Fake Bot API is closed"));
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter = {
        method: m,
        predicate,
        after,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.calls.filter((c) => c.index >= after && c.method === m);
          const recent = this.calls.slice(Math.max(after, this.calls.length - 8)).map((c) => c.method);
          reject(
            new Error(
              `waitForCall(${m}) timed out after ${timeoutMs} ms; ${seen.length} ${m} call(s) since #${after}` +
                (seen.length ? `, payloads: ${JSON.stringify(seen.slice(-3).map((c) => c.payload))}` : "") +
                `; latest calls: ${recent.join(", ") || "none"}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Clears recorded calls, failure injections, handler overrides and queued
   * updates. Telegram-side state (webhook, commands, chat histories, blocked
   * chats) survives unless `{ state: true }`. Update ids keep increasing.
   */
  reset(opts: { state?: boolean } = {}): void {
    this.calls.length = 0;
    this.failures.clear();
    this.chatFailures.clear();
    this.handlers.clear();
    this.queue = [];
    if (opts.state) {
      this.webhookState = undefined;
      this.allowedUpdates = undefined;
      this.commands.clear();
      this.botTexts.clear();
      this.menuButtons.clear();
      this.users.clear();
      this.chats.clear();
      this.messages.clear();
      this.memberStatus.clear();
      this.callbackQueries.clear();
      this.inlineQueries.clear();
    }
  }

  // ---- test control -----------------------------------------------------

  /** The next `times` calls of `method` answer with this error instead of running. */
  failNext(method: string, failure: FailureSpec, times = 1): void {
    const m = canonicalMethod(method);
    const list = this.failures.get(m) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(m, list);
  }

  /**
   * The next `times` (default: every) message sends to this chat answer `error` — e.g.
   * `apiErrors.blockedByUser()`, `apiErrors.userDeactivated()`, `apiErrors.chatNotFound()` or a
   * transient `apiErrors.badGateway()`. `undefined` clears it. Checked before the send policy, so these
   * attempts do not count against rate limits.
   */
  failChat(chatId: number | string, error: ApiErrorSpec | undefined, times = Infinity): void {
    if (error) this.chatFailures.set(String(chatId), { error, remaining: times });
    else this.chatFailures.delete(String(chatId));
  }

  /** Replace (or with `undefined`, restore) a method's implementation. */
  setHandler(method: string, handler: MethodHandler | undefined): void {
    const m = canonicalMethod(method);
    if (handler) this.handlers.set(m, handler);
    else this.handlers.delete(m);
  }

  setSendPolicy(policy: SendPolicy | undefined): void {
    this.sendPolicy = policy;
  }

  /** Messages of a chat as Telegram holds them now (after edits and deletions), oldest first. */
  chatHistory(chatId: number | string): Message[] {
    return [...(this.messages.get(String(chatId))?.values() ?? [])].sort((a, b) => a.message_id - b.message_id);
  }

  /** Commands set for a scope (default `{type: "default"}`) and language (default ""). */
  commandsFor(scope?: unknown, languageCode?: string): BotCommand[] | undefined {
    return this.commands.get(commandsKey(scope, languageCode));
  }

  // ---- updates ----------------------------------------------------------

  /** Queue an update for `getUpdates` (an `update_id` is assigned when missing). Wakes a pending long poll. */
  pushUpdate(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full = this.ingest(update);
    this.queue.push(full);
    this.queue.sort((a, b) => a.update_id - b.update_id);
    this.wakePoller();
    return full;
  }

  textMessage(opts: TextMessageOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const chat = this.ensureIncomingChat(opts.chatId, opts.chatType ?? "private", user, opts.chatTitle);
    const message: StoredMessage = {
      message_id: this.nextMessageId(chat.id),
      from: user,
      chat,
      date: unixNow(),
      text: opts.text,
    };
    const command = /^\/[^\s]+/.exec(opts.text);
    if (command) message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    // Telegram marks @usernames as mentions (how a bot is addressed in a group), except inside the command.
    for (const m of opts.text.matchAll(/@[A-Za-z0-9_]{5,32}\b/g)) {
      if (m.index >= (command?.[0].length ?? 0))
        (message.entities ??= []).push({ type: "mention", offset: m.index, length: m[0].length });
    }
    if (opts.replyToMessageId !== undefined) {
      const replied = this.getMessage(chat.id, opts.replyToMessageId);
      if (replied) message.reply_to_message = withoutReply(replied);
    }
    this.storeMessage(message);
    return { update_id: this.nextUpdateId++, message } as Update;
  }

  callbackQuery(opts: CallbackQueryOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const chat = this.ensureIncomingChat(opts.chatId, opts.chatType ?? "private", user);
    let message =
      opts.messageId !== undefined ? this.getMessage(chat.id, opts.messageId) : this.lastBotMessage(chat.id);
    if (!message) {
      const messageId = opts.messageId ?? this.nextMessageId(chat.id);
      message = {
        message_id: messageId,
        from: this.botUser(),
        chat,
        date: unixNow() - 60,
        text: opts.messageText ?? "Earlier message",
      };
      this.storeMessage(message);
    } else if (!opts.allowUnknownData) {
      const keyboard = message.reply_markup?.inline_keyboard;
      if (keyboard && !keyboard.some((row) => row.some((b) => "callback_data" in b && b.callback_data === opts.data))) {
        throw new Error(
          `callbackQuery: message ${message.message_id} in chat ${chat.id} has no button with callback_data ${JSON.stringify(opts.data)} ` +
            `(buttons: ${JSON.stringify(keyboard.flat().map((b) => ("callback_data" in b ? b.callback_data : b.text)))}); pass allowUnknownData to force`,
        );
      }
    }
    const query: CallbackQuery = {
      id: this.nextQueryId(opts.userId),
      from: user,
      message,
      chat_instance: String(-(BigInt(Math.abs(chat.id)) * 7919n + 1234567n)),
      data: opts.data,
    };
    return { update_id: this.nextUpdateId++, callback_query: query } as Update;
  }

  inlineQuery(opts: InlineQueryOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const query: InlineQuery = {
      id: this.nextQueryId(opts.userId),
      from: user,
      query: opts.query,
      offset: opts.offset ?? "",
      ...(opts.chatType ? { chat_type: opts.chatType } : {}),
    };
    return { update_id: this.nextUpdateId++, inline_query: query } as Update;
  }

  myChatMember(opts: MyChatMemberOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const chatType = opts.chatType ?? "private";
    const chat = this.ensureIncomingChat(opts.chatId, chatType, user);
    const bot = this.botUser();
    const member: ChatMember = { status: "member", user: bot };
    const removed: ChatMember =
      chatType === "private" || opts.status === "kicked"
        ? { status: "kicked", user: bot, until_date: 0 }
        : { status: "left", user: bot };
    const [oldMember, newMember] = opts.status === "kicked" ? [member, removed] : [removed, member];
    return {
      update_id: this.nextUpdateId++,
      my_chat_member: { chat, from: user, date: unixNow(), old_chat_member: oldMember, new_chat_member: newMember },
    } as Update;
  }

  /**
   * POST an update to the webhook (the stored URL unless `url` is given) with
   * the stored secret token (override with `secret`, or `null` to send none).
   * A method call in the response body is executed and recorded (`via: "webhook-reply"`).
   */
  async deliverToWebhook(
    update: Omit<Update, "update_id"> & { update_id?: number },
    opts: { url?: string; secret?: string | null; timeoutMs?: number } = {},
  ): Promise<WebhookDelivery> {
    const url = opts.url ?? this.webhookState?.url;
    if (!url) throw new Error("deliverToWebhook: no webhook set and no url given");
    const target = new URL(url);
    if (!LOOPBACK_HOSTS.has(target.hostname)) throw new Error(`deliverToWebhook: refusing non-loopback URL ${url}`);
    if (target.protocol !== "http:")
      throw new Error(`deliverToWebhook: only http:// webhooks are supported in tests (${url})`);
    const full = this.ingest(update);
    const secret = opts.secret === undefined ? this.webhookState?.secretToken : opts.secret;
    const body = JSON.stringify(full);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    };
    if (secret !== undefined && secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        target,
        { method: "POST", headers, agent: false, timeout: opts.timeoutMs ?? WEBHOOK_WAIT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`webhook did not answer within ${opts.timeoutMs ?? WEBHOOK_WAIT_MS} ms`)),
      );
      req.on("error", reject);
      req.end(body);
    });
    const delivery: WebhookDelivery = { update: full, status, body: text };
    if (this.webhookState && (status < 200 || status > 299)) {
      this.webhookState.lastErrorDate = unixNow();
      this.webhookState.lastErrorMessage = `Wrong response from the webhook: ${status}`;
    }
    if (text.length > 0) {
      try {
        delivery.json = JSON.parse(text);
      } catch {
        // not JSON: leave json undefined
      }
    }
    const reply = delivery.json;
    if (status === 200 && isRecord(reply) && typeof reply.method === "string") {
      const { method, ...payload } = reply;
      delivery.replyCall = await this.dispatch(method as string, payload, [], "webhook-reply");
    }
    return delivery;
  }

  // ---- HTTP ---------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.openResponses.add(res);
    res.once("close", () => this.openResponses.delete(res));
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = /^\/bot([^/]*)\/([A-Za-z0-9_]*)\/?$/.exec(url.pathname);
    if (!route) {
      req.resume();
      return this.writeJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    }
    if (route[1] !== this.token) {
      req.resume();
      return this.writeJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    if (!route[2]) {
      req.resume();
      return this.writeJson(res, 404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    }
    let payload: Payload;
    let files: RecordedFile[];
    try {
      ({ payload, files } = await parseRequest(req, url));
    } catch (err) {
      return this.writeJson(res, 400, {
        ok: false,
        error_code: 400,
        description: `Bad Request: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
    const abort = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    const answer = await this.answerRequest(canonicalMethod(route[2]), payload, files, abort.signal);
    if ("dropped" in answer) {
      req.socket.destroy();
      return;
    }
    if (abort.signal.aborted) return;
    res.writeHead(answer.status, {
      "content-type": answer.contentType,
      "content-length": Buffer.byteLength(answer.body),
    });
    res.end(answer.body);
  }

  /**
   * A `fetch` for grammY's `client.fetch` that reaches this fake without a socket: the same token check,
   * injected failures, policies and records as a request over HTTP (JSON bodies only: no file uploads),
   * a dropped connection being a rejected fetch. For tests on fake timers, where nothing could wait for
   * a socket.
   */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const reply = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    const route = /^\/bot([^/]*)\/([A-Za-z0-9_]*)\/?$/.exec(url.pathname);
    if (!route?.[2]) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    if (route[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    if (init?.body !== undefined && init.body !== null && typeof init.body !== "string")
      throw new Error("the fake Bot API's fetch takes JSON bodies only (no file uploads)");
    const payload: Payload = {};
    for (const [k, v] of url.searchParams) payload[k] = coerceField(k, v);
    const parsed: unknown = init?.body ? JSON.parse(init.body) : {};
    if (!isRecord(parsed))
      return reply(400, { ok: false, error_code: 400, description: "Bad Request: request body must be a JSON object" });
    Object.assign(payload, parsed);
    const answer = await this.answerRequest(canonicalMethod(route[2]), payload, [], init?.signal ?? undefined);
    if ("dropped" in answer) throw new TypeError("fetch failed: the connection was dropped");
    return new Response(answer.body, { status: answer.status, headers: { "content-type": answer.contentType } });
  };

  /** What a request for `method` gets: its injected failure, or the call's response. */
  private async answerRequest(
    method: string,
    payload: Payload,
    files: RecordedFile[],
    signal: AbortSignal | undefined,
  ): Promise<{ dropped: true } | { status: number; contentType: string; body: string }> {
    const failure = this.takeFailure(method);
    if (failure?.dropConnection || failure?.rawBody !== undefined) {
      this.record(method, payload, files, "http").response = {
        ok: false,
        error_code: failure.error_code,
        description: failure.description,
      };
      this.notify();
      if (failure.dropConnection) return { dropped: true };
      return { status: failure.error_code, contentType: "text/html", body: failure.rawBody ?? "" };
    }
    const call = await this.dispatch(method, payload, files, "http", signal, failure);
    const response = call.response ?? { ok: true, result: true };
    return {
      status: response.ok ? 200 : response.error_code,
      contentType: "application/json",
      body: JSON.stringify(response),
    };
  }

  private writeJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private record(method: string, payload: Payload, files: RecordedFile[], via: RecordedCall["via"]): RecordedCall {
    const call: RecordedCall = { index: this.calls.length, method, payload, at: Date.now(), via, files };
    this.calls.push(call);
    return call;
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      const hit = this.calls.find(
        (c) => c.index >= w.after && c.method === w.method && (!w.predicate || w.predicate(c.payload, c)),
      );
      if (hit) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(hit);
      }
    }
  }

  private takeFailure(method: string): FailureSpec | undefined {
    const list = this.failures.get(method);
    const next = list?.shift();
    if (list && list.length === 0) this.failures.delete(method);
    return next;
  }

  /** Record a call, run it (failure injection → chat checks → send policy → handler) and store the response. */
  private async dispatch(
    method: string,
    payload: Payload,
    files: RecordedFile[],
    via: RecordedCall["via"],
    signal?: AbortSignal,
    failure: FailureSpec | undefined = via === "webhook-reply" ? this.takeFailure(method) : undefined,
  ): Promise<RecordedCall> {
    const call = this.record(method, payload, files, via);
    let outcome: unknown;
    try {
      if (failure) throw apiError(failure);
      this.checkChatTarget(method, payload);
      const fallback = () => this.builtin(method, payload, call, signal);
      const handler = this.handlers.get(method);
      outcome = handler ? handler(payload, { api: this, call, fallback }) : fallback();
    } catch (err) {
      call.response = toErrorResponse(err);
      this.notify();
      return call;
    }
    if (outcome instanceof Promise) {
      this.notify();
      try {
        call.response = { ok: true, result: await outcome };
      } catch (err) {
        call.response = toErrorResponse(err);
      }
      return call;
    }
    call.response = { ok: true, result: outcome ?? true };
    this.notify();
    return call;
  }

  private checkChatTarget(method: string, payload: Payload): void {
    const rateLimited = RATE_LIMITED_METHODS.has(method);
    if (!CHAT_SEND_METHODS.has(method) && !rateLimited) return;
    if (payload.chat_id === undefined) {
      if (payload.inline_message_id !== undefined) return;
      throw bad("Bad Request: chat_id is empty");
    }
    const chat = this.resolveChat(payload.chat_id);
    const status = this.memberStatus.get(String(chat.id));
    if (status && CHAT_SEND_METHODS.has(method)) {
      if (chat.type === "private") throw apiError(apiErrors.blockedByUser());
      if (status === "kicked") throw new BotApiError(403, `Forbidden: bot was kicked from the ${chat.type} chat`);
      throw new BotApiError(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
    }
    const forced = CHAT_SEND_METHODS.has(method) ? this.chatFailures.get(String(chat.id)) : undefined;
    if (forced) {
      forced.remaining -= 1;
      if (forced.remaining <= 0) this.chatFailures.delete(String(chat.id));
      throw apiError(forced.error);
    }
    if (rateLimited && this.sendPolicy) {
      const verdict = this.sendPolicy({ method, chatId: chat.id, chatType: chat.type, payload, at: Date.now() });
      if (verdict) throw apiError(verdict);
    }
  }

  // ---- built-in methods -----------------------------------------------------

  private builtin(method: string, p: Payload, call: RecordedCall, signal?: AbortSignal): unknown {
    switch (method) {
      case "getMe":
        return { ...this.botInfo };
      case "getUpdates":
        return this.getUpdates(p, signal);
      case "setWebhook":
        return this.setWebhook(p);
      case "deleteWebhook":
        if (p.drop_pending_updates === true) this.queue = [];
        this.webhookState = undefined;
        return true;
      case "getWebhookInfo":
        return this.getWebhookInfo();
      case "setMyCommands":
        return this.setMyCommands(p);
      case "getMyCommands":
        return this.commands.get(commandsKey(p.scope, optString(p.language_code))) ?? [];
      case "deleteMyCommands":
        this.commands.delete(commandsKey(p.scope, optString(p.language_code)));
        return true;
      case "setMyDescription":
        return this.setBotText("description", p, 512);
      case "getMyDescription":
        return { description: this.botTexts.get(`description|${optString(p.language_code) ?? ""}`) ?? "" };
      case "setMyShortDescription":
        return this.setBotText("short_description", p, 120);
      case "getMyShortDescription":
        return {
          short_description: this.botTexts.get(`short_description|${optString(p.language_code) ?? ""}`) ?? "",
        };
      case "setMyName":
        return this.setBotText("name", p, 64);
      case "getMyName":
        return { name: this.botTexts.get(`name|${optString(p.language_code) ?? ""}`) ?? this.botInfo.first_name };
      case "setChatMenuButton":
        this.menuButtons.set(
          p.chat_id === undefined ? "default" : String(p.chat_id),
          p.menu_button ?? { type: "default" },
        );
        return true;
      case "getChatMenuButton":
        return (
          this.menuButtons.get(p.chat_id === undefined ? "default" : String(p.chat_id)) ??
          this.menuButtons.get("default") ?? { type: "commands" }
        );
      case "getChat":
        return { ...this.resolveChat(p.chat_id), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
      case "sendMessage":
        return this.sendMessage(p);
      case "sendChatAction":
        if (typeof p.action !== "string" || !CHAT_ACTIONS.has(p.action)) {
          throw bad("Bad Request: wrong parameter action in request");
        }
        return true;
      case "copyMessage":
        return this.copyMessage(p);
      case "forwardMessage":
        return this.forwardMessage(p);
      case "editMessageText":
        return this.editMessageText(p);
      case "editMessageCaption":
        return this.editMessageCaption(p);
      case "editMessageReplyMarkup":
        return this.editMessageReplyMarkup(p);
      case "deleteMessage":
        return this.deleteMessage(p);
      case "deleteMessages":
        for (const id of Array.isArray(p.message_ids) ? p.message_ids : []) {
          this.messages.get(String(p.chat_id))?.delete(Number(id));
        }
        return true;
      case "answerCallbackQuery":
        this.answerQuery(this.callbackQueries, p.callback_query_id);
        if (typeof p.text === "string" && p.text.length > 200) throw bad("Bad Request: MESSAGE_TOO_LONG");
        return true;
      case "answerInlineQuery":
        return this.answerInlineQuery(p);
      case "sendMediaGroup":
        return this.sendMediaGroup(p, call);
      case "sendLocation":
      case "sendVenue":
      case "sendContact":
      case "sendPoll":
      case "sendDice":
        return this.sendOther(method, p);
      default:
        if (MEDIA_FIELD[method]) return this.sendMedia(method, p, call);
        return true;
    }
  }

  private getUpdates(p: Payload, signal?: AbortSignal): Update[] | Promise<Update[]> {
    if (this.webhookState) {
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = optNumber(p.offset) ?? 0;
    const limit = Math.min(Math.max(optNumber(p.limit) ?? 100, 1), 100);
    const timeoutMs = Math.min(Math.max(optNumber(p.timeout) ?? 0, 0) * 1000, this.maxLongPollMs);
    if (Array.isArray(p.allowed_updates)) {
      this.allowedUpdates = p.allowed_updates.length ? p.allowed_updates.map(String) : undefined;
    }
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    // A newer getUpdates request terminates the pending one, like on Telegram.
    this.poller?.finish(
      new BotApiError(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      ),
    );
    const ready = this.available(offset, limit);
    if (ready.length || timeoutMs === 0 || this.closed) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const poller: Poller = {
        offset,
        limit,
        finish: (result) => {
          if (this.poller !== poller) return;
          this.poller = undefined;
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          if (result instanceof BotApiError) reject(result);
          else resolve(result);
        },
      };
      const onAbort = () => poller.finish([]);
      const timer = setTimeout(() => poller.finish(this.available(offset, limit)), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.poller = poller;
    });
  }

  private available(offset: number, limit: number): Update[] {
    this.queue = this.queue.filter((u) => this.isAllowed(u));
    return this.queue.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  private isAllowed(update: Update): boolean {
    const type = Object.keys(update).find((k) => k !== "update_id");
    if (!type) return false;
    return this.allowedUpdates ? this.allowedUpdates.includes(type) : !DEFAULT_UPDATE_TYPES_EXCLUDED.has(type);
  }

  private wakePoller(): void {
    const poller = this.poller;
    if (!poller) return;
    const ready = this.available(poller.offset, poller.limit);
    if (ready.length) poller.finish(ready);
  }

  private setWebhook(p: Payload): true {
    const url = typeof p.url === "string" ? p.url : "";
    if (url === "") {
      this.webhookState = undefined;
      return true;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw bad("Bad Request: bad webhook: Webhook URL is invalid");
    }
    // Telegram requires HTTPS; the fake also accepts http:// so tests can run a plain local server.
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw bad("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
    }
    const secret = optString(p.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw bad("Bad Request: secret token contains unallowed characters");
    }
    if (p.drop_pending_updates === true) this.queue = [];
    if (Array.isArray(p.allowed_updates)) {
      this.allowedUpdates = p.allowed_updates.length ? p.allowed_updates.map(String) : undefined;
    }
    this.webhookState = {
      url,
      secretToken: secret,
      allowedUpdates: this.allowedUpdates,
      maxConnections: optNumber(p.max_connections) ?? 40,
      ipAddress: optString(p.ip_address),
    };
    this.poller?.finish(new BotApiError(409, "Conflict: terminated by setWebhook request"));
    return true;
  }

  private getWebhookInfo(): Record<string, unknown> {
    const w = this.webhookState;
    const info: Record<string, unknown> = {
      url: w?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
    };
    if (w) {
      info.max_connections = w.maxConnections;
      if (w.ipAddress) info.ip_address = w.ipAddress;
      if (w.allowedUpdates) info.allowed_updates = w.allowedUpdates;
      if (w.lastErrorDate !== undefined) {
        info.last_error_date = w.lastErrorDate;
        info.last_error_message = w.lastErrorMessage;
      }
    }
    return info;
  }

  private setMyCommands(p: Payload): true {
    const commands = p.commands;
    if (!Array.isArray(commands)) throw bad('Bad Request: field "commands" must be an Array');
    if (commands.length > 100) throw bad("Bad Request: BOT_COMMANDS_TOO_MUCH");
    const clean: BotCommand[] = [];
    for (const c of commands) {
      if (!isRecord(c) || typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        throw bad("Bad Request: BOT_COMMAND_INVALID");
      }
      if (typeof c.description !== "string" || c.description.trim().length === 0 || c.description.length > 256) {
        throw bad("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
      }
      clean.push({ command: c.command, description: c.description });
    }
    const key = commandsKey(p.scope, optString(p.language_code));
    if (clean.length) this.commands.set(key, clean);
    else this.commands.delete(key);
    return true;
  }

  private setBotText(kind: string, p: Payload, max: number): true {
    const value = optString(p[kind]) ?? "";
    if (value.length > max) throw bad(`Bad Request: ${kind.toUpperCase()}_INVALID`);
    const key = `${kind}|${optString(p.language_code) ?? ""}`;
    if (value) this.botTexts.set(key, value);
    else this.botTexts.delete(key);
    return true;
  }

  private sendMessage(p: Payload): Message {
    const chat = this.resolveChat(p.chat_id);
    if (typeof p.text !== "string") throw bad("Bad Request: message text is empty");
    const { text, entities } = formatText(p.text, p.parse_mode, p.entities);
    if (text.trim().length === 0) throw bad("Bad Request: message text is empty");
    if (text.length > 4096) throw bad("Bad Request: message is too long");
    const content: Partial<Message> = { text };
    if (entities.length) content.entities = entities;
    if (isRecord(p.link_preview_options)) content.link_preview_options = p.link_preview_options;
    return this.createBotMessage(chat, content, p);
  }

  private sendMedia(method: string, p: Payload, call: RecordedCall): Message {
    const field = MEDIA_FIELD[method] ?? "document";
    const chat = this.resolveChat(p.chat_id);
    const input = p[field];
    if (input === undefined || input === "") throw bad(`Bad Request: there is no ${field} in the request`);
    const content: Partial<Message> = { ...this.captionContent(p) };
    Object.assign(content, { [field]: this.fakeMedia(field, input, call.files) });
    return this.createBotMessage(chat, content, p);
  }

  private sendMediaGroup(p: Payload, call: RecordedCall): Message[] {
    const chat = this.resolveChat(p.chat_id);
    if (!Array.isArray(p.media) || p.media.length < 2 || p.media.length > 10) {
      throw bad("Bad Request: wrong number of messages in the media group");
    }
    const groupId = String(10_000_000_000 + this.fileCounter++);
    return p.media.map((item) => {
      const m = isRecord(item) ? item : {};
      const field = typeof m.type === "string" ? m.type : "document";
      const content: Partial<Message> = { media_group_id: groupId, ...this.captionContent(m) };
      Object.assign(content, { [field]: this.fakeMedia(field, m.media, call.files) });
      return this.createBotMessage(chat, content, p);
    });
  }

  private sendOther(method: string, p: Payload): Message {
    const chat = this.resolveChat(p.chat_id);
    const content: Record<string, unknown> = {};
    if (method === "sendLocation") content.location = { latitude: p.latitude, longitude: p.longitude };
    if (method === "sendVenue") {
      content.venue = {
        location: { latitude: p.latitude, longitude: p.longitude },
        title: p.title,
        address: p.address,
      };
    }
    if (method === "sendContact") {
      content.contact = { phone_number: p.phone_number, first_name: p.first_name, last_name: p.last_name };
    }
    if (method === "sendDice") content.dice = { emoji: optString(p.emoji) ?? "🎲", value: 3 };
    if (method === "sendPoll") {
      content.poll = {
        id: String(this.fileCounter++),
        question: p.question,
        options: (Array.isArray(p.options) ? p.options : []).map((o) => ({
          text: isRecord(o) ? o.text : String(o),
          voter_count: 0,
        })),
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: p.is_anonymous !== false,
        type: optString(p.type) ?? "regular",
        allows_multiple_answers: p.allows_multiple_answers === true,
      };
    }
    return this.createBotMessage(chat, content as Partial<Message>, p);
  }

  private copyMessage(p: Payload): { message_id: number } {
    const chat = this.resolveChat(p.chat_id);
    const source = this.getMessage(this.resolveChat(p.from_chat_id).id, Number(p.message_id));
    if (!source) throw bad("Bad Request: message to copy not found");
    const content: Partial<Message> = {};
    for (const key of [
      "text",
      "entities",
      "photo",
      "document",
      "audio",
      "video",
      "animation",
      "voice",
      "sticker",
      "caption",
      "caption_entities",
      "location",
      "contact",
      "poll",
      "dice",
    ] as const) {
      if (source[key] !== undefined) Object.assign(content, { [key]: source[key] });
    }
    if (p.caption !== undefined) Object.assign(content, this.captionContent(p));
    const message = this.createBotMessage(chat, content, { ...p, reply_markup: p.reply_markup });
    return { message_id: message.message_id };
  }

  private forwardMessage(p: Payload): Message {
    const chat = this.resolveChat(p.chat_id);
    const fromChat = this.resolveChat(p.from_chat_id);
    const source = this.getMessage(fromChat.id, Number(p.message_id));
    if (!source) throw bad("Bad Request: message to forward not found");
    const { message_id: _id, chat: _chat, from, date, reply_markup: _markup, ...content } = source;
    const origin =
      from && fromChat.type !== "channel"
        ? { type: "user" as const, sender_user: from, date }
        : { type: "chat" as const, sender_chat: fromChat, date };
    return this.createBotMessage(chat, { ...content, forward_origin: origin } as Partial<Message>, {
      ...p,
      reply_markup: undefined,
    });
  }

  private editMessageText(p: Payload): Message | true {
    if (typeof p.text !== "string") throw bad("Bad Request: text must be non-empty");
    const { text, entities } = formatText(p.text, p.parse_mode, p.entities);
    if (text.trim().length === 0) throw bad("Bad Request: text must be non-empty");
    if (text.length > 4096) throw bad("Bad Request: MESSAGE_TOO_LONG");
    const markup = inlineMarkup(p.reply_markup);
    if (p.inline_message_id !== undefined) return true;
    const message = this.editableMessage(p, "edit");
    if (message.text === undefined) throw bad("Bad Request: there is no text in the message to edit");
    if (
      message.text === text &&
      JSON.stringify(message.entities ?? []) === JSON.stringify(entities) &&
      JSON.stringify(message.reply_markup) === JSON.stringify(markup)
    ) {
      throw bad(NOT_MODIFIED);
    }
    message.text = text;
    setOrDelete(message, "entities", entities.length ? entities : undefined);
    setOrDelete(message, "reply_markup", markup);
    message.edit_date = unixNow();
    return message;
  }

  private editMessageCaption(p: Payload): Message | true {
    const { caption, caption_entities } = this.captionContent(p);
    const markup = inlineMarkup(p.reply_markup);
    if (p.inline_message_id !== undefined) return true;
    const message = this.editableMessage(p, "edit");
    if (message.text !== undefined) throw bad("Bad Request: there is no caption in the message to edit");
    if (
      message.caption === caption &&
      JSON.stringify(message.caption_entities) === JSON.stringify(caption_entities) &&
      JSON.stringify(message.reply_markup) === JSON.stringify(markup)
    ) {
      throw bad(NOT_MODIFIED);
    }
    setOrDelete(message, "caption", caption);
    setOrDelete(message, "caption_entities", caption_entities);
    setOrDelete(message, "reply_markup", markup);
    message.edit_date = unixNow();
    return message;
  }

  private editMessageReplyMarkup(p: Payload): Message | true {
    const markup = inlineMarkup(p.reply_markup);
    if (p.inline_message_id !== undefined) return true;
    const message = this.editableMessage(p, "edit");
    if (JSON.stringify(message.reply_markup) === JSON.stringify(markup)) throw bad(NOT_MODIFIED);
    setOrDelete(message, "reply_markup", markup);
    message.edit_date = unixNow();
    return message;
  }

  private deleteMessage(p: Payload): true {
    const message = this.editableMessage(p, "delete");
    this.messages.get(String(message.chat.id))?.delete(message.message_id);
    return true;
  }

  private editableMessage(p: Payload, action: "edit" | "delete"): StoredMessage {
    const chat = this.resolveChat(p.chat_id);
    const message = this.getMessage(chat.id, Number(p.message_id));
    if (!message) throw bad(`Bad Request: message to ${action} not found`);
    if (action === "edit" && message.from?.id !== this.botId) throw bad("Bad Request: message can't be edited");
    if (action === "delete" && message.from?.id !== this.botId && chat.type !== "private") {
      throw bad("Bad Request: message can't be deleted");
    }
    return message;
  }

  private answerInlineQuery(p: Payload): true {
    this.answerQuery(this.inlineQueries, p.inline_query_id);
    if (!Array.isArray(p.results)) throw bad("Bad Request: can't parse inline query results JSON object");
    if (p.results.length > 50) throw bad("Bad Request: RESULTS_TOO_MUCH");
    const ids = new Set<string>();
    for (const r of p.results) {
      if (!isRecord(r) || typeof r.type !== "string") throw bad("Bad Request: can't parse inline query result");
      const id = typeof r.id === "string" ? r.id : "";
      if (id.length === 0 || Buffer.byteLength(id) > 64) throw bad("Bad Request: RESULT_ID_INVALID");
      if (ids.has(id)) throw bad("Bad Request: RESULT_ID_DUPLICATE");
      ids.add(id);
      inlineMarkup(r.reply_markup);
      const content = r.input_message_content;
      if (isRecord(content) && typeof content.message_text === "string") {
        const { text } = formatText(content.message_text, content.parse_mode, content.entities);
        if (text.trim().length === 0) throw bad("Bad Request: MESSAGE_EMPTY");
        if (text.length > 4096) throw bad("Bad Request: MESSAGE_TOO_LONG");
      }
    }
    return true;
  }

  private answerQuery(store: Map<string, QueryState>, id: unknown): void {
    const state = store.get(String(id));
    if (!state || state.answered) throw bad(QUERY_TOO_OLD);
    state.answered = true;
  }

  // ---- state helpers -----------------------------------------------------------

  private captionContent(p: Payload): { caption?: string; caption_entities?: MessageEntity[] } {
    if (typeof p.caption !== "string" || p.caption === "") return {};
    const { text, entities } = formatText(p.caption, p.parse_mode, p.caption_entities);
    if (text.length > 1024) throw bad("Bad Request: message caption is too long");
    return entities.length ? { caption: text, caption_entities: entities } : { caption: text };
  }

  private fakeMedia(field: string, input: unknown, files: RecordedFile[]): unknown {
    let name: string | undefined;
    let size = 12_345;
    if (typeof input === "string" && input.startsWith("attach://")) {
      const file = files.find((f) => f.field === input.slice("attach://".length));
      if (!file) throw bad(`Bad Request: file must be non-empty`);
      name = file.filename;
      size = file.size;
    } else if (typeof input === "string" && /^https?:\/\//.test(input)) {
      name = decodeURIComponent(new URL(input).pathname.split("/").pop() ?? "") || undefined;
    } else if (typeof input !== "string" || input.length === 0) {
      throw bad(`Bad Request: there is no ${field} in the request`);
    }
    const n = this.fileCounter++;
    const ids = (suffix: string) => ({
      file_id: `${field.slice(0, 2).toUpperCase()}ACAgIAAxkBAAI${n}${suffix}`,
      file_unique_id: `AQAD${n}${suffix}`,
    });
    if (field === "photo") {
      return [
        { ...ids("s"), width: 90, height: 60, file_size: Math.ceil(size / 20) },
        { ...ids("m"), width: 320, height: 213, file_size: Math.ceil(size / 4) },
        { ...ids("x"), width: 800, height: 533, file_size: size },
      ];
    }
    const media: Record<string, unknown> = { ...ids(""), file_size: size };
    if (field === "document" || field === "audio" || field === "video" || field === "animation") {
      if (name) media.file_name = name;
      media.mime_type = guessMime(name);
    }
    if (field === "video" || field === "animation" || field === "sticker")
      Object.assign(media, { width: 640, height: 360 });
    if (field === "sticker") Object.assign(media, { type: "regular", is_animated: false, is_video: false });
    if (
      field === "video" ||
      field === "animation" ||
      field === "audio" ||
      field === "voice" ||
      field === "video_note"
    ) {
      media.duration = 1;
    }
    if (field === "video_note") media.length = 240;
    return media;
  }

  private createBotMessage(chat: Chat, content: Partial<Message>, p: Payload): StoredMessage {
    const message: StoredMessage = {
      message_id: this.nextMessageId(chat.id),
      ...(chat.type === "channel" ? { sender_chat: chat } : { from: this.botUser() }),
      chat,
      date: unixNow(),
      ...content,
    };
    const threadId = optNumber(p.message_thread_id);
    if (threadId !== undefined) message.message_thread_id = threadId;
    const replyParams = isRecord(p.reply_parameters) ? p.reply_parameters : undefined;
    const replyTo = optNumber(replyParams?.message_id) ?? optNumber(p.reply_to_message_id);
    if (replyTo !== undefined) {
      const replyChat = replyParams?.chat_id !== undefined ? this.resolveChat(replyParams.chat_id) : chat;
      const replied = this.getMessage(replyChat.id, replyTo);
      const allowWithout = replyParams?.allow_sending_without_reply === true || p.allow_sending_without_reply === true;
      if (!replied && !allowWithout) throw bad("Bad Request: message to be replied not found");
      if (replied) message.reply_to_message = withoutReply(replied);
    }
    const markup = inlineMarkup(p.reply_markup);
    if (markup) message.reply_markup = markup;
    if (p.protect_content === true) message.has_protected_content = true;
    this.storeMessage(message);
    return message;
  }

  private ingest(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    if (full.update_id >= this.nextUpdateId) this.nextUpdateId = full.update_id + 1;
    const msg = full.message ?? full.edited_message ?? full.channel_post;
    if (msg) {
      this.rememberChat(msg.chat);
      if (msg.from) this.users.set(msg.from.id, msg.from);
      if (!this.getMessage(msg.chat.id, msg.message_id)) this.storeMessage(msg as StoredMessage);
    }
    if (full.callback_query) {
      this.callbackQueries.set(full.callback_query.id, { answered: false });
      this.users.set(full.callback_query.from.id, full.callback_query.from);
    }
    if (full.inline_query) this.inlineQueries.set(full.inline_query.id, { answered: false });
    const member = full.my_chat_member;
    if (member) {
      this.rememberChat(member.chat);
      const key = String(member.chat.id);
      const status = member.new_chat_member.status;
      if (status === "kicked" || status === "left") this.memberStatus.set(key, status);
      else this.memberStatus.delete(key);
    }
    return full;
  }

  private ensureUser(userId: number, opts: { languageCode?: string; username?: string; firstName?: string }): User {
    const prev = this.users.get(userId);
    const user: User = {
      id: userId,
      is_bot: false,
      first_name: opts.firstName ?? prev?.first_name ?? `User ${userId}`,
    };
    const username = opts.username ?? prev?.username;
    if (username) user.username = username;
    const lang = opts.languageCode ?? prev?.language_code;
    if (lang) user.language_code = lang;
    this.users.set(userId, user);
    return user;
  }

  private ensureIncomingChat(chatId: number, type: ChatType, user: User, title?: string): Chat {
    let id = chatId;
    if (type === "group" && id > 0) id = -id;
    if ((type === "supergroup" || type === "channel") && id > 0) id = -(1_000_000_000_000 + id);
    let chat: Chat;
    if (type === "private") {
      chat = { id, type, first_name: user.first_name };
      if (user.username) chat.username = user.username;
    } else {
      const known = this.chats.get(String(id));
      chat = {
        id,
        type,
        title: title ?? (known && "title" in known ? known.title : undefined) ?? `Test ${type} ${Math.abs(chatId)}`,
      } as Chat;
    }
    this.rememberChat(chat);
    return chat;
  }

  private rememberChat(chat: Chat): void {
    this.chats.set(String(chat.id), chat);
    if (chat.type !== "private" && chat.username) this.chats.set(`@${chat.username}`, chat);
  }

  private resolveChat(chatId: unknown): Chat {
    if (chatId === undefined || chatId === null || chatId === "") throw bad("Bad Request: chat_id is empty");
    const known = this.chats.get(String(chatId));
    if (known) return known;
    if (this.strictChats) throw apiError(apiErrors.chatNotFound());
    let chat: Chat;
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      chat = {
        id: -1_000_000_000_000 - (hash(chatId) % 1_000_000_000),
        type: "channel",
        title: chatId.slice(1),
        username: chatId.slice(1),
      };
    } else {
      const id = Number(chatId);
      if (!Number.isSafeInteger(id) || id === 0) throw apiError(apiErrors.chatNotFound());
      if (id > 0) {
        const user = this.users.get(id);
        chat = { id, type: "private", first_name: user?.first_name ?? `User ${id}` };
        if (user?.username) chat.username = user.username;
      } else if (id <= -1_000_000_000_000) chat = { id, type: "supergroup", title: `Test supergroup ${-id}` };
      else chat = { id, type: "group", title: `Test group ${-id}` };
    }
    this.rememberChat(chat);
    return chat;
  }

  private botUser(): User {
    return { id: this.botId, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username };
  }

  private nextMessageId(chatId: number): number {
    const key = String(chatId);
    const next = (this.messageCounters.get(key) ?? 0) + 1;
    this.messageCounters.set(key, next);
    return next;
  }

  private nextQueryId(userId: number): string {
    return String(BigInt(userId) * 4_294_967_296n + BigInt(this.queryCounter++));
  }

  private storeMessage(message: StoredMessage): void {
    const key = String(message.chat.id);
    let chatMessages = this.messages.get(key);
    if (!chatMessages) {
      chatMessages = new Map();
      this.messages.set(key, chatMessages);
    }
    chatMessages.set(message.message_id, message);
    if ((this.messageCounters.get(key) ?? 0) < message.message_id) this.messageCounters.set(key, message.message_id);
  }

  private getMessage(chatId: number, messageId: number): StoredMessage | undefined {
    return this.messages.get(String(chatId))?.get(messageId);
  }

  private lastBotMessage(chatId: number): StoredMessage | undefined {
    const all = [...(this.messages.get(String(chatId))?.values() ?? [])].filter((m) => m.from?.id === this.botId);
    return all.sort((a, b) => b.message_id - a.message_id)[0];
  }
}

// ---------------------------------------------------------------------------
// Request parsing

async function parseRequest(req: IncomingMessage, url: URL): Promise<{ payload: Payload; files: RecordedFile[] }> {
  const payload: Payload = {};
  for (const [k, v] of url.searchParams) payload[k] = coerceField(k, v);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const files: RecordedFile[] = [];
  if (body.length === 0) return { payload, files };
  const contentType = req.headers["content-type"] ?? "";
  if (/^application\/json/i.test(contentType)) {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (!isRecord(parsed)) throw new Error("request body must be a JSON object");
    Object.assign(payload, parsed);
  } else if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) payload[k] = coerceField(k, v);
  } else if (/^multipart\/form-data/i.test(contentType)) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw new Error("multipart body without boundary");
    for (const part of parseMultipart(body, b.trim())) {
      if (part.filename !== undefined) {
        files.push({
          field: part.name,
          filename: part.filename,
          contentType: part.contentType,
          size: part.data.length,
          data: part.data,
        });
      } else {
        payload[part.name] = coerceField(part.name, part.data.toString("utf8"));
      }
    }
  } else {
    throw new Error(`unsupported content type ${JSON.stringify(contentType)}`);
  }
  return { payload, files };
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser (handles grammY's `content-disposition:form-data;name="x"` style too). */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error("multipart boundary not found");
  while (true) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() === "\r\n") pos += 2;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), pos);
    if (next < 0) throw new Error("unterminated multipart body");
    const part = body.subarray(pos, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) throw new Error("multipart part without headers");
    const headers = part.subarray(0, headerEnd).toString("utf8").split("\r\n");
    const data = Buffer.from(part.subarray(headerEnd + 4));
    let name = "";
    let filename: string | undefined;
    let contentType = "text/plain";
    for (const line of headers) {
      const colon = line.indexOf(":");
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "content-disposition") {
        name =
          /(?:^|;)\s*name=(?:"([^"]*)"|([^;]*))/i
            .exec(value)
            ?.slice(1)
            .find((v) => v !== undefined)
            ?.trim() ?? "";
        const fn = /(?:^|;)\s*filename=(?:"([^"]*)"|([^;]*))/i.exec(value);
        if (fn) filename = (fn[1] ?? fn[2] ?? "").trim();
      } else if (key === "content-type") {
        contentType = value;
      }
    }
    parts.push({ name, filename, contentType, data });
    pos = next + 2;
  }
  return parts;
}

/** Form values are strings; decode JSON-typed fields (numbers, booleans, objects) as Telegram does. */
function coerceField(key: string, value: string): unknown {
  if (STRING_FIELDS.has(key)) return value;
  if (!/^[[{\-\d]|^(true|false)$/.test(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === "number" && !Number.isSafeInteger(parsed) && Number.isInteger(parsed)) return value;
    return parsed;
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------
// Small helpers

function toErrorResponse(err: unknown): ApiResponse {
  if (err instanceof BotApiError) return err.toResponse();
  return {
    ok: false,
    error_code: 500,
    description: `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`,
  };
}

/** Validates an inline keyboard like Telegram; returns it when it should appear on the message. */
function inlineMarkup(markup: unknown): InlineKeyboardMarkup | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (!isRecord(markup)) throw bad("Bad Request: can't parse reply keyboard markup JSON object");
  if (!("inline_keyboard" in markup)) return undefined; // reply keyboards are not echoed in messages
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw bad('Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (!isRecord(button) || typeof button.text !== "string") {
        throw bad('Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String');
      }
      const actions = INLINE_BUTTON_ACTIONS.filter((a) => button[a] !== undefined);
      if (actions.length === 0) {
        throw bad("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
      if (button.callback_data !== undefined) {
        const data = button.callback_data;
        if (typeof data !== "string" || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) {
          throw bad("Bad Request: BUTTON_DATA_INVALID");
        }
      }
      if (button.url !== undefined) {
        const ok = typeof button.url === "string" && /^(https?|tg):/i.test(button.url) && URL.canParse(button.url);
        if (!ok)
          throw bad(`Bad Request: inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
      }
    }
  }
  const nonEmpty = (rows as unknown[][]).filter((r) => r.length > 0);
  return nonEmpty.length ? ({ inline_keyboard: nonEmpty } as InlineKeyboardMarkup) : undefined;
}

function commandsKey(scope: unknown, languageCode: string | undefined): string {
  const s = isRecord(scope) ? scope : { type: "default" };
  const normalized = Object.keys(s)
    .sort()
    .map((k) => `${k}=${String(s[k])}`)
    .join(",");
  return `${normalized}|${languageCode ?? ""}`;
}

function withoutReply(message: StoredMessage): NonNullable<Message["reply_to_message"]> {
  const { reply_to_message: _reply, ...rest } = message;
  return rest as NonNullable<Message["reply_to_message"]>;
}

function setOrDelete<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function guessMime(name: string | undefined): string {
  const ext = name?.split(".").pop()?.toLowerCase();
  const table: Record<string, string> = {
    pdf: "application/pdf",
    txt: "text/plain",
    csv: "text/csv",
    json: "application/json",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    mp4: "video/mp4",
    mp3: "audio/mpeg",
    ogg: "audio/ogg",
    zip: "application/zip",
  };
  return (ext && table[ext]) || "application/octet-stream";
}

function canonicalMethod(method: string): string {
  return KNOWN_METHODS.get(method.toLowerCase()) ?? method;
}

const KNOWN_METHODS = new Map(
  [
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyDescription",
    "getMyDescription",
    "setMyShortDescription",
    "getMyShortDescription",
    "setMyName",
    "getMyName",
    "setChatMenuButton",
    "getChatMenuButton",
    "getChat",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "editMessageMedia",
    "deleteMessage",
    "deleteMessages",
    "answerCallbackQuery",
    "answerInlineQuery",
    "logOut",
    "close",
    "getFile",
    "getChatMember",
    "leaveChat",
    ...CHAT_SEND_METHODS,
  ].map((m) => [m.toLowerCase(), m]),
);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function optNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function optString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
