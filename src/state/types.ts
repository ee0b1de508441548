// Contracts of the conversation-state layer. The bot only sees these types, so the
// embedded in-memory backend and the Redis backend stay interchangeable.
import type { Language } from "../catalog/schema.js";
import type { ServiceLogger } from "../logger.js";
import type { CatalogChangeStore } from "./catalog-changes.js";
import type { AuditLog, RoleStore, SubscriptionStore } from "./coordination.js";
import type { RecordDraft, RecordEditStore } from "./record-edits.js";
import type { SavedSearchStore } from "./saved-searches.js";
import type { TriageStore } from "./triage.js";

/** Per-user conversation state kept between updates. Must stay JSON-serialisable: Redis stores it as JSON. */
export interface SessionData {
  lang?: Language;
  /** Set by an explicit /language choice, which then wins over per-message language detection. */
  langChosen?: boolean;
  lastQuery?: string;
  /** Whether the last question was answered (a follow-up continues only an answered question). */
  answered?: boolean;
  /** Catalog record ids of the last search, in ranked order, so paging does not re-run the search. */
  resultIds?: string[];
  page?: number;
  /** The record last shown (card, details or contacts): what a follow-up "contacts" is about. */
  recordId?: string;
  /** The message showing the last results: only its page buttons still page through `resultIds`. */
  resultsMessage?: { chatId: number; messageId: number };
  /** Where the "back" button of a record opened from a list on that message returns: the callback payload that redraws the list. */
  back?: { chatId: number; messageId: number; data: string };
  filters?: {
    kinds?: string[];
    countries?: string[];
    sectors?: string[];
    audiences?: string[];
  };
  /** /subscribe: the choices being edited (sector ids, kinds, country codes), saved by "done". */
  subscribeDraft?: { topics: string[]; kinds: string[]; countries: string[] };
  /** The last answer card: what its 👍/👎 buttons are about. */
  answer?: { chatId: number; messageId: number; recordId: string; query: string; score: number };
  /** Coordinators: the groups of questions /unanswered last listed, and the one the next message replies to. */
  unanswered?: UnansweredSnapshot;
  /** Coordinators: the record being edited or created (/edit, /new), until it is submitted. */
  recordDraft?: RecordDraft;
  /** Administrators: the edit the next message gives the rejection comment of (the "edit:comment" step). */
  rejecting?: string;
  /** @grammyjs/router route key of the multi-step flow the user is in, if any. */
  step?: string;
  /** Epoch milliseconds of the last change, set by the bot layer. */
  updatedAt?: number;
}

/** Questions /unanswered grouped as similar, as listed (so "reply" reaches the askers of what was shown). */
export interface UnansweredSnapshot {
  groups: {
    /** The newest question of the group (shortened). */
    example: string;
    count: number;
    langs: Language[];
    /** ISO 8601 time of the newest question. */
    last: string;
    downvoted: number;
    /** The engine's analysed terms of the newest question: what a decision about the group is stored as. */
    terms?: string[];
    /** Chats the questions came from, with the language and (shortened) text of the newest question of each. */
    askers: { chatId: number; lang: Language; text: string }[];
  }[];
  /** Index of the group the coordinator's next message answers, while session.step is "reply". */
  replyTo?: number;
  /** Epoch milliseconds when "reply" was pressed (an old reply step lapses). */
  replyAt?: number;
  /** Index of the group the coordinator's next message names a record for, while session.step is "unanswered:record". */
  pickFor?: number;
  /** Epoch milliseconds when "another record" was pressed (lapses like a reply). */
  pickAt?: number;
}

/**
 * Session storage, structurally compatible with grammY's `StorageAdapter<SessionData>`.
 * Every write refreshes the store's TTL, so idle conversations disappear on their own.
 * Values are copied in and out: mutating an object after `write` or after `read` never changes what is stored.
 */
export interface SessionStore {
  read(key: string): Promise<SessionData | undefined>;
  write(key: string, value: SessionData): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A question the bot could not answer well, kept so editors can see what the catalog is missing. */
export interface UnansweredQuestion {
  text: string;
  lang: Language;
  userId: number;
  chatId: number;
  /** ISO 8601 timestamp. */
  at: string;
  reason: "no-match" | "downvoted";
  /** For a downvote: the record the user rejected. */
  recordId?: string;
  /** For a downvote: the search score of that record. */
  score?: number;
}

/** Bounded log of unanswered questions: only the newest entries are kept. */
export interface QuestionLog {
  add(question: UnansweredQuestion): Promise<void>;
  /** Newest first, at most `limit` entries. */
  recent(limit: number): Promise<UnansweredQuestion[]>;
}

/** How long a handled update id is remembered: Telegram keeps an undelivered update for 24 hours. */
export const UPDATE_RETENTION_SECONDS = 24 * 3600;

/**
 * Update ids already taken by a bot process. Telegram delivers at least once (again after a timeout, a
 * 5xx or a crash, possibly to another replica): the first claim of an id wins, every later one is a
 * redelivery whose effects must not happen twice.
 */
export interface UpdateLog {
  /** True for the first claim of `updateId` within UPDATE_RETENTION_SECONDS, false for any later one. */
  claim(updateId: number): Promise<boolean>;
  /** Whether `updateId` was claimed within UPDATE_RETENTION_SECONDS (claims nothing). */
  handled(updateId: number): Promise<boolean>;
}

/**
 * Counters per key over fixed windows: the first hit starts a window of `windowMs`, and the count goes
 * back to zero when it ends. Shared by every bot process on the same backend (flood control).
 */
export interface CounterStore {
  /** Adds one hit to `key` and returns the hits of its current window, this one included. */
  increment(key: string, windowMs: number): Promise<number>;
}

/** How a lease is taken: how long it lives unless renewed, and how long `acquire` waits for it. */
export interface LeaseOptions {
  /** Lifetime after the last renewal; a holder that crashed loses the lease after this long. */
  ttlMs: number;
  /** Longest total wait for a lease someone else holds; 0 tries once. */
  waitMs: number;
}

/** One holder's hold on a key; only this holder can renew or release it. */
export interface Lease {
  readonly key: string;
  /** Pushes the expiry `ttlMs` ahead; false when the lease is no longer this holder's (expired, released). */
  renew(): Promise<boolean>;
  /** Gives the lease up; false when it was no longer this holder's (another holder keeps theirs). */
  release(): Promise<boolean>;
}

/**
 * Exclusive leases per key, shared by every bot process on the same backend: one chat's updates are
 * handled one at a time across replicas (src/bot/middlewares/turn.ts).
 */
export interface LeaseStore {
  /** The lease on `key`, waiting at most `waitMs` for its holder to let go; undefined when the wait ran out. Rejects when the backend fails. */
  acquire(key: string, options: LeaseOptions): Promise<Lease | undefined>;
}

/**
 * What an update's turn in a conversation takes in one step before it runs (src/bot/middlewares/turn.ts):
 * the conversation's lease, then under it whether the update was handled and the session.
 */
export interface TurnRequest {
  /** The lease's key, taken as `LeaseStore.acquire` takes it. */
  lease: string;
  options: LeaseOptions;
  /** The update whose handled mark is read (UpdateLog.handled); absent: none is, and `handled` is false. */
  update?: number;
  /** The session read, unless the update was handled; absent: none is. */
  session?: string;
}

/** How a turn ends, in one step. */
export interface TurnEnd {
  /** The session's new value (stored as `SessionStore.write` stores it); null deletes it; absent leaves it as it is. */
  session?: SessionData | null;
  /** Marks the request's update handled (as `UpdateLog.claim` does; a mark already there stays). */
  handled: boolean;
}

/** A conversation's lease, held, with what was read under it. */
export interface Turn {
  /** The lease held: renewed while the update runs, given up by `end` (not by its own release). */
  readonly lease: Lease;
  /** Whether the request's update was already handled. */
  readonly handled: boolean;
  /** The stored session (a copy), when one was asked for, exists and the update was not handled. */
  readonly session: SessionData | undefined;
  /**
   * Writes the session, marks the update and releases the lease. The session and the mark are written
   * even when the lease was no longer this turn's (then it resolves false and another holder keeps
   * theirs), as separate calls of the stores would. Rejects when the backend fails; with Redis nothing
   * of it is then done (one script), and the lease lapses after its TTL.
   */
  end(end: TurnEnd): Promise<boolean>;
}

/**
 * The lease, handled-update and session steps of an update, with the stores' own contracts, two
 * round trips an update instead of six when the state is in Redis.
 */
export interface TurnStore {
  /** The turn, waiting at most `waitMs` for the lease's holder to let go; undefined when the wait ran out. Rejects when the backend fails (no lease is then kept). */
  begin(request: TurnRequest): Promise<Turn | undefined>;
}

export interface StateBackend {
  kind: "memory" | "redis";
  sessions: SessionStore;
  questions: QuestionLog;
  /** Update ids already handled, shared by every bot process on the same backend. */
  updates: UpdateLog;
  counters: CounterStore;
  /** Per-chat leases, so one chat's updates are handled one at a time across processes. */
  leases: LeaseStore;
  /** The lease, the handled mark and the session of an update taken and given back in one step each. */
  turns: TurnStore;
  /** Coordinators' state (src/state/coordination.ts). */
  subscriptions: SubscriptionStore;
  roles: RoleStore;
  audit: AuditLog;
  /** Changes of the live catalog, applied by every bot process on the same backend (src/state/catalog-changes.ts). */
  catalog: CatalogChangeStore;
  /** Coordinators' decisions about groups of unanswered questions (src/state/triage.ts). */
  triage: TriageStore;
  /** Record edits submitted for review (src/state/record-edits.ts). */
  edits: RecordEditStore;
  /** Subscribers' saved searches and the notifications already claimed (src/state/saved-searches.ts). */
  savedSearches: SavedSearchStore;
  /** Health check: true when the backend can serve requests. Never rejects. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The slice of a logger the state layer uses (no errors of its own to report). */
export type StateLogger = Pick<ServiceLogger, "info" | "warn">;
