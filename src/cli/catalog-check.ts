/**
 * `npm run catalog:check [data-dir]` — validates the catalog and checks that every record the shared
 * required-records list asks for exists. Exit code 0 when all is well, 1 otherwise.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_DATA_DIR, formatProblem, loadCatalog, plural } from "../catalog/load.js";
import type { CatalogProblem } from "../catalog/load.js";
import { KINDS } from "../catalog/schema.js";
import type { Catalog } from "../catalog/schema.js";
import { checkCatalogUsage, type UsageProblem } from "../catalog/usage.js";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { SHARED_DIR_ENV, sharedDir } from "../shared-dir.js";
import { println, runIfEntryPoint, type CliIo } from "./io.js";

/** The list of record ids the catalog must hold, in the shared folder. */
export function requiredRecordsFile(dir: string = sharedDir()): string {
  return path.join(dir, "catalog", "required-records.md");
}

export interface RequiredId {
  id: string;
  /** 1-based line of the table row, for pointing at it in a problem. */
  line: number;
}

const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TABLE_SEPARATOR = /^\|?\s*:?-{3,}/;

/** Ids from the first column of the markdown tables; header rows (those followed by a |---| row) are skipped. */
export function parseRequiredIds(markdown: string): RequiredId[] {
  const lines = markdown.split(/\r?\n/);
  const ids: RequiredId[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line.startsWith("|") || TABLE_SEPARATOR.test(line)) return;
    if (TABLE_SEPARATOR.test(lines[i + 1]?.trim() ?? "")) return;
    const cell = (line.split("|")[1] ?? "")
      .trim()
      .replace(/^`(.*)`$/, "$1")
      .trim();
    if (KEBAB_ID.test(cell)) ids.push({ id: cell, line: i + 1 });
  });
  return ids;
}

/** The required ids, or undefined when the file is not there (the shared directory is optional). */
export async function readRequiredIds(file: string): Promise<RequiredId[] | undefined> {
  try {
    return parseRequiredIds(await readFile(file, "utf8"));
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
}

export function missingRequired(catalog: Catalog, required: RequiredId[], file: string): CatalogProblem[] {
  const ids = new Set(catalog.records.map((r) => r.id));
  return required
    .filter((r) => !ids.has(r.id))
    .map((r) => ({ file, line: r.line, recordId: r.id, message: "required record is missing from the catalog" }));
}

/** `catalog OK: 57 records (12 initiative, ...), 20 sectors, 9 audiences, 80 concepts, 25 cities` */
export function summarize(catalog: Catalog): string {
  const kinds = KINDS.map((kind) => [kind, catalog.records.filter((r) => r.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(", ");
  return [
    `${plural(catalog.records.length, "record")} (${kinds})`,
    plural(Object.keys(catalog.sectors).length, "sector"),
    plural(Object.keys(catalog.audiences).length, "audience"),
    plural(Object.keys(catalog.glossary).length, "concept"),
    Object.keys(catalog.places.cities).length === 1 ? "1 city" : `${Object.keys(catalog.places.cities).length} cities`,
  ].join(", ");
}

/** `catalog:check [data-dir]`: exit code 0 when the catalog is sound, 1 with one line per problem on stderr. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const dataDir = argv[0] ? path.resolve(argv[0]) : DEFAULT_DATA_DIR;
  const result = await loadCatalog(dataDir);
  const problems = result.ok
    ? [...(await requiredProblems(result.catalog, dataDir, io)), ...(await usageProblems(result.catalog, dataDir))]
    : result.problems;
  if (problems.length > 0) {
    for (const p of problems) println(io.stderr, formatProblem(p));
    println(io.stderr, `catalog check failed: ${plural(problems.length, "problem")} in ${dataDir}`);
    return 1;
  }
  if (result.ok) println(io.stdout, `catalog OK: ${summarize(result.catalog)}`);
  return 0;
}

/** Required-record problems; a missing shared directory only skips this check, with a warning. */
async function requiredProblems(catalog: Catalog, dataDir: string, io: CliIo): Promise<CatalogProblem[]> {
  const file = requiredRecordsFile(sharedDir(io.env));
  const required = await readRequiredIds(file);
  if (required === undefined) {
    println(io.stderr, `warning: ${file} not found (set ${SHARED_DIR_ENV}); required-records check skipped`);
    return [];
  }
  // CatalogProblem paths are relative to the data directory.
  return missingRequired(catalog, required, path.relative(dataDir, file).split(path.sep).join("/"));
}

/** How the records read (src/catalog/usage.ts), each problem located in its record file. */
export async function usageProblems(catalog: Catalog, dataDir: string): Promise<CatalogProblem[]> {
  const found = checkCatalogUsage(catalog);
  const files = new Map<string, { doc: ReturnType<typeof parseDocument>; lines: LineCounter } | undefined>();
  const located: CatalogProblem[] = [];
  for (const p of found) {
    const file = `records/${p.recordId}.yaml`;
    if (!files.has(file)) files.set(file, await parsed(path.join(dataDir, file)));
    const yaml = files.get(file);
    const line = yaml ? lineOf(yaml.doc, yaml.lines, p.path) : undefined;
    located.push({
      file,
      ...(line === undefined ? {} : { line }),
      recordId: p.recordId,
      field: fieldPath(p),
      message: p.message,
    });
  }
  return located;
}

async function parsed(
  file: string,
): Promise<{ doc: ReturnType<typeof parseDocument>; lines: LineCounter } | undefined> {
  try {
    const lines = new LineCounter();
    return { doc: parseDocument(await readFile(file, "utf8"), { lineCounter: lines }), lines };
  } catch {
    return undefined;
  }
}

/** The line of the deepest node along the path that exists (a map entry points at its key). */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  at: UsageProblem["path"],
): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const segment of at) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment),
      );
      if (!pair) break;
      offset = isNode(pair.key) ? (pair.key.range?.[0] ?? offset) : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      offset = isNode(item) ? (item.range?.[0] ?? offset) : offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function fieldPath(p: UsageProblem): string {
  return p.path.reduce<string>((out, s) => (typeof s === "number" ? `${out}[${s}]` : out ? `${out}.${s}` : s), "");
}

// Run only as a script, so tests can import the helpers above.
await runIfEntryPoint(import.meta.url, run);
