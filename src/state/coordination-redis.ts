// Subscriptions, roles and the audit log in Redis.
//
// Key layout (every key under the state prefix, "coopdesk:" by default):
//
//   sub:user:<chatId>        hash: topics, kinds, countries (JSON arrays), lang — the subscriber
//   sub:topic:<sector id>    set of chat ids that chose that topic
//   sub:topic:*              set of chat ids that chose no topic ("any topic")
//   sub:kind:<kind>          … likewise for kinds (sub:kind:* for "any kind")
//   sub:country:<CC>         … and countries (sub:country:* for "any country")
//   sub:lang:<lang>          set of chat ids reading that language (every subscriber is in exactly one)
//   sub:all                  every subscriber
//   sub:inactive             subscribers who blocked the bot (my_chat_member "kicked")
//   inactive                 chat ids the delivery engine's worker processes found blocked (403) — they
//                            write only this set; it is merged in when reading (resolve and get subtract
//                            or test both sets), and setActive(chatId, true) removes the id from both.
//   roles:coordinator        set of coordinator user ids
//   audit                    stream of audit entries (field "entry": JSON), trimmed to ~maxAudit
//
// resolve(): per facet (all three unless the audience is everyone, which ignores tags), SUNIONSTORE of the broadcast's
// tags' sets and the facet's "*" set into a temporary key (an untagged facet: the "*" set alone);
// SINTERSTORE across facets (and the union of the named languages); SDIFFSTORE of both inactive sets;
// then SINTER with each sub:lang:<lang> for the recipients' languages — one MULTI, so no subscriber
// is scanned, and the temporary keys (with a 60 s expiry as a safety net) are deleted in
// the same transaction. Writes to one subscriber go through Lua scripts, so the index sets and the
// hash never disagree.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { LANGUAGES, type Language } from "../catalog/schema.js";
import type {
  AuditEntry,
  AuditLog,
  Recipient,
  RoleStore,
  SubscriberEntry,
  SubscriptionFacet,
  SubscriptionStore,
  Audience,
} from "./coordination.js";
import {
  byChatId,
  DEFAULT_MAX_AUDIT,
  audienceFacets,
  namedLanguages,
  normalizeSubscription,
  requireChatId,
} from "./coordination-memory.js";
import { clampLimit, requirePositiveInteger } from "./options.js";
import { transactionReplies } from "./redis-transaction.js";
import type { StateLogger } from "./types.js";

/** Facet → the word in its keys. */
const FACET_KEY: Record<SubscriptionFacet, string> = { topics: "topic", kinds: "kind", countries: "country" };

/** Lifetime of resolve()'s temporary keys should the transaction's own DEL never run. */
const TEMP_TTL_SECONDS = 60;

// Shared by the write scripts: removes a subscriber's chat id from the index sets its stored hash names.
const UNINDEX = `
local function unindex(prefix, id, old)
  local facets = {'topic', 'kind', 'country'}
  for i = 1, 3 do
    local ok, list = pcall(cjson.decode, old[i] or '[]')
    if not ok or type(list) ~= 'table' or #list == 0 then list = {'*'} end
    for _, v in ipairs(list) do redis.call('SREM', prefix .. 'sub:' .. facets[i] .. ':' .. tostring(v), id) end
  end
  if old[4] then redis.call('SREM', prefix .. 'sub:lang:' .. old[4], id) end
end
`;

/** KEYS: user hash, sub:all, sub:inactive, inactive. ARGV: prefix, chat id, topics, kinds, countries (JSON), lang. */
const SET_SCRIPT = `${UNINDEX}
local prefix, id = ARGV[1], ARGV[2]
local old = redis.call('HMGET', KEYS[1], 'topics', 'kinds', 'countries', 'lang')
local existed = redis.call('EXISTS', KEYS[1]) == 1
if existed then
  unindex(prefix, id, old)
else
  redis.call('SREM', KEYS[3], id)
  redis.call('SREM', KEYS[4], id)
end
local facets = {'topic', 'kind', 'country'}
for i = 1, 3 do
  local list = cjson.decode(ARGV[2 + i])
  if #list == 0 then list = {'*'} end
  for _, v in ipairs(list) do redis.call('SADD', prefix .. 'sub:' .. facets[i] .. ':' .. v, id) end
end
redis.call('SADD', prefix .. 'sub:lang:' .. ARGV[6], id)
redis.call('SADD', KEYS[2], id)
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'topics', ARGV[3], 'kinds', ARGV[4], 'countries', ARGV[5], 'lang', ARGV[6])
return existed and 1 or 0
`;

/** KEYS: user hash, sub:all, sub:inactive. ARGV: prefix, chat id. */
const REMOVE_SCRIPT = `${UNINDEX}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
unindex(ARGV[1], ARGV[2], redis.call('HMGET', KEYS[1], 'topics', 'kinds', 'countries', 'lang'))
redis.call('SREM', KEYS[2], ARGV[2])
redis.call('SREM', KEYS[3], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
`;

/** KEYS: user hash, sub:inactive, inactive. ARGV: chat id, "1" (active) or "0". */
const SET_ACTIVE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[2] == '1' then
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
else
  redis.call('SADD', KEYS[2], ARGV[1])
end
return 1
`;

export interface RedisCoordinationOptions {
  prefix: string;
  maxAudit?: number;
  logger?: StateLogger;
}

export function createRedisSubscriptions(redis: Redis, options: RedisCoordinationOptions): SubscriptionStore {
  const p = options.prefix;
  const userKey = (chatId: number) => `${p}sub:user:${chatId}`;
  const all = `${p}sub:all`;
  const inactive = `${p}sub:inactive`;
  const workerInactive = `${p}inactive`;

  /**
   * Queues the audience's set algebra on `tx` into a temporary key; returns that key and the temporary
   * keys to delete afterwards.
   */
  const queueAudience = (
    tx: ReturnType<Redis["multi"]>,
    audience: Audience,
  ): { result: string; temps: string[]; queued: number } => {
    let queued = 0;
    const base = `${p}tmp:audience:${randomUUID()}`;
    const result = `${base}:result`;
    const temps = [result];
    const parts: string[] = [];
    if (!audience.everyone) {
      for (const { facet, values } of audienceFacets(audience)) {
        const key = `${base}:${FACET_KEY[facet]}`;
        tx.sunionstore(key, ...[...values, "*"].map((v) => `${p}sub:${FACET_KEY[facet]}:${v}`)).expire(
          key,
          TEMP_TTL_SECONDS,
        );
        queued += 2;
        parts.push(key);
      }
    }
    const langs = namedLanguages(audience);
    if (langs) {
      const key = `${base}:lang`;
      tx.sunionstore(key, ...langs.map((l) => `${p}sub:lang:${l}`)).expire(key, TEMP_TTL_SECONDS);
      queued += 2;
      parts.push(key);
    }
    temps.push(...parts);
    if (parts.length > 0) {
      tx.sinterstore(result, ...parts);
      tx.sdiffstore(result, result, inactive, workerInactive);
      queued += 2;
    } else {
      tx.sdiffstore(result, all, inactive, workerInactive);
      queued += 1;
    }
    tx.expire(result, TEMP_TTL_SECONDS);
    return { result, temps, queued: queued + 1 };
  };

  return {
    async get(chatId) {
      const results = await redis
        .multi()
        .hgetall(userKey(chatId))
        .sismember(inactive, String(chatId))
        .sismember(workerInactive, String(chatId))
        .exec();
      transactionReplies(results);
      const hash = results![0]![1] as Record<string, string>;
      if (!hash || Object.keys(hash).length === 0) return undefined;
      const lang = LANGUAGES.find((l) => l === hash.lang);
      if (!lang) {
        options.logger?.warn({ chatId }, "ignoring corrupt subscription in Redis");
        return undefined;
      }
      const entry: SubscriberEntry = {
        chatId,
        topics: parseList(hash.topics),
        kinds: parseList(hash.kinds),
        countries: parseList(hash.countries),
        lang,
        active: results![1]![1] === 0 && results![2]![1] === 0,
      };
      return entry;
    },
    async set(chatId, subscription) {
      requireChatId(chatId);
      const s = normalizeSubscription(subscription);
      await redis.eval(
        SET_SCRIPT,
        4,
        userKey(chatId),
        all,
        inactive,
        workerInactive,
        p,
        String(chatId),
        JSON.stringify(s.topics),
        JSON.stringify(s.kinds),
        JSON.stringify(s.countries),
        s.lang,
      );
    },
    async remove(chatId) {
      await redis.eval(REMOVE_SCRIPT, 3, userKey(chatId), all, inactive, p, String(chatId));
    },
    async setActive(chatId, active) {
      await redis.eval(
        SET_ACTIVE_SCRIPT,
        3,
        userKey(chatId),
        inactive,
        workerInactive,
        String(chatId),
        active ? "1" : "0",
      );
    },
    async resolve(audience) {
      const tx = redis.multi();
      const { result, temps, queued: first } = queueAudience(tx, audience);
      for (const lang of LANGUAGES) tx.sinter(result, `${p}sub:lang:${lang}`);
      tx.del(...temps);
      const results = await tx.exec();
      transactionReplies(results);
      const recipients: Recipient[] = [];
      LANGUAGES.forEach((lang: Language, i) => {
        for (const member of results![first + i]![1] as string[]) recipients.push({ chatId: Number(member), lang });
      });
      return recipients.sort(byChatId);
    },
    async count(audience) {
      const tx = redis.multi();
      const { result, temps, queued } = queueAudience(tx, audience);
      // Every subscriber is in exactly one sub:lang set, so this is resolve()'s length.
      tx.scard(result);
      tx.del(...temps);
      const results = await tx.exec();
      transactionReplies(results);
      return Number(results![queued]![1]);
    },
  };
}

function parseList(raw: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(raw ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

export function createRedisRoles(redis: Redis, options: RedisCoordinationOptions): RoleStore {
  const key = `${options.prefix}roles:coordinator`;
  return {
    async isCoordinator(userId) {
      return (await redis.sismember(key, String(userId))) === 1;
    },
    async grant(userId) {
      await redis.sadd(key, String(requireChatId(userId)));
    },
    async revoke(userId) {
      await redis.srem(key, String(userId));
    },
    async coordinators() {
      return (await redis.smembers(key))
        .map(Number)
        .filter(Number.isSafeInteger)
        .sort((a, b) => a - b);
    },
  };
}

/** A stream trimmed with MAXLEN ~ (Redis trims whole nodes, so slightly more may be kept; recent() never returns more than maxAudit). */
export function createRedisAudit(redis: Redis, options: RedisCoordinationOptions): AuditLog {
  const key = `${options.prefix}audit`;
  const maxEntries = requirePositiveInteger("maxAudit", options.maxAudit ?? DEFAULT_MAX_AUDIT);
  return {
    async append(entry) {
      const stored: AuditEntry = { at: new Date().toISOString(), actor: entry.actor, action: entry.action };
      if (entry.details) stored.details = entry.details;
      await redis.xadd(key, "MAXLEN", "~", String(maxEntries), "*", "entry", JSON.stringify(stored));
    },
    async recent(limit) {
      const count = clampLimit(limit, maxEntries);
      if (count === 0) return [];
      const rows = await redis.xrevrange(key, "+", "-", "COUNT", count);
      return rows.flatMap(([, fields]) => {
        const raw = fields[fields.indexOf("entry") + 1];
        const entry = parseEntry(raw);
        if (!entry) options.logger?.warn({ key }, "ignoring corrupt audit entry in Redis");
        return entry ? [entry] : [];
      });
    },
  };
}

function parseEntry(raw: string | undefined): AuditEntry | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<AuditEntry> | null;
    if (
      !value ||
      typeof value !== "object" ||
      typeof value.at !== "string" ||
      typeof value.actor !== "number" ||
      typeof value.action !== "string"
    )
      return undefined;
    return value as AuditEntry;
  } catch {
    return undefined;
  }
}
