import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalogOrThrow } from "../../src/catalog/load.js";
import { catalogReloader } from "../../src/catalog/reload.js";
import type { CatalogRecord } from "../../src/catalog/schema.js";
import { SearchEngine } from "../../src/search/engine.js";
import { BASE_FILES, makeCatalog, removeFixtures, swap } from "./fixture.js";

afterAll(removeFixtures);

/** A live setup: the engine serving now, swapped by the reloader. */
async function serving(dir: string, extra: CatalogRecord[] = []) {
  const catalog = await loadCatalogOrThrow(dir);
  const box = { engine: SearchEngine.build({ ...catalog, records: [...catalog.records, ...extra] }) };
  return box;
}

function announcement(base: CatalogRecord, id: string): CatalogRecord {
  return { ...structuredClone(base), id, kind: "announcement", related: [] };
}

describe("catalogReloader", () => {
  it("swaps in the catalog read again, and keeps records added at run time (announcements)", async () => {
    const { dir } = await makeCatalog();
    const files = await loadCatalogOrThrow(dir);
    const box = await serving(dir);
    const reload = catalogReloader({ dir, current: () => box.engine, apply: (e) => (box.engine = e) });

    // An announcement published by a broadcast after the start.
    box.engine = SearchEngine.build({ ...box.engine.catalog, records: [...box.engine.catalog.records, announcement(files.records[0]!, "announcement-b1")] });
    await writeFile(path.join(dir, "records/gamma-lab.yaml"), BASE_FILES["records/beta-centre.yaml"]!.replace("id: beta-centre", "id: gamma-lab"));
    const before = box.engine;

    expect(await reload()).toEqual({ ok: true, records: 4 });
    expect(box.engine).not.toBe(before);
    expect(box.engine.get("gamma-lab")?.id).toBe("gamma-lab");
    expect(box.engine.get("announcement-b1")?.kind).toBe("announcement");

    // A record removed from the files goes with the next reload; the announcement stays.
    await rm(path.join(dir, "records/gamma-lab.yaml"));
    expect(await reload()).toEqual({ ok: true, records: 3 });
    expect(box.engine.get("gamma-lab")).toBeUndefined();
    expect(box.engine.get("announcement-b1")).toBeDefined();
  });

  it("refuses an invalid catalog with its problems and leaves the engine alone", async () => {
    const { dir } = await makeCatalog();
    const box = await serving(dir);
    const reload = catalogReloader({ dir, current: () => box.engine, apply: (e) => (box.engine = e) });
    const before = box.engine;
    await writeFile(path.join(dir, "records/alpha-forum.yaml"), swap("kind: event", "kind: spaceship")(BASE_FILES["records/alpha-forum.yaml"]!));
    const result = await reload();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join("\n")).toMatch(/^records\/alpha-forum\.yaml:\d+ \[alpha-forum\] kind: must be one of/);
    expect(box.engine).toBe(before);
  });

  it("refuses a folder that is gone", async () => {
    const { dir } = await makeCatalog();
    const box = await serving(dir);
    const reload = catalogReloader({ dir, current: () => box.engine, apply: (e) => (box.engine = e) });
    await rm(dir, { recursive: true, force: true });
    const result = await reload();
    expect(result.ok).toBe(false);
  });

  it("hands the catalog to `rebuild` when given (LiveCatalog merges the announcements itself)", async () => {
    const { dir } = await makeCatalog();
    const box = await serving(dir);
    const seen: number[] = [];
    const reload = catalogReloader({
      dir,
      current: () => box.engine,
      rebuild: async (catalog) => {
        seen.push(catalog.records.length);
        box.engine = SearchEngine.build(catalog);
        return box.engine;
      },
      apply: () => {
        throw new Error("not used with rebuild");
      },
    });
    expect(await reload()).toEqual({ ok: true, records: 2 });
    expect(seen).toEqual([2]);
  });

  it("merges extra records, the files winning on the same id, and runs reloads one at a time", async () => {
    const { dir } = await makeCatalog();
    const files = await loadCatalogOrThrow(dir);
    const box = await serving(dir);
    const extra = [announcement(files.records[0]!, "announcement-x"), { ...files.records[1]!, title: { en: "Shadow", fr: "Ombre", ru: "Тень", zh: "影" } }];
    const reload = catalogReloader({ dir, current: () => box.engine, apply: (e) => (box.engine = e), extraRecords: () => extra });
    const results = await Promise.all([reload(), reload(), reload()]);
    expect(results).toEqual([{ ok: true, records: 3 }, { ok: true, records: 3 }, { ok: true, records: 3 }]);
    expect(box.engine.get(files.records[1]!.id)?.title.en).toBe(files.records[1]!.title.en);
  });
});
