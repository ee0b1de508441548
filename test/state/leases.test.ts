// The lease contract, checked against both state backends: one chat's updates are handled one at a time
// across processes only if every backend keeps it. Each Redis case opens two backends on one server, as
// two replicas would. Waits are for events (a lease granted, a wait given up), never on a clock; where a
// lease must outlast its TTL, the time is moved (test/helpers/lease-time.ts), not waited for.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { keepRenewed, type LeaseTrouble } from "../../src/state/leases.js";
import { createMemoryState } from "../../src/state/memory.js";
import { connectRedis, createRedisState } from "../../src/state/redis.js";
import type { LeaseOptions, LeaseStore, StateBackend } from "../../src/state/types.js";
import { leaseTime } from "../helpers/lease-time.js";
import { openClient, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { until } from "../helpers/until.js";

let server: RedisServer | undefined;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.stop());

const opened: StateBackend[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((backend) => backend.close()));
});

let nextKey = 0;

/** Runs `work` under the lease on `key` as the bot runs an update: renewed while it runs, released after. */
async function holdLease<T>(
  leases: LeaseStore,
  key: string,
  options: LeaseOptions & { onTrouble?: (trouble: LeaseTrouble) => void },
  work: () => Promise<T>,
): Promise<{ held: true; result: T } | { held: false }> {
  const lease = await leases.acquire(key, options);
  if (!lease) return { held: false };
  const stop = keepRenewed(lease, options.ttlMs, options.onTrouble);
  try {
    return { held: true, result: await work() };
  } finally {
    stop();
    await lease.release();
  }
}

describe.each(["memory", "redis"] as const)("%s leases", (kind) => {
  /** Two views of one backend: two Redis clients on one server, or the one in-process store twice. */
  const pair = (): [LeaseStore, LeaseStore] => {
    if (kind === "memory") {
      const state = createMemoryState({ ttlSeconds: 60 });
      opened.push(state);
      return [state.leases, state.leases];
    }
    const [a, b] = [
      createRedisState(connectRedis(server!.url), { ttlSeconds: 60 }),
      createRedisState(connectRedis(server!.url), { ttlSeconds: 60 }),
    ];
    opened.push(a, b);
    return [a.leases, b.leases];
  };
  const key = () => `chat:${++nextKey}`;

  it("lets one holder at a time have a key, and the next one in as soon as it is released", async () => {
    const [first, second] = pair();
    const k = key();
    const held = await first.acquire(k, { ttlMs: 30_000, waitMs: 0 });
    expect(held).toBeDefined();
    expect(await second.acquire(k, { ttlMs: 30_000, waitMs: 0 })).toBeUndefined();
    // Another key is free.
    expect(await second.acquire(key(), { ttlMs: 30_000, waitMs: 0 })).toBeDefined();
    const waiting = second.acquire(k, { ttlMs: 30_000, waitMs: 20_000 });
    expect(await held!.release()).toBe(true);
    expect(await waiting).toBeDefined();
  });

  it("never has two holders at once among many contenders", async () => {
    const stores = pair();
    const k = key();
    let inside = 0;
    let most = 0;
    let runs = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        holdLease(stores[i % 2]!, k, { ttlMs: 30_000, waitMs: 20_000 }, async () => {
          most = Math.max(most, ++inside);
          // Yield to the event loop so the others really contend.
          await sleep(2);
          inside--;
          runs++;
        }),
      ),
    );
    expect(runs).toBe(20);
    expect(most).toBe(1);
  });

  it("is released only by its holder: a holder whose lease expired and was taken cannot release the new one", async () => {
    const [first, second] = pair();
    const k = key();
    const stale = await first.acquire(k, { ttlMs: 200, waitMs: 0 });
    expect(stale).toBeDefined();
    const current = await second.acquire(k, { ttlMs: 30_000, waitMs: 20_000 });
    expect(current).toBeDefined();
    expect(await stale!.release()).toBe(false);
    expect(await stale!.renew()).toBe(false);
    expect(await first.acquire(k, { ttlMs: 30_000, waitMs: 0 })).toBeUndefined();
    expect(await current!.release()).toBe(true);
    expect(await current!.release()).toBe(false);
  });

  it("expires when its holder crashes (never renews, never releases)", async () => {
    const [crashed, survivor] = pair();
    const k = key();
    expect(await crashed.acquire(k, { ttlMs: 300, waitMs: 0 })).toBeDefined();
    // The holder is gone; the next one gets the lease once the TTL has run out, within its wait.
    const taken = await survivor.acquire(k, { ttlMs: 30_000, waitMs: 20_000 });
    expect(taken).toBeDefined();
    // It is the survivor's now: the crashed holder's process, back, cannot take it.
    expect(await crashed.acquire(k, { ttlMs: 300, waitMs: 0 })).toBeUndefined();
    expect(await taken!.release()).toBe(true);
  });

  it("stays with a slow holder that renews it, and a waiter gives up after its bounded wait", async () => {
    const [slow, other] = pair();
    const k = key();
    // Time is moved, not waited for (see lease-time.ts): the lease lapses only if the renewals fail.
    const admin = kind === "redis" ? await openClient(server!.url) : undefined;
    onTestFinished(async () => void (await admin?.quit()));
    const time = leaseTime(kind, admin && { admin, keys: [`coopdesk:lease:${k}`] });
    const TTL = 30_000;
    const lease = (await slow.acquire(k, { ttlMs: TTL, waitMs: 0 }))!;
    const renewals: boolean[] = [];
    const stop = keepRenewed({ ...lease, renew: () => lease.renew().then((kept) => (renewals.push(kept), kept)) }, TTL);
    // Five TTLs go by while the holder works: without its renewals (each third of the TTL) the lease
    // would have lapsed after the first, and gone to the next contender.
    for (let step = 1; step <= 15; step++) {
      await time.pass(TTL / 3);
      await time.settled(() => renewals.length === step, `renewal ${step}`);
      expect(await other.acquire(k, { ttlMs: TTL, waitMs: 0 })).toBeUndefined();
    }
    expect(renewals.every(Boolean)).toBe(true);
    // A waiter gives up once its wait is over, the lease still held.
    const waiting = other.acquire(k, { ttlMs: TTL, waitMs: 300 });
    await time.pass(300);
    expect(await waiting).toBeUndefined();
    stop();
    expect(await lease.release()).toBe(true);
    // Released after the work: free at once.
    expect(await other.acquire(k, { ttlMs: TTL, waitMs: 0 })).toBeDefined();
  });

  it("refuses a TTL or a wait that is not an integer of milliseconds", async () => {
    const [store] = pair();
    await expect(store.acquire(key(), { ttlMs: 0, waitMs: 0 })).rejects.toThrow(RangeError);
    await expect(store.acquire(key(), { ttlMs: 1.5, waitMs: 0 })).rejects.toThrow(RangeError);
    await expect(store.acquire(key(), { ttlMs: 1000, waitMs: -1 })).rejects.toThrow(RangeError);
  });
});

describe("redis leases only", () => {
  it("keeps the lease under the state prefix and with the TTL it was given", async () => {
    const state = createRedisState(connectRedis(server!.url), { ttlSeconds: 60, prefix: "leasetest:" });
    opened.push(state);
    const lease = await state.leases.acquire("chat:7", { ttlMs: 30_000, waitMs: 0 });
    const admin = await openClient(server!.url);
    try {
      const ttl = await admin.pttl("leasetest:lease:chat:7");
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
      await lease!.release();
      expect(await admin.exists("leasetest:lease:chat:7")).toBe(0);
    } finally {
      await admin.quit();
    }
  });

  it("reports a lease that renewal finds taken by another (after an expiry), and the work still completes", async () => {
    const state = createRedisState(connectRedis(server!.url), { ttlSeconds: 60 });
    opened.push(state);
    const k = "chat:lost";
    const troubles: string[] = [];
    const outcome = await holdLease(
      state.leases,
      k,
      { ttlMs: 300, waitMs: 0, onTrouble: (t) => troubles.push(t.kind) },
      async () => {
        await takeOver(`coopdesk:lease:${k}`);
        await until(() => troubles.includes("lost"));
        return 1;
      },
    );
    expect(outcome).toEqual({ held: true, result: 1 });
    expect(troubles).toEqual(["lost"]);
  });

  it("rejects when Redis is not there, instead of waiting as if the lease were held", async () => {
    const own = await startRedisServer();
    const state = createRedisState(connectRedis(own.url), { ttlSeconds: 60 });
    opened.push(state);
    await own.stop();
    await expect(state.leases.acquire("chat:1", { ttlMs: 30_000, waitMs: 0 })).rejects.toThrow();
  });
});

/** What an expiry followed by another replica's SET NX leaves behind. */
async function takeOver(redisKey: string): Promise<void> {
  const admin = await openClient(server!.url);
  try {
    await admin.set(redisKey, "another-holder", "PX", 30_000);
  } finally {
    await admin.quit();
  }
}
