import { Converter } from "opencc-js/t2cn";

/** Script-level text handling shared by indexing and querying: folding and word segmentation. */

export type Script = "latin" | "cyrillic" | "han" | "other";

export interface Word {
  /** Folded surface form. */
  text: string;
  script: Script;
  /** Offsets in the folded string. */
  start: number;
  end: number;
}

/**
 * Traditional characters and Taiwan's wording (數位經濟, 資訊) to the simplified forms the catalog is
 * written in (数字经济, 信息): OpenCC's Taiwan-phrases table, which also converts single characters.
 */
const toSimplified = Converter({ from: "twp", to: "cn" });
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/u;

const COMBINING_MARK_NOT_AFTER_CYRILLIC = /(?<![\u0400-\u04ff])\p{M}+/gu;

/**
 * Folds case, accents and compatibility forms (full-width letters, ligatures) so that "Ouzbékistan",
 * "ouzbekistan" and "ＯＵＺＢＥＫＩＳＴＡＮ" are one word. Cyrillic keeps й and loses only ё → е, as
 * Russian writers use both spellings of ё; the typographic apostrophe is the plain one ("qu’est-ce", "who’s"). Chinese is folded to simplified characters. The result keeps the input's length in code units for Han
 * and most Latin text, but callers must not rely on offsets into the original string.
 */
export function fold(text: string): string {
  // ASCII has nothing to decompose, simplify or strip: only case to fold.
  if (isAscii(text)) return text.toLowerCase();
  // A message is folded by each step that reads it: the last texts folded are remembered.
  if (text.length > FOLD_CACHED_LENGTH) return foldText(text);
  let folded = foldCache.get(text);
  if (folded === undefined) {
    folded = foldText(text);
    if (foldCache.size >= FOLD_CACHE_SIZE) foldCache.clear();
    foldCache.set(text, folded);
  }
  return folded;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

const FOLD_CACHED_LENGTH = 1000;
const FOLD_CACHE_SIZE = 256;
const foldCache = new Map<string, string>();

function foldText(text: string): string {
  return (HAN.test(text) ? toSimplified(text) : text)
    .normalize("NFKD")
    .replace(COMBINING_MARK_NOT_AFTER_CYRILLIC, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/’/g, "'");
}

export function scriptOf(char: string): Script {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x0400 && code <= 0x052f) return "cyrillic";
  if (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2ebef) ||
    (code >= 0xf900 && code <= 0xfaff)
  ) {
    return "han";
  }
  if ((code >= 0x61 && code <= 0x7a) || (code >= 0xc0 && code <= 0x24f) || (code >= 0x30 && code <= 0x39))
    return "latin";
  return "other";
}

// Letters and digits, with word-internal apostrophes kept so elisions can be split deliberately below.
const WORD_RUN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ebef}]+/gu;
const zhSegmenter = new Intl.Segmenter("zh", { granularity: "word" });

/** French elided articles and English possessives: l'OCS → ocs, d'échange → echange, China's → china. */
export const ELIDED = new Set(["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]);

/**
 * Splits folded text into words. Alphabetic runs are split with a regular expression (fast, and right
 * for languages written with spaces). Han runs go through ICU's dictionary segmenter when `segmentHan`
 * is set (queries: each word becomes a unit of meaning) and otherwise stay whole (indexing: the index
 * holds a run's character bigrams, which any segmentation of a query meets, and segmenting every record
 * would dominate the build). Segments of one run stay contiguous (`start`/`end`).
 */
export function words(folded: string, segmentHan = true, knownHan?: KnownHanWords): Word[] {
  const out: Word[] = [];
  for (const m of folded.matchAll(WORD_RUN)) {
    const run = m[0];
    const base = m.index;
    if (HAN_RUN.test(run)) {
      HAN_RUN.lastIndex = 0;
      splitMixedRun(run, base, out, segmentHan, knownHan);
    } else {
      pushAlphabetic(run, base, out);
    }
  }
  return out;
}

function pushAlphabetic(run: string, base: number, out: Word[]): void {
  if (!run.includes("'") && !run.includes("’")) {
    out.push({ text: run, script: scriptOf(run[0] ?? ""), start: base, end: base + run.length });
    return;
  }
  let offset = 0;
  const parts = run.split(/['’]/);
  parts.forEach((part, i) => {
    const isElision = i < parts.length - 1 && ELIDED.has(part);
    const isPossessive = i > 0 && part === "s";
    if (part && !isElision && !isPossessive) {
      out.push({ text: part, script: scriptOf(part[0] ?? ""), start: base + offset, end: base + offset + part.length });
    }
    offset += part.length + 1;
  });
}

/**
 * Length of the longest known word (a name of the glossary) starting at `at` in a Chinese text, 0 for none.
 */
export type KnownHanWords = (text: string, at: number) => number;

function splitMixedRun(run: string, base: number, out: Word[], segmentHan: boolean, knownHan?: KnownHanWords): void {
  let last = 0;
  for (const m of run.matchAll(HAN_RUN)) {
    if (m.index > last) pushAlphabetic(run.slice(last, m.index), base + last, out);
    if (!segmentHan) {
      out.push({ text: m[0], script: "han", start: base + m.index, end: base + m.index + m[0].length });
    } else {
      for (const [segment, index] of segmentHanRun(m[0], knownHan))
        out.push({
          text: segment,
          script: "han",
          start: base + m.index + index,
          end: base + m.index + index + segment.length,
        });
    }
    last = m.index + m[0].length;
  }
  if (last < run.length) pushAlphabetic(run.slice(last), base + last, out);
}

/**
 * A Han run's words: ICU's dictionary segmentation, except where it glues part of a word we know to a
 * character outside it: ICU cuts 清华夏令营 into 清|华夏|令|营, and with 夏令营 known it is 清华|夏令营 (the
 * text on either side segmented on its own). Where ICU only cuts inside a known word (联合|实验|室), its
 * words stand.
 */
function segmentHanRun(run: string, knownHan: KnownHanWords | undefined): [string, number][] {
  const icu = (text: string, offset: number): [string, number][] =>
    Array.from(zhSegmenter.segment(text), (seg): [string, number] => [seg.segment, offset + seg.index]);
  const segments = icu(run, 0);
  if (!knownHan) return segments;
  // Two characters left beside a known word that ICU knows only one by one (清|华) are a name it lacks.
  const piece = (text: string, offset: number): [string, number][] =>
    text.length === 2 ? [[text, offset]] : icu(text, offset);
  // A segment that takes in part of the known word and a character outside it, and is no known word itself.
  const glues = (start: number, end: number) =>
    segments.some(([segment, index]) => {
      const last = index + segment.length;
      const partial = (index < start && start < last && last < end) || (start < index && index < end && last > end);
      return partial && knownHan(segment, 0) !== segment.length;
    });
  const out: [string, number][] = [];
  let from = 0;
  for (let at = 0; at < run.length;) {
    const length = knownHan(run, at);
    if (length < 2 || !glues(at, at + length)) {
      at += Math.max(length, 1);
      continue;
    }
    if (at > from) out.push(...piece(run.slice(from, at), from));
    out.push([run.slice(at, at + length), at]);
    at += length;
    from = at;
  }
  if (from === 0) return segments;
  if (from < run.length) out.push(...piece(run.slice(from), from));
  return out;
}

/** Character bigrams of a Han string: 孵化器 → 孵化, 化器. */
export function bigrams(han: string): string[] {
  const chars = Array.from(han);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Which words of a text are written in capitals ("AI", "IT", "SCO") in a text that is not all
 * capitals: acronyms, never grammar words ("ai" is French for "have"). `folded` is fold(text); when
 * folding changed the length, offsets no longer match and nothing counts as an acronym.
 */
export function acronymTest(text: string, folded: string): (word: Word) => boolean {
  if (folded.length !== text.length) return () => false;
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
  const capitals = (word: Word) => word.end - word.start >= 2 && /^\p{Lu}+$/u.test(text.slice(word.start, word.end));
  // One short word in capitals ("IT", a name of the glossary; "AI?") is an acronym, not a shout.
  if (/^\s*\p{Lu}{2,5}[\s?!.]*$/u.test(text)) return capitals;
  if (letters === 0 || upper / letters > 0.6) return () => false;
  return capitals;
}
