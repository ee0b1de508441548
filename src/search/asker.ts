import type { AnalyzedText } from "./analyzer.js";

/**
 * Words that introduce where the asker is or comes from ("je suis à Almaty", "I'm from Brazil",
 * "я из Бишкека", "je suis entrepreneur camerounais"): the place they stand before says who asks, not
 * what is asked about.
 */
const SELF_WORDS = new Set([
  "suis", "chu", "jsuis", "viens", "habite", "vis", "base", "basee", "bases", "basees", "originaire",
  "m", "im", "am", "from", "live", "living", "based",
  "из", "живу", "нахожусь", "родом",
]);
const SELF_HAN = ["我是", "我在", "来自", "我们是", "我们在", "本人"];
/** How far back, in words of the same clause, a self word reaches. */
const SELF_WINDOW = 5;
const CLAUSE_BREAK = /[,.;:!?，。；：！？\n]/u;

/** Whether the place that starts at word `at` is the asker's own (see SELF_WORDS). */
export function isAskersPlace(analyzed: AnalyzedText, at: number): boolean {
  const { words, folded } = analyzed;
  const place = words[at];
  if (!place) return false;
  let clauseStart = place.start;
  for (let i = at - 1, seen = 0; i >= 0 && seen < SELF_WINDOW; i--, seen++) {
    const word = words[i]!;
    if (CLAUSE_BREAK.test(folded.slice(word.end, words[i + 1]!.start))) break;
    clauseStart = word.start;
    if (SELF_WORDS.has(word.text)) return true;
  }
  // Chinese runs together: the clause's text before the place, back to the last break.
  const before = folded.slice(0, place.start);
  const breakAt = Math.max(...[...before.matchAll(/[,.;:!?，。；：！？\n]/gu)].map((m) => m.index!), -1);
  const clause = folded.slice(Math.min(clauseStart, breakAt + 1), place.start);
  return SELF_HAN.some((w) => clause.includes(w));
}
