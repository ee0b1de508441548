/**
 * npm run bench:catalog — the live catalog's changes.
 *
 * 1. One change applied in place (put of a new record, replace, remove) against a full build of the
 *    same catalog, on generated catalogs of 1k and 10k records (--sizes): the figure behind "no rebuild".
 * 2. Propagation between processes on one Redis: the time from a change appended by one live catalog to
 *    the moment another, on its own connections, has applied it (--changes, default 200). Starts its own
 *    redis-server on a free loopback port.
 */
import { parseArgs } from "node:util";
import pino from "pino";
import type { CatalogRecord } from "../src/catalog/schema.js";
import { LiveCatalog } from "../src/live/catalog.js";
import { SearchEngine } from "../src/search/engine.js";
import { createRedisCatalogChanges } from "../src/state/catalog-changes-redis.js";
import { openClient, startRedisServer } from "../test/helpers/redis-server.js";
import { formatMs, formatRatio, formatTable, latencyFigures, machineLoad } from "./measure.js";
import { generateCatalog } from "./synthetic.js";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "1000,10000" }, changes: { type: "string", default: "200" } },
});
const sizes = values.sizes.split(",").map(Number);
const changes = Number(values.changes);

console.log(`bench:catalog — ${machineLoad()}\n`);

const rows: string[][] = [];
for (const size of sizes) {
  const catalog = generateCatalog(size + 100, 7);
  const base = { ...catalog, records: catalog.records.slice(0, size) };
  const extra = catalog.records.slice(size);
  let started = performance.now();
  const engine = SearchEngine.build(base);
  const buildMs = performance.now() - started;
  const timed = (op: (r: CatalogRecord, i: number) => void, records: readonly CatalogRecord[]) => {
    const samples = records.map((r, i) => {
      const t = performance.now();
      op(r, i);
      return performance.now() - t;
    });
    return latencyFigures(samples);
  };
  const put = timed((r) => engine.put(r), extra);
  const replace = timed((r) => engine.put({ ...r, summary: { ...r.summary, en: `${r.summary.en} Updated.` } }), extra);
  const remove = timed((r) => engine.remove(r.id), extra);
  started = performance.now();
  SearchEngine.build(base);
  const rebuildMs = performance.now() - started;
  rows.push([
    String(size),
    formatMs((buildMs + rebuildMs) / 2),
    formatMs(put.p50),
    formatMs(replace.p50),
    formatMs(remove.p50),
    formatMs(Math.max(put.p99, replace.p99, remove.p99)),
    formatRatio((buildMs + rebuildMs) / 2 / Math.max(put.p50, replace.p50, remove.p50)),
  ]);
}
console.log("One change in place against a full build (generated catalogs):");
console.log(
  formatTable(["records", "full build", "put p50", "replace p50", "remove p50", "worst p99", "build / change"], rows),
);

const server = await startRedisServer();
try {
  const logger = pino({ level: "silent" });
  const catalog = generateCatalog(1000, 11);
  const files = { ...catalog, records: catalog.records.slice(0, 900) };
  const extra = catalog.records.slice(900);
  const store = async () => createRedisCatalogChanges(await openClient(server.url), { prefix: "bench:", logger });
  const writer = await LiveCatalog.start({ dir: "/nonexistent", files, changes: await store(), logger });
  const reader = await LiveCatalog.start({ dir: "/nonexistent", files, changes: await store(), logger });
  const samples: number[] = [];
  for (let i = 0; i < changes; i++) {
    const record = extra[i % extra.length]!;
    const removing = Math.floor(i / extra.length) % 2 === 1;
    const t = performance.now();
    const version = removing ? await writer.remove(record.id) : await writer.put(record);
    while (reader.version < version) await new Promise((r) => setImmediate(r));
    samples.push(performance.now() - t);
  }
  const f = latencyFigures(samples);
  console.log(
    `\nA change appended by one live catalog until another (own Redis connections) has applied it, ${changes} changes:`,
  );
  console.log(formatTable(["p50", "p99", "max"], [[formatMs(f.p50), formatMs(f.p99), formatMs(f.max)]]));
  await writer.close();
  await reader.close();
} finally {
  await server.stop();
}
