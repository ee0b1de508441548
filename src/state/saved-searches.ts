// Saved searches: a subscriber's question (with the filters of its result list) kept so that a record
// or an announcement answering it later is sent to them once. Memory and Redis behind one interface,
// shared by every bot process on the same backend.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { LANGUAGES, type Language } from "../catalog/schema.js";
import { requireChatId } from "./coordination-memory.js";

/** The filters of the result list the question was saved from (the search engine's facet filters). */
export interface SavedSearchFilters {
  kinds?: string[];
  countries?: string[];
  sectors?: string[];
  audiences?: string[];
}

export interface SavedSearchInput {
  chatId: number;
  /** The question as the user typed it. */
  query: string;
  /** The language the user reads (the notification's language, and the search's language hint). */
  lang: Language;
  filters: SavedSearchFilters;
  /**
   * What makes two saved searches of one chat the same search (the bot folds the question and sorts
   * the filters); saving the same key again is a duplicate, not a second search.
   */
  key: string;
  /** Records the user had been shown as answers when saving: never notified. */
  shown: string[];
  /** Version of the live catalog the user's results came from: only later changes are notified. */
  version: number;
}

export interface SavedSearch extends SavedSearchInput {
  /** 8 characters of A–Z a–z 0–9 _ -, set by the store (fits a button's payload). */
  id: string;
  /** ISO 8601, set by the store. */
  createdAt: string;
  /** ISO 8601, set by the store: the store's lifetime after the search was saved or last notified. */
  expiresAt: string;
}

export type SaveResult =
  | { status: "saved"; search: SavedSearch }
  | { status: "duplicate"; search: SavedSearch }
  | { status: "limit"; limit: number };

/**
 * Every read leaves out the searches past their expiry and removes them; `removeExpired` removes all of
 * them at once (the periodic sweep).
 */
export interface SavedSearchStore {
  /** Saves a search unless the chat has one with the same key (duplicate) or already `limit` of them. */
  save(input: SavedSearchInput, limit: number): Promise<SaveResult>;
  /** The chat's saved searches, oldest first. */
  list(chatId: number): Promise<SavedSearch[]>;
  get(id: string): Promise<SavedSearch | undefined>;
  /** Removes the chat's saved search `id`; undefined when the chat has no such search (someone else's, or removed already). */
  remove(chatId: number, id: string): Promise<SavedSearch | undefined>;
  /** Removes every saved search of a chat (it blocked the bot); how many there were. */
  removeChat(chatId: number): Promise<number>;
  /** Every saved search, of every chat (what a new record is checked against). */
  all(): Promise<SavedSearch[]>;
  /**
   * Claims the notification of `recordId` to saved search `id`: true for the first claim only, across
   * every process on the backend; false for any later claim, and for a search that no longer exists or
   * has expired. A claim starts the search's lifetime again.
   */
  claim(id: string, recordId: string): Promise<boolean>;
  /** Removes every expired search; how many there were. */
  removeExpired(): Promise<number>;
}

export interface SavedSearchStoreOptions {
  now?: () => number;
  /** How long a search lasts after it is saved or last notified (default DEFAULT_SAVED_SEARCH_DAYS). */
  ttlMs?: number;
}

/** Saved searches one chat may have at most. */
export const MAX_SAVED_SEARCHES = 20;

/** Days a saved search lasts after it is saved or last notified, unless configured (SAVED_SEARCH_DAYS). */
export const DEFAULT_SAVED_SEARCH_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

export function savedSearchTtlMs(options: SavedSearchStoreOptions): number {
  const ttl = options.ttlMs ?? DEFAULT_SAVED_SEARCH_DAYS * DAY_MS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${ttl}`);
  return ttl;
}

/** Whether a search is past its expiry at `now`. */
export function isExpired(search: Pick<SavedSearch, "expiresAt">, now: number): boolean {
  return Date.parse(search.expiresAt) <= now;
}

export const SAVED_SEARCH_ID = /^[A-Za-z0-9_-]{8}$/;

export function newSavedSearchId(): string {
  return randomBytes(6).toString("base64url");
}

/** The stored form of a search's key: its hash (a question may be long). */
export function keyHash(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 22);
}

const filtersSchema = z.object({
  kinds: z.array(z.string()).optional(),
  countries: z.array(z.string()).optional(),
  sectors: z.array(z.string()).optional(),
  audiences: z.array(z.string()).optional(),
});

const savedSearchSchema = z.object({
  id: z.string().regex(SAVED_SEARCH_ID),
  chatId: z.number().int(),
  query: z.string(),
  lang: z.enum(LANGUAGES),
  filters: filtersSchema,
  key: z.string(),
  shown: z.array(z.string()),
  version: z.number().int().nonnegative(),
  createdAt: z.string(),
  // Absent from searches saved before they expired: the store dates them from their creation.
  expiresAt: z.string().optional(),
});

/** A stored saved search, checked; undefined when it is not one. An absent expiry is `ttlMs` after its creation. */
export function parseSavedSearch(raw: string, ttlMs: number): SavedSearch | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = savedSearchSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const expiresAt = parsed.data.expiresAt ?? new Date(Date.parse(parsed.data.createdAt) + ttlMs).toISOString();
  return { ...(parsed.data as Omit<SavedSearch, "expiresAt">), expiresAt };
}

/**
 * A store's clock for creation times: strictly increasing, so two searches saved in the same millisecond
 * still list in the order they were saved.
 */
export function creationClock(now: () => number): () => number {
  let last = 0;
  return () => (last = Math.max(now(), last + 1));
}

/** Checks the input and builds the stored search (shared by both backends). */
export function buildSavedSearch(input: SavedSearchInput, id: string, now: number, ttlMs: number): SavedSearch {
  requireChatId(input.chatId);
  if (!LANGUAGES.includes(input.lang)) throw new RangeError(`unsupported language: ${String(input.lang)}`);
  if (!input.query.trim()) throw new RangeError("a saved search needs a question");
  const filters: SavedSearchFilters = {};
  for (const facet of ["kinds", "countries", "sectors", "audiences"] as const) {
    const values = input.filters[facet];
    if (values?.length) filters[facet] = [...new Set(values)].sort();
  }
  return {
    id,
    chatId: input.chatId,
    query: input.query,
    lang: input.lang,
    filters,
    key: input.key,
    shown: [...new Set(input.shown)],
    version: Math.max(0, Math.floor(input.version)),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
  };
}

export function byCreation(a: SavedSearch, b: SavedSearch): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

export function createMemorySavedSearches(options: SavedSearchStoreOptions = {}): SavedSearchStore & { clear(): void } {
  const clock = options.now ?? Date.now;
  const now = creationClock(clock);
  const ttlMs = savedSearchTtlMs(options);
  const searches = new Map<string, SavedSearch>();
  /** chat id → key hash → search id */
  const byChat = new Map<number, Map<string, string>>();
  const claimed = new Map<string, Set<string>>();
  const copy = (s: SavedSearch) => structuredClone(s);
  const drop = (search: SavedSearch) => {
    searches.delete(search.id);
    claimed.delete(search.id);
    const keys = byChat.get(search.chatId);
    keys?.delete(keyHash(search.key));
    if (keys?.size === 0) byChat.delete(search.chatId);
  };
  /** The search, unless it has expired (then it is removed). */
  const live = (search: SavedSearch | undefined): SavedSearch | undefined => {
    if (!search || !isExpired(search, clock())) return search;
    drop(search);
    return undefined;
  };
  const ofChat = (chatId: number) =>
    [...(byChat.get(chatId)?.values() ?? [])]
      .map((id) => live(searches.get(id)))
      .filter((s): s is SavedSearch => s !== undefined);
  return {
    async save(input, limit) {
      const search = buildSavedSearch(input, newSavedSearchId(), now(), ttlMs);
      // Expired searches neither count against the limit nor make a duplicate.
      ofChat(search.chatId);
      let keys = byChat.get(search.chatId);
      const existing = keys?.get(keyHash(search.key));
      if (existing !== undefined && searches.has(existing))
        return { status: "duplicate", search: copy(searches.get(existing)!) };
      if ((keys?.size ?? 0) >= limit) return { status: "limit", limit };
      if (!keys) byChat.set(search.chatId, (keys = new Map()));
      keys.set(keyHash(search.key), search.id);
      searches.set(search.id, search);
      return { status: "saved", search: copy(search) };
    },
    async list(chatId) {
      return ofChat(chatId).sort(byCreation).map(copy);
    },
    async get(id) {
      const search = live(searches.get(id));
      return search ? copy(search) : undefined;
    },
    async remove(chatId, id) {
      const search = searches.get(id);
      if (!search || search.chatId !== chatId) return undefined;
      drop(search);
      return copy(search);
    },
    async removeChat(chatId) {
      const ids = [...(byChat.get(chatId)?.values() ?? [])];
      for (const id of ids) {
        const search = searches.get(id);
        if (search) drop(search);
      }
      byChat.delete(chatId);
      return ids.length;
    },
    async all() {
      return [...searches.values()]
        .map(live)
        .filter((s): s is SavedSearch => s !== undefined)
        .sort(byCreation)
        .map(copy);
    },
    async claim(id, recordId) {
      const search = live(searches.get(id));
      if (!search) return false;
      let records = claimed.get(id);
      if (!records) claimed.set(id, (records = new Set()));
      if (records.has(recordId)) return false;
      records.add(recordId);
      search.expiresAt = new Date(clock() + ttlMs).toISOString();
      return true;
    },
    async removeExpired() {
      let removed = 0;
      for (const search of [...searches.values()]) if (!live(search)) removed++;
      return removed;
    },
    clear() {
      searches.clear();
      byChat.clear();
      claimed.clear();
    },
  };
}
