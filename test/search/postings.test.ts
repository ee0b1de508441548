import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateCatalog, generateQueries } from "../../bench/synthetic.js";
import type { Catalog } from "../../src/catalog/schema.js";
import { SearchEngine } from "../../src/search/engine.js";
import { loadSnapshot, writeSnapshot } from "../../src/search/snapshot.js";

// The engine reads a term's records straight from flexsearch's postings; flexsearch's own search of the
// term must give the same records in the same order, the first CANDIDATE_LIMIT (300) of them included.
const SIZE = 400;
const generated = generateCatalog(SIZE + 10, 42);
const catalog: Catalog = { ...generated, records: generated.records.slice(0, SIZE) };
const now = () => new Date("2026-11-21T12:00:00Z");
const questions = [
  ...generateQueries(catalog, 200, 11).map((q) => q.text),
  // Words of most generated records: more than 300 records hold them in one field.
  "cooperation",
  "coopération",
  "сотрудничество",
  "合作",
  "cooperation programme china",
];

function answers(engine: SearchEngine): unknown[] {
  return questions.map((q) => engine.search(q, { limit: 50 }));
}

describe("a term's records read from flexsearch's postings", () => {
  it("are the records its search gives, before and after records change", async () => {
    const direct = SearchEngine.build(catalog, { now });
    // The same index saved and loaded, as a start loads it (snapshot.test.ts: a loaded engine answers as
    // a built one), for a fraction of a second build's time.
    const dir = await mkdtemp(path.join(os.tmpdir(), "postings-"));
    const file = path.join(dir, "index.bin");
    writeSnapshot(file, catalog, direct);
    const load = loadSnapshot(file, catalog, { now, postings: "search" });
    await rm(dir, { recursive: true, force: true });
    if (!load.ok) throw new Error(`the index just written was not loaded: ${load.reason} ${load.detail}`);
    const searched = load.engine;
    // The direct reading is in use (a flexsearch whose index looks otherwise would fall back to its search).
    expect((direct as unknown as { fieldMaps?: unknown }).fieldMaps).toBeDefined();
    expect(answers(direct)).toEqual(answers(searched));
    expect(direct.search("cooperation", { limit: 1000 }).total).toBeGreaterThan(300);

    for (const engine of [direct, searched]) {
      for (const record of generated.records.slice(SIZE)) engine.put(record);
      engine.remove(catalog.records[3]!.id);
      engine.put({ ...catalog.records[10]!, title: { ...catalog.records[10]!.title, en: "Cooperation cooperation" } });
    }
    expect(answers(direct)).toEqual(answers(searched));
  }, 120_000);
});
