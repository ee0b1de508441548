// Decisions about groups of unanswered questions: one contract, checked against both backends.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryState } from "../../src/state/memory.js";
import { connectRedis, createRedisState } from "../../src/state/redis.js";
import { createMemoryTriage, createRedisTriage } from "../../src/state/triage.js";
import type { StateBackend } from "../../src/state/types.js";
import { redisOnDemand } from "../helpers/redis-server.js";

const redis = redisOnDemand();

const opened: StateBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((backend) => backend.close()));
});

function open(kind: StateBackend["kind"]): StateBackend {
  const backend =
    kind === "redis"
      ? createRedisState(connectRedis(redis.url), { ttlSeconds: 60 })
      : createMemoryState({ ttlSeconds: 60 });
  opened.push(backend);
  return backend;
}

describe.each(["memory", "redis"] as const)("%s triage store", (kind) => {
  if (kind === "redis") redis.use();
  let state: StateBackend;
  beforeEach(() => {
    state = open(kind);
  });

  it("stores decisions with their time, newest first, terms sorted and deduplicated", async () => {
    expect(await state.triage.list()).toEqual([]);
    const before = Date.now();
    const first = await state.triage.mark({ terms: ["kazakhstan", "incub", "incub"], status: "dismissed", actor: 7 });
    await state.triage.mark({ terms: ["pizza"], status: "spam", actor: 8 });
    await state.triage.mark({ terms: ["astana"], status: "answered", actor: 7, recordId: "astana-hub" });
    expect(first.terms).toEqual(["incub", "kazakhstan"]);
    expect(Date.parse(first.at)).toBeGreaterThanOrEqual(before - 1000);
    const list = await state.triage.list();
    expect(list.map(({ at: _at, ...rest }) => rest)).toEqual([
      { terms: ["astana"], status: "answered", actor: 7, recordId: "astana-hub" },
      { terms: ["pizza"], status: "spam", actor: 8 },
      { terms: ["incub", "kazakhstan"], status: "dismissed", actor: 7 },
    ]);
  });

  it("does not let callers change stored decisions by reference", async () => {
    const entry = await state.triage.mark({ terms: ["a"], status: "spam", actor: 1 });
    entry.terms.push("b");
    (await state.triage.list())[0]!.terms.push("c");
    expect((await state.triage.list())[0]!.terms).toEqual(["a"]);
  });
});

describe("triage bounds and corrupt entries", () => {
  it("keeps only the newest decisions (memory)", async () => {
    const store = createMemoryTriage({ max: 2 });
    for (const t of ["a", "b", "c"]) await store.mark({ terms: [t], status: "dismissed", actor: 1 });
    expect((await store.list()).map((e) => e.terms[0])).toEqual(["c", "b"]);
  });
});

describe("triage bounds and corrupt entries (redis)", () => {
  redis.use();

  it("keeps only the newest decisions and skips corrupt entries (redis, shared by two connections)", async () => {
    const a = connectRedis(redis.url);
    const b = connectRedis(redis.url);
    try {
      const one = createRedisTriage(a, { prefix: "t:", max: 2 });
      const other = createRedisTriage(b, { prefix: "t:", max: 2 });
      for (const t of ["a", "b", "c"]) await one.mark({ terms: [t], status: "dismissed", actor: 1 });
      expect((await other.list()).map((e) => e.terms[0])).toEqual(["c", "b"]);
      await redis.admin.lpush(
        "t:unanswered:triage",
        "not json",
        JSON.stringify({ terms: ["x"], status: "maybe", at: "2025-01-01T00:00:00Z", actor: 1 }),
      );
      expect((await other.list()).map((e) => e.terms[0])).toEqual(["c", "b"]);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});
