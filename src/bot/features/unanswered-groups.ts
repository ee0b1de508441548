import type { CatalogRecord, Language } from "../../catalog/schema.js";
import { analyze } from "../../search/analyzer.js";
import { decide } from "../../search/decide.js";
import type { SearchEngine } from "../../search/engine.js";
import { fold } from "../../search/text.js";
import type { TriageEntry } from "../../state/triage.js";
import type { StateBackend, UnansweredQuestion, UnansweredSnapshot } from "../../state/types.js";
import { truncate } from "../format.js";

/**
 * Groups of unanswered questions, and which of them a coordinator's decision already covers.
 *
 * Two questions are "the same" when the sets of terms the search engine analyses them into (stems,
 * minus stop words and words of asking; Chinese split into words) overlap by at least half (Jaccard ≥
 * 0.5) — "incubators in Kazakhstan?" and "Kazakhstan incubator" group, "incubators in Uzbekistan" does
 * not. A question is compared with each group's newest question, so groups do not drift; questions in
 * different languages analyse into different terms and stay apart.
 *
 * A decision (src/state/triage.ts) is stored with its group's terms and covers the questions that are
 * "the same" by that rule: spam covers them whenever they were asked (a flood does not come back);
 * answered and dismissed cover those asked up to the decision, so the group comes back only when asked
 * again afterwards, counting only the new questions (their askers got nothing yet).
 */

export type UnansweredGroup = UnansweredSnapshot["groups"][number];

/** Questions read from the log for one listing. */
export const QUESTIONS_READ = 300;
export const GROUPS_KEPT = 60;
const ASKERS_KEPT = 50;
const EXAMPLE_MAX = 200;
const SIMILARITY = 0.5;

/** Groups questions (newest first) by similar terms; groups come in the order of their newest question. */
export function groupQuestions(questions: readonly UnansweredQuestion[]): UnansweredGroup[] {
  const groups: { terms: Set<string>; group: UnansweredGroup }[] = [];
  for (const q of questions) {
    const terms = termsOf(q.text, q.lang);
    let found = groups.find((g) => jaccard(g.terms, terms) >= SIMILARITY);
    if (!found) {
      const example = truncate(q.text.replace(/\s+/g, " ").trim(), EXAMPLE_MAX);
      found = {
        terms,
        group: { example, count: 0, langs: [], last: q.at, downvoted: 0, terms: [...terms].sort(), askers: [] },
      };
      groups.push(found);
    }
    const g = found.group;
    g.count++;
    if (!g.langs.includes(q.lang)) g.langs.push(q.lang);
    if (q.reason === "downvoted") g.downvoted++;
    if (q.at > g.last) g.last = q.at;
    // The newest question of each chat is the one quoted back to it.
    if (g.askers.length < ASKERS_KEPT && !g.askers.some((a) => a.chatId === q.chatId))
      g.askers.push({
        chatId: q.chatId,
        lang: q.lang,
        text: truncate(q.text.replace(/\s+/g, " ").trim(), EXAMPLE_MAX),
      });
  }
  for (const { group } of groups) group.langs.sort();
  return groups.map((g) => g.group);
}

/** The engine's analysed terms of a question; a question of stop words only is its folded text. */
export function termsOf(text: string, lang: Language): Set<string> {
  const terms = new Set(analyze(text, lang).keys.filter((k): k is string => k !== null));
  if (terms.size === 0) terms.add(fold(text).replace(/\s+/g, " ").trim());
  return terms;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

/** The decision that covers a question, if any (see the rules above). */
export function coveringDecision(
  question: UnansweredQuestion,
  decisions: readonly TriageEntry[],
  terms = termsOf(question.text, question.lang),
): TriageEntry | undefined {
  const asked = Date.parse(question.at);
  return decisions.find(
    (d) => (d.status === "spam" || asked <= Date.parse(d.at)) && jaccard(new Set(d.terms), terms) >= SIMILARITY,
  );
}

/** The questions no decision covers, in their order. */
export function openQuestions(
  questions: readonly UnansweredQuestion[],
  decisions: readonly TriageEntry[],
): UnansweredQuestion[] {
  return questions.filter((q) => !coveringDecision(q, decisions));
}

/** The groups /unanswered lists now: the newest questions of the log that no decision covers, grouped. */
export async function openGroups(
  state: Pick<StateBackend, "questions" | "triage">,
): Promise<{ groups: UnansweredGroup[]; questions: number }> {
  const [questions, decisions] = await Promise.all([state.questions.recent(QUESTIONS_READ), state.triage.list()]);
  const open = openQuestions(questions, decisions);
  return { groups: groupQuestions(open).slice(0, GROUPS_KEPT), questions: open.length };
}

/** Whether a decision taken since the group was listed already covers its newest question. */
export function decidedSince(group: UnansweredGroup, decisions: readonly TriageEntry[]): TriageEntry | undefined {
  if (!group.terms) return undefined;
  const terms = new Set(group.terms);
  const last = Date.parse(group.last);
  return decisions.find(
    (d) => (d.status === "spam" || last <= Date.parse(d.at)) && jaccard(new Set(d.terms), terms) >= SIMILARITY,
  );
}

export interface AnsweredGroup<G> {
  group: G;
  /** Its position in the groups given. */
  index: number;
  /** The record the engine now answers the group's question with. */
  record: CatalogRecord;
}

/**
 * The groups the engine now answers: `decide()` — the bot's own answer decision — on each group's
 * newest question, in that asker's language. Called after a record is created or edited, with
 * `recordIds` to keep only the groups that record answers (without it: any record).
 */
export function answeredGroups<G extends Pick<UnansweredGroup, "example" | "askers">>(
  engine: SearchEngine,
  groups: readonly G[],
  options: { threshold?: number; recordIds?: ReadonlySet<string> } = {},
): AnsweredGroup<G>[] {
  const out: AnsweredGroup<G>[] = [];
  groups.forEach((group, index) => {
    const decision = decide(engine, group.example, {
      langHint: group.askers[0]?.lang,
      threshold: options.threshold,
      limit: 3,
    });
    if (decision.kind !== "answer" || !decision.record) return;
    if (options.recordIds && !options.recordIds.has(decision.record.id)) return;
    out.push({ group, index, record: decision.record });
  });
  return out;
}
