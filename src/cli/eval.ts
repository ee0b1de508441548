import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../catalog/load.js";
import { LANGUAGES } from "../catalog/schema.js";
import { SearchEngine } from "../search/engine.js";
import { evalQueriesSchema, evaluate, GOAL, meetsGoal, type EvalReport } from "../search/evaluate.js";
import { sharedDir } from "../shared-dir.js";

/**
 * npm run eval: the public evaluation set (../shared/eval/queries.yaml) and the project's held-out set
 * (eval/generalisation.yaml); prints recall@1, recall@3 and MRR overall and per language, and the
 * queries that missed the first place. Exits 1 when a set misses the goal. --verbose lists every miss.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const verbose = process.argv.includes("--verbose");

const sets = [
  { name: "public (shared/eval/queries.yaml)", file: path.join(sharedDir(), "eval/queries.yaml") },
  { name: "held-out (eval/generalisation.yaml)", file: path.join(repoRoot, "eval/generalisation.yaml") },
];

const engine = SearchEngine.build(await loadCatalogOrThrow(DEFAULT_DATA_DIR));
let ok = true;
for (const set of sets) {
  let text: string;
  try {
    text = await readFile(set.file, "utf8");
  } catch {
    console.error(`${set.name}: cannot read ${set.file}`);
    ok = false;
    continue;
  }
  const queries = evalQueriesSchema.parse(parse(text));
  const report = evaluate(engine, queries);
  const pass = meetsGoal(report);
  ok &&= pass;
  console.log(`\n${set.name}: ${queries.length} queries — ${pass ? "meets" : "MISSES"} the goal (recall@3 ≥ ${GOAL.overallRecallAt3} overall, ≥ ${GOAL.languageRecallAt3} per language)`);
  console.log(table(report));
  const misses = verbose ? report.misses : report.misses.filter((m) => m.rank === null || m.rank > 3);
  for (const miss of misses) {
    const where = miss.rank === null ? "not in top 10" : `rank ${miss.rank}`;
    console.log(`  ${where.padEnd(13)} [${miss.query.lang}] ${miss.query.q}  → expected ${miss.query.expect.join("|")}; got ${miss.top.slice(0, 3).join(", ")}`);
  }
}
process.exit(ok ? 0 : 1);

function table(report: EvalReport): string {
  const rows = [["", "queries", "recall@1", "recall@3", "MRR", "lang ok"]];
  const row = (name: string, m: EvalReport["overall"]) =>
    rows.push([name, String(m.queries), m.recallAt1.toFixed(3), m.recallAt3.toFixed(3), m.mrr.toFixed(3), m.languageAccuracy.toFixed(2)]);
  row("overall", report.overall);
  for (const lang of LANGUAGES) {
    const m = report.byLanguage[lang];
    if (m) row(lang, m);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => "  " + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}
