// The live catalog's change feed: changes made while the bot runs (announcements, reloads of the
// catalog files, edits), stored and numbered so every bot process applies the same changes in the
// same order — in memory for one process, in Redis for several.
import { recordSchema, type CatalogRecord } from "../catalog/schema.js";

/** A record enters search, or replaces the one with its id; `from` (ISO 8601): not before then. */
export interface PutChange {
  op: "put";
  record: CatalogRecord;
  from?: string;
}

/** A record leaves search (an announcement cancelled, a record withdrawn). */
export interface RemoveChange {
  op: "remove";
  id: string;
}

/** A process read the catalog files again; the others read theirs (`hash`: the content hash of the files read). */
export interface ReloadChange {
  op: "reload";
  hash: string;
}

export type CatalogChangeInput = PutChange | RemoveChange | ReloadChange;
export type CatalogChange = CatalogChangeInput & { version: number };

/** What a process starting now applies: the latest change of every record, and the last reload. */
export interface CatalogSnapshot {
  version: number;
  /** Latest change per record id, in version order. */
  records: (CatalogChange & (PutChange | RemoveChange))[];
  reload?: CatalogChange & ReloadChange;
}

export interface CatalogChangeStore {
  /** Stores a change and tells every watcher; resolves with its version (1, 2, 3…). */
  append(change: CatalogChangeInput): Promise<number>;
  /**
   * Changes after `version`, in order; undefined when they are no longer all kept, or when the store has
   * fewer than `version` (its data was lost) — apply a snapshot then.
   */
  since(version: number): Promise<CatalogChange[] | undefined>;
  snapshot(): Promise<CatalogSnapshot>;
  /** Calls `listener` soon after any change is appended, by this process or another; returns the way to stop. */
  watch(listener: () => void): () => Promise<void>;
}

/** Changes kept in order for processes that fell behind; one further behind applies a snapshot. */
export const MAX_KEPT_CHANGES = 10_000;

/** The id a change is about ("" for a reload, which is about the files). */
export function changeKey(change: CatalogChangeInput): string {
  return change.op === "put" ? change.record.id : change.op === "remove" ? change.id : "";
}

/** A stored change, validated like the catalog files; undefined when it is not one. */
export function parseChange(raw: string): CatalogChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const change = value as Record<string, unknown>;
  if (!Number.isSafeInteger(change.version) || (change.version as number) < 1) return undefined;
  const version = change.version as number;
  if (change.op === "remove" && typeof change.id === "string") return { version, op: "remove", id: change.id };
  if (change.op === "reload" && typeof change.hash === "string") return { version, op: "reload", hash: change.hash };
  if (change.op !== "put") return undefined;
  const record = recordSchema.safeParse(change.record);
  if (!record.success) return undefined;
  if (change.from !== undefined && (typeof change.from !== "string" || Number.isNaN(Date.parse(change.from))))
    return undefined;
  return { version, op: "put", record: record.data, ...(change.from ? { from: change.from as string } : {}) };
}

export function createMemoryCatalogChanges(maxKept = MAX_KEPT_CHANGES): CatalogChangeStore & { clear(): void } {
  const log: CatalogChange[] = [];
  const latest = new Map<string, CatalogChange>();
  const listeners = new Set<() => void>();
  let version = 0;
  return {
    async append(input) {
      // Stored as JSON, like Redis does: a change never shares objects with the caller.
      const change = parseChange(JSON.stringify({ ...input, version: version + 1 }));
      if (!change) throw new Error("not a valid catalog change");
      version = change.version;
      log.push(change);
      if (log.length > maxKept) log.splice(0, log.length - maxKept);
      latest.set(change.op === "reload" ? "" : changeKey(change), change);
      for (const listener of listeners) queueMicrotask(listener);
      return change.version;
    },
    async since(after) {
      if (after > version) return undefined;
      if (after === version) return [];
      const first = log[0]?.version ?? version + 1;
      if (first > after + 1) return undefined;
      return log.filter((c) => c.version > after).map((c) => structuredClone(c));
    },
    async snapshot() {
      const records = [...latest.values()]
        .filter((c): c is CatalogSnapshot["records"][number] => c.op !== "reload")
        .sort((a, b) => a.version - b.version);
      const reload = latest.get("") as CatalogSnapshot["reload"];
      return structuredClone({ version, records, ...(reload ? { reload } : {}) });
    },
    watch(listener) {
      listeners.add(listener);
      return async () => void listeners.delete(listener);
    },
    clear() {
      log.length = 0;
      latest.clear();
      listeners.clear();
      version = 0;
    },
  };
}
