// The live catalog's change feed in Redis, shared by every bot process: a version counter, the changes
// in version order (a sorted set, trimmed), the latest change per record (a hash) and a pub/sub channel
// that wakes the other processes.
import type { Redis } from "ioredis";
import { recordSchema } from "../catalog/schema.js";
import {
  changeKey,
  MAX_KEPT_CHANGES,
  parseChange,
  type CatalogChange,
  type CatalogChangeStore,
  type CatalogSnapshot,
} from "./catalog-changes.js";
import { transactionReplies } from "./redis-transaction.js";
import type { StateLogger } from "./types.js";

/**
 * Numbers, stores and announces a change in one step, so no process ever sees version n+1 without n.
 * The version goes into the stored JSON here (ARGV[1] is the change's JSON object without it).
 */
const APPEND_SCRIPT = `
local v = redis.call('INCR', KEYS[1])
local change = '{"version":' .. v .. ',' .. string.sub(ARGV[1], 2)
redis.call('ZADD', KEYS[2], v, change)
redis.call('HSET', KEYS[3], ARGV[2], change)
local n = redis.call('ZCARD', KEYS[2])
local keep = tonumber(ARGV[3])
if n > keep then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, n - keep - 1) end
redis.call('PUBLISH', ARGV[4], v)
return v
`;

export interface RedisCatalogChangesOptions {
  prefix: string;
  maxKept?: number;
  logger?: StateLogger;
}

export function createRedisCatalogChanges(redis: Redis, options: RedisCatalogChangesOptions): CatalogChangeStore {
  const keys = {
    version: `${options.prefix}catalog:version`,
    log: `${options.prefix}catalog:log`,
    latest: `${options.prefix}catalog:latest`,
    channel: `${options.prefix}catalog:changed`,
  };
  const maxKept = options.maxKept ?? MAX_KEPT_CHANGES;
  const parse = (raw: string, where: string): CatalogChange | undefined => {
    const change = parseChange(raw);
    if (!change) options.logger?.warn({ key: where }, "ignoring an invalid catalog change in Redis");
    return change;
  };
  let imported: Promise<void> | undefined;
  const importOnce = () =>
    (imported ??= importAnnouncements(redis, options.prefix, store, options.logger).catch((error: unknown) => {
      imported = undefined;
      throw error;
    }));

  const store: CatalogChangeStore = {
    async append(change) {
      // Validated on the way in as on the way out: a bad change never reaches the other processes.
      if (!parseChange(JSON.stringify({ version: 1, ...change }))) throw new Error("not a valid catalog change");
      const json = JSON.stringify(change);
      return Number(
        await redis.eval(
          APPEND_SCRIPT,
          3,
          keys.version,
          keys.log,
          keys.latest,
          json,
          changeKey(change),
          maxKept,
          keys.channel,
        ),
      );
    },
    async since(after) {
      await importOnce();
      const results = await redis.multi().get(keys.version).zrangebyscore(keys.log, `(${after}`, "+inf").exec();
      const [current, raws] = transactionReplies<[string | null, string[]]>(results);
      const version = Number(current ?? 0);
      // Fewer changes than the caller applied: the stored data was lost; the caller takes a snapshot.
      if (after > version) return undefined;
      if (after === version) return [];
      const changes = raws.map((raw) => parse(raw, keys.log)).filter((c): c is CatalogChange => c !== undefined);
      // Trimmed (or an entry unreadable): the caller applies a snapshot instead.
      if (changes.length !== version - after || changes[0]?.version !== after + 1) return undefined;
      return changes;
    },
    async snapshot() {
      await importOnce();
      const results = await redis.multi().get(keys.version).hgetall(keys.latest).exec();
      const [current, latest] = transactionReplies<[string | null, Record<string, string>]>(results);
      const changes = Object.entries(latest)
        .map(([field, raw]) => parse(raw, `${keys.latest} ${field}`))
        .filter((c): c is CatalogChange => c !== undefined)
        .sort((a, b) => a.version - b.version);
      const snapshot: CatalogSnapshot = { version: Number(current ?? 0), records: [] };
      for (const change of changes) {
        if (change.op === "reload") snapshot.reload = change;
        else snapshot.records.push(change);
      }
      return snapshot;
    },
    watch(listener) {
      // Subscribing takes a connection of its own; a reconnection may have missed messages, so it wakes the listener too.
      const subscriber = redis.duplicate();
      subscriber.on("error", () => undefined);
      subscriber.on("message", () => listener());
      subscriber.on("ready", () => listener());
      subscriber
        .subscribe(keys.channel)
        .catch((error: unknown) =>
          options.logger?.warn(
            { message: (error as Error).message },
            "not listening to catalog changes; they arrive with the periodic check",
          ),
        );
      return async () => {
        await subscriber.quit().catch(() => undefined);
        subscriber.disconnect();
      };
    },
  };
  return store;
}

/**
 * Announcements stored by earlier versions (a hash and a list of ids) become changes of the feed once,
 * so they stay found; then the old keys go.
 */
async function importAnnouncements(
  redis: Redis,
  prefix: string,
  store: CatalogChangeStore,
  logger?: StateLogger,
): Promise<void> {
  const legacy = `${prefix}announcements`;
  // Taken by one process only: the others find nothing to rename.
  const hash = `${legacy}:importing:${process.pid}:${Date.now()}`;
  try {
    await redis.rename(legacy, hash);
  } catch (error) {
    if (/no such key/i.test((error as Error).message)) return;
    throw error;
  }
  const raws = await redis.hgetall(hash);
  for (const [id, raw] of Object.entries(raws)) {
    let record;
    try {
      record = recordSchema.safeParse(JSON.parse(raw));
    } catch {
      record = undefined;
    }
    if (record?.success) await store.append({ op: "put", record: record.data });
    else logger?.warn({ key: hash, id }, "ignoring an invalid announcement in Redis");
  }
  await redis.del(hash, `${legacy}:ids`);
}
