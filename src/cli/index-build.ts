/**
 * `npm run index:build [-- --data <dir>] [--out <file>]` — builds the search index of the catalog in
 * `CATALOG_DIR` (or --data) and saves it to `SEARCH_INDEX_FILE` (or --out; by default the file the start
 * reads for that catalog folder), where the start loads it instead of building while the catalog and the
 * engine stay the same (see src/search/snapshot.ts). A deployment runs it before the first start, so no
 * process starts with a build.
 * Exit code 0 when written, 1 when the catalog does not load, 2 on a bad option.
 */
import { parseArgs } from "node:util";
import { catalogFingerprint, loadCatalogOrThrow } from "../catalog/load.js";
import { loadConfig } from "../config.js";
import { writeSnapshot } from "../search/snapshot.js";
import { println, runIfEntryPoint, type CliIo } from "./io.js";

export async function run(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { data: { type: "string" }, out: { type: "string" } },
    }));
  } catch (error) {
    println(io.stderr, `index:build: ${(error as Error).message}`);
    return 2;
  }
  let out = values.out;
  let data = values.data;
  if (out === undefined || data === undefined) {
    let config;
    try {
      config = loadConfig({ ...io.env, ...(data === undefined ? {} : { CATALOG_DIR: data }) });
    } catch (error) {
      println(io.stderr, `index:build: ${(error as Error).message}`);
      return 2;
    }
    out ??= config.SEARCH_INDEX_FILE;
    data ??= config.CATALOG_DIR;
  }
  if (!out) {
    println(io.stderr, "index:build: SEARCH_INDEX_FILE is empty; give --out <file>");
    return 2;
  }
  let catalog;
  const fingerprint = await catalogFingerprint(data);
  try {
    catalog = await loadCatalogOrThrow(data);
  } catch (error) {
    println(io.stderr, `index:build: ${(error as Error).message}`);
    return 1;
  }
  const started = performance.now();
  // The catalog is saved with the index when no file changed while it was read (see loadSavedIndex).
  const unchanged = fingerprint !== undefined && (await catalogFingerprint(data)) === fingerprint;
  const { header } = writeSnapshot(out, catalog, undefined, unchanged ? fingerprint : undefined);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  println(
    io.stdout,
    `search index of ${header.records} records written to ${out} (${(header.bytes / 2 ** 20).toFixed(1)} MB, ` +
      `key ${header.key}) in ${seconds} s`,
  );
  return 0;
}

await runIfEntryPoint(import.meta.url, run);
