import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { countries } from "./countries.js";
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Document, LineCounter } from "yaml";
import type { z } from "zod";
import { glossarySchema, isCalendarDate, LANGUAGES, placesSchema, recordSchema, vocabularySchema } from "./schema.js";
import type { Catalog, CatalogRecord, Places, Vocabulary } from "./schema.js";

/** One thing wrong with the catalog, located as precisely as the data allows. */
export interface CatalogProblem {
  /** Path relative to the data directory, with forward slashes. */
  file: string;
  /** 1-based line in `file`. */
  line?: number;
  recordId?: string;
  /** Dotted path inside the file, e.g. `title.ru` or `countries[1]`. */
  field?: string;
  message: string;
}

export type CatalogLoadResult = { ok: true; catalog: Catalog } | { ok: false; problems: CatalogProblem[] };

/** The repository's data/ directory, unless CATALOG_DIR points elsewhere. */
export const DEFAULT_DATA_DIR = process.env.CATALOG_DIR
  ? path.resolve(process.env.CATALOG_DIR)
  : fileURLToPath(new URL("../../data", import.meta.url));

const FILES = {
  sectors: "vocabularies/sectors.yaml",
  audiences: "vocabularies/audiences.yaml",
  glossary: "glossary.yaml",
  places: "places.yaml",
} as const;
const RECORDS_DIR = "records";

const require = createRequire(import.meta.url);

/**
 * The YAML parser, loaded when a file is first parsed: a start that takes the catalog from the saved search
 * index (see catalogFingerprint) parses none.
 */
function yamlPackage(): typeof Yaml {
  return require("yaml") as typeof Yaml;
}

/** `records/foo.yaml:12 [foo] title.ru: missing translation` */
export function formatProblem(p: CatalogProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  const id = p.recordId === undefined ? "" : ` [${p.recordId}]`;
  const field = p.field === undefined ? "" : ` ${p.field}:`;
  return `${where}${id}${field} ${p.message}`;
}

/**
 * Loads and validates the whole catalog. Every check runs before anything is returned, so a bad catalog
 * reports all of its problems at once and never yields a partial catalog.
 */
export async function loadCatalog(dataDir: string): Promise<CatalogLoadResult> {
  const problems: CatalogProblem[] = [];
  const [sectors, audiences, glossary, places, records] = await Promise.all([
    loadReferenceFile(dataDir, FILES.sectors, vocabularySchema, problems),
    loadReferenceFile(dataDir, FILES.audiences, vocabularySchema, problems),
    loadReferenceFile(dataDir, FILES.glossary, glossarySchema, problems),
    loadReferenceFile(dataDir, FILES.places, placesSchema, problems, checkPlaceCountries),
    loadRecordFiles(dataDir, problems),
  ]);
  checkRecords(records, { sectors, audiences, places }, problems);

  if (problems.length > 0 || !sectors || !audiences || !glossary || !places) {
    return { ok: false, problems: sortProblems(problems) };
  }
  const valid = records.parsed.flatMap((r) => (r.record ? [r.record] : []));
  valid.sort((a, b) => a.id.localeCompare(b.id));
  return { ok: true, catalog: { records: valid, sectors, audiences, glossary, places } };
}

/**
 * What `loadCatalog(dataDir)` reads, as one hash: the names in records/ and the bytes of every file it
 * would read, with the default locale (records are sorted with localeCompare). The same fingerprint read
 * by the same loader gives the same catalog, so a catalog saved with its fingerprint (the saved search
 * index) stands for the files without parsing them again. Undefined when a file cannot be read: the
 * loader then reports it.
 */
export async function catalogFingerprint(dataDir: string): Promise<string | undefined> {
  try {
    const entries = (await readdir(path.join(dataDir, RECORDS_DIR))).sort();
    const records = entries.filter((n) => n.endsWith(".yaml") && !n.startsWith(".")).map((n) => `${RECORDS_DIR}/${n}`);
    const files = [...Object.values(FILES), ...records];
    const texts = await Promise.all(files.map((file) => readFile(path.join(dataDir, file))));
    const hash = createHash("sha256").update(`${new Intl.Collator().resolvedOptions().locale}\0`);
    hash.update(`${entries.join("/")}\0`);
    files.forEach((file, i) => hash.update(`${file}\0${texts[i]!.length}\0`).update(texts[i]!));
    return hash.digest("hex").slice(0, 16);
  } catch {
    return undefined;
  }
}

/** For startup: the catalog, or an Error whose message lists every problem. */
export async function loadCatalogOrThrow(dataDir: string = DEFAULT_DATA_DIR): Promise<Catalog> {
  const result = await loadCatalog(dataDir);
  if (result.ok) return result.catalog;
  const lines = result.problems.map(formatProblem);
  throw new Error(`catalog in ${dataDir} has ${plural(lines.length, "problem")}:\n${lines.join("\n")}`);
}

/**
 * One record as it would be written to `records/<id>.yaml`, checked by the same rules as the files: the
 * schema, then the vocabularies, places, countries and references to other records (`isKnown`). For a
 * record edited in chat: it goes through YAML so every problem carries the same field path.
 */
export function checkRecordValue(
  value: unknown,
  refs: Pick<Catalog, "sectors" | "audiences" | "places">,
  isKnown: (id: string) => boolean,
): { ok: true; record: CatalogRecord } | { ok: false; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const rawId = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
  const id = typeof rawId === "string" && rawId !== "" ? rawId : undefined;
  const file = `${RECORDS_DIR}/${id ?? "new"}.yaml`;
  const parsed = parseYaml(file, yamlPackage().stringify(value), problems, id);
  if (!parsed) return { ok: false, problems };
  const yaml = new YamlFile(file, parsed.doc, parsed.lines, parsed.data, id);
  const record = validate(yaml, recordSchema, problems);
  if (record) {
    checkTerms(yaml, record, refs, problems);
    checkRecordCountries(yaml, record, problems);
    checkRecordReferences(yaml, record, { has: (other: string) => other === record.id || isKnown(other) }, problems);
  }
  return record && problems.length === 0 ? { ok: true, record } : { ok: false, problems };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------------------------------
// Reading and parsing

type PathSegment = string | number;

/** A parsed YAML file, kept with its node tree so problems can be traced back to lines. */
class YamlFile {
  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    readonly lines: LineCounter,
    /** The document as plain data, converted once by parseYaml (within the alias limit). */
    private readonly value: unknown,
    readonly recordId?: string,
  ) {}

  data(): unknown {
    return this.value;
  }

  problem(fieldPath: readonly PathSegment[], message: string): CatalogProblem {
    const p: CatalogProblem = { file: this.file, message };
    const line = this.lineOf(fieldPath);
    if (line !== undefined) p.line = line;
    if (this.recordId !== undefined) p.recordId = this.recordId;
    if (fieldPath.length > 0) p.field = formatPath(fieldPath);
    return p;
  }

  /**
   * The line of the deepest node along `fieldPath` that exists. Map entries point at their key, so a
   * missing `title.ru` points at the `title:` line. Returns undefined when not even the first step exists
   * (a missing top-level field), as pointing at line 1 would be misleading.
   */
  lineOf(fieldPath: readonly PathSegment[]): number | undefined {
    let node: unknown = this.doc.contents;
    let offset: number | undefined;
    for (const segment of fieldPath) {
      const step = childOf(node, segment);
      if (!step) break;
      offset = step.offset ?? offset;
      node = step.node;
    }
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}

function childOf(node: unknown, segment: PathSegment): { node: unknown; offset: number | undefined } | undefined {
  if (yamlPackage().isMap(node)) {
    const pair = node.items.find((item) => keyText(item.key) === String(segment));
    if (!pair) return undefined;
    return { node: pair.value, offset: startOf(pair.key) };
  }
  if (yamlPackage().isSeq(node) && typeof segment === "number") {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { node: item, offset: startOf(item) };
  }
  return undefined;
}

function startOf(node: unknown): number | undefined {
  return yamlPackage().isNode(node) ? node.range?.[0] : undefined;
}

function keyText(key: unknown): string {
  return yamlPackage().isScalar(key) ? String(key.value) : String(key);
}

function formatPath(fieldPath: readonly PathSegment[]): string {
  let out = "";
  for (const segment of fieldPath) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** Reads a file relative to dataDir; undefined (with a problem recorded) when it cannot be read. */
async function readText(
  dataDir: string,
  file: string,
  problems: CatalogProblem[],
  recordId?: string,
): Promise<string | undefined> {
  try {
    return await readFile(path.join(dataDir, file), "utf8");
  } catch (error) {
    const message = isNotFound(error) ? "file not found" : `cannot read file: ${String(error)}`;
    problems.push(withRecordId({ file, message }, recordId));
    return undefined;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

function withRecordId(p: CatalogProblem, recordId: string | undefined): CatalogProblem {
  return recordId === undefined ? p : { ...p, recordId };
}

interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  data: unknown;
}

/**
 * Alias expansions allowed when a file becomes data. A catalog file has little use for anchors; a
 * "billion laughs" file (aliases of aliases) would otherwise expand into gigabytes. yaml's option.
 */
export const MAX_ALIAS_COUNT = 100;

/** Parses YAML text; syntax errors become problems (with their line) and the file is not used further. */
function parseYaml(file: string, text: string, problems: CatalogProblem[], recordId?: string): ParsedYaml | undefined {
  const { LineCounter, parseDocument } = yamlPackage();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length === 0) {
    try {
      return { doc, lines, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
    } catch (error) {
      // yaml throws (a ReferenceError) instead of reporting: the file gets a problem line like any other.
      const excessive = error instanceof Error && /alias count/i.test(error.message);
      const message = excessive
        ? `aliases expand too much (over ${MAX_ALIAS_COUNT} expansions)`
        : `cannot be read as data: ${error instanceof Error ? error.message : String(error)}`;
      problems.push(withRecordId({ file, message: `invalid YAML: ${message}` }, recordId));
      return undefined;
    }
  }
  for (const error of doc.errors) {
    const p: CatalogProblem = { file, message: `invalid YAML: ${yamlErrorText(error.message)}` };
    const line = error.linePos?.[0].line;
    if (line !== undefined) p.line = line;
    problems.push(withRecordId(p, recordId));
  }
  return undefined;
}

/** The yaml package appends "at line N, column M:" and a code excerpt; the line is reported separately. */
function yamlErrorText(message: string): string {
  const first = message.split("\n")[0] ?? message;
  const located = /^(.*) at line \d+, column (\d+):?$/.exec(first);
  return located ? `${located[1]} (column ${located[2]})` : first;
}

/** Validates a parsed file against a schema, turning each zod issue into a located problem. */
function validate<S extends z.ZodType>(yaml: YamlFile, schema: S, problems: CatalogProblem[]): z.output<S> | undefined {
  const data = yaml.data();
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) problems.push(...issueProblems(yaml, issue, data));
  return undefined;
}

/** Loads one reference file; `extraCheck` runs on a schema-valid value for rules zod cannot express. */
async function loadReferenceFile<S extends z.ZodType>(
  dataDir: string,
  file: string,
  schema: S,
  problems: CatalogProblem[],
  extraCheck?: (yaml: YamlFile, value: z.output<S>, problems: CatalogProblem[]) => void,
): Promise<z.output<S> | undefined> {
  const text = await readText(dataDir, file, problems);
  if (text === undefined) return undefined;
  const parsed = parseYaml(file, text, problems);
  if (!parsed) return undefined;
  const yaml = new YamlFile(file, parsed.doc, parsed.lines, parsed.data);
  const value = validate(yaml, schema, problems);
  if (value !== undefined) extraCheck?.(yaml, value, problems);
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Zod issues → problems

const LANGUAGE_SET: ReadonlySet<string> = new Set(LANGUAGES);

function issueProblems(yaml: YamlFile, issue: z.core.$ZodIssue, data: unknown): CatalogProblem[] {
  const issuePath = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
  if (issue.code === "unrecognized_keys") {
    // One problem per key, each pointing at the offending key's own line.
    return issue.keys.map((key) => yaml.problem([...issuePath, key], `unknown field "${key}"`));
  }
  return [yaml.problem(issuePath, issueMessage(issue, issuePath, valueAt(data, issuePath)))];
}

function issueMessage(issue: z.core.$ZodIssue, issuePath: readonly PathSegment[], value: unknown): string {
  if (isMissingTranslation(issuePath, value)) return "missing translation";
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return "missing required field";
      return `expected ${describeType(issue.expected)}, got ${describeValue(value)}${quoteHint(issue.expected, value)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}, got ${describeValue(value)}`;
    case "invalid_key": {
      const key = issuePath[issuePath.length - 1];
      return `invalid key "${String(key)}": ${issue.issues[0]?.message ?? issue.message}`;
    }
    case "custom":
      // The schema's only refinement is the calendar-date check; name the two ways a date goes wrong.
      if (typeof value === "string" && /^\d{4}-\d{2}(-\d{2})?$/.test(value) && !isCalendarDate(value)) {
        return `invalid date "${value}": no such day or month in the calendar`;
      }
      return `${issue.message}, got ${describeValue(value)}`;
    default:
      return value === undefined ? issue.message : `${issue.message}, got ${describeValue(value)}`;
  }
}

/** A language slot (in a localized text or a glossary entry) that is absent, null, blank or an empty list. */
function isMissingTranslation(issuePath: readonly PathSegment[], value: unknown): boolean {
  const last = issuePath[issuePath.length - 1];
  if (typeof last !== "string" || !LANGUAGE_SET.has(last)) return false;
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  return Array.isArray(value) && value.length === 0;
}

function valueAt(data: unknown, fieldPath: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of fieldPath) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

function describeType(expected: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a text",
    number: "a number",
    boolean: "true or false",
  };
  return names[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** YAML reads an unquoted 2025 or true as a number or boolean; tell the author how to keep it a text. */
function quoteHint(expected: string, value: unknown): string {
  return expected === "string" && (typeof value === "number" || typeof value === "boolean")
    ? ` (quote it: "${String(value)}")`
    : "";
}

// ---------------------------------------------------------------------------------------------------
// Records and cross-references

interface RecordFile {
  yaml: YamlFile;
  /** The `id` as written, when it is a string — known even if the rest of the record is invalid. */
  rawId: string | undefined;
  record: CatalogRecord | undefined;
}

interface RecordFiles {
  /** Files that parsed as YAML. */
  parsed: RecordFile[];
  /** Ids named by file names, including files that could not be parsed. */
  fileIds: string[];
}

async function loadRecordFiles(dataDir: string, problems: CatalogProblem[]): Promise<RecordFiles> {
  const names = await listRecordFiles(dataDir, problems);
  const loaded = await Promise.all(names.map((name) => loadRecordFile(dataDir, name, problems)));
  return { parsed: loaded.filter((r): r is RecordFile => r !== undefined), fileIds: names.map(stemOf) };
}

function stemOf(name: string): string {
  return name.slice(0, -".yaml".length);
}

async function listRecordFiles(dataDir: string, problems: CatalogProblem[]): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path.join(dataDir, RECORDS_DIR));
  } catch (error) {
    problems.push({
      file: `${RECORDS_DIR}/`,
      message: isNotFound(error) ? "records directory not found" : `cannot read records directory: ${String(error)}`,
    });
    return [];
  }
  // A .yml file would otherwise be skipped silently and its record would go missing.
  for (const name of entries.filter((n) => n.endsWith(".yml"))) {
    problems.push({ file: `${RECORDS_DIR}/${name}`, message: 'record files must end in ".yaml"' });
  }
  const names = entries.filter((n) => n.endsWith(".yaml") && !n.startsWith(".")).sort();
  if (names.length === 0)
    problems.push({ file: `${RECORDS_DIR}/`, message: "no records found (expected records/<id>.yaml files)" });
  return names;
}

async function loadRecordFile(
  dataDir: string,
  name: string,
  problems: CatalogProblem[],
): Promise<RecordFile | undefined> {
  const file = `${RECORDS_DIR}/${name}`;
  const stem = stemOf(name);
  const text = await readText(dataDir, file, problems, stem);
  if (text === undefined) return undefined;
  const parsed = parseYaml(file, text, problems, stem);
  if (!parsed) return undefined;
  const rawId: unknown = parsed.doc.get("id");
  const id = typeof rawId === "string" && rawId !== "" ? rawId : undefined;
  const yaml = new YamlFile(file, parsed.doc, parsed.lines, parsed.data, id ?? stem);
  if (id !== undefined && id !== stem) {
    problems.push(yaml.problem(["id"], `id "${id}" does not match the file name (expected ${RECORDS_DIR}/${id}.yaml)`));
  }
  return { yaml, rawId: id, record: validate(yaml, recordSchema, problems) };
}

interface References {
  sectors: Vocabulary | undefined;
  audiences: Vocabulary | undefined;
  places: Places | undefined;
}

/**
 * Checks across records. Term checks only run against reference files that loaded: a broken
 * vocabulary file is reported once, not as an unknown term in every record.
 */
function checkRecords({ parsed, fileIds }: RecordFiles, refs: References, problems: CatalogProblem[]): void {
  checkDuplicateIds(parsed, problems);
  // Any id written in a file or file name counts as existing, so one broken record does not also
  // make every reference to it look dangling.
  const knownIds = new Set([...fileIds, ...parsed.flatMap((r) => (r.rawId === undefined ? [] : [r.rawId]))]);
  for (const { yaml, record } of parsed) {
    if (!record) continue;
    checkTerms(yaml, record, refs, problems);
    checkRecordCountries(yaml, record, problems);
    checkRecordReferences(yaml, record, knownIds, problems);
  }
}

function checkDuplicateIds(records: RecordFile[], problems: CatalogProblem[]): void {
  const firstFile = new Map<string, string>();
  for (const { yaml, rawId } of records) {
    if (rawId === undefined) continue;
    const first = firstFile.get(rawId);
    if (first === undefined) firstFile.set(rawId, yaml.file);
    else problems.push(yaml.problem(["id"], `duplicate id "${rawId}" (also used by ${first})`));
  }
}

function checkTerms(yaml: YamlFile, record: CatalogRecord, refs: References, problems: CatalogProblem[]): void {
  const lists = [
    { field: "sectors", terms: record.sectors, known: refs.sectors, source: FILES.sectors, what: "sector" },
    { field: "audiences", terms: record.audiences, known: refs.audiences, source: FILES.audiences, what: "audience" },
    { field: "cities", terms: record.cities, known: refs.places?.cities, source: FILES.places, what: "city" },
  ];
  for (const { field, terms, known, source, what } of lists) {
    if (!known) continue;
    terms.forEach((term, i) => {
      if (!Object.hasOwn(known, term))
        problems.push(yaml.problem([field, i], `unknown ${what} "${term}" (not in ${source})`));
    });
  }
}

function checkRecordCountries(yaml: YamlFile, record: CatalogRecord, problems: CatalogProblem[]): void {
  checkCountryList(yaml, ["countries"], record.countries, problems);
  for (const role of ["organisers", "partners"] as const) {
    record[role].forEach((party, i) => checkCountryList(yaml, [role, i, "countries"], party.countries ?? [], problems));
  }
}

function checkCountryList(yaml: YamlFile, at: PathSegment[], codes: string[], problems: CatalogProblem[]): void {
  codes.forEach((code, i) => {
    if (!isAssignedCountry(code)) problems.push(yaml.problem([...at, i], unknownCountry(code)));
  });
}

function checkRecordReferences(
  yaml: YamlFile,
  record: CatalogRecord,
  knownIds: Pick<ReadonlySet<string>, "has">,
  problems: CatalogProblem[],
): void {
  record.related.forEach((id, i) => {
    if (!knownIds.has(id))
      problems.push(yaml.problem(["related", i], `unknown record "${id}" (no ${RECORDS_DIR}/${id}.yaml)`));
  });
  for (const role of ["organisers", "partners"] as const) {
    record[role].forEach((party, i) => {
      if (party.record !== undefined && !knownIds.has(party.record)) {
        problems.push(
          yaml.problem(
            [role, i, "record"],
            `unknown record "${party.record}" (no ${RECORDS_DIR}/${party.record}.yaml)`,
          ),
        );
      }
    });
  }
}

/** Country codes in places.yaml: each city's country, each countryAliases and demonyms key and each group's members. */
function checkPlaceCountries(yaml: YamlFile, places: Places, problems: CatalogProblem[]): void {
  for (const [cityId, city] of Object.entries(places.cities)) {
    if (!isAssignedCountry(city.country))
      problems.push(yaml.problem(["cities", cityId, "country"], unknownCountry(city.country)));
  }
  for (const code of Object.keys(places.countryAliases)) {
    if (!isAssignedCountry(code)) problems.push(yaml.problem(["countryAliases", code], unknownCountry(code)));
  }
  for (const code of Object.keys(places.demonyms ?? {})) {
    if (!isAssignedCountry(code)) problems.push(yaml.problem(["demonyms", code], unknownCountry(code)));
  }
  for (const [groupId, group] of Object.entries(places.countryGroups ?? {})) {
    group.countries.forEach((code, i) => {
      if (!isAssignedCountry(code))
        problems.push(yaml.problem(["countryGroups", groupId, "countries", i], unknownCountry(code)));
    });
  }
}

function isAssignedCountry(code: string): boolean {
  // isValid also accepts alpha-3 and numeric codes; the schema has already required two capitals.
  return /^[A-Z]{2}$/.test(code) && countries().isValid(code);
}

function unknownCountry(code: string): string {
  return `unknown country code "${code}" (not assigned in ISO 3166-1)`;
}

function sortProblems(problems: CatalogProblem[]): CatalogProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}
