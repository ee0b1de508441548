// Shared by the broadcast tests: the fake Bot API with Telegram's rate limits, a grammY Api as the
// sender, recording hooks, and helpers to read what each chat received.
import { Api } from "grammy";
import { telegramSender } from "../../src/broadcast/sender.js";
import type { BroadcastStatus, DeliveryHooks, DeliveryService, Recipient } from "../../src/broadcast/types.js";
import type { Language } from "../../src/catalog/schema.js";
import { apiErrors, startFakeBotApi, telegramRateLimits } from "../helpers/fake-bot-api.js";
import type {
  ApiErrorSpec,
  FakeBotApi,
  RecordedCall,
  SendAttempt,
  TelegramRateLimitPolicy,
} from "../helpers/fake-bot-api.js";
import { eventually } from "../helpers/until.js";

/** Long enough for the configuration's token format (worker-main validates it). */
export const TOKEN = "123456:TEST-broadcast-token-0123456789";

export const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument"]);

export async function startFake(): Promise<FakeBotApi> {
  return startFakeBotApi({ token: TOKEN });
}

/** A grammY Api on the fake as the sender: over HTTP, or in-process (`inProcess`, for fake timers). */
export function senderFor(fake: FakeBotApi, { inProcess = false } = {}) {
  return telegramSender(
    new Api(TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: 10, ...(inProcess ? { fetch: fake.fetch } : {}) }),
  );
}

export interface RecordingHooks extends DeliveryHooks {
  inactive: { chatId: number; reason: string }[];
  progress: { status: BroadcastStatus; at: number }[];
  resolved: unknown[];
  /** When each audience was resolved (Date.now()): a broadcast's start. */
  resolvedAt: number[];
}

export function recordingHooks(
  recipients: Recipient[] | ((audience: unknown) => Promise<Recipient[]>),
): RecordingHooks {
  const hooks: RecordingHooks = {
    inactive: [],
    progress: [],
    resolved: [],
    resolvedAt: [],
    async resolveRecipients(audience) {
      hooks.resolved.push(audience);
      hooks.resolvedAt.push(Date.now());
      return typeof recipients === "function" ? recipients(audience) : recipients;
    },
    async markInactive(chatId, reason) {
      hooks.inactive.push({ chatId, reason });
    },
    async onProgress(status) {
      hooks.progress.push({ status, at: Date.now() });
    },
  };
  return hooks;
}

const LANGS: Language[] = ["en", "fr", "ru", "zh"];

export function people(count: number, firstId = 1000, lang?: Language): Recipient[] {
  return Array.from({ length: count }, (_, i) => ({ chatId: firstId + i, lang: lang ?? (LANGS[i % 4] as Language) }));
}

export function sendCalls(fake: FakeBotApi, after = 0): RecordedCall[] {
  return fake.calls.filter((c) => c.index >= after && SEND_METHODS.has(c.method));
}

export function delivered(fake: FakeBotApi, after = 0): RecordedCall[] {
  return sendCalls(fake, after).filter((c) => c.response?.ok === true);
}

/** Successful sends per chat id. */
export function deliveriesPerChat(fake: FakeBotApi, after = 0): Map<number, number> {
  const counts = new Map<number, number>();
  for (const c of delivered(fake, after)) {
    const id = Number(c.payload.chat_id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  return eventually(probe, what, timeoutMs, everyMs);
}

export async function waitForEnd(delivery: DeliveryService, id: string, timeoutMs = 15_000): Promise<BroadcastStatus> {
  return waitFor(
    `broadcast ${id} to end`,
    async () => {
      const s = await delivery.status(id);
      return s && ["done", "cancelled", "failed"].includes(s.state) ? s : undefined;
    },
    timeoutMs,
  );
}

/** Telegram-like limits generous enough for a test rate (paid broadcasts up to `paidPerSecond`). */
export function limitsFor(perSecond: number, paidPerSecond?: number): TelegramRateLimitPolicy {
  return telegramRateLimits({ globalPerSecond: perSecond, paidPerSecond, perChatPerSecond: 1, perGroupPerMinute: 20 });
}

/**
 * A flood: after `after` accepted sends, one 429 with retry_after `seconds`, and 429 for everything until
 * then. Records when.
 */
export function floodAfter(after: number, seconds: number, base?: TelegramRateLimitPolicy) {
  let accepted = 0;
  const flood = { at: 0, until: 0, rejected: [] as SendAttempt[] };
  const policy = (attempt: SendAttempt): ApiErrorSpec | undefined => {
    if (flood.until > attempt.at) {
      flood.rejected.push(attempt);
      return apiErrors.tooManyRequests(Math.max(1, Math.ceil((flood.until - attempt.at) / 1000)));
    }
    if (accepted === after && flood.at === 0) {
      flood.at = attempt.at;
      flood.until = attempt.at + seconds * 1000;
      flood.rejected.push(attempt);
      return apiErrors.tooManyRequests(seconds);
    }
    const verdict = base?.(attempt) ?? undefined;
    if (!verdict) accepted += 1;
    return verdict;
  };
  return { policy, flood };
}
