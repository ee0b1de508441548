// Embedded state backend, used when no REDIS_URL is configured. State lives only as long as the process.
import { createMemoryCatalogChanges } from "./catalog-changes.js";
import { createMemoryAudit, createMemoryRoles, createMemorySubscriptions } from "./coordination-memory.js";
import { createMemoryLeases } from "./leases.js";
import { createMemoryTriage } from "./triage.js";
import { composedTurns } from "./turns.js";
import { createMemoryRecordEdits } from "./record-edits.js";
import { createMemorySavedSearches } from "./saved-searches.js";
import { clampLimit, DEFAULT_MAX_QUESTIONS, requirePositiveInteger } from "./options.js";
import {
  UPDATE_RETENTION_SECONDS,
  type CounterStore,
  type QuestionLog,
  type SessionData,
  type SessionStore,
  type StateBackend,
  type UnansweredQuestion,
  type UpdateLog,
} from "./types.js";

/** Enough for a busy bot; beyond it the least recently written session goes, so memory stays bounded. */
export const DEFAULT_MAX_SESSIONS = 100_000;

/** Update ids remembered at most (a bot handling 1 update a second for a day stays under it). */
export const DEFAULT_MAX_UPDATE_IDS = 200_000;

export interface MemoryStateOptions {
  ttlSeconds: number;
  maxSessions?: number;
  /** Update ids remembered for deduplication (default DEFAULT_MAX_UPDATE_IDS); the oldest go first. */
  maxUpdateIds?: number;
  maxQuestions?: number;
  /** Audit entries kept (default 10 000). */
  maxAudit?: number;
  /** Clock in epoch milliseconds; injectable so tests can expire sessions without waiting. */
  now?: () => number;
  /** How long a saved search lasts after it is saved or last notified (default DEFAULT_SAVED_SEARCH_DAYS). */
  savedSearchTtlMs?: number;
}

interface Entry {
  value: SessionData;
  expiresAt: number;
}

export function createMemoryState(options: MemoryStateOptions): StateBackend {
  const ttlMs = requirePositiveInteger("ttlSeconds", options.ttlSeconds) * 1000;
  const maxSessions = requirePositiveInteger("maxSessions", options.maxSessions ?? DEFAULT_MAX_SESSIONS);
  const maxQuestions = requirePositiveInteger("maxQuestions", options.maxQuestions ?? DEFAULT_MAX_QUESTIONS);
  const now = options.now ?? Date.now;

  const maxUpdateIds = requirePositiveInteger("maxUpdateIds", options.maxUpdateIds ?? DEFAULT_MAX_UPDATE_IDS);
  const entries = new Map<string, Entry>();
  const questions: UnansweredQuestion[] = [];
  const updateIds = new Map<number, number>();
  const counters = new Map<string, { hits: number; endsAt: number }>();
  const subscriptions = createMemorySubscriptions();
  const roles = createMemoryRoles();
  const audit = createMemoryAudit({ maxEntries: options.maxAudit, now });
  const catalog = createMemoryCatalogChanges();
  const triage = createMemoryTriage({ now });
  // Leases run on real timers, not on `now`: they are about waiting, which a test clock cannot do.
  const leases = createMemoryLeases();
  const savedSearches = createMemorySavedSearches({
    now,
    ...(options.savedSearchTtlMs ? { ttlMs: options.savedSearchTtlMs } : {}),
  });

  const sessions = memorySessions(entries, ttlMs, maxSessions, now);
  const updates = memoryUpdates(updateIds, maxUpdateIds, now);
  return {
    kind: "memory",
    sessions,
    questions: memoryQuestions(questions, maxQuestions),
    updates,
    counters: memoryCounters(counters, maxSessions, now),
    leases,
    turns: composedTurns({ leases, updates, sessions }),
    subscriptions,
    roles,
    audit,
    catalog,
    triage,
    edits: createMemoryRecordEdits(now),
    savedSearches,
    ping: async () => true,
    close: async () => {
      entries.clear();
      questions.length = 0;
      updateIds.clear();
      counters.clear();
      leases.clear();
      subscriptions.clear();
      roles.clear();
      audit.clear();
      catalog.clear();
      triage.clear();
      savedSearches.clear();
    },
  };
}

// Methods are async so that a failure (e.g. an uncloneable value) rejects like a Redis error instead of throwing.
function memorySessions(
  entries: Map<string, Entry>,
  ttlMs: number,
  maxSessions: number,
  now: () => number,
): SessionStore {
  return {
    async read(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return structuredClone(entry.value);
    },
    async write(key, value) {
      const copy = structuredClone(value);
      const at = now();
      // Re-inserting moves the key to the end, so the Map stays ordered by last write, i.e. by expiry time.
      entries.delete(key);
      entries.set(key, { value: copy, expiresAt: at + ttlMs });
      dropExpired(entries, at);
      evictOldest(entries, maxSessions);
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

/** Sessions that are never read again would otherwise linger; expired ones are always at the front. */
function dropExpired(entries: Map<string, Entry>, at: number): void {
  for (const [key, entry] of entries) {
    if (entry.expiresAt > at) return;
    entries.delete(key);
  }
}

function evictOldest(entries: Map<string, Entry>, maxSessions: number): void {
  for (const key of entries.keys()) {
    if (entries.size <= maxSessions) return;
    entries.delete(key);
  }
}

/** Update id → expiry; insertion order is expiry order, so expired and oldest ids are at the front. */
function memoryUpdates(ids: Map<number, number>, maxIds: number, now: () => number): UpdateLog {
  return {
    async handled(updateId) {
      return (ids.get(updateId) ?? 0) > now();
    },
    async claim(updateId) {
      const at = now();
      const expiresAt = ids.get(updateId);
      if (expiresAt !== undefined && expiresAt > at) return false;
      ids.delete(updateId);
      // Room for the new id: expired ids go, then the oldest while the map is full.
      for (const [id, expiry] of ids) {
        if (expiry > at && ids.size < maxIds) break;
        ids.delete(id);
      }
      ids.set(updateId, at + UPDATE_RETENTION_SECONDS * 1000);
      return true;
    },
  };
}

/** Fixed windows like the Redis script's; at most `maxKeys` counters (the ones whose window ends first go). */
function memoryCounters(
  windows: Map<string, { hits: number; endsAt: number }>,
  maxKeys: number,
  now: () => number,
): CounterStore {
  return {
    async increment(key, windowMs) {
      requirePositiveInteger("windowMs", windowMs);
      const at = now();
      const current = windows.get(key);
      if (current && current.endsAt > at) return ++current.hits;
      windows.delete(key);
      // Windows are inserted in the order they end when they all have the same length, as in flood control.
      for (const [other, window] of windows) {
        if (window.endsAt > at && windows.size < maxKeys) break;
        windows.delete(other);
      }
      windows.set(key, { hits: 1, endsAt: at + windowMs });
      return 1;
    },
  };
}

/** Newest first, like the Redis list built with LPUSH. */
function memoryQuestions(questions: UnansweredQuestion[], maxQuestions: number): QuestionLog {
  return {
    async add(question) {
      questions.unshift(structuredClone(question));
      if (questions.length > maxQuestions) questions.length = maxQuestions;
    },
    async recent(limit) {
      return questions.slice(0, clampLimit(limit, maxQuestions)).map((q) => structuredClone(q));
    },
  };
}
