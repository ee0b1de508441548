import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import { catalogFingerprint, loadCatalog } from "../../src/catalog/load.js";
import { loadConfig } from "../../src/config.js";
import { decide } from "../../src/search/decide.js";
import type { SearchEngine } from "../../src/search/engine.js";
import { loadSavedIndex, writeSnapshot } from "../../src/search/snapshot.js";
import { GAMMA_LAB, makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { copyBundledCatalog } from "../helpers/catalog-dir.js";
import { captureLogs } from "../helpers/logs.js";

const QUESTIONS = [
  "incubators in Kazakhstan",
  "инкубаторы в Казахстане",
  "哈萨克斯坦孵化器",
  "scolarships for studnets",
  "when was ASEAN founded?",
];

function answers(engine: SearchEngine): unknown[] {
  return QUESTIONS.map((q) => ({ search: engine.search(q, { limit: 10 }), decision: decide(engine, q) }));
}

/**
 * The two-record catalog of test/catalog/fixture.ts: what the start takes from its saved index does not
 * depend on the catalog's size, and a start that reads, builds or saves it costs a fraction of one on
 * the bundled catalog. snapshot.test.ts shows a loaded engine answers as a built one on hundreds of
 * records; the replica sets' bots start from a saved index of the bundled catalog.
 */
let catalogDir: string;
let indexDir: string;

beforeAll(async () => {
  catalogDir = (await makeCatalog()).dir;
  indexDir = await mkdtemp(path.join(os.tmpdir(), "saved-index-"));
});

afterAll(async () => {
  await removeFixtures();
  await rm(indexDir, { recursive: true, force: true });
});

/** createApp's catalog and engine on the catalog copy and index file, with the messages it logged. */
async function start(file: string): Promise<{ engine: SearchEngine; messages: unknown[] }> {
  const logs = captureLogs("info");
  const app = await createApp(loadConfig({ CATALOG_DIR: catalogDir, SEARCH_INDEX_FILE: file }), {
    logger: logs.logger,
  });
  await app.close();
  const messages = logs
    .lines()
    .map((l) => l.msg)
    .filter((m) => typeof m === "string" && /catalog|index/.test(m));
  return { engine: app.deps.search, messages };
}

describe("a catalog folder whose files are those the saved index was made from", () => {
  it("is taken from the index with the engine and answers as a build; an edit of a file is read again", async () => {
    const file = path.join(indexDir, "index.bin");
    const first = await start(file);
    expect(first.messages).toEqual([
      "no saved search index; building it",
      "search index built",
      "search index saved for the next start",
      "catalog loaded and indexed",
    ]);
    const second = await start(file);
    expect(second.messages).toEqual(["catalog and search index loaded from the saved index"]);
    expect(second.engine.catalog).toEqual(first.engine.catalog);
    expect(answers(second.engine)).toEqual(answers(first.engine));
    // Answers with hits, not only empty ones: Beta Centre is in Kazakhstan.
    expect(second.engine.search(QUESTIONS[0]!).hits.map((h) => h.id)).toContain("beta-centre");

    // A comment changes the files but no record: the index still fits, and is saved again for these files.
    await appendFile(path.join(catalogDir, "glossary.yaml"), "\n# reviewed\n");
    expect((await start(file)).messages).toEqual([
      "search index loaded from its saved copy",
      "search index saved for the next start",
      "catalog loaded and indexed",
    ]);
    expect((await start(file)).messages).toEqual(["catalog and search index loaded from the saved index"]);

    // A new record: the catalog is read and the index built again.
    await writeFile(path.join(catalogDir, "records", "gamma-lab.yaml"), GAMMA_LAB);
    const edited = await start(file);
    expect(edited.messages).toEqual([
      "saved search index not used; building it",
      "search index built",
      "search index saved for the next start",
      "catalog loaded and indexed",
    ]);
    expect(edited.engine.size).toBe(3);
    expect(edited.engine.get("gamma-lab")?.id).toBe("gamma-lab");
    const loaded = await start(file);
    expect(loaded.messages).toEqual(["catalog and search index loaded from the saved index"]);
    expect(loaded.engine.get("gamma-lab")).toEqual(edited.engine.get("gamma-lab"));
    expect(answers(loaded.engine)).toEqual(answers(edited.engine));
  }, 300_000);
});

describe("catalogFingerprint", () => {
  it("changes with any byte of a file the loader reads and with the records folder's names, not with the folder's place", async () => {
    const dir = await copyBundledCatalog("fingerprint-");
    try {
      const before = await catalogFingerprint(dir);
      expect(before).toMatch(/^[0-9a-f]{16}$/);
      const fresh = await copyBundledCatalog("fingerprint-again-");
      expect(await catalogFingerprint(fresh)).toBe(before);
      await rm(fresh, { recursive: true, force: true });

      await writeFile(path.join(dir, "records", "stray.yml"), "id: stray\n");
      const withStray = await catalogFingerprint(dir);
      expect(withStray).not.toBe(before);
      await rm(path.join(dir, "records", "stray.yml"));
      expect(await catalogFingerprint(dir)).toBe(before);

      await appendFile(path.join(dir, "vocabularies", "sectors.yaml"), " ");
      expect(await catalogFingerprint(dir)).not.toBe(before);
      await rm(path.join(dir, "places.yaml"));
      expect(await catalogFingerprint(dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("loadSavedIndex", () => {
  it("takes only an intact index saved with the catalog of these files", async () => {
    // The two-record catalog: what is taken does not depend on the catalog's size.
    const { dir } = await makeCatalog();
    try {
      const fingerprint = (await catalogFingerprint(dir)) as string;
      const result = await loadCatalog(dir);
      if (!result.ok) throw new Error("the bundled catalog must load");
      const withCatalog = path.join(indexDir, "with-catalog.bin");
      const without = path.join(indexDir, "without-catalog.bin");
      const { engine } = writeSnapshot(withCatalog, result.catalog, undefined, fingerprint);
      writeSnapshot(without, result.catalog, engine);

      const loaded = loadSavedIndex(withCatalog, fingerprint);
      if (!loaded.ok) throw new Error(loaded.detail);
      expect(loaded.catalog).toEqual(result.catalog);
      expect(answers(loaded.engine)).toEqual(answers(engine));

      expect(loadSavedIndex(withCatalog, "0123456789abcdef")).toMatchObject({ ok: false, reason: "stale" });
      expect(loadSavedIndex(without, fingerprint)).toMatchObject({ ok: false, reason: "stale" });
      expect(loadSavedIndex(path.join(indexDir, "absent.bin"), fingerprint)).toMatchObject({
        ok: false,
        reason: "missing",
      });
      const { readFile } = await import("node:fs/promises");
      const data = await readFile(withCatalog);
      data[data.length - 100] = data[data.length - 100]! ^ 0xff;
      const flipped = path.join(indexDir, "flipped.bin");
      await writeFile(flipped, data);
      expect(loadSavedIndex(flipped, fingerprint)).toMatchObject({
        ok: false,
        reason: "damaged",
        detail: "checksum does not match",
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
