// The live catalog tells its listeners which records left search here: withdrawn (on this process or
// another one on the same store) or past their expiry day — so what follows a record (its deadline
// reminders) ends with it.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadCatalogOrThrow } from "../../src/catalog/load.js";
import type { CatalogRecord } from "../../src/catalog/schema.js";
import { LiveCatalog } from "../../src/live/catalog.js";
import { createMemoryCatalogChanges, type CatalogChangeStore } from "../../src/state/catalog-changes.js";
import { makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { until } from "../helpers/until.js";

const started: LiveCatalog[] = [];
afterEach(async () => {
  for (const live of started.splice(0)) await live.close();
});
afterAll(removeFixtures);

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function start(dir: string, changes: CatalogChangeStore): Promise<{ live: LiveCatalog; gone: string[] }> {
  const live = await LiveCatalog.start({
    dir,
    files: await loadCatalogOrThrow(dir),
    changes,
    logger,
    checkEveryMs: 50,
  });
  started.push(live);
  const gone: string[] = [];
  live.onRecordGone((ids) => gone.push(...ids));
  return { live, gone };
}

function announcement(base: CatalogRecord, id: string, expires?: string): CatalogRecord {
  return { ...structuredClone(base), id, kind: "announcement", related: [], ...(expires ? { expires } : {}) };
}

describe("records leaving search", () => {
  it("a withdrawn record is told here and on another process; a record that was never searched is not", async () => {
    const { dir } = await makeCatalog();
    const changes = createMemoryCatalogChanges();
    const a = await start(dir, changes);
    const b = await start(dir, changes);
    const base = a.live.search.get("alpha-forum")!;
    await a.live.put(announcement(base, "announcement-g1"));
    await a.live.remove("announcement-g1");
    await a.live.remove("never-there");
    expect(a.gone).toEqual(["announcement-g1"]);
    await until(() => b.live.version === a.live.version, 5000, "the other process to catch up");
    expect(b.live.search.get("announcement-g1")).toBeUndefined();
    expect(b.gone).toEqual(["announcement-g1"]);
  });

  it("a record of the files withdrawn in chat is told", async () => {
    const { dir } = await makeCatalog();
    const { live, gone } = await start(dir, createMemoryCatalogChanges());
    await live.remove("alpha-forum");
    expect(gone).toEqual(["alpha-forum"]);
  });

  it("an announcement already past its expiry day when put is never searched, so never told", async () => {
    const { dir } = await makeCatalog();
    const { live, gone } = await start(dir, createMemoryCatalogChanges());
    const base = live.search.get("alpha-forum")!;
    await live.put(announcement(base, "announcement-g2", "2020-01-01"));
    // Already expired when put: never searched, never told.
    expect(gone).toEqual([]);
    expect(live.search.get("announcement-g2")).toBeUndefined();
  });
});
