/**
 * A fake Telegram Bot API server for end-to-end tests: the HTTP shell of the
 * Telegram emulator (src/telegram-emulator/), which the console uses in process.
 *
 * The real bot talks to it over real HTTP on 127.0.0.1 (grammY:
 * `new Bot(api.token, { client: { apiRoot: api.apiRoot } })`), or without a
 * socket through `fetch`. The emulator (`telegram`) answers every method as
 * Telegram does — chats, per-chat message ids, edit and delete rules, the HTML
 * parse mode, queries answered once, Telegram's limits and errors, chats that
 * blocked the bot. The shell adds the transport:
 *
 * - an update queue served by long polling (`getUpdates` honours `offset`,
 *   `limit`, `timeout` — capped by `maxLongPollMs` — and `allowed_updates`),
 *   or delivered to a webhook with `deliverToWebhook`;
 * - form, JSON and multipart requests, method names in any case, the token.
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
import type { BotCommand, Message, ResponseParameters, Update, UserFromGetMe } from "grammy/types";
import {
  CHAT_SEND_METHODS,
  EDIT_METHODS,
  TelegramEmulator,
  type CallbackQueryOptions,
  type ChatType,
  type InlineQueryOptions,
  type MyChatMemberOptions,
  type Payload,
  type TextMessageOptions,
} from "../../src/telegram-emulator/emulator.js";
import { apiError, apiErrors, bad, BotApiError, type ApiErrorSpec } from "../../src/telegram-emulator/errors.js";
import { isRecord, optNumber, optString, unixNow } from "../../src/telegram-emulator/fields.js";

export { apiError, apiErrors, BotApiError as FakeBotApiError, CHAT_SEND_METHODS, type ApiErrorSpec };
export type { CallbackQueryOptions, ChatType, InlineQueryOptions, MyChatMemberOptions, Payload, TextMessageOptions };

// ---------------------------------------------------------------------------
// Public types

export const DEFAULT_FAKE_TOKEN = "123456:TEST-token";
/** A token in Telegram's format, for code that checks it (loadConfig); the default one is too short. */
export const HARNESS_TOKEN = "123456:TEST-harness-token-abcdefghijklmnop";
export const DEFAULT_BOT_USERNAME = "coopdesk_test_bot";

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

/** Methods passed to the `beforeSend` policy (what Telegram's flood limits count). */
export const RATE_LIMITED_METHODS: ReadonlySet<string> = new Set([
  ...[...CHAT_SEND_METHODS].filter((m) => m !== "sendChatAction"),
  ...EDIT_METHODS,
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

// Telegram's update ids keep increasing for a bot across restarts: every fake of a test process
// continues one sequence, so a bot restarted against a new fake (on the same Redis) is never handed an
// update id it already handled, which it would skip as a redelivery.
const sharedUpdateIds = { next: 700_000_001 };

export class FakeBotApi {
  readonly token: string;
  readonly botId: number;
  readonly botInfo: UserFromGetMe;
  /** Telegram's side: chats, messages, queries, commands (see src/telegram-emulator/). */
  readonly telegram: TelegramEmulator;
  /** Every call, in arrival order (cleared by `reset()`). */
  readonly calls: RecordedCall[] = [];

  private server: Server | undefined;
  private port = 0;
  private closed = false;
  private readonly maxLongPollMs: number;
  private sendPolicy: SendPolicy | undefined;

  private readonly waiters = new Set<Waiter>();
  private readonly failures = new Map<string, FailureSpec[]>();
  private readonly chatFailures = new Map<string, { error: ApiErrorSpec; remaining: number }>();
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly openResponses = new Set<ServerResponse>();

  private queue: Update[] = [];
  private allowedUpdates: string[] | undefined;
  private poller: Poller | undefined;
  private webhookState: WebhookState | undefined;

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
    this.telegram = new TelegramEmulator({
      botInfo: this.botInfo,
      strictChats: options.strictChats,
      updateIds: sharedUpdateIds,
    });
    this.maxLongPollMs = options.maxLongPollMs ?? 2000;
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
      this.telegram.reset();
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
    return this.telegram.chatHistory(chatId);
  }

  /** Commands set for a scope (default `{type: "default"}`) and language (default ""). */
  commandsFor(scope?: unknown, languageCode?: string): BotCommand[] | undefined {
    return this.telegram.commandsFor(scope, languageCode);
  }

  // ---- updates ----------------------------------------------------------

  /** Queue an update for `getUpdates` (an `update_id` is assigned when missing). Wakes a pending long poll. */
  pushUpdate(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full = this.telegram.ingest(update);
    this.queue.push(full);
    this.queue.sort((a, b) => a.update_id - b.update_id);
    this.wakePoller();
    return full;
  }

  textMessage(opts: TextMessageOptions): Update {
    return this.telegram.textMessage(opts);
  }

  callbackQuery(opts: CallbackQueryOptions): Update {
    return this.telegram.callbackQuery(opts);
  }

  inlineQuery(opts: InlineQueryOptions): Update {
    return this.telegram.inlineQuery(opts);
  }

  myChatMember(opts: MyChatMemberOptions): Update {
    return this.telegram.myChatMember(opts);
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
    const full = this.telegram.ingest(update);
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

  /** Telegram's checks of the target chat, then the test's: a chat made to fail, the send policy. */
  private checkChatTarget(method: string, payload: Payload): void {
    const chat = this.telegram.checkTarget(method, payload);
    if (!chat) return;
    const forced = CHAT_SEND_METHODS.has(method) ? this.chatFailures.get(String(chat.id)) : undefined;
    if (forced) {
      forced.remaining -= 1;
      if (forced.remaining <= 0) this.chatFailures.delete(String(chat.id));
      throw apiError(forced.error);
    }
    if (RATE_LIMITED_METHODS.has(method) && this.sendPolicy) {
      const verdict = this.sendPolicy({ method, chatId: chat.id, chatType: chat.type, payload, at: Date.now() });
      if (verdict) throw apiError(verdict);
    }
  }

  // ---- built-in methods -----------------------------------------------------

  /** The transport's methods (updates, webhook) here; every other one as Telegram answers it. */
  private builtin(method: string, p: Payload, call: RecordedCall, signal?: AbortSignal): unknown {
    switch (method) {
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
      default:
        return this.telegram.run(method, p, call.files);
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
