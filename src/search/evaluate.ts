import { z } from "zod";
import { LANGUAGES, type Language } from "../catalog/schema.js";
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
  const share = (pred: (o: { rank: number | null; langOk: boolean }) => boolean) => (n === 0 ? 0 : outcomes.filter(pred).length / n);
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
