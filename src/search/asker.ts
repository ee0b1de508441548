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

/** Words that open a description of the asker: "je suis étudiante…", "I'm a PhD student…", "я студентка…", "我是…". */
const IDENTITY_OPENERS = new Set(["suis", "chu", "jsuis", "chui", "m", "am", "im", "я", "мы", "sommes"]);
const IDENTITY_HAN = ["我是", "我们是", "本人是"];
/** Words that end the description: the clause that follows is the question ("… à Almaty et je cherche…"). */
const CLAUSE_JOINERS = new Set(["et", "and", "и", "а", "mais", "but", "но", "donc", "so", "je", "j", "i", "car", "because"]);
/** "I'm looking for", "je suis intéressée par", "я ищу": the asker's wish, not who they are. */
const NOT_IDENTITY = /^(?:\p{L}+ing|interess\p{L}*|interest\p{L}*|la|recherche|ищу|хочу|хотел\p{L}*|интерес\p{L}*|planning|going)$/u;

/**
 * Indexes of the words that describe the asker ("je suis [étudiante en master à Almaty] et je
 * cherche…", "我是[越南的青年研究员]，想…"): who asks, which says little of what is asked for.
 */
export function askerWords(analyzed: AnalyzedText, isFiller: (at: number) => boolean): Set<number> {
  const { words, folded } = analyzed;
  const out = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let start = -1;
    if (word.script === "han") {
      const opener = IDENTITY_HAN.find((h) => word.text.startsWith(h));
      if (opener && word.text === opener) start = i + 1;
    } else if (IDENTITY_OPENERS.has(word.text) && (word.text !== "m" || words[i - 1]?.text === "i")) {
      start = i + 1;
    }
    if (start < 0) continue;
    // The first word that says something decides: a noun describes the asker, a verb of wishing does not.
    let first = start;
    while (first < words.length && !NOT_IDENTITY.test(words[first]!.text) && isFiller(first)) first++;
    if (first >= words.length || NOT_IDENTITY.test(words[first]!.text)) continue;
    for (let j = start; j < words.length; j++) {
      if (j > start && CLAUSE_BREAK.test(folded.slice(words[j - 1]!.end, words[j]!.start))) break;
      if (j > start && CLAUSE_JOINERS.has(words[j]!.text)) break;
      out.add(j);
    }
  }
  return out;
}
