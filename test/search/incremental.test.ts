import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogOrThrow } from "../../src/catalog/load.js";
import type { Catalog, CatalogRecord } from "../../src/catalog/schema.js";
import { SearchEngine } from "../../src/search/engine.js";
import type { SearchResponse } from "../../src/search/types.js";
import { makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { bundledCatalog, openEngine } from "../helpers/saved-index.js";
import { L, record } from "./fixture.js";

// Incremental changes (put, replace, remove) must leave the engine answering exactly like an engine
// built from scratch over the same records, for real questions: on an engine built here, and on one
// loaded from the run's saved index of the catalog, as a start that finds its index has (snapshot.test.ts
// shows the two take the same changes alike).

const repo = path.resolve(import.meta.dirname, "../..");
const now = () => new Date("2026-11-21T12:00:00Z");
let catalog: Catalog;
let questions: string[];
/** A fresh build over the whole catalog, for the tests that only compare with it (it is never changed). */
let whole: SearchEngine;

beforeAll(async () => {
  catalog = await bundledCatalog();
  const dev = parse(readFileSync(path.join(repo, "eval/dev-tuning.yaml"), "utf8")) as { q: string }[];
  questions = dev.map((d) => d.q);
  whole = SearchEngine.build(catalog, { now });
});

afterAll(removeFixtures);

/** The two-record catalog of test/catalog/fixture.ts. */
async function twoRecords(): Promise<Catalog> {
  return loadCatalogOrThrow((await makeCatalog()).dir);
}

/** Every hit with its figures, by id: independent of slot order, which breaks exact ties only. */
function byId(response: SearchResponse): Record<string, [number, number]> {
  return Object.fromEntries(response.hits.map((h) => [h.id, [h.score, h.confidence]]));
}

/** A fresh build's answers, by question: fresh builds are never changed, and `whole` is compared with twice. */
const answers = new WeakMap<SearchEngine, Record<string, [number, number]>[]>();
function answersOf(fresh: SearchEngine): Record<string, [number, number]>[] {
  let known = answers.get(fresh);
  if (!known) answers.set(fresh, (known = questions.map((q) => byId(fresh.search(q, { limit: 500 })))));
  return known;
}

function expectSameAnswers(engine: SearchEngine, fresh: SearchEngine): void {
  expect(engine.size).toBe(fresh.size);
  const expected = answersOf(fresh);
  questions.forEach((q, i) => expect(byId(engine.search(q, { limit: 500 })), q).toEqual(expected[i]));
}

const without = (ids: readonly string[]): Catalog => ({
  ...catalog,
  records: catalog.records.filter((r) => !ids.includes(r.id)),
});

// The tests build engines over the whole catalog (gazetteer included): seconds each, many more on a busy
// machine, so the time limit is generous — it bounds a hang, it does not measure speed.
describe("SearchEngine: incremental changes", { timeout: 120_000 }, () => {
  it("answers like a fresh build after records are added one by one", () => {
    // Records whose countries stay named by others, so the place names the build derives are the same.
    const added = ["incubator-hefei", "sco-ai-cooperation-centre", "caexpo"];
    const engine = SearchEngine.build(without(added), { now });
    for (const id of added) engine.put(catalog.records.find((r) => r.id === id)!);
    expectSameAnswers(engine, whole);
  });

  it("answers like a fresh build after records are removed, the moved record included", () => {
    const removed = [catalog.records[0]!.id, catalog.records[7]!.id, catalog.records.at(-1)!.id];
    const engine = SearchEngine.build(catalog, { now });
    for (const id of removed) expect(engine.remove(id)).toBe(true);
    expect(engine.remove(removed[0]!)).toBe(false);
    for (const id of removed) expect(engine.get(id)).toBeUndefined();
    expectSameAnswers(engine, SearchEngine.build(without(removed), { now }));
    expect(new Set(engine.catalog.records.map((r) => r.id))).toEqual(
      new Set(without(removed).records.map((r) => r.id)),
    );
  });

  it("replaces a record in place: its old words are gone, its new ones found", async () => {
    const original = catalog.records.find((r) => r.id === "incubator-hefei")!;
    const changed: CatalogRecord = {
      ...original,
      summary: L(
        "A quantum photonics incubator.",
        "Un incubateur de photonique quantique.",
        "Инкубатор квантовой фотоники.",
        "量子光子孵化器。",
      ),
    };
    const engine = await openEngine(catalog, { now });
    engine.put(changed);
    expect(engine.get("incubator-hefei")).toBe(changed);
    expect(engine.search("quantum photonics").hits[0]?.id).toBe("incubator-hefei");
    const fresh = SearchEngine.build(
      { ...catalog, records: catalog.records.map((r) => (r.id === changed.id ? changed : r)) },
      { now },
    );
    expectSameAnswers(engine, fresh);
  });

  it("finds a new record by a word the catalog never had, misspelt too", async () => {
    const engine = await openEngine(catalog, { now });
    expect(engine.search("zeolite").hits).toEqual([]);
    engine.put(
      record({
        id: "zeolite-lab",
        title: L(
          "Zeolite research laboratory",
          "Laboratoire de recherche sur les zéolithes",
          "Лаборатория цеолитов",
          "沸石实验室",
        ),
        summary: L("Zeolite catalysts.", "Catalyseurs.", "Катализаторы.", "催化剂。"),
      }),
    );
    expect(engine.search("zeolite").hits[0]?.id).toBe("zeolite-lab");
    expect(engine.search("zeollite").hits[0]?.id).toBe("zeolite-lab");
    expect(engine.catalog.records.at(-1)?.id).toBe("zeolite-lab");
  });

  it("breaks the ties of a question of nothing but a place by the records referring to each, as they change", async () => {
    const engine = await openEngine(catalog, { now });
    const first = () => engine.search("что есть для Беларуси?").hits[0]!.id;
    const before = first();
    // A record of Belarus that every record now refers to goes first; removing them all gives the lead back.
    const hub = catalog.records.find((r) => r.countries.includes("BY") && r.id !== before)!;
    const referring = catalog.records.filter((r) => r.id !== hub.id && !r.related.includes(hub.id));
    for (const r of referring) engine.put({ ...r, related: [...r.related, hub.id] });
    expect(first()).toBe(hub.id);
    for (const r of referring) engine.remove(r.id);
    expect(engine.search("что есть для Беларуси?").hits.map((h) => h.id)).toContain(hub.id);
    for (const r of referring) engine.put(r);
    expect(first()).toBe(before);
  });

  it("takes over a rebuilt engine in one step, keeping the object the bot holds", async () => {
    // Held: an engine over the two-record catalog (a reload's old engine holds some other catalog);
    // the new one is the whole catalog's, loaded from the run's index as a reload's start would.
    const engine = await openEngine(await twoRecords(), { now });
    const held = engine;
    expect(held.get("caexpo")).toBeUndefined();
    engine.replaceWith(await openEngine(catalog, { now }));
    expect(held.get("caexpo")?.id).toBe("caexpo");
    expect(held.get("alpha-forum")).toBeUndefined();
    expectSameAnswers(held, whole);
  });
});
