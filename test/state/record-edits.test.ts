import { beforeAll, describe, expect, it } from "vitest";
import type { CatalogRecord } from "../../src/catalog/schema.js";
import { createRedisRecordEdits } from "../../src/state/record-edits-redis.js";
import { createMemoryRecordEdits, type RecordEditStore } from "../../src/state/record-edits.js";
import { bundledCatalog } from "../helpers/saved-index.js";
import { redisForTests } from "../helpers/redis-server.js";

let record: CatalogRecord;
beforeAll(async () => {
  record = (await bundledCatalog()).records[0]!;
});

/** The same contract for both backends; `other()` is a second process's view of the same store. */
function contract(make: () => Promise<RecordEditStore>, other: () => Promise<RecordEditStore>) {
  it("numbers submitted edits and lists the pending ones, oldest first", async () => {
    const store = await make();
    const changed = { ...record, title: { ...record.title, en: "Changed" } };
    const a = await store.submit({ record: changed, before: record, author: 1, authorChat: 1, authorLang: "fr" });
    const b = await store.submit({ record, author: 2, authorChat: 2, authorLang: "en" });
    expect([a.id, b.id]).toEqual(["1", "2"]);
    expect(a).toMatchObject({
      status: "pending",
      author: 1,
      authorLang: "fr",
      record: { title: { en: "Changed" } },
      before: { id: record.id },
    });
    expect((await (await other()).pending(10)).map((e) => e.id)).toEqual(["1", "2"]);
    expect((await store.pending(1)).map((e) => e.id)).toEqual(["1"]);
  });

  it("takes the first decision only, and a decided edit leaves the pending list", async () => {
    const store = await make();
    const edit = await store.submit({ record, author: 1, authorChat: 1, authorLang: "en" });
    const rejected = await store.decide(edit.id, { status: "rejected", reviewer: 9, comment: "source?" });
    expect(rejected).toMatchObject({ status: "rejected", reviewer: 9, comment: "source?" });
    expect(await (await other()).decide(edit.id, { status: "approved", reviewer: 8 })).toBeUndefined();
    expect(await store.get(edit.id)).toMatchObject({ status: "rejected", reviewer: 9 });
    expect(await store.pending(10)).toEqual([]);
    expect(await store.decide("999", { status: "approved", reviewer: 8 })).toBeUndefined();
    expect(await store.get("not-an-id")).toBeUndefined();
  });

  it("copies values in and out", async () => {
    const store = await make();
    const mine = structuredClone(record);
    const edit = await store.submit({ record: mine, author: 1, authorChat: 1, authorLang: "en" });
    mine.title.en = "mutated";
    edit.record.title.en = "mutated too";
    expect((await store.get(edit.id))?.record.title.en).toBe(record.title.en);
  });
}

describe("record edits in memory", () => {
  let store: RecordEditStore;
  contract(
    async () => (store = createMemoryRecordEdits()),
    async () => store,
  );
});

describe("record edits in Redis", () => {
  const redis = redisForTests();
  const client = () => redis.client();
  contract(
    async () => createRedisRecordEdits(await client(), { prefix: "t:" }),
    async () => createRedisRecordEdits(await client(), { prefix: "t:" }),
  );
});
