// One behavioural contract, checked against both state backends: the bot must not be able to tell them apart.
import type { StorageAdapter } from "grammy";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryState, createState } from "../../src/state/index.js";
import { connectRedis, createRedisState } from "../../src/state/redis.js";
import {
  UPDATE_RETENTION_SECONDS,
  type SessionData,
  type StateBackend,
  type StateLogger,
  type UnansweredQuestion,
} from "../../src/state/types.js";
import { redisOnDemand, startRedisServer } from "../helpers/redis-server.js";
import { within } from "../helpers/until.js";

const redis = redisOnDemand();

type Kind = StateBackend["kind"];

interface Harness {
  open(options: { ttlSeconds: number; maxQuestions?: number }): StateBackend;
  /**
   * Lets time pass: a fake clock for memory; for Redis, whose clock cannot be moved, the time is taken off
   * every key's remaining TTL (a key whose TTL runs out is deleted, as an expiry deletes it), so what
   * expires does not depend on how long a busy machine takes between two steps.
   */
  advance(ms: number): Promise<void>;
}

const opened: StateBackend[] = [];

function harness(kind: Kind): Harness {
  if (kind === "redis") {
    return {
      open: (options) => track(createRedisState(connectRedis(redis.url), options)),
      advance: async (ms) => {
        for (const key of await redis.admin.keys("*")) {
          const left = await redis.admin.pttl(key);
          if (left > 0) await redis.admin.pexpire(key, left - ms);
        }
      },
    };
  }
  let clock = Date.UTC(2025, 0, 1);
  return {
    open: (options) => track(createMemoryState({ ...options, now: () => clock })),
    advance: async (ms) => {
      clock += ms;
    },
  };
}

function track(backend: StateBackend): StateBackend {
  opened.push(backend);
  return backend;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((backend) => backend.close()));
});

function session(overrides: Partial<SessionData> = {}): SessionData {
  return {
    lang: "fr",
    langChosen: true,
    lastQuery: "incubateur franco-chinois",
    resultIds: ["alpha-forum", "beta-centre"],
    page: 1,
    filters: { kinds: ["incubator"], countries: ["CN", "FR"], sectors: ["energy"], audiences: ["startups"] },
    step: "filters/country",
    updatedAt: 1_735_689_600_000,
    ...overrides,
  };
}

function question(n: number, overrides: Partial<UnansweredQuestion> = {}): UnansweredQuestion {
  return {
    text: `question ${n}`,
    lang: "en",
    userId: 1000 + n,
    chatId: 2000 + n,
    at: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(),
    reason: "no-match",
    ...overrides,
  };
}

describe.each(["memory", "redis"] as const)("%s state backend", (kind) => {
  let h: Harness;
  if (kind === "redis") redis.use();

  beforeEach(() => {
    h = harness(kind);
  });

  it("reports its kind and answers ping", async () => {
    const state = h.open({ ttlSeconds: 60 });
    expect(state.kind).toBe(kind);
    expect(await state.ping()).toBe(true);
  });

  it("fits grammY's session StorageAdapter", () => {
    const adapter: StorageAdapter<SessionData> = h.open({ ttlSeconds: 60 }).sessions;
    expect(typeof adapter.read).toBe("function");
  });

  it("reads back what was written", async () => {
    const { sessions } = h.open({ ttlSeconds: 60 });
    await sessions.write("42", session());
    expect(await sessions.read("42")).toEqual(session());
  });

  it("reads a missing key as undefined", async () => {
    const { sessions } = h.open({ ttlSeconds: 60 });
    expect(await sessions.read("nobody")).toBeUndefined();
  });

  it("replaces the whole value on write", async () => {
    const { sessions } = h.open({ ttlSeconds: 60 });
    await sessions.write("42", session());
    await sessions.write("42", { lang: "zh" });
    expect(await sessions.read("42")).toEqual({ lang: "zh" });
  });

  it("deletes a session, and deleting a missing one is fine", async () => {
    const { sessions } = h.open({ ttlSeconds: 60 });
    await sessions.write("42", session());
    await sessions.delete("42");
    expect(await sessions.read("42")).toBeUndefined();
    await expect(sessions.delete("42")).resolves.toBeUndefined();
  });

  it("expires a session after the TTL, and every write restarts the TTL", async () => {
    const { sessions } = h.open({ ttlSeconds: 60 });
    await sessions.write("idle", session());
    await sessions.write("active", session());
    await h.advance(36_000);
    await sessions.write("active", session({ page: 2 }));
    await h.advance(36_000);
    expect(await sessions.read("idle")).toBeUndefined();
    expect(await sessions.read("active")).toEqual(session({ page: 2 }));
  });

  it("does not let callers change stored state by reference", async () => {
    const { sessions } = h.open({ ttlSeconds: 60 });
    const written = session();
    await sessions.write("42", written);
    written.filters!.kinds!.push("event");
    written.page = 9;

    const read = await sessions.read("42");
    read!.resultIds!.length = 0;
    read!.lang = "ru";

    expect(await sessions.read("42")).toEqual(session());
  });

  it("keeps concurrent writes to different keys apart", async () => {
    const { sessions } = h.open({ ttlSeconds: 60 });
    const keys = Array.from({ length: 100 }, (_, i) => String(i));
    await Promise.all(keys.map((key, i) => sessions.write(key, session({ page: i, lastQuery: `q${key}` }))));
    const read = await Promise.all(keys.map((key) => sessions.read(key)));
    expect(read).toEqual(keys.map((key, i) => session({ page: i, lastQuery: `q${key}` })));
  });

  it("keeps only the newest unanswered questions, newest first", async () => {
    const { questions } = h.open({ ttlSeconds: 60, maxQuestions: 3 });
    for (const n of [1, 2, 3, 4, 5]) await questions.add(question(n));
    expect(await questions.recent(10)).toEqual([question(5), question(4), question(3)]);
    expect(await questions.recent(2)).toEqual([question(5), question(4)]);
    expect(await questions.recent(0)).toEqual([]);
    expect(await questions.recent(-1)).toEqual([]);
  });

  it("keeps the optional fields of a downvoted answer", async () => {
    const { questions } = h.open({ ttlSeconds: 60 });
    const downvote = question(1, {
      reason: "downvoted",
      recordId: "alpha-forum",
      score: 0.42,
      lang: "zh",
      text: "中法孵化器",
    });
    await questions.add(downvote);
    expect(await questions.recent(5)).toEqual([downvote]);
  });

  it("claims an update id once: a redelivery, also through another connection, is refused", async () => {
    const first = h.open({ ttlSeconds: 60 });
    expect(await first.updates.claim(700_000_001)).toBe(true);
    expect(await first.updates.claim(700_000_001)).toBe(false);
    expect(await first.updates.claim(700_000_002)).toBe(true);
    if (kind === "redis") expect(await h.open({ ttlSeconds: 60 }).updates.claim(700_000_001)).toBe(false);
  });

  it("tells whether an update id was claimed, without claiming it", async () => {
    const { updates } = h.open({ ttlSeconds: 60 });
    expect(await updates.handled(700_000_003)).toBe(false);
    expect(await updates.handled(700_000_003)).toBe(false);
    await updates.claim(700_000_003);
    expect(await updates.handled(700_000_003)).toBe(true);
  });

  it("counts hits per key in a window that starts with the first hit", async () => {
    const { counters } = h.open({ ttlSeconds: 60 });
    expect(await counters.increment("a", 60_000)).toBe(1);
    expect(await counters.increment("a", 60_000)).toBe(2);
    expect(await counters.increment("b", 60_000)).toBe(1);
    if (kind === "redis") expect(await redis.admin.pttl("coopdesk:count:a")).toBeGreaterThan(50_000);
  });

  it("rejects a TTL Redis could not store", () => {
    expect(() => h.open({ ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => h.open({ ttlSeconds: 1.5 })).toThrow(RangeError);
  });
});

describe("memory state backend only", () => {
  it("expires exactly at the TTL on its clock", async () => {
    let clock = 0;
    const { sessions } = createMemoryState({ ttlSeconds: 10, now: () => clock });
    await sessions.write("42", session());
    clock = 9_999;
    expect(await sessions.read("42")).toEqual(session());
    clock = 10_000;
    expect(await sessions.read("42")).toBeUndefined();
  });

  it("evicts the least recently written sessions beyond maxSessions", async () => {
    const { sessions } = createMemoryState({ ttlSeconds: 60, maxSessions: 3 });
    for (const key of ["a", "b", "c"]) await sessions.write(key, { page: 1 });
    await sessions.write("a", { page: 2 });
    await sessions.write("d", { page: 1 });
    expect(await sessions.read("b")).toBeUndefined();
    expect(await sessions.read("a")).toEqual({ page: 2 });
    expect(await sessions.read("c")).toEqual({ page: 1 });
    expect(await sessions.read("d")).toEqual({ page: 1 });
  });
});

describe("memory state backend only: update ids", () => {
  it("remembers an update id for Telegram's 24 hours", async () => {
    let clock = 0;
    const { updates } = createMemoryState({ ttlSeconds: 10, now: () => clock });
    expect(await updates.claim(1)).toBe(true);
    clock = UPDATE_RETENTION_SECONDS * 1000 - 1;
    expect(await updates.claim(1)).toBe(false);
    clock = UPDATE_RETENTION_SECONDS * 1000;
    expect(await updates.claim(1)).toBe(true);
  });

  it("starts a counter's window again once it has ended", async () => {
    let clock = 0;
    const { counters } = createMemoryState({ ttlSeconds: 10, now: () => clock });
    await counters.increment("user", 1000);
    clock = 999;
    expect(await counters.increment("user", 1000)).toBe(2);
    clock = 1000;
    expect(await counters.increment("user", 1000)).toBe(1);
  });

  it("keeps at most maxUpdateIds, forgetting the oldest", async () => {
    const { updates } = createMemoryState({ ttlSeconds: 10, maxUpdateIds: 2 });
    for (const id of [1, 2, 3]) expect(await updates.claim(id)).toBe(true);
    expect(await updates.claim(3)).toBe(false);
    expect(await updates.claim(2)).toBe(false);
    expect(await updates.claim(1)).toBe(true);
  });
});

describe("redis state backend only", () => {
  redis.use();

  it("claims update ids with SET NX under coopdesk:update:<id>, kept for 24 hours", async () => {
    const { updates } = open({ ttlSeconds: 60 });
    await updates.claim(42);
    expect(await redis.admin.get("coopdesk:update:42")).toBe("1");
    const ttl = await redis.admin.ttl("coopdesk:update:42");
    expect(ttl).toBeGreaterThan(UPDATE_RETENTION_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(UPDATE_RETENTION_SECONDS);
  });

  function open(
    options: { ttlSeconds: number; maxQuestions?: number; prefix?: string } = { ttlSeconds: 60 },
  ): StateBackend {
    return track(createRedisState(connectRedis(redis.url), options));
  }

  it("stores sessions as JSON under coopdesk:session:<key> with the TTL", async () => {
    const { sessions } = open({ ttlSeconds: 60 });
    await sessions.write("42", session());
    expect(JSON.parse((await redis.admin.get("coopdesk:session:42"))!)).toEqual(session());
    const pttl = await redis.admin.pttl("coopdesk:session:42");
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it("restarts the TTL on every write", async () => {
    const { sessions } = open({ ttlSeconds: 60 });
    await sessions.write("42", session());
    await redis.admin.pexpire("coopdesk:session:42", 100);
    await sessions.write("42", session());
    expect(await redis.admin.pttl("coopdesk:session:42")).toBeGreaterThan(50_000);
  });

  it("keeps unanswered questions in the trimmed list coopdesk:unanswered", async () => {
    const { questions } = open({ ttlSeconds: 60, maxQuestions: 2 });
    for (const n of [1, 2, 3]) await questions.add(question(n));
    expect(await redis.admin.llen("coopdesk:unanswered")).toBe(2);
  });

  it("keeps apps with different prefixes apart", async () => {
    const mine = open({ ttlSeconds: 60, prefix: "mine:" });
    const theirs = open({ ttlSeconds: 60, prefix: "theirs:" });
    await mine.sessions.write("42", session());
    expect(await theirs.sessions.read("42")).toBeUndefined();
    expect(await redis.admin.exists("mine:session:42")).toBe(1);
  });

  it.each(["{not json", "[1,2]", "null", "42", '"text"'])("reads the corrupt session %s as no session", async (raw) => {
    const { sessions } = open();
    await redis.admin.set("coopdesk:session:42", raw);
    await expect(sessions.read("42")).resolves.toBeUndefined();
  });

  it("skips corrupt entries in the question log", async () => {
    const { questions } = open();
    await questions.add(question(1));
    await redis.admin.lpush("coopdesk:unanswered", "{broken");
    await questions.add(question(2));
    expect(await questions.recent(10)).toEqual([question(2), question(1)]);
  });

  it("fails requests while Redis is down instead of holding them, then recovers when it is back", async () => {
    const own = await startRedisServer();
    const client = connectRedis(own.url);
    const state = track(createRedisState(client, { ttlSeconds: 60 }));
    try {
      await state.sessions.write("42", session());
      expect(client.listenerCount("error")).toBeGreaterThan(0);
      await own.stop();

      // Failed, not held until Redis is back: the client's commandTimeout (2 s) bounds each request,
      // wherever the reconnect backoff happens to be. The bound below only tells that from a hang.
      for (let round = 0; round < 2; round++) {
        const [read, add, ping] = await within(
          Promise.allSettled([state.sessions.read("42"), state.questions.add(question(1)), state.ping()]),
          10_000,
          `round ${round} of requests while Redis is down`,
        );
        expect(read.status).toBe("rejected");
        expect(add.status).toBe("rejected");
        expect(ping).toEqual({ status: "fulfilled", value: false });
      }

      const again = await startRedisServer({ port: own.port });
      try {
        await expect.poll(() => state.ping(), { timeout: 20_000, interval: 100 }).toBe(true);
        await state.sessions.write("42", session({ page: 3 }));
        expect(await state.sessions.read("42")).toEqual(session({ page: 3 }));
      } finally {
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  });

  it("closes even when Redis is unreachable, without waiting for it to come back", async () => {
    const own = await startRedisServer();
    const state = createRedisState(connectRedis(own.url), { ttlSeconds: 60 });
    expect(await state.ping()).toBe(true);
    await own.stop();
    // QUIT's grace (1 s) ends the close; the bound only tells that from a close waiting for Redis.
    await within(state.close(), 10_000, "close with Redis gone");
  });
});

describe("createState", () => {
  redis.use();

  it("keeps state in memory when no Redis URL is configured", async () => {
    const state = track(createState({ ttlSeconds: 60 }));
    expect(state.kind).toBe("memory");
    expect(track(createState({ redisUrl: "", ttlSeconds: 60 })).kind).toBe("memory");
  });

  it("uses Redis when a URL is configured, without logging the URL", async () => {
    const lines: unknown[] = [];
    const logger: StateLogger = {
      info: (obj, msg) => lines.push([obj, msg]),
      warn: (obj, msg) => lines.push([obj, msg]),
    };
    const state = track(createState({ redisUrl: redis.url, ttlSeconds: 60 }, logger));
    expect(state.kind).toBe("redis");
    expect(await state.ping()).toBe(true);
    expect(JSON.stringify(lines)).not.toContain("redis://");
  });

  it("accepts a pino logger", () => {
    const logger: StateLogger = pino({ enabled: false });
    expect(track(createState({ ttlSeconds: 60 }, logger)).kind).toBe("memory");
  });
});
