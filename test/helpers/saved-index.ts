/**
 * Saved search indexes of the bundled catalog (src/search/snapshot.ts), written once per test run into
 * the run's folder (test/global-setup.ts) by the first test file that asks, and loaded by everything
 * after it instead of building the index again — the way a deployment runs `npm run index:build` once
 * and each start loads it:
 * - `processIndexFile()`: for the bot processes of replica sets (test/helpers/replicas.ts), written by
 *   the compiled `index:build` those processes come from (an index names the engine's code it was made
 *   by, so the compiled processes cannot use one made by src/ under vitest); `fixtureIndexFile()`, the
 *   same for processes on the two-record catalog;
 * - `openEngine()`: engines over the bundled catalog (or a copy of its folder) in the test workers
 *   (test/helpers/bot-deps.ts), built by the first worker that needs one and loaded by the others, an
 *   engine of its own each time; likewise for any other catalog, by its content.
 * The bundled catalog itself (`bundledCatalog()`) is read once per run the same way. Test files in
 * other workers that ask meanwhile wait for the first one's file. Outside a test run (no run folder),
 * nothing is saved: each worker reads the folder and builds.
 */
import { spawn } from "node:child_process";
import { access, copyFile, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import v8 from "node:v8";
import { catalogFingerprint, DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../../src/catalog/load.js";
import type { Catalog } from "../../src/catalog/schema.js";
import { SearchEngine, type SearchEngineOptions } from "../../src/search/engine.js";
import { catalogContentHash, loadSnapshot, writeSnapshot } from "../../src/search/snapshot.js";
import { makeCatalog } from "../catalog/fixture.js";
import { nodeArgs, ROOT } from "./main-process.js";

/** A bound on a hang: one index build, on a loaded machine. */
const MAKE_TIMEOUT_MS = 180_000;

function runFolder(): string | undefined {
  return process.env.COOPDESK_TEST_BUILD || undefined;
}

let processIndex: Promise<string | undefined> | undefined;

/**
 * The saved index of the bundled catalog for processes run from the compiled src/ (SEARCH_INDEX_FILE),
 * or undefined outside a test run. A process started on a copy of the bundled catalog loads it; one on
 * another catalog finds it stale and builds, as it would without.
 */
export function processIndexFile(): Promise<string | undefined> {
  return (processIndex ??= processIndexOf(DEFAULT_DATA_DIR, "bundled-catalog.process.index"));
}

let fixtureIndex: Promise<string | undefined> | undefined;
let fixtureCopies = 0;

/**
 * SEARCH_INDEX_FILE for processes run from the compiled src/ on the two-record catalog
 * (test/catalog/fixture.ts as `makeCatalog()` writes it): a copy of the run's saved index of that
 * catalog, for the test files whose processes are about something else than the index (exit codes,
 * signals, Redis at start, the console), which then load it instead of building it — about half of
 * such a start's CPU time. A copy of its own for each caller, since a start may save its index again;
 * "" outside a test run (no index). A start on another catalog finds it stale and builds.
 */
export async function fixtureIndexFile(): Promise<string> {
  const file = await (fixtureIndex ??= (async () => {
    if (!runFolder()) return undefined;
    const { dir } = await makeCatalog();
    return processIndexOf(dir, "fixture-catalog.process.index");
  })());
  if (!file) return "";
  const copy = `${file}.${process.pid}.${++fixtureCopies}`;
  await copyFile(file, copy);
  return copy;
}

/** The run's saved index of the catalog in `dataDir`, written once by the compiled `index:build`. */
async function processIndexOf(dataDir: string, name: string): Promise<string | undefined> {
  const folder = runFolder();
  if (!folder) return undefined;
  const file = path.join(folder, name);
  await madeOnce(file, async () => {
    const args = [...nodeArgs("cli/index-build"), "--data", dataDir, "--out", file];
    const { code, output } = await run(args);
    if (code !== 0) throw new Error(`index:build exited with ${code}:\n${output}`);
  });
  return file;
}

let bundled: Promise<Catalog> | undefined;
let bundledPrint: Promise<string | undefined> | undefined;

/**
 * The bundled catalog's files, read once per run: the first worker that needs them reads the folder and
 * saves what it read in the run's folder (V8's serialisation, as the saved index keeps a catalog); the
 * others take that instead of parsing and checking the YAML again. Frozen: code that changed them in
 * place fails there instead of leaking into the next test.
 */
export function bundledCatalog(): Promise<Catalog> {
  return (bundled ??= (async () => {
    const folder = runFolder();
    if (!folder) return deepFreeze(await loadCatalogOrThrow(DEFAULT_DATA_DIR));
    const file = path.join(folder, "bundled-catalog.v8");
    let read: Catalog | undefined;
    await madeOnce(file, async () => {
      read = await loadCatalogOrThrow(DEFAULT_DATA_DIR);
      await writeFile(`${file}.part`, v8.serialize(read));
      await rename(`${file}.part`, file);
    });
    return deepFreeze(read ?? (v8.deserialize(await readFile(file)) as Catalog));
  })());
}

/**
 * The catalog in `dir`: the bundled one when the folder holds the same files (a copy of the bundled
 * folder: as a start takes the catalog from its saved index when its folder's fingerprint is the one
 * saved with it), else read.
 */
export async function catalogIn(dir: string): Promise<Catalog> {
  if (dir === DEFAULT_DATA_DIR) return bundledCatalog();
  const [mine, bundledFiles] = await Promise.all([
    catalogFingerprint(dir),
    (bundledPrint ??= catalogFingerprint(DEFAULT_DATA_DIR)),
  ]);
  return mine !== undefined && mine === bundledFiles ? bundledCatalog() : loadCatalogOrThrow(dir);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Content hashes of catalogs (frozen, or never changed: see bundledCatalog), computed once. */
const hashes = new WeakMap<Catalog, string>();

/**
 * An engine of its own over `catalog`, with `options` (e.g. a fixed clock): loaded from the run's saved
 * index of the bundled catalog (about a third of the CPU time of a build) when `catalog` has the bundled
 * catalog's content — the bundled catalog itself, or a folder copied from it. The first call of the run
 * builds the bundled catalog's engine and saves it for the others. Another catalog (the two-record one of
 * test/catalog/fixture.ts, which many tests start from) gets a saved index of its own the same way, by
 * its content: built by the first test that opens it, loaded by the others (a tenth of a build's CPU time
 * for a small catalog, whose build is mostly the gazetteer's). Changing the engine changes no other.
 */
export async function openEngine(catalog: Catalog, options: SearchEngineOptions = {}): Promise<SearchEngine> {
  const folder = runFolder();
  if (!folder) return SearchEngine.build(catalog, options);
  const hash = contentHash(catalog);
  if (hash !== contentHash(await bundledCatalog())) return openOther(folder, catalog, hash, options);
  const file = await workersIndex(folder);
  if (builtHere && Object.keys(options).length === 0 && catalog === (await bundledCatalog())) {
    const engine = builtHere;
    builtHere = undefined;
    return engine;
  }
  const loaded = loadSnapshot(file, catalog, options, hash);
  // Stale when src/search changed since the file was written (a watch-mode rerun): built.
  return loaded.ok ? loaded.engine : SearchEngine.build(catalog, options);
}

function contentHash(catalog: Catalog): string {
  let hash = hashes.get(catalog);
  if (hash === undefined) hashes.set(catalog, (hash = catalogContentHash(catalog)));
  return hash;
}

/** An engine over a catalog other than the bundled one, from the run's saved index of its content. */
async function openOther(
  folder: string,
  catalog: Catalog,
  hash: string,
  options: SearchEngineOptions,
): Promise<SearchEngine> {
  const file = path.join(folder, `catalog-${hash}.workers.index`);
  let built: SearchEngine | undefined;
  await madeOnce(file, async () => {
    built = writeSnapshot(file, catalog).engine;
  });
  if (built && Object.keys(options).length === 0) return built;
  const loaded = loadSnapshot(file, catalog, options, hash);
  // Stale after a change to src/search (a watch-mode rerun): built.
  return loaded.ok ? loaded.engine : SearchEngine.build(catalog, options);
}

/** The engine this worker built to make the run's index, handed to the first engine asked for. */
let builtHere: SearchEngine | undefined;

/** The run's saved index of the bundled catalog made by src/ (the workers'), made by the first worker to ask. */
async function workersIndex(folder: string): Promise<string> {
  const file = path.join(folder, "bundled-catalog.workers.index");
  const bundledFiles = await bundledCatalog();
  await madeOnce(file, async () => {
    builtHere = writeSnapshot(file, bundledFiles).engine;
  });
  return file;
}

let appCopies = 0;

/**
 * SEARCH_INDEX_FILE for an app created in a test worker (createApp) on a copy of the bundled folder: a
 * copy of the run's saved index the workers' engines come from, which the start loads instead of
 * building the whole catalog's index, and may save again (hence a copy each). It lives in the run's
 * folder, removed at the end: an app left to the default would build, and leave its index in the
 * system's temporary folder at every run. "" outside a test run (no index).
 */
export async function appIndexFile(): Promise<string> {
  const folder = runFolder();
  if (!folder) return "";
  const copy = path.join(folder, `bundled-catalog.app.${process.pid}.${++appCopies}.index`);
  await copyFile(await workersIndex(folder), copy);
  return copy;
}

/**
 * Resolves once `file` exists: made here by `make` (which writes it, all at once) if no test file of
 * this run has begun to, else waited for. A failure to make it is this file's error and the others'.
 */
async function madeOnce(file: string, make: () => Promise<void>): Promise<void> {
  const failed = `${file}.failed`;
  if (await exists(file)) return;
  let mine = true;
  try {
    await writeFile(`${file}.lock`, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    mine = false;
  }
  if (mine) {
    try {
      await make();
    } catch (error) {
      await writeFile(failed, (error as Error).message);
      throw error;
    }
    return;
  }
  const deadline = Date.now() + MAKE_TIMEOUT_MS;
  for (;;) {
    if (await exists(file)) return;
    if (await exists(failed)) throw new Error(`${path.basename(file)} could not be made (see the file that made it)`);
    if (Date.now() > deadline) throw new Error(`${path.basename(file)} not made within ${MAKE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), MAKE_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
