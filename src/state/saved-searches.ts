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
}

export type SaveResult = { status: "saved"; search: SavedSearch } | { status: "duplicate"; search: SavedSearch } | { status: "limit"; limit: number };

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
   * every process on the backend; false for any later claim, and for a search that no longer exists.
   */
  claim(id: string, recordId: string): Promise<boolean>;
}

/** Saved searches one chat may have at most. */
export const MAX_SAVED_SEARCHES = 20;

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
});

/** A stored saved search, checked; undefined when it is not one. */
export function parseSavedSearch(raw: string): SavedSearch | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = savedSearchSchema.safeParse(value);
  return parsed.success ? (parsed.data as SavedSearch) : undefined;
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
export function buildSavedSearch(input: SavedSearchInput, id: string, now: number): SavedSearch {
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
  };
}

export function byCreation(a: SavedSearch, b: SavedSearch): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

export function createMemorySavedSearches(options: { now?: () => number } = {}): SavedSearchStore & { clear(): void } {
  const now = creationClock(options.now ?? Date.now);
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
  return {
    async save(input, limit) {
      const search = buildSavedSearch(input, newSavedSearchId(), now());
      let keys = byChat.get(search.chatId);
      const existing = keys?.get(keyHash(search.key));
      if (existing !== undefined && searches.has(existing)) return { status: "duplicate", search: copy(searches.get(existing)!) };
      if ((keys?.size ?? 0) >= limit) return { status: "limit", limit };
      if (!keys) byChat.set(search.chatId, (keys = new Map()));
      keys.set(keyHash(search.key), search.id);
      searches.set(search.id, search);
      return { status: "saved", search: copy(search) };
    },
    async list(chatId) {
      const ids = [...(byChat.get(chatId)?.values() ?? [])];
      return ids
        .map((id) => searches.get(id))
        .filter((s): s is SavedSearch => s !== undefined)
        .sort(byCreation)
        .map(copy);
    },
    async get(id) {
      const search = searches.get(id);
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
      return [...searches.values()].sort(byCreation).map(copy);
    },
    async claim(id, recordId) {
      if (!searches.has(id)) return false;
      let records = claimed.get(id);
      if (!records) claimed.set(id, (records = new Set()));
      if (records.has(recordId)) return false;
      records.add(recordId);
      return true;
    },
    clear() {
      searches.clear();
      byChat.clear();
      claimed.clear();
    },
  };
}
