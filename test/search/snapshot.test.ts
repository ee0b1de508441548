import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCatalog, generateQueries } from "../../bench/synthetic.js";
import type { Catalog, CatalogRecord } from "../../src/catalog/schema.js";
import { loadConfig } from "../../src/config.js";
import { LiveCatalog } from "../../src/live/catalog.js";
import { decide } from "../../src/search/decide.js";
import type { SearchEngine } from "../../src/search/engine.js";
import {
  catalogContentHash,
  engineVersion,
  loadSnapshot,
  openSearchEngine,
  writeSnapshot,
} from "../../src/search/snapshot.js";
import { createMemoryCatalogChanges } from "../../src/state/catalog-changes.js";
import { captureLogs } from "../helpers/logs.js";

/** A generated catalog (the one bench:search and bench:index measure), and records to add to it later. */
const SIZE = 300;
const generated = generateCatalog(SIZE + 20, 42);
const catalog: Catalog = { ...generated, records: generated.records.slice(0, SIZE) };
const extra = generated.records.slice(SIZE);

/** Queries of every shape the generator makes, with the hand-written ones no generator thinks of. */
const QUESTIONS = [
  ...generateQueries(catalog, 300, 7).map((q) => q.text),
  ...generateQueries({ ...catalog, records: extra }, 40, 8).map((q) => q.text),
  "",
  "the",
  "incubators in Kazakhstan",
  "инкубаторы в Казахстане",
  "incubateurs au Kazakhstan",
  "哈萨克斯坦孵化器",
  "wulumuqi fuhuaqi",
  "scolarships for studnets",
  "конфе",
  "when was ASEAN founded?",
  "je suis coordinatrice d'un incubateur à Dakar",
  "11th forum 2019",
];

let dir: string;
let file: string;
/** Built from the catalog, as the start does without an index. */
let fresh: SearchEngine;
/** Loaded from the index `npm run index:build` writes for the same catalog. */
let loaded: SearchEngine;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "search-index-"));
  file = path.join(dir, "index.bin");
  fresh = writeSnapshot(file, catalog).engine;
  const result = loadSnapshot(file, catalog);
  if (!result.ok) throw new Error(`the index just written was not loaded: ${result.reason} ${result.detail}`);
  loaded = result.engine;
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Everything the bot reads from the engine for a question: the search (with every hit's reasons) and the decision. */
function answers(engine: SearchEngine, questions: readonly string[]): unknown[] {
  return questions.map((q) => ({
    q,
    search: engine.search(q, { limit: 20 }),
    second: engine.search(q, { limit: 5, offset: 5, filters: { kinds: ["programme"] } }),
    places: engine.placesIn(q),
    lang: engine.language(q),
    decision: decide(engine, q),
  }));
}

describe("a search index loaded from its saved copy", () => {
  it("answers every question exactly as an engine built from the catalog", () => {
    expect(loaded.size).toBe(fresh.size);
    expect(loaded.catalog).toEqual(fresh.catalog);
    expect(answers(loaded, QUESTIONS)).toEqual(answers(fresh, QUESTIONS));
    expect(loaded.browse({ kinds: ["initiative"] }, { limit: 50 })).toEqual(
      fresh.browse({ kinds: ["initiative"] }, { limit: 50 }),
    );
  }, 120_000);

  it("is saved again byte for byte, whether a search decoded a record's title units or not", async () => {
    // A start saves a loaded index again when the catalog's files changed but not the catalog.
    const again = path.join(dir, "again.bin");
    writeSnapshot(again, catalog, loaded);
    expect((await readFile(again)).equals(await readFile(file))).toBe(true);
  });

  // On the two engines of the tests above, before the next one changes them: a build of its own would
  // cost more than the rest of the test. Both take the same changes here, so the next test still
  // compares engines with the same history.
  it("serves a live catalog, whose announcements apply on top of it", async () => {
    const logs = captureLogs();
    const from = (engine: SearchEngine) =>
      LiveCatalog.start({
        dir: "/nonexistent",
        files: catalog,
        engine,
        changes: createMemoryCatalogChanges(),
        logger: logs.logger,
      });
    const onIndex = await from(loaded);
    const onBuild = await from(fresh);
    try {
      const record = { ...extra[0]!, id: "announcement-from-the-index-test" };
      for (const live of [onIndex, onBuild]) {
        await live.put(record);
        await live.remove(catalog.records[5]!.id);
      }
      expect(onIndex.search.get(record.id)).toEqual(record);
      expect(onIndex.search.get(catalog.records[5]!.id)).toBeUndefined();
      expect(answers(onIndex.search, QUESTIONS.slice(0, 120))).toEqual(
        answers(onBuild.search, QUESTIONS.slice(0, 120)),
      );
    } finally {
      await onIndex.close();
      await onBuild.close();
    }
  }, 120_000);

  it("takes records added, replaced and removed in place as the built engine does", () => {
    const changes: ((engine: SearchEngine) => void)[] = [
      ...extra.map((record) => (engine: SearchEngine) => engine.put(record)),
      ...catalog.records.slice(0, 10).map((record) => (engine: SearchEngine) => engine.put(reworded(record))),
      ...catalog.records.slice(20, 30).map((record) => (engine: SearchEngine) => void engine.remove(record.id)),
      (engine) => void engine.remove(extra[3]!.id),
    ];
    for (const change of changes) {
      change(fresh);
      change(loaded);
    }
    expect(loaded.size).toBe(fresh.size);
    expect(answers(loaded, QUESTIONS)).toEqual(answers(fresh, QUESTIONS));
  }, 120_000);
});

describe("a saved index that does not fit", () => {
  /** The index file with its header line rewritten (the body kept). */
  async function withHeader(change: (header: Record<string, unknown>) => void): Promise<string> {
    const data = await readFile(file);
    const end = data.indexOf(10);
    const line = data.subarray(0, end).toString("utf8");
    const at = line.indexOf("{");
    const header = JSON.parse(line.slice(at)) as Record<string, unknown>;
    change(header);
    const out = path.join(dir, `header-${Math.random().toString(36).slice(2)}.bin`);
    await writeFile(
      out,
      Buffer.concat([Buffer.from(`${line.slice(0, at)}${JSON.stringify(header)}\n`), data.subarray(end + 1)]),
    );
    return out;
  }

  async function variant(name: string, change: (data: Buffer) => Buffer): Promise<string> {
    const out = path.join(dir, name);
    await writeFile(out, change(Buffer.from(await readFile(file))));
    return out;
  }

  it("is passed over when made from another catalog or by another engine", async () => {
    const changed: Catalog = { ...catalog, records: [reworded(catalog.records[0]!), ...catalog.records.slice(1)] };
    expect(catalogContentHash(changed)).not.toBe(catalogContentHash(catalog));
    expect(loadSnapshot(file, changed)).toMatchObject({
      ok: false,
      reason: "stale",
      detail: "made for another catalog",
    });
    const fewer: Catalog = { ...catalog, records: catalog.records.slice(1) };
    expect(loadSnapshot(file, fewer)).toMatchObject({ ok: false, reason: "stale" });

    const otherEngine = await withHeader((h) => {
      h.engine = "0000000000000000";
      h.key = `${String(h.catalog)}-0000000000000000`;
    });
    expect(loadSnapshot(otherEngine, catalog)).toMatchObject({
      ok: false,
      reason: "stale",
      detail: "made for another engine",
    });
    const newerFormat = await withHeader((h) => (h.format = 99));
    expect(loadSnapshot(newerFormat, catalog)).toMatchObject({ ok: false, reason: "stale" });
    expect(engineVersion()).toMatch(/^[0-9a-f]{16}$/);
  });

  it("is passed over when damaged, whatever the damage", async () => {
    const damaged = async (name: string, change: (data: Buffer) => Buffer) =>
      loadSnapshot(await variant(name, change), catalog);
    const flipped = await damaged("flipped.bin", (data) => {
      data[data.length - 1000] = data[data.length - 1000]! ^ 0xff;
      return data;
    });
    expect(flipped).toMatchObject({ ok: false, reason: "damaged", detail: "checksum does not match" });
    expect(await damaged("truncated.bin", (data) => data.subarray(0, data.length >> 1))).toMatchObject({
      ok: false,
      reason: "damaged",
    });
    expect(await damaged("empty.bin", () => Buffer.alloc(0))).toMatchObject({ ok: false, reason: "damaged" });
    expect(await damaged("text.bin", () => Buffer.from("hello\nworld"))).toMatchObject({
      ok: false,
      reason: "damaged",
      detail: "not a search index (no header line)",
    });
    expect(
      await damaged("no-newline.bin", () => Buffer.alloc(10_000, "cooperation-desk search index {")),
    ).toMatchObject({ ok: false, reason: "damaged" });
    const badHeader = await withHeader((h) => (h.sha256 = "not a checksum"));
    expect(loadSnapshot(badHeader, catalog)).toMatchObject({ ok: false, reason: "damaged" });
    // A body that passes the checksum (its header was written for it) but is not an index's content.
    const garbage = Buffer.from("definitely not V8's serialisation of an index");
    const { createHash } = await import("node:crypto");
    const forged = await withHeader((h) => {
      h.bytes = garbage.length;
      h.sha256 = createHash("sha256").update(garbage).digest("hex");
    });
    const forgedData = await readFile(forged);
    await writeFile(forged, Buffer.concat([forgedData.subarray(0, forgedData.indexOf(10) + 1), garbage]));
    expect(loadSnapshot(forged, catalog)).toMatchObject({ ok: false, reason: "damaged" });
    expect(loadSnapshot(dir, catalog)).toMatchObject({ ok: false, reason: "damaged" });
    expect(loadSnapshot(path.join(dir, "absent.bin"), catalog)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("makes the start build the engine, saying why in one log line", async () => {
    const flipped = await variant("flipped-for-start.bin", (data) => {
      data[data.length - 10] = data[data.length - 10]! ^ 0x01;
      return data;
    });
    const logs = captureLogs("info");
    const engine = openSearchEngine(catalog, { file: flipped, logger: logs.logger });
    const lines = logs.lines();
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({
        msg: "saved search index not used; building it",
        reason: "damaged",
        detail: "checksum does not match",
        file: flipped,
      }),
    ]);
    expect(lines.at(-1)).toMatchObject({ msg: "search index built", records: SIZE });
    // As the index intact answers (the same as a build, above).
    const intact = loadSnapshot(file, catalog);
    if (!intact.ok) throw new Error(intact.detail);
    expect(engine.search(QUESTIONS[0]!, { limit: 20 })).toEqual(intact.engine.search(QUESTIONS[0]!, { limit: 20 }));

    const quiet = captureLogs("info");
    const found = openSearchEngine(catalog, { file, logger: quiet.logger });
    expect(quiet.lines()).toEqual([
      expect.objectContaining({ level: 30, msg: "search index loaded from its saved copy", records: SIZE, file }),
    ]);
    expect(found.size).toBe(SIZE);

    const none = captureLogs("info");
    // A few records: what is logged does not depend on how many.
    openSearchEngine(
      { ...catalog, records: catalog.records.slice(0, 10) },
      {
        file: path.join(dir, "absent.bin"),
        logger: none.logger,
      },
    );
    expect(none.lines().map((l) => [l.level, l.msg])).toEqual([
      [30, "no saved search index; building it"],
      [30, "search index built"],
    ]);
  }, 120_000);
});

describe("a start that builds", () => {
  it("saves the index for the next start, which loads it; a folder it cannot write to changes nothing else", async () => {
    const small: Catalog = { ...catalog, records: catalog.records.slice(0, 40) };
    const saved = path.join(dir, "saved", "index.bin");
    const first = captureLogs("info");
    const built = openSearchEngine(small, { file: saved, logger: first.logger, save: true });
    expect(first.lines().map((l) => l.msg)).toEqual([
      "no saved search index; building it",
      "search index built",
      "search index saved for the next start",
    ]);
    const second = captureLogs("info");
    const again = openSearchEngine(small, { file: saved, logger: second.logger, save: true });
    expect(second.lines().map((l) => l.msg)).toEqual(["search index loaded from its saved copy"]);
    expect(answers(again, QUESTIONS.slice(0, 60))).toEqual(answers(built, QUESTIONS.slice(0, 60)));

    const blocked = path.join(saved, "index.bin"); // under a file, not a folder
    const third = captureLogs("info");
    const engine = openSearchEngine(small, { file: blocked, logger: third.logger, save: true });
    expect(engine.size).toBe(40);
    expect(third.lines().at(-1)).toMatchObject({
      level: 30,
      msg: "search index not saved; the next start builds it again",
      file: blocked,
    });
  }, 120_000);
});

describe("SEARCH_INDEX_FILE", () => {
  it("is by default one file per catalog folder and form of the code in the temporary folder; empty means none", () => {
    const bundled = loadConfig({}).SEARCH_INDEX_FILE;
    const other = loadConfig({ CATALOG_DIR: "/srv/catalog" }).SEARCH_INDEX_FILE;
    expect(bundled?.startsWith(path.join(os.tmpdir(), "cooperation-desk") + path.sep)).toBe(true);
    // The sources (as here) and the compiled code have a file each.
    expect(bundled).toMatch(/-src\.bin$/);
    expect(other).not.toBe(bundled);
    expect(loadConfig({ CATALOG_DIR: "/srv/catalog/" }).SEARCH_INDEX_FILE).toBe(other);
    expect(loadConfig({ SEARCH_INDEX_FILE: "" }).SEARCH_INDEX_FILE).toBeUndefined();
    expect(loadConfig({ SEARCH_INDEX_FILE: "index.bin" }).SEARCH_INDEX_FILE).toBe(path.resolve("index.bin"));
  });
});

/** The record with a changed English summary (a new version of it). */
function reworded(record: CatalogRecord): CatalogRecord {
  return { ...record, summary: { ...record.summary, en: `${record.summary.en} Zeolite perovskite graphene.` } };
}
