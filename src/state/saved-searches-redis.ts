// Saved searches in Redis, shared by every bot process: every search in one hash (id → JSON), each
// chat's searches in a hash of its own (key hash → id: duplicates and the limit checked in one script),
// each search's expiry in a sorted set (id by expiry time, moved on by every notification), and per
// search the set of records already notified, whose SADD is the claim that lets exactly one process
// send a notification.
import type { Redis } from "ioredis";
import { transactionReplies } from "./redis-transaction.js";
import {
  buildSavedSearch,
  byCreation,
  creationClock,
  isExpired,
  keyHash,
  newSavedSearchId,
  parseSavedSearch,
  savedSearchTtlMs,
  type SavedSearch,
  type SavedSearchStore,
  type SavedSearchStoreOptions,
} from "./saved-searches.js";
import type { StateLogger } from "./types.js";

/** KEYS: the chat's hash, the hash of all searches, the expiry set. ARGV: key hash, id, JSON, limit, expiry (ms). */
const SAVE_SCRIPT = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  local json = redis.call('HGET', KEYS[2], existing)
  if json then return {'duplicate', json, redis.call('ZSCORE', KEYS[3], existing)} end
  redis.call('HDEL', KEYS[1], ARGV[1])
end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {'limit'} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2])
return {'saved', ARGV[3]}
`;

/**
 * KEYS: the hash of all searches, the search's notified set, the expiry set. ARGV: id, record id, now,
 * the new expiry (ms). A removed or expired search claims nothing; a claim moves the expiry on.
 */
const CLAIM_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local at = redis.call('ZSCORE', KEYS[3], ARGV[1])
if at and tonumber(at) <= tonumber(ARGV[3]) then return 0 end
local added = redis.call('SADD', KEYS[2], ARGV[2])
if added == 1 then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1]) end
return added
`;

/**
 * KEYS: the hash of all searches, the expiry set, the chat's hash, the search's notified set. ARGV: id,
 * key hash, now, the expiry to assume when the set has none (a search saved before expiries). Removes the
 * search only if it is still expired (a notification may have just moved it on).
 */
const EXPIRE_SCRIPT = `
local at = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]) or ARGV[4])
if at > tonumber(ARGV[3]) then return 0 end
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[4])
if redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[2]) end
return removed
`;

export function createRedisSavedSearches(
  redis: Redis,
  options: { prefix: string; logger?: StateLogger } & SavedSearchStoreOptions,
): SavedSearchStore {
  const keys = {
    all: `${options.prefix}saved:searches`,
    chat: (chatId: number) => `${options.prefix}saved:chat:${chatId}`,
    sent: (id: string) => `${options.prefix}saved:sent:${id}`,
    expiry: `${options.prefix}saved:expiry`,
  };
  const clock = options.now ?? Date.now;
  const ttlMs = savedSearchTtlMs(options);
  /** A stored search with its expiry from the set (`score`), or the one it was saved with. */
  const parse = (raw: string | null | undefined, score?: string | null): SavedSearch | undefined => {
    if (raw === null || raw === undefined) return undefined;
    const search = parseSavedSearch(raw, ttlMs);
    if (!search) options.logger?.warn({ key: keys.all }, "ignoring a corrupt saved search in Redis");
    else if (score !== null && score !== undefined) search.expiresAt = new Date(Number(score)).toISOString();
    return search;
  };
  const expire = (search: SavedSearch, now: number) =>
    redis.eval(
      EXPIRE_SCRIPT,
      4,
      keys.all,
      keys.expiry,
      keys.chat(search.chatId),
      keys.sent(search.id),
      search.id,
      keyHash(search.key),
      now,
      Date.parse(search.expiresAt),
    );
  /** The searches of `ids` (JSON and expiry read together), the expired ones removed on the way. */
  const read = async (ids: string[], chatId?: number): Promise<SavedSearch[]> => {
    if (ids.length === 0) return [];
    const [raws, scores] = transactionReplies<[(string | null)[], (string | null)[]]>(
      await redis
        .multi()
        .hmget(keys.all, ...ids)
        .zmscore(keys.expiry, ...ids)
        .exec(),
    );
    const now = clock();
    const out: SavedSearch[] = [];
    for (let i = 0; i < ids.length; i++) {
      const search = parse(raws[i], scores[i]);
      if (!search || (chatId !== undefined && search.chatId !== chatId)) continue;
      if (isExpired(search, now)) await expire(search, now);
      else out.push(search);
    }
    return out.sort(byCreation);
  };
  const created = creationClock(clock);
  const store: SavedSearchStore = {
    async save(input, limit) {
      const search = buildSavedSearch(input, newSavedSearchId(), created(), ttlMs);
      // Expired searches neither count against the limit nor make a duplicate.
      await read(await redis.hvals(keys.chat(search.chatId)), search.chatId);
      const reply = (await redis.eval(
        SAVE_SCRIPT,
        3,
        keys.chat(search.chatId),
        keys.all,
        keys.expiry,
        keyHash(search.key),
        search.id,
        JSON.stringify(search),
        limit,
        Date.parse(search.expiresAt),
      )) as (string | null)[];
      if (reply[0] === "limit") return { status: "limit", limit };
      const stored = parse(reply[1], reply[2]) ?? search;
      return reply[0] === "duplicate" ? { status: "duplicate", search: stored } : { status: "saved", search: stored };
    },
    async list(chatId) {
      return read(await redis.hvals(keys.chat(chatId)), chatId);
    },
    async get(id) {
      return (await read([id]))[0];
    },
    async remove(chatId, id) {
      const search = parse(await redis.hget(keys.all, id));
      if (!search || search.chatId !== chatId) return undefined;
      const [removed] = transactionReplies<[number]>(
        await redis
          .multi()
          .hdel(keys.all, id)
          .del(keys.sent(id))
          .hdel(keys.chat(chatId), keyHash(search.key))
          .zrem(keys.expiry, id)
          .exec(),
      );
      // Removed twice at the same moment (two presses on two processes): only one removal is reported.
      return removed === 1 ? search : undefined;
    },
    async removeChat(chatId) {
      const ids = await redis.hvals(keys.chat(chatId));
      const multi = redis.multi();
      if (ids.length)
        multi
          .hdel(keys.all, ...ids)
          .del(...ids.map(keys.sent))
          .zrem(keys.expiry, ...ids);
      multi.del(keys.chat(chatId));
      transactionReplies(await multi.exec());
      return ids.length;
    },
    async all() {
      return read(await redis.hkeys(keys.all));
    },
    async claim(id, recordId) {
      const now = clock();
      return (
        Number(
          await redis.eval(CLAIM_SCRIPT, 3, keys.all, keys.sent(id), keys.expiry, id, recordId, now, now + ttlMs),
        ) === 1
      );
    },
    async removeExpired() {
      const now = clock();
      const ids = await redis.zrangebyscore(keys.expiry, "-inf", now);
      if (ids.length === 0) return 0;
      const raws = await redis.hmget(keys.all, ...ids);
      let removed = 0;
      for (let i = 0; i < ids.length; i++) {
        const search = parse(raws[i]);
        // Its JSON gone (removed meanwhile, or corrupt): only its place in the set is left.
        if (!search) await redis.zrem(keys.expiry, ids[i]!);
        else removed += Number(await expire({ ...search, expiresAt: new Date(now).toISOString() }, now));
      }
      return removed;
    },
  };
  return store;
}
