import { z } from "zod";
import { LANGUAGES, type Language } from "../catalog/schema.js";
import { decide, type DecideOptions, type Decision } from "./decide.js";
import type { SearchEngine } from "./engine.js";

/** Retrieval evaluation: recall@k and MRR of an engine over a list of queries with expected ids. */

export const evalQueriesSchema = z.array(
  z.strictObject({ q: z.string().min(1), lang: z.enum(LANGUAGES), expect: z.array(z.string()).min(1) }),
);
export type EvalQuery = z.infer<typeof evalQueriesSchema>[number];

export interface Metrics {
  queries: number;
  recallAt1: number;
  recallAt3: number;
  mrr: number;
  /** Share of queries whose detected language is the one they are written in. */
  languageAccuracy: number;
}

export interface Miss {
  query: EvalQuery;
  /** Rank of the first expected id (1-based), or null when it is not in the top 10. */
  rank: number | null;
  top: string[];
}

export interface EvalReport {
  overall: Metrics;
  byLanguage: Partial<Record<Language, Metrics>>;
  misses: Miss[];
}

const DEPTH = 10;

export function evaluate(engine: SearchEngine, queries: readonly EvalQuery[]): EvalReport {
  const outcomes = queries.map((query) => {
    const response = engine.search(query.q, { limit: DEPTH });
    const top = response.hits.map((h) => h.id);
    const index = top.findIndex((id) => query.expect.includes(id));
    return { query, rank: index < 0 ? null : index + 1, top, langOk: response.lang === query.lang };
  });
  const byLanguage: Partial<Record<Language, Metrics>> = {};
  for (const lang of LANGUAGES) {
    const subset = outcomes.filter((o) => o.query.lang === lang);
    if (subset.length > 0) byLanguage[lang] = metrics(subset);
  }
  return {
    overall: metrics(outcomes),
    byLanguage,
    misses: outcomes.filter((o) => o.rank === null || o.rank > 1).map(({ query, rank, top }) => ({ query, rank, top })),
  };
}

function metrics(outcomes: { rank: number | null; langOk: boolean }[]): Metrics {
  const n = outcomes.length;
  const share = (pred: (o: { rank: number | null; langOk: boolean }) => boolean) =>
    n === 0 ? 0 : outcomes.filter(pred).length / n;
  return {
    queries: n,
    recallAt1: share((o) => o.rank === 1),
    recallAt3: share((o) => o.rank !== null && o.rank <= 3),
    mrr: n === 0 ? 0 : outcomes.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0) / n,
    languageAccuracy: share((o) => o.langOk),
  };
}

/** The goal the product holds itself to: recall@3 ≥ 0.95 overall and ≥ 0.9 in each language. */
export const GOAL = { overallRecallAt3: 0.95, languageRecallAt3: 0.9 } as const;

export function meetsGoal(report: EvalReport): boolean {
  return (
    report.overall.recallAt3 >= GOAL.overallRecallAt3 &&
    Object.values(report.byLanguage).every((m) => m.recallAt3 >= GOAL.languageRecallAt3)
  );
}

// ---------------------------------------------------------------------------------------------------
// The reply as users get it: the one decision (answer, decline, small talk) over a dev set.

const factSchema = z.array(
  z.union([
    z.union([z.string(), z.number()]).transform(String),
    z.array(z.union([z.string(), z.number()]).transform(String)).min(1),
  ]),
);

export const devQueriesSchema = z.array(
  z.strictObject({
    q: z.string().min(1),
    lang: z.enum(LANGUAGES),
    /** Right answers; empty when the catalog cannot answer. Absent for small talk. */
    expect: z.array(z.string()).optional(),
    /** Strings that must all appear in the reply's first line (an inner list: any of its alternatives). */
    fact: factSchema.optional(),
    smalltalk: z.boolean().optional(),
    class: z.string().optional(),
  }),
);
export type DevQuery = z.infer<typeof devQueriesSchema>[number];

export interface DecisionMetrics {
  answerable: number;
  unanswerable: number;
  smalltalk: number;
  facts: number;
  /** The answer card shows a right record. */
  answerAt1: number;
  /** A right record on the card or among the offered buttons (four under a card, four under a decline). */
  answerAt5: number;
  /** Answerable questions declined (or taken for small talk). */
  falseDeclines: number;
  /** Questions the catalog cannot answer that were declined. */
  honestDeclines: number;
  /** Small talk recognised as such. */
  smalltalkRecognised: number;
  /** Fact questions whose first line holds the expected figure or date. */
  directCorrect: number;
  /** Replies in the language the message is written in. */
  language: number;
}

export interface DecisionOutcome {
  query: DevQuery;
  decision: Decision;
  firstLine: string;
  at1: boolean;
  at5: boolean;
  directOk: boolean | null;
}

export interface DecisionReport {
  overall: DecisionMetrics;
  byLanguage: Partial<Record<Language, DecisionMetrics>>;
  outcomes: DecisionOutcome[];
}

/** Buttons offered under an answer card (the card is the first of five) and under a decline. */
const SHOWN_WITH_ANSWER = 5;
const SHOWN_WITH_DECLINE = 4;

/**
 * Runs every query through `decide` as the bot does and scores the reply. `firstLine` renders the
 * reply's first line (the direct answer, else the card's title) the way users see it.
 */
export function evaluateDecisions(
  engine: SearchEngine,
  queries: readonly DevQuery[],
  firstLine: (decision: Decision) => string,
  options: DecideOptions = {},
): DecisionReport {
  const outcomes = queries.map((query): DecisionOutcome => {
    // The bot falls back on the conversation's language so far (else the app's, Telegram's language_code)
    // when a message says little of its own ("Beidou ?", "startup contest 东盟 Nanning"): for a user who
    // writes in one language, that is the language of the message. See unhintedLanguage for the rest.
    const decision = decide(engine, query.q, { langHint: query.lang, ...options, limit: SHOWN_WITH_ANSWER });
    const expect = query.expect ?? [];
    const ids = decision.response.hits.map((h) => h.id);
    const at1 = decision.kind === "answer" && decision.record !== undefined && expect.includes(decision.record.id);
    const shown =
      decision.kind === "answer"
        ? ids.slice(0, SHOWN_WITH_ANSWER)
        : decision.kind === "decline"
          ? ids.slice(0, SHOWN_WITH_DECLINE)
          : [];
    const at5 = shown.some((id) => expect.includes(id));
    const line = decision.kind === "answer" ? firstLine(decision) : "";
    const directOk = query.fact ? at1 && factsIn(line, query.fact) : null;
    return { query, decision, firstLine: line, at1, at5, directOk };
  });
  return decisionReportOf(outcomes);
}

/**
 * The share of a report's messages (small talk aside) whose language the engine reads with nothing to fall
 * back on — a first message, from an app in another language: what the reply language owes to the message
 * alone (the decisions themselves fall back on the message's own language, as a conversation in it would).
 */
export function unhintedLanguage(engine: SearchEngine, report: DecisionReport): number {
  const worded = report.outcomes.filter((o) => !o.query.smalltalk);
  if (worded.length === 0) return 1;
  return worded.filter((o) => engine.language(o.query.q) === o.query.lang).length / worded.length;
}

/** The report of several parts read as one set: their outcomes together (each message counts once). */
export function combineDecisionReports(reports: readonly DecisionReport[]): DecisionReport {
  return decisionReportOf(reports.flatMap((r) => r.outcomes));
}

function decisionReportOf(outcomes: DecisionOutcome[]): DecisionReport {
  const byLanguage: Partial<Record<Language, DecisionMetrics>> = {};
  for (const lang of LANGUAGES) {
    const subset = outcomes.filter((o) => o.query.lang === lang);
    if (subset.length > 0) byLanguage[lang] = decisionMetrics(subset);
  }
  return { overall: decisionMetrics(outcomes), byLanguage, outcomes };
}

function factsIn(line: string, facts: readonly (string | readonly string[])[]): boolean {
  const squash = (s: string) =>
    s
      .toLowerCase()
      .replace(/<[^>]*>/g, "")
      .replace(/[\s\u00a0\u202f]+/g, "");
  const text = squash(line);
  return facts.every((f) => (typeof f === "string" ? [f] : f).some((alt) => text.includes(squash(alt))));
}

function decisionMetrics(outcomes: DecisionOutcome[]): DecisionMetrics {
  const answerable = outcomes.filter((o) => !o.query.smalltalk && (o.query.expect?.length ?? 0) > 0);
  const unanswerable = outcomes.filter((o) => !o.query.smalltalk && (o.query.expect?.length ?? 0) === 0);
  const smalltalk = outcomes.filter((o) => o.query.smalltalk);
  const facts = outcomes.filter((o) => o.directOk !== null);
  const share = (list: DecisionOutcome[], pred: (o: DecisionOutcome) => boolean) =>
    list.length === 0 ? 1 : list.filter(pred).length / list.length;
  const worded = outcomes.filter((o) => !o.query.smalltalk);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    smalltalk: smalltalk.length,
    facts: facts.length,
    answerAt1: share(answerable, (o) => o.at1),
    answerAt5: share(answerable, (o) => o.at5),
    falseDeclines:
      answerable.length === 0 ? 0 : answerable.filter((o) => o.decision.kind !== "answer").length / answerable.length,
    honestDeclines: share(unanswerable, (o) => o.decision.kind !== "answer"),
    smalltalkRecognised: share(smalltalk, (o) => o.decision.kind === "smalltalk"),
    directCorrect: share(facts, (o) => o.directOk === true),
    language: share(worded, (o) => o.decision.lang === o.query.lang),
  };
}

/** The floor of the held-out parts' language read from the message alone (see unhintedLanguage): today's less a margin. */
export const UNHINTED_LANGUAGE_FLOOR = 0.985;

/** The goals of a held-out dev set, as users see the replies. */
export const DECISION_GOAL = {
  answerAt1: 0.9,
  answerAt1PerLanguage: 0.85,
  answerAt5: 0.97,
  falseDeclines: 0.05,
  honestDeclines: 0.95,
  // The 1.00, at the two decimals it is stated with: a message of names in two scripts with no
  // grammar word ("帮我把 good morning 翻译成日语") can be read either way, a few in several thousand.
  language: 0.995,
} as const;

/**
 * The floors CI holds the held-out parts to until the goals above are met: each part's figures of today
 * less a small margin, so a change that makes the replies worse fails the build. The second part was
 * written later and is harder; its floor is lower, not its goal.
 */
export const DECISION_FLOORS = {
  heldout: {
    answerAt1: 0.95,
    answerAt1PerLanguage: 0.92,
    answerAt5: 0.97,
    falseDeclines: 0.03,
    honestDeclines: 0.94,
    language: 0.96,
  },
  // 2026-12-02, end of day: answer@1 0.933 (French 0.865), false declines 3.3 %, honest declines 0.969 —
  // every goal met.
  "heldout-2": {
    answerAt1: 0.91,
    answerAt1PerLanguage: 0.83,
    answerAt5: 0.97,
    falseDeclines: 0.05,
    honestDeclines: 0.94,
    language: 0.98,
  },
  // First read at 0.917 overall and 0.857 in English. 2026-12-02, end of day: answer@1 0.935 (English and
  // Russian 0.881), false declines 4.2 %, honest declines 0.923.
  "heldout-3": {
    answerAt1: 0.91,
    answerAt1PerLanguage: 0.85,
    answerAt5: 0.97,
    falseDeclines: 0.06,
    honestDeclines: 0.9,
    language: 0.98,
  },
  // Written on 2026-12-02 after most of the day's engine changes and read unseen: answer@1 0.800 (English
  // 0.675, Russian 0.750), false declines 15.0 %, honest declines 0.922 — fresh wording declined far more
  // often than on the older parts. After the long-message threshold and the rules that followed it (chosen
  // on the tuning parts): 0.863 (English 0.750, Russian 0.825), 8.7 %, 0.922.
  "heldout-4": {
    answerAt1: 0.84,
    answerAt1PerLanguage: 0.72,
    answerAt5: 0.97,
    falseDeclines: 0.11,
    honestDeclines: 0.9,
    language: 0.98,
  },
  // Written on 2026-12-02 by a helper that saw neither the engine nor the other sets, and read unseen after
  // that day's changes: answer@1 0.896 (Russian 0.813), false declines 8.3 %, honest declines 0.781, small
  // talk 10 of 16, reply language 0.973 (French 0.89).
  "heldout-5": {
    answerAt1: 0.87,
    answerAt1PerLanguage: 0.78,
    answerAt5: 0.97,
    falseDeclines: 0.11,
    honestDeclines: 0.75,
    language: 0.95,
  },
  // Written blind on 2026-12-02 at the start of the third session that day, and read unseen after one small
  // change (contractions typed without their apostrophe): answer@1 0.850 (Russian 0.825), false declines
  // 9.4 %, honest declines 0.896, small talk 28 of 32, reply language 0.986.
  "heldout-6": {
    answerAt1: 0.82,
    answerAt1PerLanguage: 0.78,
    answerAt5: 0.97,
    falseDeclines: 0.12,
    honestDeclines: 0.85,
    language: 0.95,
  },
  // Written blind on 2026-12-02 at the start of the fourth session that day; read unseen before any change of
  // that session: answer@1 0.869 (English and Russian 0.850), false declines 8.1 %, honest declines 0.979,
  // small talk 32 of 32, direct answers 0.81, reply language 0.990.
  "heldout-7": {
    answerAt1: 0.82,
    answerAt1PerLanguage: 0.78,
    answerAt5: 0.97,
    falseDeclines: 0.13,
    honestDeclines: 0.9,
    language: 0.95,
  },
  // Written blind on 2026-12-02 at the start of the fifth session that day; read unseen before any change of
  // that session: answer@1 0.894 (French 0.850), false declines 4.4 %, honest declines 0.979, small talk 32
  // of 32, direct answers 37 of 37, reply language 1.00.
  "heldout-8": {
    answerAt1: 0.84,
    answerAt1PerLanguage: 0.8,
    answerAt5: 0.97,
    falseDeclines: 0.1,
    honestDeclines: 0.9,
    language: 0.95,
  },
  // Written blind on 2026-12-02 during the sixth session that day, after most of its changes; first read:
  // answer@1 0.831 (Russian and Chinese 0.800), false declines 6.3 %, honest declines 0.958, small talk 32 of
  // 32, direct answers 33 of 39, reply language 1.00.
  "heldout-9": {
    answerAt1: 0.78,
    answerAt1PerLanguage: 0.74,
    answerAt5: 0.97,
    falseDeclines: 0.11,
    honestDeclines: 0.9,
    language: 0.95,
  },
  // Written blind on 2026-12-02 at the start of the seventh session that day; first read after two of its
  // changes (a language and a Chinese-word fix): answer@1 0.894 (English and French 0.875, Russian 0.850),
  // false declines 3.1 %, honest declines 0.958, small talk 32 of 32, direct answers 33 of 37, language 0.990.
  "heldout-10": {
    answerAt1: 0.84,
    answerAt1PerLanguage: 0.8,
    answerAt5: 0.97,
    falseDeclines: 0.08,
    honestDeclines: 0.9,
    language: 0.95,
  },
  // Written blind on 2026-12-02 during the seventh session that day and read once, at its end, after all of
  // its changes: answer@1 0.906 (English 0.850), false declines 3.7 %, honest declines 0.938, small talk 32
  // of 32, direct answers 33 of 37, reply language 0.990.
  "heldout-11": {
    answerAt1: 0.85,
    answerAt1PerLanguage: 0.8,
    answerAt5: 0.97,
    falseDeclines: 0.08,
    honestDeclines: 0.88,
    language: 0.95,
  },
  // Written blind on 2026-12-03 (short first-minute queries, organisations, facts) and read once, near the end
  // of that day's session, before its last six changes (which left it unchanged): answer@1 0.963 (0.95 in
  // French, Russian and Chinese), false declines 1.9 %, honest declines 0.958, small talk 32 of 32, direct
  // answers 30 of 32, language 0.986.
  "heldout-12": {
    answerAt1: 0.93,
    answerAt1PerLanguage: 0.9,
    answerAt5: 0.97,
    falseDeclines: 0.05,
    honestDeclines: 0.9,
    language: 0.96,
  },
  // Written blind on 2026-12-03 at the start of the ninth session (natural questions, colloquial names, yes/no
  // questions, askers describing themselves first) and read once, near its end, after its changes: answer@1
  // 0.906 (French 0.850), false declines 6.3 %, honest declines 0.896, small talk 32 of 32, direct answers 39
  // of 41, language 0.990; 0.912 (French 0.88) after one later change judged on the tuning parts ("local" = here).
  "heldout-13": {
    answerAt1: 0.87,
    answerAt1PerLanguage: 0.8,
    answerAt5: 0.96,
    falseDeclines: 0.09,
    honestDeclines: 0.85,
    language: 0.96,
  },
  // Written blind near the end of the second session of 2026-12-03 (the broad mix of a first week: every length,
  // careless typing, formal letters) and read once, after all of that session's changes: answer@1 0.859 (en
  // 0.813, fr and ru 0.844, zh 0.938), false declines 4.7 %, honest declines 1.000, small talk 24 of 24, direct
  // answers 27 of 29, language 1.000.
  "heldout-14": {
    answerAt1: 0.82,
    answerAt1PerLanguage: 0.75,
    answerAt5: 0.96,
    falseDeclines: 0.08,
    honestDeclines: 0.92,
    language: 0.96,
  },
  // Written blind at the start of the third session of 2026-12-03 (the broad mix an independent tester would
  // write: programmes, partners, facts, bare names, places, long and short, typos, traditional Chinese, mixed
  // languages) and read once, after most of that session's changes: answer@1 0.904 (en 0.824, fr 0.971, ru 0.853,
  // zh 0.971), answer@5 1.000, false declines 5.1 %, honest declines 1.000, small talk 16 of 16, language 0.989.
  "heldout-15": {
    answerAt1: 0.86,
    answerAt1PerLanguage: 0.77,
    answerAt5: 0.96,
    falseDeclines: 0.09,
    honestDeclines: 0.92,
    language: 0.96,
  },
  // Written blind at the start of the fourth session of 2026-12-03 (what an independent tester would write to
  // judge the bot end to end) and read once, after most of that session's changes: answer@1 0.926 (en 0.882,
  // fr 0.941, ru 0.912, zh 0.971), answer@5 1.000, false declines 2.9 %, honest declines 0.917, small talk 16
  // of 16, language 0.995.
  "heldout-16": {
    answerAt1: 0.88,
    answerAt1PerLanguage: 0.83,
    answerAt5: 0.96,
    falseDeclines: 0.06,
    honestDeclines: 0.87,
    language: 0.96,
  },
  // Written blind at the start of the fifth session of 2026-12-03 (a first week's mix: short keywords and long
  // self-descriptions, facts asked many ways, every record, near misses sharing a record's words) and read
  // once, after that session's first changes: answer@1 0.963 (en 0.941, fr 0.941, ru 0.971, zh 1.000),
  // answer@5 1.000, false declines 2.9 %, honest declines 0.958, small talk 16 of 16, language 1.000.
  "heldout-17": {
    answerAt1: 0.93,
    answerAt1PerLanguage: 0.9,
    answerAt5: 0.97,
    falseDeclines: 0.05,
    honestDeclines: 0.9,
    language: 0.98,
  },
  // Written blind during the fifth session of 2026-12-03 (phone-typed messages of people who heard of the
  // programmes in passing: vague references, regional wording, abbreviations, two questions in one) and read
  // once, near that session's end: answer@1 0.904 (en 0.941, fr 0.912, ru 0.824, zh 0.941), answer@5 1.000,
  // false declines 7.4 % (ru 17.6 %), honest declines 0.958, small talk 15 of 16, language 0.995.
  "heldout-18": {
    answerAt1: 0.87,
    answerAt1PerLanguage: 0.78,
    answerAt5: 0.97,
    falseDeclines: 0.1,
    honestDeclines: 0.9,
    language: 0.97,
  },
  // Written blind near the end of the fifth session of 2026-12-03 (the broad mix of a first week, cities no
  // record names, codes and abbreviations, named universities and scholarships the catalog lacks) and read
  // once, after all of that session's changes: answer@1 0.941 (en 0.971, fr 0.941, ru 0.941, zh 0.912),
  // answer@5 1.000, false declines 1.5 %, honest declines 0.979, small talk 16 of 16, language 0.995.
  "heldout-19": {
    answerAt1: 0.91,
    answerAt1PerLanguage: 0.85,
    answerAt5: 0.97,
    falseDeclines: 0.05,
    honestDeclines: 0.92,
    language: 0.97,
  },
} as const satisfies Record<string, { [K in keyof typeof DECISION_GOAL]: number }>;

/** The goals (or floor) that a report misses (empty when it meets them all). */
export function missedDecisionGoals(
  report: DecisionReport,
  goal: { [K in keyof typeof DECISION_GOAL]: number } = DECISION_GOAL,
): string[] {
  const m = report.overall;
  const missed: string[] = [];
  if (m.answerAt1 < goal.answerAt1) missed.push(`answer@1 ${m.answerAt1.toFixed(4)} < ${goal.answerAt1}`);
  for (const [lang, lm] of Object.entries(report.byLanguage)) {
    if (lm.answerAt1 < goal.answerAt1PerLanguage)
      missed.push(`answer@1 (${lang}) ${lm.answerAt1.toFixed(4)} < ${goal.answerAt1PerLanguage}`);
  }
  if (m.answerAt5 < goal.answerAt5) missed.push(`answer@5 ${m.answerAt5.toFixed(4)} < ${goal.answerAt5}`);
  if (m.falseDeclines > goal.falseDeclines)
    missed.push(`false declines ${m.falseDeclines.toFixed(4)} > ${goal.falseDeclines}`);
  if (m.honestDeclines < goal.honestDeclines)
    missed.push(`honest declines ${m.honestDeclines.toFixed(4)} < ${goal.honestDeclines}`);
  if (m.language < goal.language) missed.push(`reply language ${m.language.toFixed(4)} < ${goal.language}`);
  return missed;
}
