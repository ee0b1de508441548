import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadCatalogOrThrow } from "../../src/catalog/load.js";
import { LiveCatalog } from "../../src/live/catalog.js";
import { createRedisCatalogChanges } from "../../src/state/catalog-changes-redis.js";
import { createMemoryCatalogChanges, type CatalogChangeStore } from "../../src/state/catalog-changes.js";
import { announcement, BASE_FILES, GAMMA_LAB, makeCatalog, removeFixtures, swap } from "../catalog/fixture.js";
import { flushAll, redisForTests } from "../helpers/redis-server.js";
import { openEngine } from "../helpers/saved-index.js";
import { until } from "../helpers/until.js";

const started: LiveCatalog[] = [];
afterEach(async () => {
  for (const live of started.splice(0)) await live.close();
});
afterAll(removeFixtures);

const logs: { level: string; msg: string }[] = [];
const logger = {
  info: (_: object, msg: string) => void logs.push({ level: "info", msg }),
  warn: (_: object, msg: string) => void logs.push({ level: "warn", msg }),
  error: (_: object, msg: string) => void logs.push({ level: "error", msg }),
};

async function start(
  dir: string,
  changes: CatalogChangeStore = createMemoryCatalogChanges(),
  checkEveryMs?: number,
): Promise<LiveCatalog> {
  const files = await loadCatalogOrThrow(dir);
  const live = await LiveCatalog.start({
    dir,
    files,
    // As a start that finds its saved index: loaded (the run's index of these files), not built.
    engine: await openEngine(files),
    changes,
    logger,
    ...(checkEveryMs ? { checkEveryMs } : {}),
  });
  started.push(live);
  return live;
}

describe("LiveCatalog in one process", () => {
  it("applies a put, a replacement and a removal in place: the engine object never changes", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    const engine = live.search;
    const base = engine.get("alpha-forum")!;
    await live.put(announcement(base, "announcement-b1"));
    expect(engine.search("zeolite").hits[0]?.id).toBe("announcement-b1");
    await live.put(announcement(base, "announcement-b1", "Perovskite"));
    expect(engine.search("zeolite").hits).toEqual([]);
    expect(engine.search("perovskite").hits[0]?.id).toBe("announcement-b1");
    expect(live.version).toBe(2);
    await live.remove("announcement-b1");
    expect(engine.get("announcement-b1")).toBeUndefined();
    expect(live.search).toBe(engine);
    expect(engine.size).toBe(2);
  });

  it("/reload takes the folder's new and removed records and keeps the live changes", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    await live.put(announcement(live.search.get("alpha-forum")!, "announcement-b1"));
    await writeFile(path.join(dir, "records/gamma-lab.yaml"), GAMMA_LAB);
    expect(await live.reload()).toEqual({ ok: true, records: 4 });
    expect(live.search.get("gamma-lab")?.id).toBe("gamma-lab");
    expect(live.search.get("announcement-b1")?.kind).toBe("announcement");

    await rm(path.join(dir, "records/gamma-lab.yaml"));
    expect(await live.reload()).toEqual({ ok: true, records: 3 });
    expect(live.search.get("gamma-lab")).toBeUndefined();
    expect(live.search.get("announcement-b1")?.id).toBe("announcement-b1");
  });

  it("a removed record of the files stays out across reloads; a put replaces a record of the files", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    await live.remove("beta-centre");
    const edited = {
      ...live.search.get("alpha-forum")!,
      title: { en: "Omega Forum", fr: "Forum Oméga", ru: "Форум Омега", zh: "欧米茄论坛" },
    };
    await live.put(edited);
    expect(await live.reload()).toEqual({ ok: true, records: 1 });
    expect(live.search.get("beta-centre")).toBeUndefined();
    expect(live.search.get("alpha-forum")?.title.en).toBe("Omega Forum");
  });

  it("refuses an invalid catalog with its problems and changes nothing", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    await writeFile(
      path.join(dir, "records/alpha-forum.yaml"),
      swap("kind: event", "kind: spaceship")(BASE_FILES["records/alpha-forum.yaml"]!),
    );
    const result = await live.reload();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join("\n")).toMatch(
      /^records\/alpha-forum\.yaml:\d+ \[alpha-forum\] kind: must be one of/,
    );
    expect(live.version).toBe(0);
    expect(live.search.get("alpha-forum")?.kind).toBe("event");
  });

  it("refuses a folder that is gone", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    await rm(dir, { recursive: true, force: true });
    expect((await live.reload()).ok).toBe(false);
    expect(live.search.size).toBe(2);
  });

  it("runs reloads one at a time, each complete", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    await writeFile(path.join(dir, "records/gamma-lab.yaml"), GAMMA_LAB);
    expect(await Promise.all([live.reload(), live.reload(), live.reload()])).toEqual([
      { ok: true, records: 3 },
      { ok: true, records: 3 },
      { ok: true, records: 3 },
    ]);
  });

  it("rebuilds when the vocabularies change, keeping the object and the live changes", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    const engine = live.search;
    await live.put(announcement(engine.get("alpha-forum")!, "announcement-b1"));
    expect(engine.search("geothermal").hits).toEqual([]);
    await writeFile(
      path.join(dir, "vocabularies/sectors.yaml"),
      BASE_FILES["vocabularies/sectors.yaml"]!.replace("en: Energy", "en: Geothermal energy"),
    );
    expect(await live.reload()).toEqual({ ok: true, records: 3 });
    expect(live.search).toBe(engine);
    expect(engine.catalog.sectors.energy?.en).toBe("Geothermal energy");
    expect(engine.search("geothermal").hits.map((h) => h.id)).toContain("alpha-forum");
    expect(engine.get("announcement-b1")?.id).toBe("announcement-b1");
  });

  it("an announcement past its expiry day is not in the engine (it would still count in the ranking)", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await live.put({ ...announcement(live.search.get("alpha-forum")!, "announcement-old"), expires: yesterday });
    await live.put({ ...announcement(live.search.get("alpha-forum")!, "announcement-new"), expires: "2999-12-31" });
    expect(live.search.get("announcement-old")).toBeUndefined();
    expect(live.search.get("announcement-new")?.id).toBe("announcement-new");
  });

  it("a change due later enters search at its time, and a removal before then keeps it out", async () => {
    const { dir } = await makeCatalog();
    const live = await start(dir);
    const base = live.search.get("alpha-forum")!;
    await live.put(announcement(base, "announcement-later"), new Date(Date.now() + 300));
    await live.put(announcement(base, "announcement-cancelled", "Perovskite"), new Date(Date.now() + 300));
    expect(live.search.get("announcement-later")).toBeUndefined();
    await live.remove("announcement-cancelled");
    await until(() => live.search.get("announcement-later") !== undefined);
    expect(live.search.search("zeolite").hits[0]?.id).toBe("announcement-later");
    expect(live.search.get("announcement-cancelled")).toBeUndefined();
  });
});

// Three live catalogs and their engines a test, waiting on Redis: the limit bounds a hang on a loaded machine.
describe("LiveCatalog across processes on one Redis", { timeout: 90_000 }, () => {
  const redis = redisForTests();
  const store = async (maxKept?: number): Promise<CatalogChangeStore> =>
    createRedisCatalogChanges(await redis.client(), { prefix: "t:", ...(maxKept ? { maxKept } : {}), logger });

  it("a change made by one process is applied by the others, in place", async () => {
    const { dir } = await makeCatalog();
    const [a, b, c] = [
      await start(dir, await store()),
      await start(dir, await store()),
      await start(dir, await store()),
    ];
    await a.put(announcement(a.search.get("alpha-forum")!, "announcement-b1"));
    await until(() => b.search.get("announcement-b1") !== undefined && c.search.get("announcement-b1") !== undefined);
    expect(b.search.search("zeolite").hits[0]?.id).toBe("announcement-b1");
    await c.remove("announcement-b1");
    await until(() => a.search.get("announcement-b1") === undefined && b.search.get("announcement-b1") === undefined);
    expect([a.version, b.version, c.version]).toEqual([2, 2, 2]);
  });

  it("a /reload on one process makes every process read its files", async () => {
    const { dir } = await makeCatalog();
    const [a, b] = [await start(dir, await store()), await start(dir, await store())];
    await writeFile(path.join(dir, "records/gamma-lab.yaml"), GAMMA_LAB);
    expect(await a.reload()).toEqual({ ok: true, records: 3 });
    await until(() => b.search.get("gamma-lab") !== undefined);
    expect(b.version).toBe(1);
  });

  it("a process starting late, with the older changes trimmed away, catches up from the stored state", async () => {
    const { dir } = await makeCatalog();
    const a = await start(dir, await store(2));
    const base = a.search.get("alpha-forum")!;
    for (const id of ["b1", "b2", "b3"]) await a.put(announcement(base, `announcement-${id}`));
    await a.remove("announcement-b2");
    await a.remove("beta-centre");
    const late = await start(dir, await store(2));
    expect(late.version).toBe(5);
    expect(late.search.catalog.records.map((r) => r.id).sort()).toEqual([
      "alpha-forum",
      "announcement-b1",
      "announcement-b3",
    ]);
  });

  it("a record's revision grows with its changes and with reloads, and is the same on every process, late ones included", async () => {
    const { dir } = await makeCatalog();
    const a = await start(dir, await store(2));
    const b = await start(dir, await store(2));
    expect(a.revision("alpha-forum")).toBe(0);
    const base = a.search.get("alpha-forum")!;
    await a.put({ ...base, title: { ...base.title, en: "Alpha Forum 2" } });
    const edited = a.revision("alpha-forum");
    expect(edited).toBeGreaterThan(0);
    expect(a.revision("beta-centre")).toBe(0);
    await a.put(announcement(base, "announcement-b1"));
    expect(a.revision("alpha-forum")).toBe(edited);
    await a.reload();
    const reloaded = a.revision("alpha-forum");
    expect(reloaded).toBeGreaterThan(edited);
    expect(a.revision("beta-centre")).toBe(reloaded);
    await a.put({ ...base, title: { ...base.title, en: "Alpha Forum 3" } });
    expect(a.revision("alpha-forum")).toBeGreaterThan(reloaded);
    await until(() => b.version === a.version);
    const late = await start(dir, await store(2));
    for (const id of ["alpha-forum", "beta-centre", "announcement-b1"]) {
      expect([b.revision(id), late.revision(id)]).toEqual([a.revision(id), a.revision(id)]);
    }
  });

  it("a process catching up from the stored state after a reload still applies the changes made before it", async () => {
    const { dir } = await makeCatalog();
    const a = await start(dir, await store(2));
    const base = a.search.get("alpha-forum")!;
    await a.put(announcement(base, "announcement-b1"));
    await writeFile(path.join(dir, "records/gamma-lab.yaml"), GAMMA_LAB);
    expect(await a.reload()).toEqual({ ok: true, records: 4 });
    await a.put(announcement(base, "announcement-b3"));
    await a.put(announcement(base, "announcement-b4"));
    const late = await start(dir, await store(2));
    expect(late.version).toBe(4);
    expect(late.search.catalog.records.map((r) => r.id).sort()).toEqual(
      a.search.catalog.records.map((r) => r.id).sort(),
    );
    expect(late.search.get("announcement-b1")?.id).toBe("announcement-b1");
  });

  it("announcements kept by the older store are found once a live catalog starts, and imported by one process only", async () => {
    const { dir } = await makeCatalog();
    const client = await redis.client();
    const old = announcement((await loadCatalogOrThrow(dir)).records[0]!, "announcement-old");
    await client.hset("t:announcements", old.id, JSON.stringify(old));
    await client.lpush("t:announcements:ids", old.id);
    const [a, b] = await Promise.all([start(dir, await store()), start(dir, await store())]);
    await until(() => a.search.get("announcement-old") !== undefined && b.search.get("announcement-old") !== undefined);
    expect(a.version).toBe(1);
    expect(await client.exists("t:announcements", "t:announcements:ids")).toBe(0);
  });

  it("when Redis loses the stored changes, every process takes them as they are now and goes on applying new ones", async () => {
    const { dir } = await makeCatalog();
    const [a, b] = [await start(dir, await store()), await start(dir, await store())];
    const base = a.search.get("alpha-forum")!;
    await a.put(announcement(base, "announcement-b1"));
    await a.put(announcement(base, "announcement-b2"));
    await until(() => b.version === 2);
    await flushAll(redis.url);
    await b.put(announcement(base, "announcement-b3", "Perovskite"));
    await until(() => a.search.get("announcement-b3") !== undefined);
    for (const live of [a, b]) {
      expect(live.search.get("announcement-b3")?.id).toBe("announcement-b3");
      expect(live.search.get("announcement-b1")).toBeUndefined();
      expect(live.version).toBe(1);
    }
  });

  it("a process that missed the notices catches up with the periodic check", async () => {
    const { dir } = await makeCatalog();
    const deaf = await store();
    const b = await start(dir, { ...deaf, watch: () => async () => undefined }, 50);
    const a = await start(dir, await store());
    await a.put(announcement(a.search.get("alpha-forum")!, "announcement-b1"));
    await until(() => b.search.get("announcement-b1") !== undefined);
  });
});
