import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { z } from "zod";
import type { Catalog } from "../catalog/schema.js";
import type { ServiceLogger } from "../logger.js";
import { SearchEngine, type PreparedState, type SearchEngineOptions } from "./engine.js";
import type { LexiconData } from "./lexicon.js";
import { isPackedData } from "./packed-table.js";
import { GAZETTEER_FILE } from "./gazetteer.js";
import { ELD_SUBSET_FILE } from "./language-subset.js";
import { PINYIN_FILE } from "./pinyin.js";

/**
 * A saved search index: what `SearchEngine.build` prepares that costs time (analysed records, flexsearch's
 * postings, the typo table's words, the vocabularies, the lexicon of names), written by `npm run index:build` and loaded at start
 * instead of building when it was made from the same catalog by the same engine.
 *
 * The file is one header line, then the state in V8's serialisation format, then (when the index was made
 * from a catalog folder) the catalog itself in the same format:
 *
 *     cooperation-desk search index {"format":5,"key":"…","catalog":"…","engine":"…","files":"…","records":…,"bytes":…,"catalogBytes":…,"sha256":"…"}\n
 *     <bytes of v8.serialize(StoredState)><bytes of v8.serialize(Catalog), catalogBytes of them>
 *
 * It is used only when its key is the key of the catalog and engine at hand. The key is the catalog's
 * content hash together with the engine's version: a hash of the source of the search and catalog layers
 * (the folders this module and the catalog's schema are in: src/ under tsx, dist/ when compiled), of the
 * data files the analysis reads (gazetteer, pinyin readings, language subset), of the versions of the
 * libraries whose state or behaviour it keeps (flexsearch, the stemmers, stop words, Chinese
 * conversion, country names) and of Node's V8 (whose format the body is in). Any edit to the engine's code
 * therefore makes an older index stale, even one that would not have changed its content: a rebuild is
 * cheap next to serving results that differ from a fresh build. A stale, damaged or unreadable file is
 * passed over with one log line, and the engine is built as if there were none.
 *
 * `files` is the fingerprint of the catalog folder the index was made from (`catalogFingerprint`: the
 * bytes of its files): a start whose folder has that fingerprint takes the catalog from the index too
 * (`loadSavedIndex`), without parsing and validating its YAML again, which is most of a start's work
 * after the index itself.
 */

export const SNAPSHOT_FORMAT = 5;
const MAGIC = "cooperation-desk search index ";
/** The header line is short; a file whose first this-many bytes hold no newline is not an index. */
const MAX_HEADER = 4096;

/** Libraries whose data or behaviour the prepared state depends on. */
const LIBRARIES = [
  "flexsearch",
  "snowball-stemmers",
  "stopword",
  "opencc-js",
  "i18n-iso-countries",
  "i18n-nationality",
  // The catalog saved with the index is what these read from its files.
  "yaml",
  "zod",
];

const headerSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  key: z.string(),
  catalog: z.string(),
  engine: z.string(),
  /** Fingerprint of the catalog folder (catalogFingerprint) when the catalog is saved after the state. */
  files: z.string().nullable(),
  records: z.number().int().min(0),
  bytes: z.number().int().min(0),
  /** The last this-many bytes of the body are the catalog (0: not saved). */
  catalogBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type SnapshotHeader = z.infer<typeof headerSchema>;

/** A flexsearch map's export, flattened: terms, then per term its buckets' lengths, then every id in order. */
const mapPartSchema = z.object({
  key: z.string(),
  count: z.number().int().min(0),
  terms: z.string(),
  /** Per term: how many buckets, then each bucket's length (-1: none). */
  shape: z.instanceof(Int32Array),
  ids: z.instanceof(Int32Array),
});
const indexPartSchema = z.union([
  mapPartSchema,
  z.object({ key: z.string(), reg: z.instanceof(Int32Array) }),
  z.object({ key: z.string(), json: z.string() }),
]);
type IndexPart = z.infer<typeof indexPartSchema>;

/**
 * The prepared state as stored: the same content in fewer, flatter values, which V8 reads back many times
 * faster than millions of small arrays. Checked after decoding (the checksum already vouches for the bytes).
 */
const storedSchema = z.object({
  /** Per record, its title units: languages joined by U+0003, units by U+0002, a unit's terms by U+0001. */
  titleUnits: z.array(z.string()),
  index: z.array(indexPartSchema),
  documentFrequency: z.object({ terms: z.string(), counts: z.instanceof(Int32Array) }),
  /** The word forms, then per form how many index keys, and the keys. */
  surfaces: z.object({ words: z.string(), keysPerWord: z.instanceof(Int32Array), keys: z.string() }),
  /** The typo table's hashed deletes (of the word forms, in their order). */
  typos: z.object({
    mask: z.number().int().min(0),
    starts: z.instanceof(Uint32Array),
    hashes: z.instanceof(Int32Array),
    owners: z.instanceof(Uint32Array),
  }),
  /** The lexicon: its packed tables, and maps and sets as they are (V8's format keeps them), checked for their kinds only. */
  lexicon: z.custom<LexiconData>(isLexiconData, "not a lexicon"),
  /** Each language's words, joined by U+0001, and how many. */
  vocabulary: z.object({ en: z.string(), fr: z.string(), counts: z.instanceof(Int32Array) }),
  /** The texts read, then the pinyin keys and per key how many spellings, the spellings and their counts. */
  pinyin: z.object({
    texts: z.array(z.string()),
    keys: z.string(),
    spellingsPerKey: z.instanceof(Int32Array),
    spellings: z.string(),
    counts: z.instanceof(Int32Array),
  }),
});
type StoredState = z.infer<typeof storedSchema>;

function isLexiconData(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const data = value as Record<keyof LexiconData, unknown>;
  const byFirst = data.byFirst as Record<string, unknown> | undefined;
  return (
    [byFirst?.en, byFirst?.fr, data.hanByFirst, data.placeWords].every(isPackedData) &&
    [data.countryOfToken, data.cityOfName].every((m) => m instanceof Map) &&
    [data.names, data.conceptWords, data.cityNames].every((m) => m instanceof Set) &&
    typeof data.demonyms === "object" &&
    data.demonyms !== null
  );
}

const TERM = "\u0001";
const UNIT = "\u0002";
const LANGUAGE = "\u0003";
const isStorable = (term: string) =>
  term !== "" && !term.includes(TERM) && !term.includes(UNIT) && !term.includes(LANGUAGE);

function encodeTerms(terms: readonly string[]): string {
  for (const term of terms)
    if (!isStorable(term)) throw new Error(`index term ${JSON.stringify(term)} cannot be stored`);
  return terms.join(TERM);
}

function decodeTerms(text: string, count: number): string[] {
  return count === 0 ? [] : text.split(TERM);
}

type Units = readonly (readonly string[])[][];

function encodeTitleUnits(units: Units): string {
  return units.map((lang) => lang.map((unit) => encodeTerms(unit)).join(UNIT)).join(LANGUAGE);
}

function decodeTitleUnits(text: string): Units {
  return text.split(LANGUAGE).map((lang) => (lang === "" ? [] : lang.split(UNIT).map((unit) => unit.split(TERM))));
}

/** One part of flexsearch's export, flattened when it is a map or a registry of numeric ids (kept as JSON otherwise). */
function encodeIndexPart(key: string, data: unknown): IndexPart {
  const json = typeof data === "string" ? data : JSON.stringify(data);
  const parsed = JSON.parse(json) as unknown;
  const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31;
  if (/(?:^|\.)reg$/.test(key) && Array.isArray(parsed) && parsed.every(isId))
    return { key, reg: Int32Array.from(parsed) };
  if (!/(?:^|\.)map$/.test(key) || !Array.isArray(parsed)) return { key, json };
  const terms: string[] = [];
  const shape: number[] = [];
  const ids: number[] = [];
  for (const entry of parsed) {
    const [term, buckets] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (typeof term !== "string" || !Array.isArray(buckets)) return { key, json };
    terms.push(term);
    shape.push(buckets.length);
    for (const bucket of buckets as unknown[]) {
      if (bucket === null) shape.push(-1);
      else if (Array.isArray(bucket) && bucket.every(isId)) {
        shape.push(bucket.length);
        for (const id of bucket) ids.push(id);
      } else return { key, json };
    }
  }
  return {
    key,
    count: terms.length,
    terms: encodeTerms(terms),
    shape: Int32Array.from(shape),
    ids: Int32Array.from(ids),
  };
}

/** flexsearch's export data back, as its import takes it (the parsed JSON). */
function decodeIndexPart(part: IndexPart, intern: (term: string) => string): unknown {
  if ("json" in part) return part.json;
  if ("reg" in part) return Array.from(part.reg);
  const { shape, ids } = part;
  const terms = decodeTerms(part.terms, part.count).map(intern);
  const entries: [string, (number[] | null)[]][] = new Array(terms.length);
  let s = 0;
  let at = 0;
  for (let t = 0; t < terms.length; t++) {
    const buckets: (number[] | null)[] = new Array(shape[s++]!);
    for (let b = 0; b < buckets.length; b++) {
      const length = shape[s++]!;
      if (length < 0) {
        buckets[b] = null;
        continue;
      }
      const bucket: number[] = new Array(length);
      for (let k = 0; k < length; k++) bucket[k] = ids[at + k]!;
      at += length;
      buckets[b] = bucket;
    }
    entries[t] = [terms[t]!, buckets];
  }
  if (s !== shape.length || at !== ids.length) throw new Error(`index part ${part.key} does not add up`);
  return entries;
}

function encodeState(state: PreparedState): StoredState {
  const frequencies = state.documentFrequency;
  return {
    titleUnits: state.titleUnits.map((units) => ("text" in units ? units.text : encodeTitleUnits(units))),
    index: state.index.map(([key, data]) => encodeIndexPart(key, data)),
    documentFrequency: {
      terms: encodeTerms(frequencies.map(([term]) => term)),
      counts: Int32Array.from(frequencies, ([, n]) => n),
    },
    surfaces: {
      words: encodeTerms(state.surfaces.map(([word]) => word)),
      keysPerWord: Int32Array.from(state.surfaces, ([, keys]) => keys.length),
      keys: encodeTerms(state.surfaces.flatMap(([, keys]) => keys)),
    },
    typos: state.typos,
    lexicon: state.lexicon,
    vocabulary: {
      en: encodeTerms(state.vocabulary.en),
      fr: encodeTerms(state.vocabulary.fr),
      counts: Int32Array.of(state.vocabulary.en.length, state.vocabulary.fr.length),
    },
    pinyin: {
      texts: state.pinyin.texts,
      keys: encodeTerms(state.pinyin.keys.map(([key]) => key)),
      spellingsPerKey: Int32Array.from(state.pinyin.keys, ([, spellings]) => spellings.length),
      spellings: encodeTerms(state.pinyin.keys.flatMap(([, spellings]) => spellings.map(([word]) => word))),
      counts: Int32Array.from(state.pinyin.keys.flatMap(([, spellings]) => spellings.map(([, n]) => n))),
    },
  };
}

/** The state for `SearchEngine.fromPrepared`; title units stay encoded until a search needs a record's. */
function decodeState(stored: StoredState): PreparedState {
  const terms = decodeTerms(stored.documentFrequency.terms, stored.documentFrequency.counts.length);
  const counts = stored.documentFrequency.counts;
  if (terms.length !== counts.length) throw new Error("document frequencies do not add up");
  // The index's terms are the document frequencies' terms: decoded once each, not once per field (at
  // 100,000 records the copies cost ~10 MB of heap).
  const same = new Map(terms.map((term) => [term, term]));
  const intern = (term: string) => same.get(term) ?? term;
  return {
    titleUnits: stored.titleUnits.map((text) => ({ text, decode: decodeTitleUnits })),
    index: stored.index.map((part) => [part.key, decodeIndexPart(part, intern)]),
    documentFrequency: terms.map((term, i) => [term, counts[i]!]),
    surfaces: decodeSurfaces(stored.surfaces, intern),
    typos: stored.typos,
    lexicon: stored.lexicon,
    vocabulary: {
      en: decodeTerms(stored.vocabulary.en, stored.vocabulary.counts[0] ?? 0),
      fr: decodeTerms(stored.vocabulary.fr, stored.vocabulary.counts[1] ?? 0),
    },
    pinyin: decodePinyin(stored.pinyin),
  };
}

function decodeSurfaces(stored: StoredState["surfaces"], intern: (term: string) => string): PreparedState["surfaces"] {
  const words = decodeTerms(stored.words, stored.keysPerWord.length);
  const keys = decodeTerms(
    stored.keys,
    stored.keysPerWord.reduce((sum, n) => sum + n, 0),
  ).map(intern);
  if (words.length !== stored.keysPerWord.length) throw new Error("word forms do not add up");
  let at = 0;
  const out = words.map((word, w): [string, string[]] => {
    const list = keys.slice(at, at + stored.keysPerWord[w]!);
    at += list.length;
    return [word, list];
  });
  if (at !== keys.length) throw new Error("word forms do not add up");
  return out;
}

function decodePinyin(stored: StoredState["pinyin"]): PreparedState["pinyin"] {
  const keys = decodeTerms(stored.keys, stored.spellingsPerKey.length);
  const spellings = decodeTerms(stored.spellings, stored.counts.length);
  if (keys.length !== stored.spellingsPerKey.length || spellings.length !== stored.counts.length)
    throw new Error("pinyin names do not add up");
  let at = 0;
  const out: PreparedState["pinyin"]["keys"] = keys.map((key, k) => {
    const list: [string, number][] = [];
    for (let n = 0; n < stored.spellingsPerKey[k]!; n++, at++) list.push([spellings[at]!, stored.counts[at]!]);
    return [key, list];
  });
  if (at !== spellings.length) throw new Error("pinyin names do not add up");
  return { texts: stored.texts, keys: out };
}

/**
 * Content hash of a catalog: its vocabularies, glossary and places, then each record, as JSON. Record by
 * record, because one JSON text of 100,000 records would be a string of hundreds of megabytes.
 */
export function catalogContentHash(catalog: Catalog): string {
  const { records, ...rest } = catalog;
  const hash = createHash("sha256").update(JSON.stringify(rest));
  for (const record of records) hash.update("\n").update(JSON.stringify(record));
  return hash.digest("hex").slice(0, 16);
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
 * Writes the index of `catalog` to `file` (through a temporary file, so a reader never sees half of one):
 * of `engine`, which must be a fresh build of `catalog` (no put or remove since), or of one built here.
 * With the fingerprint of the folder `catalog` was loaded from, the catalog is saved with it (see
 * `loadSavedIndex`). Returns the header written and the engine.
 */
export function writeSnapshot(
  file: string,
  catalog: Catalog,
  engine: SearchEngine = SearchEngine.build(catalog),
  fingerprint?: string,
): { header: SnapshotHeader; engine: SearchEngine } {
  return { header: writePreparedState(file, catalog, engine.prepared(), undefined, fingerprint), engine };
}

/** Writes the index of `catalog` from the state a fresh build of it prepared (see writeSnapshot). */
export function writePreparedState(
  file: string,
  catalog: Catalog,
  state: PreparedState,
  catalogHash = catalogContentHash(catalog),
  fingerprint?: string,
): SnapshotHeader {
  return writeIndexFile(file, catalog, v8.serialize(encodeState(state)), catalogHash, fingerprint);
}

function writeIndexFile(
  file: string,
  catalog: Catalog,
  stateBytes: Buffer,
  catalogHash: string,
  fingerprint: string | undefined,
): SnapshotHeader {
  const catalogBytes = fingerprint === undefined ? Buffer.alloc(0) : v8.serialize(catalog);
  const body = Buffer.concat([stateBytes, catalogBytes]);
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    key: snapshotKey(catalog, catalogHash),
    catalog: catalogHash,
    engine: engineVersion(),
    files: fingerprint ?? null,
    records: catalog.records.length,
    bytes: body.length,
    catalogBytes: catalogBytes.length,
    sha256: createHash("sha256").update(body).digest("hex"),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`), body]));
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return header;
}

export type SnapshotLoad =
  | { ok: true; engine: SearchEngine; header: SnapshotHeader }
  | { ok: false; reason: "missing" | "stale" | "damaged"; detail: string };

type Failure = Extract<SnapshotLoad, { ok: false }>;

/** An index file: its header, once it is known to be an intact index of this engine's format. */
interface IndexFile {
  header: SnapshotHeader;
  /** The body, checked against the header's checksum (by `intactBody`). */
  body: Buffer;
}

const damaged = (detail: string): Failure => ({ ok: false, reason: "damaged", detail });

/** Reads the file and its header line; the body is not checked yet. */
function readIndexFile(file: string): IndexFile | Failure {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? { ok: false, reason: "missing", detail: "no index file" }
      : damaged(`could not be read (${code ?? (error as Error).message})`);
  }
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
  return { header, body: data.subarray(end + 1) };
}

/** Undefined when the body is the one the header describes; why not, otherwise. */
function intactBody({ header, body }: IndexFile): Failure | undefined {
  if (body.length !== header.bytes) return damaged(`${body.length} bytes where the header says ${header.bytes}`);
  if (header.catalogBytes > header.bytes) return damaged("the catalog is longer than the body");
  if (createHash("sha256").update(body).digest("hex") !== header.sha256) return damaged("checksum does not match");
  return undefined;
}

/** The engine over `catalog` from the state part of an intact body. */
function engineOf(index: IndexFile, catalog: Catalog, options: SearchEngineOptions): SnapshotLoad {
  const { header, body } = index;
  let state: PreparedState;
  try {
    state = decodeState(storedSchema.parse(v8.deserialize(body.subarray(0, body.length - header.catalogBytes))));
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

/** The engine from the index in `file`, when it is an intact index of this catalog by this engine; why not, otherwise. Never throws. */
export function loadSnapshot(
  file: string,
  catalog: Catalog,
  options: SearchEngineOptions = {},
  catalogHash = catalogContentHash(catalog),
): SnapshotLoad {
  const index = readIndexFile(file);
  if ("ok" in index) return index;
  const { header } = index;
  const key = snapshotKey(catalog, catalogHash);
  if (header.key !== key) {
    const what = [header.catalog !== catalogHash && "catalog", header.engine !== engineVersion() && "engine"].filter(
      Boolean,
    );
    return { ok: false, reason: "stale", detail: `made for another ${what.join(" and ") || "key"}` };
  }
  return intactBody(index) ?? engineOf(index, catalog, options);
}

/** The parts of a catalog every use of one reads; the checksum vouches for the rest. */
const savedCatalogSchema = z.looseObject({
  records: z.array(z.looseObject({ id: z.string() })),
  sectors: z.looseObject({}),
  audiences: z.looseObject({}),
  glossary: z.looseObject({}),
  places: z.looseObject({}),
});

/**
 * The catalog and its engine from the index in `file`, when it was saved with the catalog of a folder
 * whose fingerprint (`catalogFingerprint`) is `fingerprint`, by this engine; why not, otherwise. Nothing
 * of the folder is parsed: the same files give the same catalog. Never throws.
 */
export function loadSavedIndex(
  file: string,
  fingerprint: string,
  options: SearchEngineOptions = {},
): (SnapshotLoad & { ok: false }) | { ok: true; engine: SearchEngine; header: SnapshotHeader; catalog: Catalog } {
  const index = readIndexFile(file);
  if ("ok" in index) return index;
  const { header, body } = index;
  if (header.files !== fingerprint || header.catalogBytes === 0 || header.engine !== engineVersion())
    return { ok: false, reason: "stale", detail: "made from other catalog files or by another engine" };
  const broken = intactBody(index);
  if (broken) return broken;
  let catalog: Catalog;
  try {
    const value: unknown = v8.deserialize(body.subarray(body.length - header.catalogBytes));
    savedCatalogSchema.parse(value);
    catalog = value as Catalog;
  } catch (error) {
    return damaged(`catalog not readable: ${(error as Error).message.slice(0, 200)}`);
  }
  const loaded = engineOf(index, catalog, options);
  return loaded.ok ? { ...loaded, catalog } : loaded;
}

/**
 * The engine over `catalog`: from the index in `file` when it matches, built otherwise. Logs which, with
 * the time taken, and why an index present was passed over (info when stale, warn when damaged). With
 * `save`, a build is saved to `file` at once (before any change is applied to the engine), so the next
 * start loads it: a fresh clone or a deployment needs no step of its own, and a failure to write (a
 * read-only folder) is logged and changes nothing else. With the fingerprint of the folder `catalog` was
 * loaded from, the index saved carries the catalog for `loadSavedIndex` (an index that matches the catalog
 * but was saved from other files, whose edits changed no record, is saved again with this fingerprint).
 */
export function openSearchEngine(
  catalog: Catalog,
  {
    file,
    logger,
    options = {},
    save = false,
    fingerprint,
  }: {
    file: string | undefined;
    logger: Pick<ServiceLogger, "info" | "warn">;
    options?: SearchEngineOptions;
    save?: boolean;
    fingerprint?: string | undefined;
  },
): SearchEngine {
  const started = performance.now();
  const catalogHash = file ? catalogContentHash(catalog) : undefined;
  if (file) {
    const loaded = loadSnapshot(file, catalog, options, catalogHash);
    const ms = Math.round(performance.now() - started);
    if (loaded.ok) {
      logger.info(
        { file, records: loaded.engine.size, key: loaded.header.key, ms },
        "search index loaded from its saved copy",
      );
      if (save && fingerprint !== undefined && loaded.header.files !== fingerprint)
        saveIndex(file, catalog, loaded.engine.prepared(), catalogHash as string, fingerprint, logger);
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
  if (file && save) saveIndex(file, catalog, engine.prepared(), catalogHash as string, fingerprint, logger);
  return engine;
}

function saveIndex(
  file: string,
  catalog: Catalog,
  state: PreparedState,
  catalogHash: string,
  fingerprint: string | undefined,
  logger: Pick<ServiceLogger, "info">,
): void {
  const saving = performance.now();
  try {
    const header = writePreparedState(file, catalog, state, catalogHash, fingerprint);
    logger.info(
      { file, key: header.key, bytes: header.bytes, ms: Math.round(performance.now() - saving) },
      "search index saved for the next start",
    );
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    logger.info({ file, reason: code ?? message }, "search index not saved; the next start builds it again");
  }
}
