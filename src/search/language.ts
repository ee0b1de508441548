import type { Language } from "../catalog/schema.js";
import { isEnglishAi, isStopword } from "./analyzer.js";
import { stopwords } from "./cjs-packages.js";
import { subsetDetector } from "./language-subset.js";
import { acronymTest, ELIDED, fold, scriptOf, words, type Word } from "./text.js";

const { eng, fra } = stopwords;

// eld's small database cut to our four languages: the same detections as the whole one limited to them,
// at a few MB of memory instead of ~150.
const eld = await subsetDetector();

/**
 * The language a query is written in. The script decides between Chinese, Russian and the Latin
 * languages outright (it is certain, and a detector is not on two-word queries); between English and
 * French the detector (eld, limited to our four languages) decides when it is reliable, otherwise the
 * caller's hint (Telegram's language_code, the user's choice) wins if it is a Latin language.
 */
export function detectLanguage(text: string, hint?: Language, vocabulary?: LatinVocabulary): Language {
  let han = 0;
  let cyrillic = 0;
  let latin = 0;
  for (const ch of text.toLowerCase()) {
    const script = scriptOf(ch);
    if (script === "han") han++;
    else if (script === "cyrillic") cyrillic++;
    else if (script === "latin" && !/\d/.test(ch)) latin++;
  }
  if (han === 0 && cyrillic === 0 && latin === 0) return hint ?? "en";
  const mixed = (han > 0 ? 1 : 0) + (cyrillic > 0 ? 1 : 0) + (latin > 0 ? 1 : 0) > 1;
  if (mixed) {
    // A message mixing scripts is written in the language of its grammar words: "что за hidden champions
    // report?" is Russian, "what is the 上合组织 energy platform" English. Without them, in the non-Latin
    // script: Russian and Chinese writers drop English names and terms into their sentences far more
    // often than the other way round.
    // With grammar words of two scripts, the one with more of them ("des infos sur le 东博会 svp" is French).
    // An acronym in capitals is a name, not a grammar word ("上合 AI 合作中心": "ai" is French for "have");
    // a lone Latin letter other than a, i, y is a symbol ("реши уравнение x^2-5x+6=0").
    const grammar = new Map<string, number>();
    const worded = new Map<string, number>();
    const folded = fold(text);
    const acronym = acronymTest(text, folded);
    const symbol = (w: Word) => w.script === "latin" && w.text.length === 1 && !"aiy".includes(w.text);
    for (const w of words(folded)) {
      if (w.script === "other" || /^\d+$/.test(w.text) || acronym(w) || symbol(w)) continue;
      worded.set(w.script, (worded.get(w.script) ?? 0) + 1);
      if (isStopword(w)) grammar.set(w.script, (grammar.get(w.script) ?? 0) + 1);
    }
    // Names and terms with a grammar word or none ("Belt and Road конференция Urumqi 2024 itogi", "startup
    // contest 东盟 Nanning") do not say which language the user writes in; the conversation's language does.
    // Russian or Chinese, when the message has words of its script; English or French only when the other
    // script has no grammar word and fewer runs of letters than there are Latin words (a Latin name in a
    // Russian or Chinese sentence — "python怎么读取excel", "что такое Belt and Road?" — is no English).
    const counts = [...grammar.values()].sort((a, b) => b - a);
    const evidence = (counts[0] ?? 0) - (counts[1] ?? 0);
    if ((hint === "zh" || hint === "ru") && evidence <= 1 && worded.has(hint === "zh" ? "han" : "cyrillic"))
      return hint;
    if ((hint === "en" || hint === "fr") && evidence <= 1 && !grammar.has("han") && !grammar.has("cyrillic")) {
      const runs = (text.match(/\p{Script=Han}+/gu)?.length ?? 0) + (text.match(/\p{Script=Cyrillic}+/gu)?.length ?? 0);
      if ((worded.get("latin") ?? 0) > runs) {
        grammar.clear();
        grammar.set("latin", 1);
      }
    }
    const ranked = [...grammar].sort((a, b) => b[1] - a[1]);
    const only =
      ranked.length > 0 && (ranked.length === 1 || ranked[0]![1] > ranked[1]![1]) ? ranked[0]![0] : undefined;
    if (only === "cyrillic") return "ru";
    if (only === "han") return "zh";
    if (only !== "latin") return han > 0 ? "zh" : "ru";
  } else {
    if (han > 0) return "zh";
    if (cyrillic > 0) return "ru";
  }
  const latinHint = hint === "en" || hint === "fr" ? hint : undefined;
  // Grammar words of only one of the two languages decide ("conference cooperation interregionale a
  // Ouroumtchi" has "a"; accents are often left out, which misleads the detector).
  const vote = grammarVote(text) ?? (vocabulary ? vocabularyVote(text, vocabulary) : undefined);
  if (vote) return vote;
  const result = eld.detect(text);
  const detected = result.language === "fr" || result.language === "en" ? result.language : undefined;
  if (detected && result.isReliable()) {
    // A short query that the detector calls only narrowly goes to the hint.
    const scores = result.getScores();
    const other = detected === "en" ? "fr" : "en";
    const margin = (scores[detected] ?? 0) - (scores[other] ?? 0);
    if (latinHint && latinHint !== detected && margin < 0.1) return latinHint;
    // Names and words of both languages ("harbin innovation centre xinjiang") leave the detector all but
    // even: such a call is no better than the default.
    if (margin < EVEN) return latinHint ?? "en";
    return detected;
  }
  // An unreliable guess on a word or two ("brunei") is no better than the default.
  return latinHint ?? "en";
}

/**
 * A detector's lead under which English and French are even. Keyword queries of names and words the two
 * languages share lead by under 0.02 ("urumchi conferance 2024": 0.017), and so do a few short French ones
 * ("stages etudiants": 0.009) — those go to the hint, or to English without one; most French of a few words
 * leads by 0.025 and more ("horoscope balance semaine", "bonne nuit").
 */
const EVEN = 0.02;

/** Words (folded) of the catalog's English and French texts. */
export interface LatinVocabulary {
  en: ReadonlySet<string>;
  fr: ReadonlySet<string>;
  /** The catalog's words nearest to a mistyped one (fewest edits), if any are near enough. */
  nearest?: (word: string) => readonly string[];
}

/**
 * English or French by the catalog's own words: "plateforme", "transfert", "Chine", "OCS" occur only in
 * its French texts, "manifesto" only in its English ones. Decides when one side has more such words.
 */
function vocabularyVote(text: string, vocabulary: LatinVocabulary): "en" | "fr" | undefined {
  let en = 0;
  let fr = 0;
  const folded = fold(text);
  // Acronyms count: "OCS" is the catalog's French, "SCO" its English.
  for (const w of words(folded)) {
    // "ai" of "j'ai" is no AI.
    if (w.script !== "latin" || /^\d+$/.test(w.text) || (w.text === "ai" && !isEnglishAi(w, folded))) continue;
    const side = sideOf(w.text, vocabulary);
    if (side === "fr") fr++;
    else if (side === "en") en++;
  }
  return fr > en ? "fr" : en > fr ? "en" : undefined;
}

/**
 * Which of the two languages a word belongs to by the catalog's vocabulary. A mistyped word ("vocatoinal",
 * "contset") belongs to the side of its nearest catalog words, when they are all on one side: typos in short
 * keyword queries otherwise leave the detector to guess from letter patterns, and it reads them as French.
 */
function sideOf(word: string, vocabulary: LatinVocabulary): "en" | "fr" | undefined {
  const inEn = vocabulary.en.has(word);
  const inFr = vocabulary.fr.has(word);
  if (inEn || inFr) return inEn === inFr ? undefined : inEn ? "en" : "fr";
  if (word.length < MIN_TYPO_VOTE || !vocabulary.nearest) return undefined;
  let side: "en" | "fr" | undefined;
  for (const near of vocabulary.nearest(word)) {
    const nearEn = vocabulary.en.has(near);
    const nearFr = vocabulary.fr.has(near);
    // A nearest word of both languages (or of neither, a name) leaves the word undecided.
    if (nearEn === nearFr) return undefined;
    const nearSide = nearEn ? "en" : "fr";
    if (side !== undefined && side !== nearSide) return undefined;
    side = nearSide;
  }
  return side;
}

/** Words shorter than this are too close to too many others for their typos to tell a language. */
const MIN_TYPO_VOTE = 6;

// The stop word lists lack some question words ("combien ?", "why?").
const FRENCH = [...fra, "combien", "pourquoi", "quand"];
const ENGLISH = [...eng, "why", "when"];
const FRENCH_ONLY = new Set(FRENCH.map(fold).filter((w) => !ENGLISH.includes(w) && w.length > 1));
const ENGLISH_ONLY = new Set(ENGLISH.map(fold).filter((w) => !FRENCH.includes(w) && w.length > 1));

const CONTRACTION_TAILS = new Set(["re", "ve", "ll", "d", "m", "t", "s"]);

/** English or French by their grammar words alone, when only one of the two has any in the text. */
function grammarVote(text: string): "en" | "fr" | undefined {
  let en = 0;
  let fr = 0;
  const folded = fold(text);
  const acronym = acronymTest(text, folded);
  for (const w of words(folded)) {
    if (w.script !== "latin" || acronym(w) || isEnglishAi(w, folded)) continue;
    // The second syllable of a name written with an apostrophe ("Xi'an") is no grammar word; what follows
    // an elision ("l'an") or ends a contraction ("we're") still is.
    if (folded[w.start - 1] === "'" && !CONTRACTION_TAILS.has(w.text)) {
      const before = folded.slice(0, w.start - 1).match(/\p{L}+$/u)?.[0];
      if (before !== undefined && !ELIDED.has(before)) continue;
    }
    if (FRENCH_ONLY.has(w.text)) fr++;
    else if (ENGLISH_ONLY.has(w.text)) en++;
  }
  if (fr > 0 && en === 0) return "fr";
  if (en > 0 && fr === 0) return "en";
  // A name of the other language inside a sentence ("le Belt and Road c'est quoi") brings a grammar word of
  // its own; the sentence's language has more of them, and at least two.
  if (fr >= 2 && fr > en) return "fr";
  if (en >= 2 && en > fr) return "en";
  return undefined;
}
