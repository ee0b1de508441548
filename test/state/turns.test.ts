// The turn contract, checked against both state backends: an update's lease, handled mark and session
// taken in one step and given back in one step must keep what the lease, update and session stores
// promise on their own. Each Redis case opens two backends on one server, as two replicas would.
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { keepRenewed } from "../../src/state/leases.js";
import { createMemoryState } from "../../src/state/memory.js";
import { connectRedis, createRedisState } from "../../src/state/redis.js";
import { UPDATE_RETENTION_SECONDS, type SessionData, type StateBackend } from "../../src/state/types.js";
import { leaseTime } from "../helpers/lease-time.js";
import { redisOnDemand, startRedisServer } from "../helpers/redis-server.js";
import { captureLogs } from "../helpers/logs.js";

const redis = redisOnDemand();

const opened: StateBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((backend) => backend.close()));
});

const WAIT_NONE = { ttlMs: 30_000, waitMs: 0 };
let nextUpdate = 800_000_000;

describe.each(["memory", "redis"] as const)("%s turns", (kind) => {
  if (kind === "redis") redis.use();

  /** Two views of one backend: two Redis clients on one server, or the one in-process backend twice. */
  const pair = (): [StateBackend, StateBackend] => {
    if (kind === "memory") {
      const state = createMemoryState({ ttlSeconds: 60 });
      opened.push(state);
      return [state, state];
    }
    const [a, b] = [
      createRedisState(connectRedis(redis.url), { ttlSeconds: 60 }),
      createRedisState(connectRedis(redis.url), { ttlSeconds: 60 }),
    ];
    opened.push(a, b);
    return [a, b];
  };

  it("reads the session and the handled mark under the lease, and writes, marks and releases in the end", async () => {
    const [a, b] = pair();
    const update = nextUpdate++;
    await b.sessions.write("user:1", { lang: "fr", lastQuery: "incubateurs" });
    const turn = await a.turns.begin({ lease: "chat:1", options: WAIT_NONE, update, session: "user:1" });
    expect(turn).toBeDefined();
    expect(turn!.handled).toBe(false);
    expect(turn!.session).toEqual({ lang: "fr", lastQuery: "incubateurs" });
    // The turn's lease is the lease store's: another process can take neither.
    expect(await b.leases.acquire("chat:1", WAIT_NONE)).toBeUndefined();
    expect(await b.turns.begin({ lease: "chat:1", options: WAIT_NONE })).toBeUndefined();

    expect(await turn!.end({ session: { lang: "ru", answered: true }, handled: true })).toBe(true);
    expect(await b.sessions.read("user:1")).toEqual({ lang: "ru", answered: true });
    expect(await b.updates.handled(update)).toBe(true);
    expect(await b.updates.claim(update)).toBe(false);
    const next = await b.leases.acquire("chat:1", WAIT_NONE);
    expect(next).toBeDefined();
    await next!.release();
  });

  it("gives a copy of the session: changing it changes nothing stored", async () => {
    const [a, b] = pair();
    await a.sessions.write("user:2", { resultIds: ["x"] });
    const turn = await b.turns.begin({ lease: "chat:2", options: WAIT_NONE, session: "user:2" });
    turn!.session!.resultIds!.push("y");
    expect(await a.sessions.read("user:2")).toEqual({ resultIds: ["x"] });
    await turn!.end({ handled: false });
  });

  it("finds an update handled, and then reads no session", async () => {
    const [a, b] = pair();
    const update = nextUpdate++;
    await a.sessions.write("user:3", { lang: "zh" });
    await a.updates.claim(update);
    const turn = await b.turns.begin({ lease: "chat:3", options: WAIT_NONE, update, session: "user:3" });
    expect(turn).toMatchObject({ handled: true, session: undefined });
    // Leaving the session as it is: the turn only gives its lease up.
    expect(await turn!.end({ handled: false })).toBe(true);
    expect(await a.sessions.read("user:3")).toEqual({ lang: "zh" });
    expect(await a.leases.acquire("chat:3", WAIT_NONE)).toBeDefined();
  });

  it("asks for nothing it was not asked: no mark read or written, no session", async () => {
    const [a] = pair();
    const update = nextUpdate++;
    await a.updates.claim(update);
    await a.sessions.write("user:4", { lang: "en" });
    const turn = await a.turns.begin({ lease: "chat:4", options: WAIT_NONE });
    expect(turn).toMatchObject({ handled: false, session: undefined });
    await expect(turn!.end({ session: {}, handled: true })).rejects.toThrow(TypeError);
    await a.turns
      .begin({ lease: "chat:4b", options: WAIT_NONE, session: "user:4b" })
      .then((t) => t!.end({ handled: true }));
    expect(await a.sessions.read("user:4b")).toBeUndefined();
  });

  it("deletes the session when ended with null, and leaves a missing one missing", async () => {
    const [a] = pair();
    await a.sessions.write("user:5", { lang: "en" });
    const turn = await a.turns.begin({ lease: "chat:5", options: WAIT_NONE, session: "user:5" });
    await turn!.end({ session: null, handled: false });
    expect(await a.sessions.read("user:5")).toBeUndefined();
    const fresh = await a.turns.begin({ lease: "chat:5", options: WAIT_NONE, session: "user:5" });
    expect(fresh!.session).toBeUndefined();
    await fresh!.end({ handled: false });
    expect(await a.sessions.read("user:5")).toBeUndefined();
  });

  it("waits for the lease's holder within the wait, and gives up after it", async () => {
    const [a, b] = pair();
    const held = await a.leases.acquire("chat:6", WAIT_NONE);
    expect(await b.turns.begin({ lease: "chat:6", options: { ttlMs: 30_000, waitMs: 50 } })).toBeUndefined();
    const waiting = b.turns.begin({ lease: "chat:6", options: { ttlMs: 30_000, waitMs: 20_000 } });
    await held!.release();
    const turn = await waiting;
    expect(turn).toBeDefined();
    await turn!.end({ handled: false });
  });

  it("never has two turns of one conversation at once, and loses no session write among many contenders", async () => {
    const backends = pair();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const turn = await backends[i % 2]!.turns.begin({
          lease: "chat:7",
          options: { ttlMs: 30_000, waitMs: 20_000 },
          update: nextUpdate++,
          session: "user:7",
        });
        most = Math.max(most, ++inside);
        // Yield to the event loop so the others really contend.
        await sleep(2);
        inside--;
        const count = (turn!.session?.page ?? 0) + 1;
        await turn!.end({ session: { page: count }, handled: true });
      }),
    );
    expect(most).toBe(1);
    expect((await backends[0].sessions.read("user:7"))?.page).toBe(20);
  });

  it("writes the session and the mark of a turn whose lease lapsed and was taken, and leaves the new holder's lease", async () => {
    const [a, b] = pair();
    const update = nextUpdate++;
    const stale = await a.turns.begin({
      lease: "chat:8",
      options: { ttlMs: 200, waitMs: 0 },
      update,
      session: "user:8",
    });
    const current = await b.leases.acquire("chat:8", { ttlMs: 30_000, waitMs: 20_000 });
    expect(current).toBeDefined();
    expect(await stale!.lease.renew()).toBe(false);
    expect(await stale!.end({ session: { lang: "fr" }, handled: true })).toBe(false);
    expect(await b.sessions.read("user:8")).toEqual({ lang: "fr" });
    expect(await b.updates.handled(update)).toBe(true);
    expect(await a.leases.acquire("chat:8", WAIT_NONE)).toBeUndefined();
    expect(await current!.release()).toBe(true);
  });

  it("keeps a slow turn's lease while it is renewed", async () => {
    const [a, b] = pair();
    // Time is moved, not waited for (see lease-time.ts): the lease lapses only if the renewals fail.
    const time = leaseTime(
      kind,
      kind === "redis" ? { admin: redis.admin, keys: ["coopdesk:lease:chat:9"] } : undefined,
    );
    const TTL = 30_000;
    const turn = (await a.turns.begin({ lease: "chat:9", options: { ttlMs: TTL, waitMs: 0 } }))!;
    const renewals: boolean[] = [];
    const { lease } = turn;
    const stop = keepRenewed({ ...lease, renew: () => lease.renew().then((kept) => (renewals.push(kept), kept)) }, TTL);
    // Five TTLs go by: without the renewals the lease would have lapsed and gone to the other process.
    for (let step = 1; step <= 15; step++) {
      await time.pass(TTL / 3);
      await time.settled(() => renewals.length === step, `renewal ${step}`);
      expect(await b.turns.begin({ lease: "chat:9", options: { ttlMs: TTL, waitMs: 0 } })).toBeUndefined();
    }
    expect(renewals.every(Boolean)).toBe(true);
    stop();
    expect(await turn.end({ handled: false })).toBe(true);
  });

  it("rejects a session it cannot store, yet marks the update and gives the lease up", async () => {
    const [a] = pair();
    const update = nextUpdate++;
    const turn = await a.turns.begin({ lease: "chat:10", options: WAIT_NONE, update, session: "user:10" });
    // Neither JSON (the BigInt) nor a structured clone (the function) can hold it.
    const unstorable = { page: 1n, f: () => 1 } as unknown as SessionData;
    await expect(turn!.end({ session: unstorable, handled: true })).rejects.toThrow();
    expect(await a.updates.handled(update)).toBe(true);
    expect(await a.sessions.read("user:10")).toBeUndefined();
    expect(await a.leases.acquire("chat:10", WAIT_NONE)).toBeDefined();
  });

  it("refuses a TTL or a wait that is not an integer of milliseconds", async () => {
    const [a] = pair();
    await expect(a.turns.begin({ lease: "chat:11", options: { ttlMs: 1.5, waitMs: 0 } })).rejects.toThrow(RangeError);
    await expect(a.turns.begin({ lease: "chat:11", options: { ttlMs: 1000, waitMs: -1 } })).rejects.toThrow(RangeError);
  });
});

describe("redis turns only", () => {
  redis.use();
  const open = () => {
    const state = createRedisState(connectRedis(redis.url), { ttlSeconds: 60 });
    opened.push(state);
    return state;
  };

  it("uses the stores' keys and TTLs: the lease's, the session's, the mark's 24 hours", async () => {
    const state = open();
    const turn = await state.turns.begin({ lease: "chat:21", options: WAIT_NONE, update: 21, session: "user:21" });
    const pttl = await redis.admin.pttl("coopdesk:lease:chat:21");
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(30_000);
    await turn!.end({ session: { lang: "en" }, handled: true });
    expect(JSON.parse((await redis.admin.get("coopdesk:session:user:21"))!)).toEqual({ lang: "en" });
    expect(await redis.admin.pttl("coopdesk:session:user:21")).toBeGreaterThan(50_000);
    expect(await redis.admin.get("coopdesk:update:21")).toBe("1");
    expect(await redis.admin.ttl("coopdesk:update:21")).toBeGreaterThan(UPDATE_RETENTION_SECONDS - 60);
    expect(await redis.admin.exists("coopdesk:lease:chat:21")).toBe(0);
  });

  it("reads a corrupt session as none, with a warning", async () => {
    const logs = captureLogs();
    const state = createRedisState(connectRedis(redis.url), { ttlSeconds: 60, logger: logs.logger });
    opened.push(state);
    await redis.admin.set("coopdesk:session:user:22", "{not json");
    const turn = await state.turns.begin({ lease: "chat:22", options: WAIT_NONE, session: "user:22" });
    expect(turn!.session).toBeUndefined();
    expect(logs.lines().some((l) => l.level === 40 && l.key === "user:22")).toBe(true);
    await turn!.end({ handled: false });
  });

  it("rejects a session key holding another type, and keeps no lease", async () => {
    const state = open();
    await redis.admin.lpush("coopdesk:session:user:23", "x");
    await expect(state.turns.begin({ lease: "chat:23", options: WAIT_NONE, session: "user:23" })).rejects.toThrow(
      /WRONGTYPE/,
    );
    expect(await redis.admin.exists("coopdesk:lease:chat:23")).toBe(0);
  });

  it("runs its scripts again after the server forgot them (SCRIPT FLUSH)", async () => {
    const state = open();
    await state.turns.begin({ lease: "chat:24", options: WAIT_NONE }).then((t) => t!.end({ handled: false }));
    await redis.admin.script("FLUSH");
    const turn = await state.turns.begin({ lease: "chat:24", options: WAIT_NONE, session: "user:24" });
    expect(await turn!.end({ session: { page: 2 }, handled: false })).toBe(true);
    expect(await state.sessions.read("user:24")).toEqual({ page: 2 });
  });

  it("rejects when Redis is not there, instead of waiting as if the lease were held", async () => {
    const own = await startRedisServer();
    const state = createRedisState(connectRedis(own.url), { ttlSeconds: 60 });
    opened.push(state);
    await own.stop();
    await expect(state.turns.begin({ lease: "chat:1", options: WAIT_NONE })).rejects.toThrow();
  });
});
