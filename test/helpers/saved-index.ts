/**
 * Saved search indexes of the bundled catalog (src/search/snapshot.ts), written once per test run into
 * the run's folder (test/global-setup.ts) by the first test file that asks, and loaded by everything
 * after it instead of building the index again — the way a deployment runs `npm run index:build` once
 * and each start loads it:
 * - `processIndexFile()`: for the bot processes of replica sets (test/helpers/replicas.ts), written by
 *   the compiled `index:build` those processes come from (an index names the engine's code it was made
 *   by, so the compiled processes cannot use one made by src/ under vitest);
 * - `openEngine()`: engines over the bundled catalog (or a copy of its folder) in the test workers
 *   (test/helpers/bot-deps.ts), built by the first worker that needs one and loaded by the others, an
 *   engine of its own each time.
 * Test files in other workers that ask meanwhile wait for the first one's file. Outside a test run
 * (no run folder), nothing is saved: each start and each worker builds.
 */
import { spawn } from "node:child_process";
import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_DATA_DIR } from "../../src/catalog/load.js";
import type { Catalog } from "../../src/catalog/schema.js";
import { SearchEngine } from "../../src/search/engine.js";
import { catalogContentHash, loadSnapshot, writeSnapshot } from "../../src/search/snapshot.js";
import { bundledCatalog } from "./bundled-catalog.js";
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
  return (processIndex ??= (async () => {
    const folder = runFolder();
    if (!folder) return undefined;
    const file = path.join(folder, "bundled-catalog.process.index");
    await madeOnce(file, async () => {
      const args = [...nodeArgs("cli/index-build"), "--data", DEFAULT_DATA_DIR, "--out", file];
      const { code, output } = await run(args);
      if (code !== 0) throw new Error(`index:build exited with ${code}:\n${output}`);
    });
    return file;
  })());
}

/** Content hashes of catalogs (frozen, or never changed: see bundled-catalog.ts), computed once. */
const hashes = new WeakMap<Catalog, string>();

/**
 * An engine of its own over `catalog`: loaded from the run's saved index of the bundled catalog (about a
 * third of the CPU time of a build) when `catalog` has the bundled catalog's content — the bundled
 * catalog itself, or a folder copied from it — else built. The first call of the run builds the bundled
 * catalog's engine and saves it for the others. Changing the engine changes no other.
 */
export async function openEngine(catalog: Catalog): Promise<SearchEngine> {
  const folder = runFolder();
  if (!folder) return SearchEngine.build(catalog);
  const file = path.join(folder, "bundled-catalog.workers.index");
  const bundled = await bundledCatalog();
  let built: SearchEngine | undefined;
  await madeOnce(file, async () => {
    const engine = writeSnapshot(file, bundled).engine;
    if (catalog === bundled) built = engine;
  });
  if (built) return built;
  let hash = hashes.get(catalog);
  if (hash === undefined) hashes.set(catalog, (hash = catalogContentHash(catalog)));
  const loaded = loadSnapshot(file, catalog, {}, hash);
  // Stale for another catalog, or when src/search changed since the file was written (a watch-mode
  // rerun): built.
  return loaded.ok ? loaded.engine : SearchEngine.build(catalog);
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
