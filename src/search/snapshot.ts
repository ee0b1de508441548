import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { z } from "zod";
import type { Catalog } from "../catalog/schema.js";
import type { ServiceLogger } from "../logger.js";
import { SearchEngine, type PreparedState, type SearchEngineOptions } from "./engine.js";
import { GAZETTEER_FILE } from "./gazetteer.js";
import { ELD_SUBSET_FILE } from "./language-subset.js";
import { PINYIN_FILE } from "./pinyin.js";

/**
 * A saved search index: what `SearchEngine.build` prepares that costs time (analysed records, flexsearch's
 * postings, the typo table's words, the vocabularies), written by `npm run index:build` and loaded at start
 * instead of building when it was made from the same catalog by the same engine.
 *
 * The file is one header line, then the state in V8's serialisation format:
 *
 *     cooperation-desk search index {"format":1,"key":"…","catalog":"…","engine":"…","records":…,"bytes":…,"sha256":"…"}\n
 *     <bytes of v8.serialize(PreparedState)>
 *
 * It is used only when its key is the key of the catalog and engine at hand. The key is the catalog's
 * content hash together with the engine's version: a hash of the source of the search and catalog layers
 * (the folders this module and the catalog's schema are in: src/ under tsx, dist/ when compiled), of the
 * data files the analysis reads (gazetteer, pinyin readings, language subset), of the versions of the
 * libraries whose state or behaviour it keeps (flexsearch, mnemonist, the stemmers, stop words, Chinese
 * conversion, country names) and of Node's V8 (whose format the body is in). Any edit to the engine's code
 * therefore makes an older index stale, even one that would not have changed its content: a rebuild is
 * cheap next to serving results that differ from a fresh build. A stale, damaged or unreadable file is
 * passed over with one log line, and the engine is built as if there were none.
 */

export const SNAPSHOT_FORMAT = 1;
const MAGIC = "cooperation-desk search index ";
/** The header line is short; a file whose first this-many bytes hold no newline is not an index. */
const MAX_HEADER = 4096;

/** Libraries whose data or behaviour the prepared state depends on. */
const LIBRARIES = ["flexsearch", "mnemonist", "snowball-stemmers", "stopword", "opencc-js", "i18n-iso-countries"];

const headerSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  key: z.string(),
  catalog: z.string(),
  engine: z.string(),
  records: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SnapshotHeader = z.infer<typeof headerSchema>;

/** Checked after decoding: the shape of the state (the checksum already vouches for its bytes). */
const stateSchema = z.object({
  titleUnits: z.array(z.array(z.array(z.array(z.string())))),
  index: z.array(z.tuple([z.string(), z.string()])),
  documentFrequency: z.array(z.tuple([z.string(), z.number()])),
  surfaces: z.array(z.tuple([z.string(), z.array(z.string())])),
  catalogWords: z.array(z.string()),
  vocabulary: z.object({ en: z.array(z.string()), fr: z.array(z.string()) }),
});

/** Content hash of a catalog: the same as the live catalog's reload hash (src/live/catalog.ts). */
export function catalogContentHash(catalog: Catalog): string {
  return createHash("sha256").update(JSON.stringify(catalog)).digest("hex").slice(0, 16);
}

let engineHash: string | undefined;

/** The engine's version for snapshot keys (see the module's comment); computed once per process. */
export function engineVersion(): string {
  if (engineHash) return engineHash;
  const hash = createHash("sha256");
  const here = path.dirname(fileURLToPath(import.meta.url));
  const catalogDir = path.join(here, "..", "catalog");
  for (const dir of [here, catalogDir]) {
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(?:ts|js)$/.test(name) || name.endsWith(".d.ts")) continue;
      hash
        .update(`${path.basename(dir)}/${name}\0`)
        .update(readFileSync(path.join(dir, name)))
        .update("\0");
    }
  }
  for (const file of [GAZETTEER_FILE, PINYIN_FILE, ELD_SUBSET_FILE])
    hash
      .update(`${path.basename(file)}\0`)
      .update(readFileSync(file))
      .update("\0");
  for (const name of LIBRARIES) hash.update(`${name}@${packageVersion(name)}\0`);
  hash.update(`v8@${process.versions.v8}\0format@${SNAPSHOT_FORMAT}`);
  engineHash = hash.digest("hex").slice(0, 16);
  return engineHash;
}

/** The installed version of a package: from the package.json above its entry point (exports may hide it). */
function packageVersion(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === name) return manifest.version ?? "?";
    } catch {
      // no package.json at this level
    }
    const parent = path.dirname(dir);
    if (parent === dir) return "?";
    dir = parent;
  }
}

/** The key an index of `catalog` must carry to be used: the catalog's content and the engine's version. */
export function snapshotKey(catalog: Catalog, catalogHash = catalogContentHash(catalog)): string {
  return `${catalogHash}-${engineVersion()}`;
}

/**
 * Builds the engine over `catalog` and writes its index to `file` (through a temporary file, so a reader
 * never sees half of one). Returns the header written and the engine.
 */
export function writeSnapshot(
  file: string,
  catalog: Catalog,
  options: SearchEngineOptions = {},
): { header: SnapshotHeader; engine: SearchEngine } {
  const catalogHash = catalogContentHash(catalog);
  const engine = SearchEngine.build(catalog, options);
  const body = v8.serialize(engine.prepared());
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    key: snapshotKey(catalog, catalogHash),
    catalog: catalogHash,
    engine: engineVersion(),
    records: catalog.records.length,
    bytes: body.length,
    sha256: createHash("sha256").update(body).digest("hex"),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`), body]));
  renameSync(temporary, file);
  return { header, engine };
}

export type SnapshotLoad =
  | { ok: true; engine: SearchEngine; header: SnapshotHeader }
  | { ok: false; reason: "missing" | "stale" | "damaged"; detail: string };

/** The engine from the index in `file`, when it is an intact index of this catalog by this engine; why not, otherwise. Never throws. */
export function loadSnapshot(
  file: string,
  catalog: Catalog,
  options: SearchEngineOptions = {},
  catalogHash = catalogContentHash(catalog),
): SnapshotLoad {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? { ok: false, reason: "missing", detail: "no index file" }
      : { ok: false, reason: "damaged", detail: `could not be read (${code ?? (error as Error).message})` };
  }
  const damaged = (detail: string): SnapshotLoad => ({ ok: false, reason: "damaged", detail });
  const end = data.subarray(0, MAX_HEADER).indexOf(10);
  const line = end < 0 ? "" : data.subarray(0, end).toString("utf8");
  if (!line.startsWith(MAGIC)) return damaged("not a search index (no header line)");
  let header: SnapshotHeader;
  try {
    const raw = JSON.parse(line.slice(MAGIC.length)) as { format?: unknown };
    if (raw.format !== SNAPSHOT_FORMAT)
      return {
        ok: false,
        reason: "stale",
        detail: `format ${String(raw.format)}, this engine reads ${SNAPSHOT_FORMAT}`,
      };
    header = headerSchema.parse(raw);
  } catch (error) {
    return damaged(`bad header: ${(error as Error).message.slice(0, 200)}`);
  }
  const key = snapshotKey(catalog, catalogHash);
  if (header.key !== key) {
    const what = [header.catalog !== catalogHash && "catalog", header.engine !== engineVersion() && "engine"].filter(
      Boolean,
    );
    return { ok: false, reason: "stale", detail: `made for another ${what.join(" and ") || "key"}` };
  }
  const body = data.subarray(end + 1);
  if (body.length !== header.bytes) return damaged(`${body.length} bytes where the header says ${header.bytes}`);
  if (createHash("sha256").update(body).digest("hex") !== header.sha256) return damaged("checksum does not match");
  let state: PreparedState;
  try {
    state = stateSchema.parse(v8.deserialize(body)) as PreparedState;
  } catch (error) {
    return damaged(`content not readable: ${(error as Error).message.slice(0, 200)}`);
  }
  if (state.titleUnits.length !== catalog.records.length || header.records !== catalog.records.length)
    return damaged(`${state.titleUnits.length} records where the catalog has ${catalog.records.length}`);
  try {
    return { ok: true, engine: SearchEngine.fromPrepared(catalog, state, options), header };
  } catch (error) {
    return damaged(`not usable: ${(error as Error).message.slice(0, 200)}`);
  }
}

/**
 * The engine over `catalog`: from the index in `file` when it matches, built otherwise. Logs which, with
 * the time taken, and why an index present was passed over (info when stale, warn when damaged).
 */
export function openSearchEngine(
  catalog: Catalog,
  {
    file,
    logger,
    options = {},
  }: { file: string | undefined; logger: Pick<ServiceLogger, "info" | "warn">; options?: SearchEngineOptions },
): SearchEngine {
  const started = performance.now();
  if (file) {
    const loaded = loadSnapshot(file, catalog, options);
    const ms = Math.round(performance.now() - started);
    if (loaded.ok) {
      logger.info(
        { file, records: loaded.engine.size, key: loaded.header.key, ms },
        "search index loaded from its saved copy",
      );
      return loaded.engine;
    }
    if (loaded.reason === "missing") logger.info({ file }, "no saved search index; building it");
    // A stale index is expected after an edit of the catalog or of the engine; a damaged one is not.
    else
      logger[loaded.reason === "stale" ? "info" : "warn"](
        { file, reason: loaded.reason, detail: loaded.detail, ms },
        "saved search index not used; building it",
      );
  }
  const engine = SearchEngine.build(catalog, options);
  logger.info({ records: engine.size, ms: Math.round(performance.now() - started) }, "search index built");
  return engine;
}
