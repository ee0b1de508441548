// Redis state backend: sessions survive restarts and can be shared by several bot processes.
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { Redis, RedisOptions } from "ioredis";
import { ioredis, watchConnection } from "../redis-connection.js";
import { createRedisCatalogChanges } from "./catalog-changes-redis.js";
import { createRedisRecordEdits } from "./record-edits-redis.js";
import { createRedisSavedSearches } from "./saved-searches-redis.js";
import { createRedisAudit, createRedisRoles, createRedisSubscriptions } from "./coordination-redis.js";
import { checkLeaseOptions } from "./leases.js";
import { luaScript } from "./redis-script.js";
import { transactionReplies } from "./redis-transaction.js";
import { createRedisTriage } from "./triage.js";
import { clampLimit, DEFAULT_MAX_QUESTIONS, requirePositiveInteger } from "./options.js";
import {
  UPDATE_RETENTION_SECONDS,
  type CounterStore,
  type Lease,
  type LeaseStore,
  type QuestionLog,
  type SessionData,
  type SessionStore,
  type StateBackend,
  type StateLogger,
  type TurnStore,
  type UnansweredQuestion,
  type UpdateLog,
} from "./types.js";

export const DEFAULT_PREFIX = "coopdesk:";

/** How long `close()` lets QUIT drain pending replies before dropping the connection. */
const QUIT_GRACE_MS = 1000;

export interface RedisStateOptions {
  ttlSeconds: number;
  maxQuestions?: number;
  /** Audit entries kept, approximately (the stream is trimmed with MAXLEN ~; default 10 000). */
  maxAudit?: number;
  /** Namespace for every key, so the bot can share a Redis database with other applications. */
  prefix?: string;
  logger?: StateLogger;
  /** How long a saved search lasts after it is saved or last notified (default DEFAULT_SAVED_SEARCH_DAYS). */
  savedSearchTtlMs?: number;
}

/**
 * Client options for a chat bot: a Redis blip is bridged by the offline queue, but a dead Redis fails
 * each request within seconds (so the user gets an answer) instead of hanging the update forever.
 */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: false,
  enableOfflineQueue: true,
  // Queued commands are failed after this many reconnect attempts.
  maxRetriesPerRequest: 2,
  // Never give up reconnecting (the bot keeps running), but back off to one attempt a second.
  retryStrategy: (times) => Math.min(100 * 2 ** (times - 1), 1000),
  connectTimeout: 5000,
  // Hard upper bound on any request, also for a server that accepts connections but never answers;
  // without it a request arriving mid-outage could wait up to (maxRetriesPerRequest + 1) backoff periods.
  commandTimeout: 2000,
};

export interface WaitForRedisOptions {
  /** Gives up after this long. */
  timeoutMs: number;
  /** Stops waiting at once (SIGTERM during start); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  logger?: StateLogger;
  /** First pause between attempts, doubled up to 5 s; default 250 ms. */
  retryMs?: number;
}

/** Redis did not answer PING within the time given; `reason` is the last failure, in words, without credentials. */
export class RedisUnavailableError extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
    readonly waitedMs: number,
  ) {
    super(`Redis at ${host} not available after ${Math.round(waitedMs / 1000)} s: ${reason}`);
    this.name = "RedisUnavailableError";
  }
}

/**
 * Waits at start until Redis answers PING, with a throwaway client per attempt (no reconnect loop, no
 * offline queue, nothing left running), retrying with backoff. Logs when the reason changes, not at
 * every attempt. A refused password is retried too: the password may be on its way (a secret being
 * rotated, an ACL file being loaded).
 */
export async function waitForRedis(url: string, options: WaitForRedisOptions): Promise<void> {
  const host = redisHost(url);
  const started = Date.now();
  let pause = options.retryMs ?? 250;
  let lastReason: string | undefined;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const reason = await probeRedis(url, options.signal);
    if (reason === undefined) {
      if (lastReason !== undefined)
        options.logger?.info({ host, attempts: attempt, waitedMs: Date.now() - started }, "Redis answers now");
      return;
    }
    options.signal?.throwIfAborted();
    const left = options.timeoutMs - (Date.now() - started);
    if (left <= 0) throw new RedisUnavailableError(host, reason, Date.now() - started);
    if (reason !== lastReason)
      options.logger?.warn({ host, reason, attempt, giveUpInMs: left }, "Redis not available yet; retrying");
    lastReason = reason;
    await delay(Math.min(pause, left), undefined, { signal: options.signal });
    pause = Math.min(pause * 2, 5000);
  }
}

/** One connect + PING; undefined when Redis answered, else why not. */
async function probeRedis(url: string, signal?: AbortSignal): Promise<string | undefined> {
  const client = new (ioredis().Redis)(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 2000,
  });
  // connect() only says "Connection is closed."; the cause comes as an 'error' event.
  let failure: unknown;
  client.on("error", (error) => (failure = error));
  const abort = () => client.disconnect();
  signal?.addEventListener("abort", abort, { once: true });
  try {
    await client.connect();
    return (await client.ping()) === "PONG" ? undefined : "unexpected answer to PING";
  } catch (error) {
    return describeRedisFailure(failure ?? error);
  } finally {
    signal?.removeEventListener("abort", abort);
    client.disconnect();
  }
}

/** A short reason for a failed connection, never the error text itself (ioredis puts the AUTH arguments in it). */
export function describeRedisFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message))
    return "password refused: check the password in REDIS_URL";
  if (/NOAUTH/.test(message)) return "password required: put it in REDIS_URL (redis://:password@host:port)";
  if (/^LOADING/.test(message)) return "Redis is loading its data";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "ETIMEDOUT" || /timed? ?out/i.test(message)) return "no answer (timed out)";
  if (typeof code === "string") return `connection failed (${code})`;
  return "connection failed";
}

/** Host and port only: the URL may carry a password, which must not reach the logs. */
export function redisHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid REDIS_URL)";
  }
}

/** Creates the ioredis client; the caller owns it, usually by handing it to `createRedisState`. */
export function connectRedis(url: string, logger?: StateLogger, options: RedisOptions = REDIS_CLIENT_OPTIONS): Redis {
  const redis = new (ioredis().Redis)(url, options);
  watchLogged(redis, logger);
  return redis;
}

export function createRedisState(redis: Redis, options: RedisStateOptions): StateBackend {
  const ttlSeconds = requirePositiveInteger("ttlSeconds", options.ttlSeconds);
  const maxQuestions = requirePositiveInteger("maxQuestions", options.maxQuestions ?? DEFAULT_MAX_QUESTIONS);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (redis.listenerCount("error") === 0) watchLogged(redis, options.logger);

  return {
    kind: "redis",
    sessions: redisSessions(redis, `${prefix}session:`, ttlSeconds, options.logger),
    questions: redisQuestions(redis, `${prefix}unanswered`, maxQuestions, options.logger),
    updates: redisUpdates(redis, `${prefix}update:`),
    counters: redisCounters(redis, `${prefix}count:`),
    leases: redisLeases(redis, `${prefix}lease:`),
    turns: redisTurns(
      redis,
      { lease: `${prefix}lease:`, update: `${prefix}update:`, session: `${prefix}session:` },
      ttlSeconds,
      options.logger,
    ),
    subscriptions: createRedisSubscriptions(redis, { prefix, logger: options.logger }),
    roles: createRedisRoles(redis, { prefix }),
    audit: createRedisAudit(redis, { prefix, maxAudit: options.maxAudit, logger: options.logger }),
    catalog: createRedisCatalogChanges(redis, { prefix, logger: options.logger }),
    triage: createRedisTriage(redis, { prefix, logger: options.logger }),
    edits: createRedisRecordEdits(redis, { prefix, logger: options.logger }),
    savedSearches: createRedisSavedSearches(redis, {
      prefix,
      logger: options.logger,
      ...(options.savedSearchTtlMs ? { ttlMs: options.savedSearchTtlMs } : {}),
    }),
    ping: () => pingRedis(redis),
    close: () => closeRedis(redis),
  };
}

function redisSessions(redis: Redis, keyPrefix: string, ttlSeconds: number, logger?: StateLogger): SessionStore {
  return {
    async read(key) {
      const raw = await redis.get(keyPrefix + key);
      return raw === null ? undefined : readSession(raw, key, logger);
    },
    async write(key, value) {
      await redis.set(keyPrefix + key, JSON.stringify(value), "EX", ttlSeconds);
    },
    async delete(key) {
      await redis.del(keyPrefix + key);
    },
  };
}

/** A stored session; a corrupt one only costs the user their conversation context, failing the update would cost the answer. */
function readSession(raw: string, key: string, logger?: StateLogger): SessionData | undefined {
  const value = parseJsonObject(raw);
  if (value === undefined) logger?.warn({ key }, "ignoring corrupt session in Redis");
  return value as SessionData | undefined;
}

/** SET NX: one atomic step, so of two replicas handed the same update at the same moment only one wins. */
function redisUpdates(redis: Redis, keyPrefix: string): UpdateLog {
  return {
    async claim(updateId) {
      return (await redis.set(keyPrefix + updateId, "1", "EX", UPDATE_RETENTION_SECONDS, "NX")) === "OK";
    },
    async handled(updateId) {
      return (await redis.exists(keyPrefix + updateId)) === 1;
    },
  };
}

/** INCR and the window's expiry in one script: a crash between the two would leave a counter that never resets. */
const increment = luaScript(`
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return hits
`);

function redisCounters(redis: Redis, keyPrefix: string): CounterStore {
  return {
    async increment(key, windowMs) {
      return Number(await increment(redis, [keyPrefix + key], [requirePositiveInteger("windowMs", windowMs)]));
    },
  };
}

/** Renews only the holder's lease: GET and PEXPIRE in one step, so an expired and retaken lease is not extended. */
const renewLease = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** Compare-and-delete: a holder whose lease expired and was taken by another cannot release that one. */
const releaseLease = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Pauses between attempts on a held lease: short at first (handlers are usually quick), doubling to a cap. */
const LEASE_FIRST_POLL_MS = 5;
const LEASE_MAX_POLL_MS = 50;

/** The holder `token`'s lease on the Redis key `redisKey`. */
function heldLease(redis: Redis, key: string, redisKey: string, token: string, ttlMs: number): Lease {
  return {
    key,
    renew: async () => Number(await renewLease(redis, [redisKey], [token, ttlMs])) === 1,
    release: async () => Number(await releaseLease(redis, [redisKey], [token])) === 1,
  };
}

/**
 * Tries `take` until it gives something, for at most `waitMs`; undefined when the wait ran out. Polls
 * with backoff and jitter (at most LEASE_MAX_POLL_MS late after a release).
 */
async function pollLease<T>(waitMs: number, take: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + waitMs;
  let pause = LEASE_FIRST_POLL_MS;
  for (;;) {
    const taken = await take();
    if (taken !== undefined) return taken;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    // Jitter, so two waiters on one chat do not poll in step.
    await delay(Math.min(left, Math.ceil(pause * (0.5 + Math.random() / 2))));
    pause = Math.min(pause * 2, LEASE_MAX_POLL_MS);
  }
}

/**
 * Leases: `SET key token NX PX ttl` takes one, and scripts renew and release it for that token only.
 *
 * Written here rather than taken from redis-semaphore (its Mutex is the closest fit): its refresh timer
 * lets a failed Redis call become an unhandled rejection, its keys are forced under "mutex:" outside
 * this backend's prefix, and it retries at a fixed interval. redlock's current line has been a beta
 * for years and targets Redlock over several independent servers, which one Redis does not need.
 */
function redisLeases(redis: Redis, keyPrefix: string): LeaseStore {
  return {
    async acquire(key, options) {
      const { ttlMs, waitMs } = checkLeaseOptions(options);
      const token = randomUUID();
      const redisKey = keyPrefix + key;
      return pollLease(waitMs, async () =>
        (await redis.set(redisKey, token, "PX", ttlMs, "NX")) === "OK"
          ? heldLease(redis, key, redisKey, token, ttlMs)
          : undefined,
      );
    },
  };
}

/**
 * The lease's SET NX, then under it the handled mark's EXISTS and the session's GET (not for a handled
 * update): false when the lease is held, else [handled, session]. A session key holding another type
 * fails the GET: the lease is given back and the error returned, as a failed read after a lease was.
 */
const beginTurn = luaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return false end
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return {1} end
if ARGV[4] ~= '1' then return {0} end
local session = redis.pcall('GET', KEYS[3])
if type(session) == 'table' and session.err then
  redis.call('DEL', KEYS[1])
  return session
end
return {0, session}
`);

/** The session's SET EX or DEL (ARGV[2] 'set' or 'del'), the handled mark's SET NX EX, the lease's compare-and-delete. */
const endTurn = luaScript(`
if ARGV[2] == 'set' then redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
elseif ARGV[2] == 'del' then redis.call('DEL', KEYS[3]) end
if ARGV[5] == '1' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[6], 'NX') end
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Turns in two scripts, on the keys of `redisLeases`, `redisUpdates` and `redisSessions` and with their
 * commands: what those stores' six calls of an update do, in two round trips. Polls for a held lease
 * as `acquire` does.
 */
function redisTurns(
  redis: Redis,
  prefixes: { lease: string; update: string; session: string },
  ttlSeconds: number,
  logger?: StateLogger,
): TurnStore {
  return {
    async begin(request) {
      const { ttlMs, waitMs } = checkLeaseOptions(request.options);
      const token = randomUUID();
      const keys = [
        prefixes.lease + request.lease,
        prefixes.update + (request.update ?? ""),
        prefixes.session + (request.session ?? ""),
      ];
      const args = [token, ttlMs, request.update === undefined ? 0 : 1, request.session === undefined ? 0 : 1];
      const reply = await pollLease(
        waitMs,
        async () => ((await beginTurn(redis, keys, args)) ?? undefined) as [number, string | null] | undefined,
      );
      if (reply === undefined) return undefined;
      const [handled, raw] = reply as [number, string | null | undefined];
      return {
        lease: heldLease(redis, request.lease, keys[0]!, token, ttlMs),
        handled: handled === 1,
        session: typeof raw === "string" ? readSession(raw, request.session!, logger) : undefined,
        async end(end) {
          if (end.session !== undefined && request.session === undefined)
            throw new TypeError("a turn without a session cannot write one");
          let op = "";
          let json = "";
          let unstorable: unknown;
          if (end.session === null) op = "del";
          else if (end.session !== undefined) {
            try {
              json = JSON.stringify(end.session);
              op = "set";
            } catch (error) {
              // Like a failed write: the mark and the release still happen, then the failure is reported.
              unstorable = error;
            }
          }
          const mark = end.handled && request.update !== undefined ? 1 : 0;
          const released = await endTurn(redis, keys, [token, op, json, ttlSeconds, mark, UPDATE_RETENTION_SECONDS]);
          if (unstorable !== undefined) throw unstorable;
          return Number(released) === 1;
        },
      };
    },
  };
}

function redisQuestions(redis: Redis, key: string, maxQuestions: number, logger?: StateLogger): QuestionLog {
  return {
    async add(question) {
      // One transaction, so the list is never observed (or left, on a crash) longer than maxQuestions.
      const results = await redis
        .multi()
        .lpush(key, JSON.stringify(question))
        .ltrim(key, 0, maxQuestions - 1)
        .exec();
      transactionReplies(results);
    },
    async recent(limit) {
      const count = clampLimit(limit, maxQuestions);
      if (count === 0) return [];
      const entries = await redis.lrange(key, 0, count - 1);
      return entries.flatMap((raw) => {
        const question = parseJsonObject(raw);
        if (question === undefined) logger?.warn({ key }, "ignoring corrupt unanswered-question entry in Redis");
        return question === undefined ? [] : [question as unknown as UnansweredQuestion];
      });
    },
  };
}

/** Parses a stored JSON value; anything that is not a JSON object counts as corrupt. */
function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function pingRedis(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  }
}

/** Connection errors logged once per distinct failure, and the connection's return after one. */
function watchLogged(redis: Redis, logger?: StateLogger): void {
  watchConnection(
    redis,
    (err) => logger?.warn({ err }, "Redis connection error"),
    () => logger?.info({}, "Redis connection restored"),
  );
}

/** QUIT with a grace period, then disconnect: bounded even with the server gone. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  // QUIT lets pending replies arrive; with the server gone it would sit in the offline queue, hence the cap.
  await Promise.race([redis.quit().catch(() => undefined), delay(QUIT_GRACE_MS, undefined, { ref: false })]);
  // Also stops reconnect attempts when QUIT could not be delivered.
  redis.disconnect();
}
