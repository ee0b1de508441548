// Saved searches in Redis, shared by every bot process: every search in one hash (id → JSON), each
// chat's searches in a hash of its own (key hash → id: duplicates and the limit checked in one script),
// and per search the set of records already notified, whose SADD is the claim that lets exactly one
// process send a notification.
import type { Redis } from "ioredis";
import { transactionReplies } from "./redis-transaction.js";
import { buildSavedSearch, byCreation, creationClock, keyHash, newSavedSearchId, parseSavedSearch, type SavedSearch, type SavedSearchStore } from "./saved-searches.js";
import type { StateLogger } from "./types.js";

/** KEYS: the chat's hash, the hash of all searches. ARGV: key hash, id, JSON, limit. */
const SAVE_SCRIPT = `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  local json = redis.call('HGET', KEYS[2], existing)
  if json then return {'duplicate', json} end
  redis.call('HDEL', KEYS[1], ARGV[1])
end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {'limit'} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return {'saved', ARGV[3]}
`;

/** KEYS: the hash of all searches, the search's notified set. ARGV: id, record id. A removed search claims nothing. */
const CLAIM_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
return redis.call('SADD', KEYS[2], ARGV[2])
`;

export function createRedisSavedSearches(redis: Redis, options: { prefix: string; logger?: StateLogger }): SavedSearchStore {
  const keys = {
    all: `${options.prefix}saved:searches`,
    chat: (chatId: number) => `${options.prefix}saved:chat:${chatId}`,
    sent: (id: string) => `${options.prefix}saved:sent:${id}`,
  };
  const parse = (raw: string | null | undefined): SavedSearch | undefined => {
    if (raw === null || raw === undefined) return undefined;
    const search = parseSavedSearch(raw);
    if (!search) options.logger?.warn({ key: keys.all }, "ignoring a corrupt saved search in Redis");
    return search;
  };
  const created = creationClock(Date.now);
  const store: SavedSearchStore = {
    async save(input, limit) {
      const search = buildSavedSearch(input, newSavedSearchId(), created());
      const reply = (await redis.eval(SAVE_SCRIPT, 2, keys.chat(search.chatId), keys.all, keyHash(search.key), search.id, JSON.stringify(search), limit)) as string[];
      if (reply[0] === "limit") return { status: "limit", limit };
      const stored = parse(reply[1]) ?? search;
      return reply[0] === "duplicate" ? { status: "duplicate", search: stored } : { status: "saved", search: stored };
    },
    async list(chatId) {
      const ids = await redis.hvals(keys.chat(chatId));
      if (ids.length === 0) return [];
      const raws = await redis.hmget(keys.all, ...ids);
      return raws
        .map((raw) => parse(raw))
        .filter((s): s is SavedSearch => s !== undefined && s.chatId === chatId)
        .sort(byCreation);
    },
    async get(id) {
      return parse(await redis.hget(keys.all, id));
    },
    async remove(chatId, id) {
      const search = parse(await redis.hget(keys.all, id));
      if (!search || search.chatId !== chatId) return undefined;
      const [removed] = transactionReplies<[number]>(await redis.multi().hdel(keys.all, id).del(keys.sent(id)).hdel(keys.chat(chatId), keyHash(search.key)).exec());
      // Removed twice at the same moment (two presses on two processes): only one removal is reported.
      return removed === 1 ? search : undefined;
    },
    async removeChat(chatId) {
      const ids = await redis.hvals(keys.chat(chatId));
      const multi = redis.multi();
      if (ids.length) multi.hdel(keys.all, ...ids).del(...ids.map(keys.sent));
      multi.del(keys.chat(chatId));
      transactionReplies(await multi.exec());
      return ids.length;
    },
    async all() {
      const raws = await redis.hvals(keys.all);
      return raws
        .map((raw) => parse(raw))
        .filter((s): s is SavedSearch => s !== undefined)
        .sort(byCreation);
    },
    async claim(id, recordId) {
      return Number(await redis.eval(CLAIM_SCRIPT, 2, keys.all, keys.sent(id), id, recordId)) === 1;
    },
  };
  return store;
}
