// What coordinators decided about groups of unanswered questions, shared by every coordinator and bot
// process on the same backend: a handled group leaves /unanswered everywhere.
import type { Redis } from "ioredis";
import { transactionReplies } from "./redis-transaction.js";
import type { StateLogger } from "./types.js";

export type TriageStatus = "answered" | "dismissed" | "spam";
export const TRIAGE_STATUSES: readonly TriageStatus[] = ["answered", "dismissed", "spam"];

/** One coordinator's decision about a group. */
export interface TriageEntry {
  /**
   * The group's terms as the search engine analyses its newest question (sorted): later questions are
   * matched against them the way questions are grouped.
   */
  terms: string[];
  status: TriageStatus;
  /** ISO 8601 time of the decision, set by the store: questions asked up to then are covered by it. */
  at: string;
  actor: number;
  /** For "answered" by pointing at a record: its id. */
  recordId?: string;
}

/**
 * Bounded like the question log: a decision older than the oldest kept question no longer hides
 * anything, except spam, which is why the bound is generous.
 */
export const MAX_TRIAGE_ENTRIES = 2000;

export interface TriageStore {
  /** Stores a decision and returns it with its time. */
  mark(entry: Omit<TriageEntry, "at">): Promise<TriageEntry>;
  /** Every kept decision, newest first. */
  list(): Promise<TriageEntry[]>;
}

/** Keeps only what a decision is made of, so a stored entry never carries stray fields. */
function stored(entry: Omit<TriageEntry, "at">, at: string): TriageEntry {
  const out: TriageEntry = { terms: [...new Set(entry.terms)].sort(), status: entry.status, at, actor: entry.actor };
  if (entry.recordId !== undefined) out.recordId = entry.recordId;
  return out;
}

export function createMemoryTriage(
  options: { now?: () => number; max?: number } = {},
): TriageStore & { clear(): void } {
  const now = options.now ?? Date.now;
  const max = options.max ?? MAX_TRIAGE_ENTRIES;
  const entries: TriageEntry[] = [];
  return {
    async mark(entry) {
      const value = stored(entry, new Date(now()).toISOString());
      entries.unshift(value);
      if (entries.length > max) entries.length = max;
      return structuredClone(value);
    },
    async list() {
      return entries.map((e) => structuredClone(e));
    },
    clear() {
      entries.length = 0;
    },
  };
}

export function createRedisTriage(
  redis: Redis,
  options: { prefix: string; max?: number; logger?: StateLogger },
): TriageStore {
  const key = `${options.prefix}unanswered:triage`;
  const max = options.max ?? MAX_TRIAGE_ENTRIES;
  return {
    async mark(entry) {
      const value = stored(entry, new Date().toISOString());
      transactionReplies(
        await redis
          .multi()
          .lpush(key, JSON.stringify(value))
          .ltrim(key, 0, max - 1)
          .exec(),
      );
      return value;
    },
    async list() {
      const raws = await redis.lrange(key, 0, -1);
      return raws.flatMap((raw) => {
        const entry = parseEntry(raw);
        if (!entry) options.logger?.warn({ key }, "ignoring corrupt triage entry in Redis");
        return entry ? [entry] : [];
      });
    },
  };
}

function parseEntry(raw: string): TriageEntry | undefined {
  try {
    const v = JSON.parse(raw) as Partial<TriageEntry> | null;
    if (!v || !Array.isArray(v.terms) || !v.terms.every((t) => typeof t === "string")) return undefined;
    if (!TRIAGE_STATUSES.includes(v.status as TriageStatus) || typeof v.at !== "string" || typeof v.actor !== "number")
      return undefined;
    if (v.recordId !== undefined && typeof v.recordId !== "string") return undefined;
    return stored(v as TriageEntry, v.at);
  } catch {
    return undefined;
  }
}
