/**
 * npm run bench:index — the saved search index against a build, on a generated catalog (the one
 * bench:search uses):
 *
 *   npm run bench:index [-- --size 100000] [--seed 42] [--queries 300]
 *
 * 1. build: `SearchEngine.build` of the catalog (what the start does without an index): time and the
 *    heap the engine keeps (settled, after gc).
 * 2. The index written from that engine (`writeSnapshot`, as `npm run index:build` does): time and size.
 * 3. load: the catalog's content hash, reading, checking and decoding the file and `fromPrepared` (what
 *    the start does when the index matches): time and the heap the engine keeps.
 * 4. The same questions asked of both engines: how many answers differ (must be 0), and the latency of
 *    each (a loaded engine decodes a record's title units the first time a search needs them).
 *
 * Prints the figures (wall and CPU time: the CPU time moves much less with other work), the ratios and
 * the machine's load average. Needs --expose-gc (the npm script sets it).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SearchEngine } from "../src/search/engine.js";
import { catalogContentHash, loadSnapshot, writeSnapshot } from "../src/search/snapshot.js";
import {
  collectGarbage,
  formatMB,
  formatMs,
  formatRatio,
  formatTable,
  latencyFigures,
  machineLoad,
  measureBuild,
} from "./measure.js";
import { generateCatalog, generateQueries } from "./synthetic.js";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "100000" },
    seed: { type: "string", default: "42" },
    queries: { type: "string", default: "300" },
  },
});
const size = Number(values.size.replace(/k$/, "000").replace(/_/g, ""));
const seed = Number(values.seed);
const queryCount = Number(values.queries);

/** CPU time (user + system) of this process since `from`, ms: it moves much less with other work than wall time. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

const log = (line: string) => process.stderr.write(`  … ${line}\n`);
console.log(`bench:index — node ${process.version}, ${size.toLocaleString("en-US")} generated records, seed ${seed}`);
console.log(machineLoad());

let started = performance.now();
const catalog = generateCatalog(size, seed);
const questions = generateQueries(catalog, queryCount, seed + 1).map((q) => q.text);
log(`catalog generated in ${formatMs(performance.now() - started)}`);
collectGarbage();

const dir = mkdtempSync(path.join(os.tmpdir(), "bench-index-"));
const file = path.join(dir, "search-index.bin");
try {
  log("building");
  let buildCpuMs = 0;
  const built = measureBuild(() => {
    const cpu = process.cpuUsage();
    const engine = SearchEngine.build(catalog);
    buildCpuMs = cpuMs(cpu);
    return engine;
  });
  log(`built in ${formatMs(built.ms)}; writing the index`);
  started = performance.now();
  const { header } = writeSnapshot(file, catalog, built.value);
  const writeMs = performance.now() - started;
  const answersOf = (engine: SearchEngine) => {
    const ms: number[] = [];
    const out = questions.map((q) => {
      const t = performance.now();
      const response = engine.search(q, { limit: 10 });
      ms.push(performance.now() - t);
      return JSON.stringify(response);
    });
    return { out, latency: latencyFigures(ms) };
  };
  const fresh = answersOf(built.value);
  built.value = undefined as unknown as SearchEngine;
  collectGarbage();

  log("loading");
  let loadCpuMs = 0;
  const loaded = measureBuild(() => {
    const cpu = process.cpuUsage();
    const result = loadSnapshot(file, catalog, {}, catalogContentHash(catalog));
    loadCpuMs = cpuMs(cpu);
    if (!result.ok) throw new Error(`the index was not loaded: ${result.reason}: ${result.detail}`);
    return result.engine;
  });
  const fromIndex = answersOf(loaded.value);
  const again = answersOf(loaded.value);
  const differ = fresh.out.filter((answer, i) => answer !== fromIndex.out[i]).length;

  console.log("");
  console.log(
    formatTable(
      ["engine", "ready", "CPU", "heap kept", "search p50 / p99 (first pass)", "second pass"],
      [
        [
          "built (SearchEngine.build)",
          formatMs(built.ms),
          formatMs(buildCpuMs),
          formatMB(built.heapMB),
          `${formatMs(fresh.latency.p50)} / ${formatMs(fresh.latency.p99)}`,
          "",
        ],
        [
          "loaded (saved index)",
          formatMs(loaded.ms),
          formatMs(loadCpuMs),
          formatMB(loaded.heapMB),
          `${formatMs(fromIndex.latency.p50)} / ${formatMs(fromIndex.latency.p99)}`,
          `${formatMs(again.latency.p50)} / ${formatMs(again.latency.p99)}`,
        ],
        [
          "build / load",
          formatRatio(built.ms / loaded.ms),
          formatRatio(buildCpuMs / loadCpuMs),
          formatRatio(built.heapMB / loaded.heapMB),
          "",
          "",
        ],
      ],
    ),
  );
  console.log(
    `index file ${formatMB(header.bytes / 2 ** 20)}, written in ${formatMs(writeMs)}; ` +
      `${questions.length} questions, answers that differ: ${differ}`,
  );
  if (size === 100_000) {
    const goal = loaded.ms <= 15_000 && loaded.heapMB <= 400;
    console.log(
      `goal at 100k: ready ≤ 15 s and heap ≤ 400 MB — loaded ${formatMs(loaded.ms)}, ${formatMB(loaded.heapMB)} ${goal ? "✓" : "✗"}`,
    );
  }
  console.log(machineLoad());
  if (differ > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
