import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { announcementRecord } from "../../src/announcements/record.js";
import { createMemoryAnnouncements, createRedisAnnouncements, type AnnouncementStore } from "../../src/announcements/store.js";
import { LiveCatalog, mergeRecords } from "../../src/catalog/live.js";
import { catalogReloader } from "../../src/catalog/reload.js";
import { DEFAULT_DATA_DIR } from "../../src/catalog/load.js";
import type { SearchEngine } from "../../src/search/engine.js";
import { bundledEngine } from "../helpers/bot-deps.js";
import { flushAll, openClient, startRedisServer, type RedisServer } from "../helpers/redis-server.js";

const sentAt = new Date("2026-11-20T10:00:00Z");

function record(id: string, text = "Steppe solar accelerator opens its call\nStartups from Central Asia may apply until 15 January.") {
  return announcementRecord({ broadcastId: id, text, sentAt, expires: "2026-12-20" });
}

describe("announcementRecord", () => {
  it("title from the first line, summary from the rest, four languages from the variants", () => {
    const r = announcementRecord({
      broadcastId: "b-abc-12",
      text: "  \nGreen bonds forum\nRegistration is open.",
      variants: { ru: "Форум зелёных облигаций\nРегистрация открыта.", zh: "绿色债券论坛" },
      sentAt,
      expires: "2026-12-20",
      sectors: ["energy"],
      countries: ["KZ", "bad"],
    });
    expect(r).toMatchObject({
      id: "announcement-b-abc-12",
      kind: "announcement",
      title: { en: "Green bonds forum", fr: "Green bonds forum", ru: "Форум зелёных облигаций", zh: "绿色债券论坛" },
      summary: { en: "Registration is open.", fr: "Registration is open.", ru: "Регистрация открыта.", zh: "绿色债券论坛" },
      countries: ["KZ"],
      sectors: ["energy"],
      source: { file: "broadcast-b-abc-12.txt", date: "2026-11-20" },
      verified: "2026-11-20",
      expires: "2026-12-20",
    });
    expect(r.details).toBeUndefined();
  });

  it("a long text is cut for the title and summary and kept whole in the details", () => {
    const long = `${"Very long title ".repeat(20)}\n${"Body sentence. ".repeat(100)}`;
    const r = announcementRecord({ broadcastId: "b-long", text: long, sentAt, expires: "2026-12-20" });
    expect(Array.from(r.title.en).length).toBeLessThanOrEqual(120);
    expect(Array.from(r.summary.en).length).toBeLessThanOrEqual(600);
    expect(r.details?.en).toBe(long.trim());
  });
});

function storeContract(name: string, make: () => Promise<AnnouncementStore>) {
  describe(name, () => {
    it("adds, replaces, lists newest first and removes", async () => {
      const store = await make();
      await store.add(record("b-1"));
      await store.add(record("b-2"));
      await store.add({ ...record("b-1"), expires: "2027-01-01" });
      const all = await store.all();
      expect(all.map((r) => r.id)).toEqual(["announcement-b-1", "announcement-b-2"]);
      expect(all[0]?.expires).toBe("2027-01-01");
      expect(await store.remove("announcement-b-2")).toBe(true);
      expect(await store.remove("announcement-b-2")).toBe(false);
      expect((await store.all()).map((r) => r.id)).toEqual(["announcement-b-1"]);
    });

    it("refuses a record the catalog schema refuses", async () => {
      const store = await make();
      await expect(store.add({ ...record("b-3"), id: "Not Kebab" })).rejects.toThrow();
      expect(await store.all()).toEqual([]);
    });
  });
}

storeContract("memory announcements", async () => createMemoryAnnouncements());

describe("Redis announcements", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());
  beforeEach(() => flushAll(server.url));

  storeContract("contract", async () => createRedisAnnouncements(await openClient(server.url), { prefix: "t:" }));

  it("survive a restart of the bot and skip corrupt entries", async () => {
    const first = await openClient(server.url);
    await createRedisAnnouncements(first, { prefix: "t:" }).add(record("b-keep"));
    await first.hset("t:announcements", "announcement-bad", "{not json");
    await first.lpush("t:announcements:ids", "announcement-bad");
    await first.quit();

    const warnings: object[] = [];
    const second = await openClient(server.url);
    const store = createRedisAnnouncements(second, { prefix: "t:", logger: { warn: (obj) => warnings.push(obj) } });
    expect((await store.all()).map((r) => r.id)).toEqual(["announcement-b-keep"]);
    expect(warnings).toHaveLength(1);
    await second.quit();
  });

  it("keep at most `max`, dropping the oldest", async () => {
    const client = await openClient(server.url);
    const store = createRedisAnnouncements(client, { prefix: "t:", max: 2 });
    for (const id of ["b-1", "b-2", "b-3"]) await store.add(record(id));
    expect((await store.all()).map((r) => r.id)).toEqual(["announcement-b-3", "announcement-b-2"]);
    expect(await client.hexists("t:announcements", "announcement-b-1")).toBe(0);
    await client.quit();
  });

  it("a live catalog over Redis finds an announcement after a restart and keeps it across /reload", async () => {
    const base = (await bundledEngine()).catalog;
    const client = await openClient(server.url);
    let engine: SearchEngine | undefined;
    const now = () => new Date("2026-11-25T00:00:00Z");
    const live = new LiveCatalog(base, createRedisAnnouncements(client, { prefix: "t:" }), (e) => (engine = e), { now });
    await live.publish(record("b-solar"));
    expect(engine?.search("steppe solar accelerator").hits[0]?.id).toBe("announcement-b-solar");

    // Another process (or a restart): the same Redis, a fresh live catalog.
    let restarted: SearchEngine | undefined;
    const again = new LiveCatalog(base, createRedisAnnouncements(client, { prefix: "t:" }), (e) => (restarted = e), { now });
    await again.rebuild();
    expect(restarted?.size).toBe(base.records.length + 1);
    expect(restarted?.search("steppe solar accelerator").hits[0]?.id).toBe("announcement-b-solar");

    // /reload reads the files again; the announcement is merged back in.
    const reload = catalogReloader({ dir: DEFAULT_DATA_DIR, current: () => restarted!, rebuild: (catalog) => again.rebuild(catalog) });
    expect(await reload()).toEqual({ ok: true, records: base.records.length + 1 });
    expect(restarted?.get("announcement-b-solar")).toBeDefined();

    // After its expiry date it is no longer found.
    const later = new LiveCatalog(base, createRedisAnnouncements(client, { prefix: "t:" }), (e) => (restarted = e), { now: () => new Date("2027-01-05T00:00:00Z") });
    await later.rebuild();
    expect(restarted?.search("steppe solar accelerator").hits.map((h) => h.id)).not.toContain("announcement-b-solar");
    await client.quit();
  });
});

describe("mergeRecords", () => {
  it("adds announcements without replacing a record of the files", async () => {
    const base = (await bundledEngine()).catalog;
    const clash = { ...record("b-x"), id: base.records[0]!.id };
    const merged = mergeRecords(base, [record("b-y"), clash]);
    expect(merged.records.length).toBe(base.records.length + 1);
    expect(merged.records[0]).toBe(base.records[0]);
    expect(mergeRecords(base, [])).toBe(base);
  });
});
