import { checkRecordValue, type CatalogProblem } from "../../catalog/load.js";
import type { CatalogRecord, Language } from "../../catalog/schema.js";
import { checkCatalogUsage, type UsageProblem } from "../../catalog/usage.js";
import type { BotContext } from "../context.js";

// What a value typed in /edit or /new is checked by (the catalog's rules, as for the files), and the
// plain-data helpers the draft is changed with, shared by the record's fields and its list items.

/** The step of the message giving a value (a field's, or a list item's sub-field's). */
export const VALUE_STEP = "edit:value";

/**
 * The rules of the files: the schema (`checkRecordValue`), then how the record reads beside the others
 * (`checkCatalogUsage`, what `npm run catalog:check` runs), so a change made in chat is exported as a
 * file that passes the check.
 */
export function check(ctx: BotContext, record: unknown): ReturnType<typeof checkRecordValue> {
  const search = ctx.deps.search;
  const result = checkRecordValue(record, search.catalog, (id) => search.get(id) !== undefined);
  if (!result.ok) return result;
  const problems = usageProblems(search.catalog.records, result.record);
  return problems.length ? { ok: false, problems } : result;
}

/** Which rule of reading a problem broke, for its message in the coordinator's language. */
type UsageRule = "shortNeeded" | "shortLong" | "shortShared" | "typography" | "publisher" | "verified" | "plural";
export interface UsageIssue extends CatalogProblem {
  rule: UsageRule;
  /** The words at fault (typography) or the record it clashes with. */
  value?: string;
}

/** The reading problems of `record` among `records` (its previous version left out), located like the schema's. */
function usageProblems(records: readonly CatalogRecord[], record: CatalogRecord): UsageIssue[] {
  // The record last, so a clash with another record (a shared short title, the source's publisher) is its own.
  const all = [...records.filter((r) => r.id !== record.id), record];
  return checkCatalogUsage({ records: all })
    .filter((p) => p.recordId === record.id)
    .map((p) => usageIssue(record, p));
}

function usageIssue(record: CatalogRecord, p: UsageProblem): UsageIssue {
  const base = { file: `records/${record.id}.yaml`, recordId: record.id, message: p.message };
  const field = p.path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
  const lang = p.path[1] as Language;
  // A title too long for a button is fine once the record has a short title: that is what is asked for.
  if (p.path[0] === "title" && p.message.startsWith("longer than"))
    return { ...base, field: `short.${lang}`, rule: "shortNeeded" };
  if (p.path[0] === "short" && /at most/.test(p.message)) return { ...base, field, rule: "shortLong" };
  const clash = /^same short title as (\S+):/.exec(p.message);
  if (clash) return { ...base, field, rule: "shortShared", value: clash[1]! };
  // Records of one source naming its publisher differently; a slip in the publisher's text is typography.
  if (p.path[0] === "source" && p.path.length === 2) return { ...base, field: "source.file", rule: "publisher" };
  if (p.path[0] === "verified") return { ...base, field, rule: "verified" };
  if (p.path[0] === "figures" && p.path[2] === "text" && p.message.startsWith("plural forms"))
    return { ...base, field, rule: "plural" };
  return { ...base, field, rule: "typography", value: /“(.*)”$/s.exec(p.message)?.[1] ?? "" };
}

/** The publisher the catalog names for a source file (records of one source name it alike), if any. */
export function publisherOf(ctx: BotContext, file: unknown): unknown {
  return ctx.deps.search.catalog.records.find((r) => r.source.file === file)?.source.publisher;
}

/** Stands in for what a record being created does not have yet, so the rules of the files run on the value asked now. */
export const text4 = { en: "-", fr: "-", ru: "-", zh: "-" };
const SKELETON = {
  id: "new",
  kind: "programme",
  title: text4,
  summary: text4,
  source: { file: "new.txt", date: "2000" },
  verified: "2000",
};

function merged(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merged(base[k], v);
  return out;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The problems of the value at `path` (the rest of a record being created may still be missing). */
export function problemsAt(ctx: BotContext, record: unknown, path: string[]): CatalogProblem[] {
  const result = check(ctx, merged(SKELETON, record));
  return result.ok ? [] : result.problems.filter((p) => p.field !== undefined && covers(path, p.field));
}

export function covers(path: string[], field: string): boolean {
  // The catalog writes list items as "deadlines[0]".
  const prefix = path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
  return field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
}

// ---------------------------------------------------------------------------------------------------

export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Sets (or, with undefined, removes) a value; a mapping left empty by a removal goes too. */
export function setAt(data: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    // A list item removed leaves no hole.
    if (value !== undefined) data[head] = value;
    else if (Array.isArray(data)) data.splice(Number(head), 1);
    else delete data[head];
    return;
  }
  const child =
    typeof data[head] === "object" && data[head] !== null
      ? (data[head] as Record<string, unknown>)
      : /^\d+$/.test(rest[0]!)
        ? ([] as unknown as Record<string, unknown>)
        : {};
  setAt(child, rest, value);
  if (Object.keys(child).length === 0) delete data[head];
  else data[head] = child;
}
