// What both delivery engines share: request validation, variant choice, error classification, pacing
// and throttled progress reports.
import { z } from "zod";
import { LANGUAGES } from "../catalog/schema.js";
import type { Language } from "../catalog/schema.js";
import { DEFAULT_MAX_ATTEMPTS, defaultConcurrency, defaultRate } from "./config.js";
import { estimateBilledMessages } from "./cost.js";
import type {
  AnyMessageContent,
  BroadcastContent,
  BroadcastRequest,
  BroadcastStatus,
  DeliveryEngineOptions,
  DeliveryHooks,
} from "./types.js";
import type { ServiceLogger } from "../logger.js";

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
/** Telegram: about one message a second to one chat… */
export const CHAT_INTERVAL_MS = 1000;
/** …and 20 a minute to one group. */
export const GROUP_INTERVAL_MS = 3000;
/**
 * Added to both, so that network jitter never makes two sends arrive closer than Telegram allows (a chat
 * gets one message per broadcast: the margin costs nothing in throughput).
 */
export const SPACING_MARGIN_MS = 250;
export const PROGRESS_INTERVAL_MS = 3000;
export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_LIST_LIMIT = 20;

/** How a delivery engine paces and retries its sends, with the defaults filled in. */
export interface EngineSettings {
  paid: boolean;
  /** Messages per second. */
  rate: number;
  maxAttempts: number;
  /** Messages in flight at once. */
  concurrency: number;
  backoffMs: number;
}

/** The settings of an engine's options: one rule for both engines, so that they pace and retry alike. */
export function engineSettings(
  options: Pick<DeliveryEngineOptions, "maxAttempts" | "backoffMs"> & {
    paid?: boolean;
    ratePerSecond?: number;
    concurrency?: number;
  },
): EngineSettings {
  const paid = options.paid ?? false;
  const rate = options.ratePerSecond ?? defaultRate(paid);
  if (!(rate > 0)) throw new RangeError("ratePerSecond must be positive");
  return {
    paid,
    rate,
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)),
    concurrency: Math.max(1, Math.floor(options.concurrency ?? defaultConcurrency(rate))),
    backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
  };
}

export class BroadcastRequestError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid broadcast request: ${problems.join("; ")}`);
    this.name = "BroadcastRequestError";
  }
}

/** Length of an HTML text as Telegram counts it once the markup is parsed (messages of HTML from before entities). */
export function visibleLength(html: string): number {
  const text = html.replace(/<[^>]*>/g, "").replace(/&(?:#(\d+)|#x([0-9a-f]+)|lt|gt|amp|quot);/gi, "_");
  return text.length;
}

const fileRef = z
  .string()
  .refine(
    (v) => (/^https:\/\/\S+$/.test(v) ? URL.canParse(v) : /^[A-Za-z0-9_-]{10,}$/.test(v)),
    "must be a Telegram file_id or an https:// URL",
  );

/** Telegram's limits on inline keyboards: 100 buttons, 8 a row; each button a label and one action. */
const keyboardSchema = z.strictObject({
  inline_keyboard: z
    .array(
      z
        .array(z.looseObject({ text: z.string().min(1) }))
        .min(1)
        .max(8),
    )
    .refine((rows) => rows.flat().length <= 100, "must have at most 100 buttons"),
});

/**
 * Telegram's entities as it gives them (their other fields — url, user, language… — kept as they are):
 * each within the text, offsets and lengths in UTF-16 code units.
 */
const entitiesSchema = z.array(
  z.looseObject({
    type: z.string().min(1),
    offset: z.number().int().nonnegative(),
    length: z.number().int().positive(),
  }),
);

const nonEmpty = z.string().refine((v) => v.trim() !== "", "must not be empty");

/**
 * A message of text and entities, or of HTML from before entities (its length as Telegram reads it).
 * One object with both shapes' fields, then the rules, so that a wrong field is named in the error.
 */
const messageSchema = z
  .strictObject({
    text: nonEmpty.optional(),
    entities: entitiesSchema.optional(),
    html: nonEmpty.optional(),
    photo: fileRef.optional(),
    document: fileRef.optional(),
    keyboard: keyboardSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if ((m.text === undefined) === (m.html === undefined))
      ctx.addIssue({ code: "custom", message: "needs a text or an html, not both" });
    if (m.html !== undefined && m.entities !== undefined)
      ctx.addIssue({ code: "custom", path: ["entities"], message: "go with a text, not with html" });
    if (m.photo !== undefined && m.document !== undefined)
      ctx.addIssue({ code: "custom", message: "photo and document cannot be combined" });
    const caption = m.photo !== undefined || m.document !== undefined;
    const limit = caption ? CAPTION_LIMIT : TEXT_LIMIT;
    // Telegram's limits count the text as read, without its formatting.
    const length = m.html !== undefined ? visibleLength(m.html) : (m.text?.length ?? 0);
    if (length > limit)
      ctx.addIssue({
        code: "custom",
        path: [m.html !== undefined ? "html" : "text"],
        message: `is ${length} characters, more than the ${caption ? "caption" : "text"} limit of ${limit}`,
      });
    for (const [i, entity] of (m.entities ?? []).entries())
      if (entity.offset + entity.length > (m.text?.length ?? 0))
        ctx.addIssue({ code: "custom", path: ["entities", i], message: "goes past the end of the text" });
  });

const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO date-time");
const chatId = z
  .number()
  .int()
  .refine((v) => v !== 0 && Number.isSafeInteger(v), "must be a chat id");

const requestSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 characters of A–Z, a–z, 0–9, _ and -"),
  createdBy: z.number().int(),
  content: z.strictObject({
    default: messageSchema,
    variants: z.partialRecord(z.enum(LANGUAGES), messageSchema).optional(),
  }),
  audience: z.unknown(),
  scheduledAt: isoDate.optional(),
  progress: z.object({ chatId, messageId: z.number().int().positive() }).optional(),
  expiresAt: isoDate.optional(),
});

/** The request checked and normalised (timestamps in ms); throws BroadcastRequestError. */
export interface CheckedRequest {
  request: BroadcastRequest;
  scheduledAtMs?: number;
  expiresAtMs?: number;
  audienceJson: string;
}

export function checkRequest(request: BroadcastRequest): CheckedRequest {
  const parsed = requestSchema.safeParse(request);
  if (!parsed.success)
    throw new BroadcastRequestError(parsed.error.issues.map((i) => `${i.path.join(".") || "request"} ${i.message}`));
  let audienceJson: string | undefined;
  try {
    audienceJson = JSON.stringify(request.audience ?? null);
  } catch {
    audienceJson = undefined;
  }
  if (audienceJson === undefined) throw new BroadcastRequestError(["audience must be JSON"]);
  const scheduledAtMs = request.scheduledAt !== undefined ? Date.parse(request.scheduledAt) : undefined;
  const expiresAtMs = request.expiresAt !== undefined ? Date.parse(request.expiresAt) : undefined;
  return {
    request,
    audienceJson,
    ...(scheduledAtMs !== undefined ? { scheduledAtMs } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
  };
}

export function pickContent(content: BroadcastContent, lang: string): AnyMessageContent {
  return content.variants?.[lang as Language] ?? content.default;
}

/** Recipients with a usable chat id, each chat once (its first language wins). */
export function uniqueRecipients(recipients: unknown): { chatId: number; lang: string }[] {
  if (!Array.isArray(recipients)) throw new TypeError("resolveRecipients must return an array");
  const seen = new Set<number>();
  const out: { chatId: number; lang: string }[] = [];
  for (const r of recipients as { chatId?: unknown; lang?: unknown }[]) {
    const id = r?.chatId;
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id === 0 || seen.has(id)) continue;
    seen.add(id);
    out.push({
      chatId: id,
      lang: typeof r.lang === "string" && (LANGUAGES as readonly string[]).includes(r.lang) ? r.lang : "",
    });
  }
  return out;
}

/** Minimum time between two messages to one chat: private chats 1 s, groups (negative ids) 3 s, plus the margin. */
export function chatSpacingMs(chatId: number): number {
  return (chatId < 0 ? GROUP_INTERVAL_MS : CHAT_INTERVAL_MS) + SPACING_MARGIN_MS;
}

/**
 * BullMQ limiter window for a rate: rather than `{ max: rate, duration: 1000 }`, which starts a burst of
 * a whole second's messages at the start of each second, the same rate in windows of 100–250 ms, so
 * messages leave evenly (a burst right at the end of one second and another at the start of the next
 * is what trips Telegram's flood control). Never faster than `ratePerSecond`.
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  for (let max = Math.max(1, Math.ceil(ratePerSecond / 10)); max <= Math.max(1, Math.floor(ratePerSecond)); max++) {
    const duration = Math.ceil((1000 * max) / ratePerSecond);
    if (duration >= 100 && (1000 * max) / duration >= 0.995 * ratePerSecond) return { max, duration };
  }
  if (ratePerSecond < 1) return { max: 1, duration: Math.ceil(1000 / ratePerSecond) };
  return { max: Math.floor(ratePerSecond), duration: 1000 };
}

export function backoffMs(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

// ---------------------------------------------------------------------------------------------------
// Errors

export type Failure =
  | { kind: "rate-limit"; retryAfterMs: number; message: string }
  | { kind: "inactive"; reason: "blocked" | "not-found"; message: string }
  | { kind: "permanent"; message: string }
  | { kind: "transient"; message: string };

interface ApiErrorShape {
  error_code: number;
  description?: string;
  parameters?: { retry_after?: number };
}

function isApiError(err: unknown): err is ApiErrorShape {
  return typeof err === "object" && err !== null && typeof (err as { error_code?: unknown }).error_code === "number";
}

const NOT_FOUND = /chat not found|user not found|PEER_ID_INVALID/i;

/**
 * 429 → pause everything for retry_after; 403 (blocked, kicked, deactivated) and 400 "chat not found" →
 * the chat is inactive; other 4xx (bad markup, rights) → permanent failure; 5xx, 401/404 and network
 * errors → retried.
 */
export function classifyError(err: unknown): Failure {
  if (!isApiError(err)) return { kind: "transient", message: err instanceof Error ? err.message : String(err) };
  const message = `${err.error_code}: ${err.description ?? ""}`;
  const code = err.error_code;
  if (code === 429) {
    const seconds = Number(err.parameters?.retry_after);
    return { kind: "rate-limit", retryAfterMs: Math.max(1, Number.isFinite(seconds) ? seconds : 1) * 1000, message };
  }
  if (code === 403) return { kind: "inactive", reason: "blocked", message };
  if (code === 400 && NOT_FOUND.test(err.description ?? "")) return { kind: "inactive", reason: "not-found", message };
  if (code >= 400 && code < 500 && code !== 401 && code !== 404 && code !== 408) return { kind: "permanent", message };
  return { kind: "transient", message };
}

// ---------------------------------------------------------------------------------------------------
// Status

export interface StatusFields {
  id: string;
  createdBy: number;
  state: BroadcastStatus["state"];
  total: number;
  sent: number;
  failed: number;
  blocked: number;
  createdAtMs: number;
  scheduledAtMs?: number;
  startedAtMs?: number;
  finishedAtMs?: number;
  /** Sent as a paid broadcast: messages billed so far. */
  billed?: number;
}

export function buildStatus(f: StatusFields, ratePerSecond: number): BroadcastStatus {
  const remaining = Math.max(0, f.total - f.sent - f.failed - f.blocked);
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const status: BroadcastStatus = {
    id: f.id,
    createdBy: f.createdBy,
    state: f.state,
    total: f.total,
    sent: f.sent,
    failed: f.failed,
    blocked: f.blocked,
    remaining,
    createdAt: new Date(f.createdAtMs).toISOString(),
  };
  const scheduledAt = iso(f.scheduledAtMs);
  const startedAt = iso(f.startedAtMs);
  const finishedAt = iso(f.finishedAtMs);
  if (scheduledAt) status.scheduledAt = scheduledAt;
  if (startedAt) status.startedAt = startedAt;
  if (finishedAt) status.finishedAt = finishedAt;
  if (f.state === "running") status.etaSeconds = Math.ceil(remaining / ratePerSecond);
  if (f.billed !== undefined)
    status.paid = { billed: f.billed, estimate: estimateBilledMessages(f.total, ratePerSecond) };
  return status;
}

// ---------------------------------------------------------------------------------------------------
// Progress

type ProgressTarget = { chatId: number; messageId: number };

/**
 * Calls `onProgress` at most every `intervalMs` per broadcast, plus once at the end. Calls for one
 * broadcast run one after the other, and nothing follows the final one, so an edit with an older
 * count can never land after the final edit.
 */
export class ProgressReporter {
  private readonly broadcasts = new Map<string, { last: number; final: boolean; chain: Promise<void> }>();

  constructor(
    private readonly hooks: DeliveryHooks,
    private readonly intervalMs: number,
    private readonly logger?: ServiceLogger,
  ) {}

  get enabled(): boolean {
    return this.hooks.onProgress !== undefined;
  }

  /** True (and the slot is taken) when a throttled report is due for this broadcast in this process. */
  take(id: string): boolean {
    const now = Date.now();
    const entry = this.entry(id);
    if (entry.final || now - entry.last < this.intervalMs) return false;
    entry.last = now;
    return true;
  }

  report(
    id: string,
    target: ProgressTarget | undefined,
    load: () => Promise<BroadcastStatus | undefined>,
    final: boolean,
  ): void {
    const onProgress = this.hooks.onProgress;
    if (!onProgress || !target) return;
    const entry = this.entry(id);
    if (entry.final) return;
    if (final) entry.final = true;
    entry.last = Date.now();
    entry.chain = entry.chain.then(async () => {
      try {
        const status = await load();
        if (status) await onProgress(status, target);
      } catch (err) {
        this.logger?.warn({ err, broadcast: id }, "broadcast progress report failed");
      }
    });
  }

  /** Waits for the reports under way. */
  async idle(): Promise<void> {
    await Promise.all([...this.broadcasts.values()].map((e) => e.chain));
  }

  private entry(id: string) {
    let entry = this.broadcasts.get(id);
    if (!entry) {
      entry = { last: 0, final: false, chain: Promise.resolve() };
      this.broadcasts.set(id, entry);
    }
    return entry;
  }
}
