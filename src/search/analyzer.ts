import { newStemmer } from "snowball-stemmers";
import { eng, fra, rus, zho } from "stopword";
import type { Language } from "../catalog/schema.js";
import { bigrams, fold, words, type Word } from "./text.js";

/** Stemming and stop words per script, shared by indexing and querying so both sides agree. */

type LatinLanguage = "en" | "fr";

const stemmers = {
  en: newStemmer("english"),
  fr: newStemmer("french"),
  ru: newStemmer("russian"),
};

/**
 * Words of asking and looking that the general stop lists lack: "where can I find…", "какие есть…",
 * "有没有…". They say nothing about which record is wanted, and left in they would lower every answer's
 * confidence.
 */
const QUESTION_WORDS = {
  latin: ["find", "looking", "look", "search", "searching", "need", "want", "know", "tell", "show", "please", "trouver", "cherche", "chercher", "recherche", "existe", "besoin", "savoir", "puis", "peux", "peut", "quel", "quelle"],
  cyrillic: ["какие", "какой", "какая", "каких", "найти", "ищу", "искать", "подскажите", "скажите", "хочу", "нужно", "нужен", "нужна", "есть", "пожалуйста"],
  han: ["有没有", "哪里", "哪儿", "哪些", "什么", "怎么", "如何", "可以", "能", "请问", "想", "找", "寻找", "是否", "有", "吗", "呢"],
};

// One stop list per script: queries mix English and French freely, and a word that is a function
// word in either language carries no meaning for this catalog.
const LATIN_STOP = new Set([...eng, ...fra, ...QUESTION_WORDS.latin].map(fold));
const CYRILLIC_STOP = new Set([...rus, ...QUESTION_WORDS.cyrillic].map(fold));
const HAN_STOP = new Set([...zho, ...QUESTION_WORDS.han]);

// Stemming dominates indexing time; a catalog's vocabulary is small, so memoising pays off quickly.
const stemCache = { en: new Map<string, string>(), fr: new Map<string, string>(), ru: new Map<string, string>() };
const STEM_CACHE_LIMIT = 200_000;

export function stem(word: string, lang: LatinLanguage | "ru"): string {
  const cache = stemCache[lang];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmers[lang].stem(word);
    if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}

export function isStopword(word: Word): boolean {
  switch (word.script) {
    case "latin":
      return word.text.length < 2 || LATIN_STOP.has(word.text);
    case "cyrillic":
      return word.text.length < 2 || CYRILLIC_STOP.has(word.text);
    case "han":
      return HAN_STOP.has(word.text);
    default:
      return true;
  }
}

/** The latin-script language whose stemmer applies to Latin words inside a text of `lang`. */
export function latinLanguageOf(lang: Language): LatinLanguage {
  return lang === "fr" ? "fr" : "en";
}

/**
 * The index key of one non-Han word: its stem in the text's language (by script: Cyrillic words are
 * Russian whatever field they stand in). Digits stay as they are.
 */
export function wordKey(word: Word, latin: LatinLanguage): string {
  if (word.script === "cyrillic") return stem(word.text, "ru");
  if (/^\d+$/.test(word.text)) return word.text;
  return stem(word.text, latin);
}

export interface AnalyzedText {
  folded: string;
  words: Word[];
  /** Per word: its index key, or null for stop words. Han words key as themselves. */
  keys: (string | null)[];
}

/** `forIndex` keeps Han runs whole (see `words`); queries segment them into words. */
export function analyze(text: string, lang: Language, forIndex = false): AnalyzedText {
  const folded = fold(text);
  const ws = words(folded, !forIndex);
  const latin = latinLanguageOf(lang);
  const keys = ws.map((w) => (isStopword(w) ? null : w.script === "han" ? w.text : wordKey(w, latin)));
  return { folded, words: ws, keys };
}

/**
 * Index terms of an analysed text: word keys, Han words of two or more characters, and every
 * character bigram of each contiguous Han run (so a query segmented differently still meets it). A
 * text analysed for the index has whole Han runs as words; a one-character run is kept as it is.
 */
export function indexTerms(analyzed: AnalyzedText, into: Set<string>): void {
  const { words: ws, keys } = analyzed;
  let runStart = -1;
  let runText = "";
  const flushRun = () => {
    if (runText) for (const b of bigrams(runText)) into.add(b);
    runText = "";
    runStart = -1;
  };
  ws.forEach((w, i) => {
    const key = keys[i];
    if (w.script === "han") {
      if (runStart >= 0 && ws[i - 1]?.end !== w.start) flushRun();
      if (runStart < 0) runStart = w.start;
      runText += w.text;
      const length = key ? Array.from(key).length : 0;
      if (length === 1 || (length >= 2 && length <= 4)) into.add(key!);
      return;
    }
    flushRun();
    if (key) into.add(key);
  });
  flushRun();
}
