// Saved searches: one contract, checked against both backends; `other()` is a second process's view
// of the same store (for Redis, its own connection). Both read the same clock, which tests move.
import { beforeEach, describe, expect, it } from "vitest";
import { createRedisSavedSearches } from "../../src/state/saved-searches-redis.js";
import {
  createMemorySavedSearches,
  MAX_SAVED_SEARCHES,
  SAVED_SEARCH_ID,
  type SavedSearchInput,
  type SavedSearchStore,
} from "../../src/state/saved-searches.js";
import { redisForTests } from "../helpers/redis-server.js";

function input(chatId: number, query: string, extra: Partial<SavedSearchInput> = {}): SavedSearchInput {
  return { chatId, query, lang: "en", filters: {}, key: query.toLowerCase(), shown: [], version: 3, ...extra };
}

const DAY = 24 * 3600 * 1000;
/** The stores' lifetime of a search in these tests. */
const TTL = 10 * DAY;
const clock = { at: 0 };
const now = () => clock.at;
beforeEach(() => {
  clock.at = Date.now();
});

function contract(make: () => Promise<SavedSearchStore>, other: () => Promise<SavedSearchStore>) {
  it("saves a search with an id and its time, lists a chat's searches oldest first, and gets one by id", async () => {
    const store = await make();
    const before = Date.now();
    const a = await store.save(
      input(1, "incubators in Kazakhstan", {
        lang: "ru",
        filters: { countries: ["KZ", "CN", "KZ"] },
        shown: ["x", "y", "x"],
      }),
      20,
    );
    const b = await store.save(input(1, "hydrogen forum"), 20);
    await store.save(input(2, "lunar greenhouse"), 20);
    expect(a.status).toBe("saved");
    if (a.status !== "saved" || b.status !== "saved") throw new Error("not saved");
    expect(a.search.id).toMatch(SAVED_SEARCH_ID);
    expect(a.search).toMatchObject({
      chatId: 1,
      query: "incubators in Kazakhstan",
      lang: "ru",
      filters: { countries: ["CN", "KZ"] },
      shown: ["x", "y"],
      version: 3,
    });
    expect(Date.parse(a.search.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const view = await other();
    expect((await view.list(1)).map((s) => s.query)).toEqual(["incubators in Kazakhstan", "hydrogen forum"]);
    expect((await view.list(2)).map((s) => s.query)).toEqual(["lunar greenhouse"]);
    expect(await view.list(3)).toEqual([]);
    expect(await view.get(a.search.id)).toEqual(a.search);
    expect(await view.get("nosuchid")).toBeUndefined();
    expect((await view.all()).map((s) => s.query).sort()).toEqual([
      "hydrogen forum",
      "incubators in Kazakhstan",
      "lunar greenhouse",
    ]);
  });

  it("does not save the same search of a chat twice, but another chat may save it", async () => {
    const store = await make();
    const first = await store.save(input(1, "Hydrogen forum"), 20);
    const again = await (await other()).save(input(1, "hydrogen FORUM", { key: "hydrogen forum" }), 20);
    expect(again.status).toBe("duplicate");
    if (first.status !== "saved" || again.status !== "duplicate") throw new Error("unexpected");
    expect(again.search.id).toBe(first.search.id);
    expect((await store.save(input(2, "hydrogen forum"), 20)).status).toBe("saved");
    expect(await store.list(1)).toHaveLength(1);
  });

  it("refuses a search over the chat's limit, and saves again once one is removed", async () => {
    const store = await make();
    const saved = [];
    for (let i = 0; i < 3; i++) saved.push(await store.save(input(5, `question ${i}`), 3));
    const over = await store.save(input(5, "question 3"), 3);
    expect(over).toEqual({ status: "limit", limit: 3 });
    // A duplicate is still recognised at the limit.
    expect((await store.save(input(5, "question 0"), 3)).status).toBe("duplicate");
    const first = saved[0]!;
    if (first.status !== "saved") throw new Error("not saved");
    expect((await store.remove(5, first.search.id))?.query).toBe("question 0");
    expect((await store.save(input(5, "question 3"), 3)).status).toBe("saved");
    expect(MAX_SAVED_SEARCHES).toBe(20);
  });

  it("removes only a chat's own search, once; the same question can then be saved again", async () => {
    const store = await make();
    const saved = await store.save(input(1, "hydrogen forum"), 20);
    if (saved.status !== "saved") throw new Error("not saved");
    const id = saved.search.id;
    expect(await store.remove(2, id)).toBeUndefined();
    expect(await store.get(id)).toEqual(saved.search);
    expect((await (await other()).remove(1, id))?.id).toBe(id);
    expect(await store.remove(1, id)).toBeUndefined();
    expect(await store.get(id)).toBeUndefined();
    expect(await store.list(1)).toEqual([]);
    expect(await store.all()).toEqual([]);
    expect((await store.save(input(1, "hydrogen forum"), 20)).status).toBe("saved");
  });

  it("claims a (search, record) notification once across processes; a removed search claims nothing", async () => {
    const store = await make();
    const view = await other();
    const saved = await store.save(input(1, "hydrogen forum"), 20);
    if (saved.status !== "saved") throw new Error("not saved");
    const id = saved.search.id;
    const claims = await Promise.all([
      store.claim(id, "rec-a"),
      view.claim(id, "rec-a"),
      store.claim(id, "rec-a"),
      view.claim(id, "rec-a"),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await view.claim(id, "rec-b")).toBe(true);
    expect(await store.claim("nosuchid", "rec-a")).toBe(false);
    await store.remove(1, id);
    expect(await view.claim(id, "rec-c")).toBe(false);
  });

  it("removes every search of a chat that blocked the bot, leaving the others", async () => {
    const store = await make();
    await store.save(input(7, "a"), 20);
    await store.save(input(7, "b"), 20);
    const kept = await store.save(input(8, "a"), 20);
    expect(await (await other()).removeChat(7)).toBe(2);
    expect(await store.list(7)).toEqual([]);
    expect((await store.all()).map((s) => s.chatId)).toEqual([8]);
    expect(await store.removeChat(7)).toBe(0);
    if (kept.status !== "saved") throw new Error("not saved");
    expect(await store.claim(kept.search.id, "r")).toBe(true);
  });

  it("refuses a search without a question, with an unsupported language or a chat id that is not an integer", async () => {
    const store = await make();
    await expect(store.save(input(1, "   "), 20)).rejects.toThrow(RangeError);
    await expect(store.save(input(1, "q", { lang: "de" as never }), 20)).rejects.toThrow(RangeError);
    await expect(store.save(input(1.5, "q"), 20)).rejects.toThrow(RangeError);
    expect(await store.all()).toEqual([]);
  });

  it("a search expires its lifetime after it is saved: gone from every read, claims nothing, and may be saved again", async () => {
    const store = await make();
    const saved = await store.save(input(1, "hydrogen forum"), 2);
    await store.save(input(1, "lunar greenhouse"), 2);
    if (saved.status !== "saved") throw new Error("not saved");
    expect(saved.search.expiresAt).toBe(new Date(Date.parse(saved.search.createdAt) + TTL).toISOString());
    clock.at += TTL - 1000;
    expect((await (await other()).list(1)).map((s) => s.query)).toEqual(["hydrogen forum", "lunar greenhouse"]);
    clock.at += 2000;
    const view = await other();
    expect(await view.get(saved.search.id)).toBeUndefined();
    expect(await view.list(1)).toEqual([]);
    expect(await view.all()).toEqual([]);
    expect(await store.claim(saved.search.id, "rec-a")).toBe(false);
    // Expired searches count against neither the limit nor duplicates.
    const again = await store.save(input(1, "hydrogen forum"), 2);
    expect(again.status).toBe("saved");
    expect((await store.save(input(1, "third"), 2)).status).toBe("saved");
    expect((await view.list(1)).map((s) => s.query)).toEqual(["hydrogen forum", "third"]);
  });

  it("a notification starts the lifetime again, on every process", async () => {
    const store = await make();
    const saved = await store.save(input(1, "hydrogen forum"), 20);
    if (saved.status !== "saved") throw new Error("not saved");
    clock.at += TTL - DAY;
    const notifiedAt = clock.at;
    expect(await (await other()).claim(saved.search.id, "rec-a")).toBe(true);
    // A claim refused (already notified) moves nothing.
    clock.at += DAY / 2;
    expect(await store.claim(saved.search.id, "rec-a")).toBe(false);
    clock.at += DAY;
    const [search] = await store.list(1);
    expect(search?.expiresAt).toBe(new Date(notifiedAt + TTL).toISOString());
    expect((await (await other()).get(saved.search.id))?.expiresAt).toBe(search?.expiresAt);
    clock.at = notifiedAt + TTL + 1;
    expect(await store.list(1)).toEqual([]);
  });

  it("removeExpired removes every expired search of every chat at once, and only those", async () => {
    const store = await make();
    await store.save(input(1, "old one"), 20);
    await store.save(input(2, "old two"), 20);
    clock.at += 5 * DAY;
    const kept = await store.save(input(1, "new one"), 20);
    clock.at += 6 * DAY;
    expect(await (await other()).removeExpired()).toBe(2);
    expect(await store.removeExpired()).toBe(0);
    if (kept.status !== "saved") throw new Error("not saved");
    expect((await store.all()).map((s) => s.id)).toEqual([kept.search.id]);
    expect(await store.list(2)).toEqual([]);
    clock.at += 5 * DAY;
    expect(await store.removeExpired()).toBe(1);
    expect(await store.all()).toEqual([]);
  });

  it("hands out copies: changing what was returned does not change what is stored", async () => {
    const store = await make();
    const saved = await store.save(input(1, "q", { shown: ["a"] }), 20);
    if (saved.status !== "saved") throw new Error("not saved");
    saved.search.shown.push("b");
    (await store.list(1))[0]!.shown.push("c");
    expect((await store.get(saved.search.id))!.shown).toEqual(["a"]);
  });
}

describe("memory saved-search store", () => {
  let store: SavedSearchStore;
  contract(
    async () => (store = createMemorySavedSearches({ now, ttlMs: TTL })),
    async () => store,
  );
});

describe("redis saved-search store", () => {
  const redis = redisForTests();
  contract(
    async () => createRedisSavedSearches(await redis.client(), { prefix: "t:", now, ttlMs: TTL }),
    async () => createRedisSavedSearches(await redis.client(), { prefix: "t:", now, ttlMs: TTL }),
  );

  it("an expired search leaves nothing behind: its JSON, its place in its chat and in the expiry set, its notified records", async () => {
    const client = await redis.client();
    const store = createRedisSavedSearches(client, { prefix: "t:", now, ttlMs: TTL });
    const saved = await store.save(input(1, "q"), 20);
    if (saved.status !== "saved") throw new Error("not saved");
    expect(await store.claim(saved.search.id, "rec-a")).toBe(true);
    clock.at += TTL + 1;
    expect(await store.removeExpired()).toBe(1);
    expect(await client.keys("t:saved:*")).toEqual([]);
  });

  it("a search stored before searches expired lasts its lifetime from its creation", async () => {
    const client = await redis.client();
    const store = createRedisSavedSearches(client, { prefix: "t:", now, ttlMs: TTL });
    const saved = await store.save(input(1, "q"), 20);
    if (saved.status !== "saved") throw new Error("not saved");
    const { expiresAt: _, ...legacy } = saved.search;
    await client.hset("t:saved:searches", saved.search.id, JSON.stringify(legacy));
    await client.zrem("t:saved:expiry", saved.search.id);
    expect((await store.get(saved.search.id))?.expiresAt).toBe(saved.search.expiresAt);
    clock.at += TTL + 1;
    expect(await store.list(1)).toEqual([]);
    expect(await client.keys("t:saved:*")).toEqual([]);
  });

  it("skips a corrupt stored search instead of failing the list", async () => {
    const client = await redis.client();
    const store = createRedisSavedSearches(client, { prefix: "t:" });
    const saved = await store.save(input(1, "q"), 20);
    if (saved.status !== "saved") throw new Error("not saved");
    await client.hset("t:saved:searches", "AAAAAAAA", "not json");
    await client.hset("t:saved:chat:1", "other-key", "AAAAAAAA");
    expect((await store.list(1)).map((s) => s.id)).toEqual([saved.search.id]);
    expect((await store.all()).map((s) => s.id)).toEqual([saved.search.id]);
  });
});

describe("saved searches saved in the same millisecond", () => {
  it("list in the order they were saved", async () => {
    const store = createMemorySavedSearches({ now: () => 1_000 });
    for (const query of ["b second", "a first", "c third"]) await store.save(input(7, query), 20);
    expect((await store.list(7)).map((s) => s.query)).toEqual(["b second", "a first", "c third"]);
  });
});
