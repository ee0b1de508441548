import type { Redis } from "ioredis";
import { recordSchema, type CatalogRecord } from "../catalog/schema.js";

/**
 * Announcements made by broadcasts, kept beside the catalog (which is read from files): in memory, or
 * in Redis (a hash id → JSON record and a list of ids, newest first) so they survive restarts and every
 * bot process sees them. Records are validated with the catalog's schema on the way in and out.
 */
export interface AnnouncementStore {
  /** Adds or replaces a record (same id). */
  add(record: CatalogRecord): Promise<void>;
  /** Every stored record, newest first. */
  all(): Promise<CatalogRecord[]>;
  remove(id: string): Promise<boolean>;
}

export interface AnnouncementLogger {
  warn(obj: object, msg: string): void;
}

/** Oldest records beyond this are dropped (long expired by then). */
export const MAX_ANNOUNCEMENTS = 1000;

export function createMemoryAnnouncements(max = MAX_ANNOUNCEMENTS): AnnouncementStore {
  const records: CatalogRecord[] = [];
  return {
    async add(record) {
      const valid = recordSchema.parse(structuredClone(record));
      const at = records.findIndex((r) => r.id === valid.id);
      if (at >= 0) records.splice(at, 1);
      records.unshift(valid);
      if (records.length > max) records.length = max;
    },
    async all() {
      return records.map((r) => structuredClone(r));
    },
    async remove(id) {
      const at = records.findIndex((r) => r.id === id);
      if (at < 0) return false;
      records.splice(at, 1);
      return true;
    },
  };
}

export interface RedisAnnouncementOptions {
  /** Key namespace, like the state backend's. Default "coopdesk:". */
  prefix?: string;
  max?: number;
  logger?: AnnouncementLogger;
}

export function createRedisAnnouncements(redis: Redis, options: RedisAnnouncementOptions = {}): AnnouncementStore {
  const prefix = options.prefix ?? "coopdesk:";
  const hash = `${prefix}announcements`;
  const list = `${prefix}announcements:ids`;
  const max = options.max ?? MAX_ANNOUNCEMENTS;
  return {
    async add(record) {
      const valid = recordSchema.parse(record);
      const results = await redis.multi().hset(hash, valid.id, JSON.stringify(valid)).lrem(list, 0, valid.id).lpush(list, valid.id).exec();
      throwIfFailed(results);
      const dropped = await redis.lrange(list, max, -1);
      if (dropped.length > 0) throwIfFailed(await redis.multi().ltrim(list, 0, max - 1).hdel(hash, ...dropped).exec());
    },
    async all() {
      const ids = await redis.lrange(list, 0, max - 1);
      if (ids.length === 0) return [];
      const values = await redis.hmget(hash, ...ids);
      const records: CatalogRecord[] = [];
      values.forEach((raw, i) => {
        if (raw === null) return;
        const parsed = parse(raw);
        if (parsed) records.push(parsed);
        else options.logger?.warn({ key: hash, id: ids[i] }, "ignoring an invalid announcement in Redis");
      });
      return records;
    },
    async remove(id) {
      const results = await redis.multi().hdel(hash, id).lrem(list, 0, id).exec();
      throwIfFailed(results);
      return Number(results?.[0]?.[1] ?? 0) > 0;
    },
  };
}

function parse(raw: string): CatalogRecord | undefined {
  try {
    const result = recordSchema.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

function throwIfFailed(results: [error: Error | null, result: unknown][] | null): void {
  if (results === null) throw new Error("Redis transaction was aborted");
  for (const [error] of results) if (error) throw error;
}
