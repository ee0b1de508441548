import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { firstLineOf } from "../bot/views/direct.js";
import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../catalog/load.js";
import { LANGUAGES } from "../catalog/schema.js";
import { createI18n, translator } from "../i18n.js";
import { SearchEngine } from "../search/engine.js";
import {
  combineDecisionReports,
  UNHINTED_LANGUAGE_FLOOR,
  unhintedLanguage,
  devQueriesSchema,
  evalQueriesSchema,
  evaluate,
  evaluateDecisions,
  DECISION_FLOORS,
  GOAL,
  meetsGoal,
  missedDecisionGoals,
  type DecisionReport,
  type EvalReport,
} from "../search/evaluate.js";
import { sharedDir } from "../shared-dir.js";

/**
 * npm run eval: retrieval on the public set (../shared/eval/queries.yaml) and the generalisation set
 * (recall@k, MRR), then the replies as users get them — the bot's own decision — on the dev set's tuning
 * part (eval/dev-tuning.yaml, for tuning) and held-out part (eval/dev-heldout.yaml, never tuned on).
 * Exits 1 when a retrieval set misses its goal, the held-out parts together miss the reply goals
 * (DECISION_GOAL) or their language read from the message alone its floor, or a single held-out part falls
 * under its floor (DECISION_FLOORS); with --strict, also when a single held-out part misses the goals.
 * --verbose lists every miss; --threshold overrides the answer threshold (for choosing it on the tuning part).
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const USAGE = "usage: npm run eval [-- --verbose] [--strict] [--threshold 0..1] [--only <part key>|retrieval]";
let parsed;
try {
  parsed = parseArgs({
    options: {
      verbose: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      threshold: { type: "string" },
      only: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const verbose = values.verbose;
const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
  console.error(`--threshold must be a number from 0 to 1\n${USAGE}`);
  process.exit(2);
}

const retrievalSets = [
  { name: "public (shared/eval/queries.yaml)", file: path.join(sharedDir(), "eval/queries.yaml") },
  { name: "generalisation (eval/generalisation.yaml)", file: path.join(repoRoot, "eval/generalisation.yaml") },
];
const decisionSets = [
  {
    name: "dev, tuning part (eval/dev-tuning.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning.yaml"),
    gate: false,
    key: "tuning",
  },
  {
    name: "dev, second tuning part (eval/dev-tuning-2.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-2.yaml"),
    gate: false,
    key: "tuning-2",
  },
  {
    name: "dev, third tuning part, French-heavy (eval/dev-tuning-3.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-3.yaml"),
    gate: false,
    key: "tuning-3",
  },
  {
    name: "dev, fourth tuning part, French- and Chinese-heavy (eval/dev-tuning-4.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-4.yaml"),
    gate: false,
    key: "tuning-4",
  },
  {
    name: "dev, fifth tuning part (eval/dev-tuning-5.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-5.yaml"),
    gate: false,
    key: "tuning-5",
  },
  {
    name: "dev, sixth tuning part (eval/dev-tuning-6.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-6.yaml"),
    gate: false,
    key: "tuning-6",
  },
  {
    name: "dev, seventh tuning part, long messages in everyday words (eval/dev-tuning-7.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-7.yaml"),
    gate: false,
    key: "tuning-7",
  },
  {
    name: "dev, eighth tuning part, small talk, near misses and casual French (eval/dev-tuning-8.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-8.yaml"),
    gate: false,
    key: "tuning-8",
  },
  {
    name: "dev, ninth tuning part, everyday English and Russian (eval/dev-tuning-9.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-9.yaml"),
    gate: false,
    key: "tuning-9",
  },
  {
    name: "dev, tenth tuning part, short questions in users' words (eval/dev-tuning-10.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-10.yaml"),
    gate: false,
    key: "tuning-10",
  },
  {
    name: "dev, eleventh tuning part (eval/dev-tuning-11.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-11.yaml"),
    gate: false,
    key: "tuning-11",
  },
  {
    name: "dev, twelfth tuning part (eval/dev-tuning-12.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-12.yaml"),
    gate: false,
    key: "tuning-12",
  },
  {
    name: "dev, thirteenth tuning part (eval/dev-tuning-13.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-13.yaml"),
    gate: false,
    key: "tuning-13",
  },
  {
    name: "dev, fourteenth tuning part (eval/dev-tuning-14.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-14.yaml"),
    gate: false,
    key: "tuning-14",
  },
  {
    name: "dev, fifteenth tuning part (eval/dev-tuning-15.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-15.yaml"),
    gate: false,
    key: "tuning-15",
  },
  {
    name: "dev, sixteenth tuning part (eval/dev-tuning-16.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-16.yaml"),
    gate: false,
    key: "tuning-16",
  },
  {
    name: "dev, seventeenth tuning part (eval/dev-tuning-17.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-17.yaml"),
    gate: false,
    key: "tuning-17",
  },
  {
    name: "dev, eighteenth tuning part, short English keywords and colloquial Russian (eval/dev-tuning-18.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-18.yaml"),
    gate: false,
    key: "tuning-18",
  },
  {
    name: "dev, nineteenth tuning part, French and Chinese entrepreneurs and students (eval/dev-tuning-19.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-19.yaml"),
    gate: false,
    key: "tuning-19",
  },
  {
    name: "dev, twentieth tuning part, needs described and yes/no questions (eval/dev-tuning-20.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-20.yaml"),
    gate: false,
    key: "tuning-20",
  },
  {
    name: "dev, twenty-first tuning part, Russian and Chinese as typed (eval/dev-tuning-21.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-21.yaml"),
    gate: false,
    key: "tuning-21",
  },
  {
    name: "dev, twenty-second tuning part, English of non-native speakers (eval/dev-tuning-22.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-22.yaml"),
    gate: false,
    key: "tuning-22",
  },
  {
    name: "dev, twenty-third tuning part, a first week's natural questions (eval/dev-tuning-23.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-23.yaml"),
    gate: false,
    key: "tuning-23",
  },
  {
    name: "dev, twenty-fourth tuning part, every record asked about from the user's side (eval/dev-tuning-24.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-24.yaml"),
    gate: false,
    key: "tuning-24",
  },
  {
    name: "dev, twenty-fifth tuning part, the broad mix written blind (eval/dev-tuning-25.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-25.yaml"),
    gate: false,
    key: "tuning-25",
  },
  {
    name: "dev, twenty-sixth tuning part, a first week's places, politeness and contacts, written blind (eval/dev-tuning-26.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-26.yaml"),
    gate: false,
    key: "tuning-26",
  },
  {
    name: "dev, twenty-seventh tuning part, askers who describe themselves, contacts and places, written blind (eval/dev-tuning-27.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-27.yaml"),
    gate: false,
    key: "tuning-27",
  },
  {
    name: "dev, twenty-eighth tuning part, phone-typed vague references, Russian-heavy, written blind (eval/dev-tuning-28.yaml)",
    file: path.join(repoRoot, "eval/dev-tuning-28.yaml"),
    gate: false,
    key: "tuning-28",
  },
  {
    name: "dev, held-out part (eval/dev-heldout.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout.yaml"),
    gate: true,
    key: "heldout",
  },
  {
    name: "dev, second held-out part (eval/dev-heldout-2.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-2.yaml"),
    gate: true,
    key: "heldout-2",
  },
  {
    name: "dev, third held-out part (eval/dev-heldout-3.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-3.yaml"),
    gate: true,
    key: "heldout-3",
  },
  {
    name: "dev, fourth held-out part (eval/dev-heldout-4.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-4.yaml"),
    gate: true,
    key: "heldout-4",
  },
  {
    name: "dev, fifth held-out part (eval/dev-heldout-5.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-5.yaml"),
    gate: true,
    key: "heldout-5",
  },
  {
    name: "dev, sixth held-out part (eval/dev-heldout-6.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-6.yaml"),
    gate: true,
    key: "heldout-6",
  },
  {
    name: "dev, seventh held-out part (eval/dev-heldout-7.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-7.yaml"),
    gate: true,
    key: "heldout-7",
  },
  {
    name: "dev, eighth held-out part (eval/dev-heldout-8.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-8.yaml"),
    gate: true,
    key: "heldout-8",
  },
  {
    name: "dev, ninth held-out part (eval/dev-heldout-9.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-9.yaml"),
    gate: true,
    key: "heldout-9",
  },
  {
    name: "dev, tenth held-out part (eval/dev-heldout-10.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-10.yaml"),
    gate: true,
    key: "heldout-10",
  },
  {
    name: "dev, eleventh held-out part (eval/dev-heldout-11.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-11.yaml"),
    gate: true,
    key: "heldout-11",
  },
  {
    name: "dev, twelfth held-out part (eval/dev-heldout-12.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-12.yaml"),
    gate: true,
    key: "heldout-12",
  },
  {
    name: "dev, thirteenth held-out part (eval/dev-heldout-13.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-13.yaml"),
    gate: true,
    key: "heldout-13",
  },
  {
    name: "dev, fourteenth held-out part (eval/dev-heldout-14.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-14.yaml"),
    gate: true,
    key: "heldout-14",
  },
  {
    name: "dev, fifteenth held-out part (eval/dev-heldout-15.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-15.yaml"),
    gate: true,
    key: "heldout-15",
  },
  {
    name: "dev, sixteenth held-out part (eval/dev-heldout-16.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-16.yaml"),
    gate: true,
    key: "heldout-16",
  },
  {
    name: "dev, seventeenth held-out part (eval/dev-heldout-17.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-17.yaml"),
    gate: true,
    key: "heldout-17",
  },
  {
    name: "dev, eighteenth held-out part (eval/dev-heldout-18.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-18.yaml"),
    gate: true,
    key: "heldout-18",
  },
  {
    name: "dev, nineteenth held-out part (eval/dev-heldout-19.yaml)",
    file: path.join(repoRoot, "eval/dev-heldout-19.yaml"),
    gate: true,
    key: "heldout-19",
  },
];

if (values.only && values.only !== "retrieval" && !decisionSets.some((set) => set.key === values.only)) {
  console.error(
    `--only: no part "${values.only}"; the parts: retrieval, ${decisionSets.map((set) => set.key).join(", ")}`,
  );
  process.exit(2);
}

const catalog = await loadCatalogOrThrow(DEFAULT_DATA_DIR);
const engine = SearchEngine.build(catalog);
const i18n = await createI18n();
let ok = true;
const tuningReports: DecisionReport[] = [];
const heldOutReports: DecisionReport[] = [];

for (const set of retrievalSets) {
  if (values.only && values.only !== "retrieval") continue;
  const text = await readSet(set.file, set.name);
  if (text === undefined) continue;
  const queries = evalQueriesSchema.parse(parse(text));
  const report = evaluate(engine, queries);
  const pass = meetsGoal(report);
  ok &&= pass;
  console.log(
    `\n${set.name}: ${queries.length} queries — ${pass ? "meets" : "MISSES"} the goal (recall@3 ≥ ${GOAL.overallRecallAt3} overall, ≥ ${GOAL.languageRecallAt3} per language)`,
  );
  console.log(retrievalTable(report));
  const misses = verbose ? report.misses : report.misses.filter((m) => m.rank === null || m.rank > 3);
  for (const miss of misses) {
    const where = miss.rank === null ? "not in top 10" : `rank ${miss.rank}`;
    console.log(
      `  ${where.padEnd(13)} [${miss.query.lang}] ${miss.query.q}  → expected ${miss.query.expect.join("|")}; got ${miss.top.slice(0, 3).join(", ")}`,
    );
  }
}

for (const set of decisionSets) {
  if (values.only && values.only !== set.key) continue;
  const text = await readSet(set.file, set.name);
  if (text === undefined) continue;
  const queries = devQueriesSchema.parse(parse(text));
  const report = evaluateDecisions(
    engine,
    queries,
    (d) => firstLineOf(d, { lang: d.lang, t: translator(i18n, d.lang), catalog }),
    { threshold },
  );
  const missed = missedDecisionGoals(report);
  const underFloor = set.gate
    ? missedDecisionGoals(report, DECISION_FLOORS[set.key as keyof typeof DECISION_FLOORS])
    : [];
  if (set.gate) ok &&= underFloor.length === 0 && (!values.strict || missed.length === 0);
  const verdict = missed.length === 0 ? "meets the goals" : `misses the goals: ${missed.join("; ")}`;
  const floor = underFloor.length === 0 ? "above the floor" : `UNDER THE FLOOR: ${underFloor.join("; ")}`;
  console.log(`\n${set.name}: ${queries.length} messages — ${verdict}; ${set.gate ? floor : "not gated: tuning part"}`);
  console.log(decisionTable(report));
  if (verbose) printDecisionMisses(report);
  (set.gate ? heldOutReports : tuningReports).push(report);
}

// The held-out set is every held-out part together: that is what the goals are stated for. A single part
// (200–240 messages, 32–48 answerable per language) is too small to judge a per-language goal alone;
// each part is held to its own floor above instead.
if (!values.only) {
  const tuning = combineDecisionReports(tuningReports);
  console.log(`\nall ${tuningReports.length} tuning parts together: ${tuning.outcomes.length} messages — not gated`);
  console.log(decisionTable(tuning));
  const heldOut = combineDecisionReports(heldOutReports);
  const missed = missedDecisionGoals(heldOut);
  ok &&= missed.length === 0;
  const verdict = missed.length === 0 ? "meets the goals" : `MISSES THE GOALS: ${missed.join("; ")}`;
  console.log(
    `\nall ${heldOutReports.length} held-out parts together: ${heldOut.outcomes.length} messages — ${verdict}`,
  );
  console.log(decisionTable(heldOut));
  // The language read from the message alone, with no conversation or app language to fall back on: no
  // goal (a bare "Beidou" is of no language), a floor so that the detector itself cannot slip unseen.
  const unhinted = unhintedLanguage(engine, heldOut);
  const unhintedOk = unhinted >= UNHINTED_LANGUAGE_FLOOR;
  ok &&= unhintedOk;
  console.log(
    `  language read from the message alone (a first message, from an app in another language): ${unhinted.toFixed(3)} — ${unhintedOk ? "above" : "UNDER"} its floor ${UNHINTED_LANGUAGE_FLOOR}`,
  );
}
process.exit(ok ? 0 : 1);

async function readSet(file: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch {
    console.error(`${name}: cannot read ${file}`);
    ok = false;
    return undefined;
  }
}

function printDecisionMisses(report: DecisionReport): void {
  for (const o of report.outcomes) {
    const q = o.query;
    const expect = q.expect ?? [];
    const got = o.decision.kind === "answer" ? o.decision.record!.id : o.decision.kind;
    const conf = o.decision.confidence.toFixed(2);
    const top = o.decision.response.hits
      .slice(0, 3)
      .map((h) => `${h.id}(${h.confidence.toFixed(2)})`)
      .join(", ");
    let what: string | undefined;
    if (q.smalltalk && o.decision.kind !== "smalltalk") what = "small talk missed";
    else if (!q.smalltalk && expect.length === 0 && o.decision.kind === "answer") what = "false answer";
    else if (expect.length > 0 && !o.at1) what = o.decision.kind === "answer" ? "wrong answer" : "false decline";
    else if (o.directOk === false)
      what = `direct wrong: "${o.firstLine.replace(/<[^>]+>/g, "")}" wants ${JSON.stringify(q.fact)}`;
    if (!q.smalltalk && o.decision.lang !== q.lang)
      what = what ? `${what}, replied in ${o.decision.lang}` : `replied in ${o.decision.lang}`;
    if (what)
      console.log(
        `  ${what.padEnd(14)} [${q.lang}] ${q.q}  → ${got} conf ${conf}; expected ${expect.join("|") || (q.smalltalk ? "smalltalk" : "decline")}; top ${top}`,
      );
  }
}

function retrievalTable(report: EvalReport): string {
  const rows = [["", "queries", "recall@1", "recall@3", "MRR", "lang ok"]];
  const row = (name: string, m: EvalReport["overall"]) =>
    rows.push([
      name,
      String(m.queries),
      m.recallAt1.toFixed(3),
      m.recallAt3.toFixed(3),
      m.mrr.toFixed(3),
      m.languageAccuracy.toFixed(2),
    ]);
  row("overall", report.overall);
  for (const lang of LANGUAGES) {
    const m = report.byLanguage[lang];
    if (m) row(lang, m);
  }
  return format(rows);
}

function decisionTable(report: DecisionReport): string {
  const rows = [
    [
      "",
      "answerable",
      "answer@1",
      "answer@5",
      "false decl.",
      "unanswerable",
      "honest decl.",
      "small talk",
      "direct ok",
      "language",
    ],
  ];
  const row = (name: string, m: DecisionReport["overall"]) =>
    rows.push([
      name,
      String(m.answerable),
      m.answerAt1.toFixed(3),
      m.answerAt5.toFixed(3),
      m.falseDeclines.toFixed(3),
      String(m.unanswerable),
      m.honestDeclines.toFixed(3),
      `${m.smalltalkRecognised.toFixed(2)} of ${m.smalltalk}`,
      `${m.directCorrect.toFixed(2)} of ${m.facts}`,
      m.language.toFixed(2),
    ]);
  row("overall", report.overall);
  for (const lang of LANGUAGES) {
    const m = report.byLanguage[lang];
    if (m) row(lang, m);
  }
  return format(rows);
}

function format(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => "  " + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "))
    .join("\n");
}
