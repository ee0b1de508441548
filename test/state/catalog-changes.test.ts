import { describe, expect, it } from "vitest";
import { announcementRecord } from "../../src/announcements/record.js";
import type { CatalogRecord } from "../../src/catalog/schema.js";
import { createRedisCatalogChanges } from "../../src/state/catalog-changes-redis.js";
import { createMemoryCatalogChanges, type CatalogChangeStore } from "../../src/state/catalog-changes.js";
import { redisForTests } from "../helpers/redis-server.js";
import { eventually, until } from "../helpers/until.js";

const record = (id: string): CatalogRecord =>
  announcementRecord({
    broadcastId: id,
    text: `Call ${id}\nApply now.`,
    sentAt: new Date("2026-11-20T10:00:00Z"),
    expires: "2026-12-20",
  });

/**
 * The same contract for both backends: `make(maxKept)` gives a store; `other()` a second process's view
 * of it; `listening()` resolves once a watcher just started is listening (a subscription takes a moment).
 */
function contract(
  make: (maxKept?: number) => Promise<CatalogChangeStore>,
  other: (store: CatalogChangeStore) => Promise<CatalogChangeStore>,
  listening: () => Promise<void> = async () => undefined,
) {
  it("numbers changes 1, 2, 3 and gives those after a version, in order", async () => {
    const store = await make();
    expect(await store.append({ op: "put", record: record("b1") })).toBe(1);
    expect(await store.append({ op: "remove", id: "announcement-b1" })).toBe(2);
    expect(await store.append({ op: "reload", hash: "abc" })).toBe(3);
    expect((await store.since(0))?.map((c) => [c.version, c.op])).toEqual([
      [1, "put"],
      [2, "remove"],
      [3, "reload"],
    ]);
    expect((await store.since(2))?.map((c) => c.version)).toEqual([3]);
    expect(await store.since(3)).toEqual([]);
  });

  it("keeps the latest change of each record and the last reload for a process starting now", async () => {
    const store = await make();
    await store.append({ op: "put", record: record("b1") });
    await store.append({ op: "put", record: record("b2"), from: "2030-01-01T00:00:00.000Z" });
    await store.append({ op: "reload", hash: "h1" });
    await store.append({ op: "remove", id: "announcement-b1" });
    await store.append({ op: "reload", hash: "h2" });
    const snapshot = await store.snapshot();
    expect(snapshot.version).toBe(5);
    expect(snapshot.records.map((c) => [c.version, c.op])).toEqual([
      [2, "put"],
      [4, "remove"],
    ]);
    expect(snapshot.records[0]).toMatchObject({ from: "2030-01-01T00:00:00.000Z", record: { id: "announcement-b2" } });
    expect(snapshot.reload).toEqual({ version: 5, op: "reload", hash: "h2" });
  });

  it("says so when the changes after a version are no longer all kept", async () => {
    const store = await make(2);
    for (const id of ["b1", "b2", "b3", "b4"]) await store.append({ op: "put", record: record(id) });
    expect(await store.since(0)).toBeUndefined();
    expect(await store.since(1)).toBeUndefined();
    expect((await store.since(2))?.map((c) => c.version)).toEqual([3, 4]);
  });

  it("refuses a record the catalog schema refuses, and stores nothing", async () => {
    const store = await make();
    await expect(store.append({ op: "put", record: { ...record("b1"), id: "Not Kebab" } })).rejects.toThrow(
      "not a valid catalog change",
    );
    expect((await store.snapshot()).version).toBe(0);
  });

  it("wakes every process's watcher when any process appends", async () => {
    const store = await make();
    const second = await other(store);
    let woken = 0;
    const stop = second.watch(() => woken++);
    // A change appended before the subscription is in place would reach the watcher only through the live
    // catalog's periodic check, which this store does not have.
    await listening();
    const before = woken;
    await store.append({ op: "put", record: record("b1") });
    await until(() => woken > before);
    await stop();
  });
}

describe("catalog changes in memory", () => {
  contract(
    async (maxKept) => createMemoryCatalogChanges(maxKept),
    async (store) => store,
  );
});

describe("catalog changes in Redis", () => {
  const redis = redisForTests();
  const client = () => redis.client();

  contract(
    async (maxKept) => createRedisCatalogChanges(await client(), { prefix: "t:", maxKept }),
    async () => createRedisCatalogChanges(await client(), { prefix: "t:" }),
    async () => {
      const admin = await client();
      await eventually(
        async () => ((await admin.pubsub("NUMSUB", "t:catalog:changed")) as [string, number])[1] > 0,
        "the watcher's subscription",
      );
    },
  );

  it("skips a stored change that is not one, with a warning, and brings older announcements in once", async () => {
    const redis = await client();
    const warnings: object[] = [];
    await redis.hset("t:announcements", "announcement-old", JSON.stringify(record("old")));
    await redis.lpush("t:announcements:ids", "announcement-old");
    await redis.hset("t:catalog:latest", "broken", "{not json");
    const store = createRedisCatalogChanges(redis, {
      prefix: "t:",
      logger: { info: () => undefined, warn: (obj) => warnings.push(obj) },
    });
    const snapshot = await store.snapshot();
    expect(snapshot.records.map((c) => c.op === "put" && c.record.id)).toEqual(["announcement-old"]);
    expect(warnings).toEqual([{ key: "t:catalog:latest broken" }]);
    expect(await redis.exists("t:announcements", "t:announcements:ids")).toBe(0);
    expect((await store.snapshot()).version).toBe(1);
  });
});
