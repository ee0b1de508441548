import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog, CatalogRecord } from "../../src/catalog/schema.js";
import { SearchEngine } from "../../src/search/engine.js";
import type { SearchResponse } from "../../src/search/types.js";
import { L } from "../search/fixture.js";
import { bundledCatalog } from "./bundled-catalog.js";
import { copyEngine } from "./engine-copy.js";
import { openBundledEngine } from "./saved-index.js";

// The copies that tests with a live catalog of their own start from must answer exactly like a fresh
// build, before and after changes, and share nothing changeable with what they were copied from —
// also when what they are copied from was loaded from the run's saved index (test/helpers/bot-deps.ts).

let catalog: Catalog;
/** Every eighth question of the tuning set: all kinds of question, in the four languages. */
let questions: string[];

beforeAll(async () => {
  catalog = await bundledCatalog();
  const dev = parse(readFileSync(new URL("../../eval/dev-tuning.yaml", import.meta.url), "utf8")) as { q: string }[];
  questions = dev.map((d) => d.q).filter((_, i) => i % 8 === 0);
});

function answers(engine: SearchEngine): Record<string, [number, number]>[] {
  const byId = (r: SearchResponse) => Object.fromEntries(r.hits.map((h) => [h.id, [h.score, h.confidence]]));
  return questions.map((q) => byId(engine.search(q, { limit: 500 })) as Record<string, [number, number]>);
}

/** The same changes, made to any engine: a record replaced, one removed, one added. */
function change(engine: SearchEngine): void {
  const hefei = engine.get("incubator-hefei")!;
  engine.put({ ...hefei, summary: L("A quantum photonics incubator.", "Photonique.", "Фотоника.", "光子。") });
  expect(engine.remove(catalog.records[0]!.id)).toBe(true);
  const base = catalog.records[3]!;
  const zeolite: CatalogRecord = {
    ...base,
    id: "zeolite-lab",
    title: L("Zeolite laboratory", "Zéolithes", "Цеолиты", "沸石"),
  };
  engine.put(zeolite);
}

/** Two builds and five rounds of questions: about 6 CPU-s, over the default timeout on a loaded machine. */
const TIMEOUT_MS = 90_000;

describe("copyEngine", () => {
  it(
    "answers like a fresh build; changes to the copy answer like the same changes to a build, and leave the original as built",
    { timeout: TIMEOUT_MS },
    () => {
      const original = SearchEngine.build(catalog);
      const fresh = answers(original);
      const copy = copyEngine(original);
      expect(copy).not.toBe(original);
      expect(copy.size).toBe(original.size);
      expect(answers(copy)).toEqual(fresh);

      change(copy);
      const changed = SearchEngine.build(catalog);
      change(changed);
      expect(copy.search("zeolite").hits[0]?.id).toBe("zeolite-lab");
      expect(copy.search("quantum photonics").hits[0]?.id).toBe("incubator-hefei");
      expect(answers(copy)).toEqual(answers(changed));

      expect(original.search("zeolite").hits).toEqual([]);
      expect(original.get(catalog.records[0]!.id)).toBe(catalog.records[0]);
      expect(original.size).toBe(catalog.records.length);
      expect(answers(original)).toEqual(fresh);
    },
  );

  it(
    "of an engine loaded from the run's saved index answers like a fresh build, before and after changes",
    { timeout: TIMEOUT_MS },
    async () => {
      // The first engine a worker asks for may be the build that writes the index: ask twice.
      await openBundledEngine(catalog);
      const loaded = await openBundledEngine(catalog);
      const built = SearchEngine.build(catalog);
      const copy = copyEngine(loaded);
      expect(answers(copy)).toEqual(answers(built));
      change(copy);
      change(built);
      expect(answers(copy)).toEqual(answers(built));
      expect(loaded.search("zeolite").hits).toEqual([]);
    },
  );
});
