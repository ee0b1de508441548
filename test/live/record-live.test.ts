// The live catalog tells its listeners which records went live: created, replaced, entering search at
// their time, read again by a reload — on every process, with the version of the change.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadCatalogOrThrow } from "../../src/catalog/load.js";
import { LiveCatalog, type RecordLiveEvent } from "../../src/live/catalog.js";
import { createRedisCatalogChanges } from "../../src/state/catalog-changes-redis.js";
import { createMemoryCatalogChanges, type CatalogChangeStore } from "../../src/state/catalog-changes.js";
import { announcement, GAMMA_LAB, makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { redisForTests } from "../helpers/redis-server.js";
import { openEngine } from "../helpers/saved-index.js";
import { until } from "../helpers/until.js";

const started: LiveCatalog[] = [];
afterEach(async () => {
  for (const live of started.splice(0)) await live.close();
});
afterAll(removeFixtures);

const errors: string[] = [];
const logger = {
  info: () => undefined,
  warn: () => undefined,
  error: (_: object, msg: string) => void errors.push(msg),
};

async function start(
  dir: string,
  changes: CatalogChangeStore = createMemoryCatalogChanges(),
): Promise<{ live: LiveCatalog; events: RecordLiveEvent[] }> {
  const files = await loadCatalogOrThrow(dir);
  // As a start that finds its saved index: loaded (the run's index of these files), not built.
  const live = await LiveCatalog.start({ dir, files, engine: await openEngine(files), changes, logger });
  started.push(live);
  const events: RecordLiveEvent[] = [];
  live.onRecordLive((batch) => events.push(...batch));
  return { live, events };
}

const brief = (events: RecordLiveEvent[]) =>
  events.map((e) => ({ id: e.record.id, version: e.version, timed: e.enteredAt !== undefined }));

describe("records going live, in one process", () => {
  it("a created and a replaced record are told with their change's version; a removal and an unchanged reload are not", async () => {
    const { dir } = await makeCatalog();
    const { live, events } = await start(dir);
    const base = live.search.get("alpha-forum")!;
    await live.put(announcement(base, "announcement-b1"));
    await live.put({ ...base, title: { ...base.title, en: "Alpha Forum renamed" } });
    await live.remove("announcement-b1");
    expect(await live.reload()).toMatchObject({ ok: true });
    expect(brief(events)).toEqual([
      { id: "announcement-b1", version: 1, timed: false },
      { id: "alpha-forum", version: 2, timed: false },
    ]);
    expect(events[1]!.record.title.en).toBe("Alpha Forum renamed");
  });

  it("a record added to the files is told when a reload reads it", async () => {
    const { dir } = await makeCatalog();
    const { live, events } = await start(dir);
    await writeFile(path.join(dir, "records/gamma-lab.yaml"), GAMMA_LAB);
    await live.reload();
    expect(brief(events)).toEqual([{ id: "gamma-lab", version: 1, timed: false }]);
  });

  it("a change due later is told when it enters search, marked with that time, not when it is stored", async () => {
    const { dir } = await makeCatalog();
    const { live, events } = await start(dir);
    const base = live.search.get("alpha-forum")!;
    await live.put(announcement(base, "announcement-later"), new Date(Date.now() + 300));
    expect(events).toEqual([]);
    const before = Date.now();
    await until(() => events.length > 0);
    expect(brief(events)).toEqual([{ id: "announcement-later", version: 1, timed: true }]);
    expect(Date.parse(events[0]!.enteredAt!)).toBeGreaterThanOrEqual(before - 50);
  });

  it("a failing listener is logged and neither stops the catalog nor the other listeners", async () => {
    const { dir } = await makeCatalog();
    const { live, events } = await start(dir);
    live.onRecordLive(() => {
      throw new Error("listener down");
    });
    const base = live.search.get("alpha-forum")!;
    await live.put(announcement(base, "announcement-b1"));
    await live.put(announcement(base, "announcement-b2"));
    expect(live.search.get("announcement-b2")?.id).toBe("announcement-b2");
    expect(events.map((e) => e.record.id)).toEqual(["announcement-b1", "announcement-b2"]);
    expect(errors).toContain("a listener of records going live failed");
  });

  it("changes already stored when the catalog starts are not told (they were live before)", async () => {
    const { dir } = await makeCatalog();
    const changes = createMemoryCatalogChanges();
    const first = await start(dir, changes);
    await first.live.put(announcement(first.live.search.get("alpha-forum")!, "announcement-b1"));
    const { live, events } = await start(dir, changes);
    expect(live.search.get("announcement-b1")?.id).toBe("announcement-b1");
    expect(events).toEqual([]);
  });
});

describe("records going live, across processes on one Redis", () => {
  const redis = redisForTests();
  const store = async (): Promise<CatalogChangeStore> =>
    createRedisCatalogChanges(await redis.client(), { prefix: "t:" });

  it("every process tells its listeners of a change made by one of them, with the same version", async () => {
    const { dir } = await makeCatalog();
    const a = await start(dir, await store());
    const b = await start(dir, await store());
    await a.live.put(announcement(a.live.search.get("alpha-forum")!, "announcement-b1"));
    await until(() => b.events.length > 0);
    expect(brief(a.events)).toEqual([{ id: "announcement-b1", version: 1, timed: false }]);
    expect(brief(b.events)).toEqual(brief(a.events));
  });
});
