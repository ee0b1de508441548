import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Chinese typed in pinyin ("wulumuqi fuhuaqi", "shanghe zuzhi rengong zhineng"): the catalog's own Chinese
 * names, keyed by their toneless pinyin, so such a message can be read as the characters it spells.
 */

/**
 * The reading of every Chinese character of the bundled catalog, as `npm run pinyin` writes it from
 * pinyin-pro (each character's most frequent reading in the catalog's words, so polyphones read as
 * the catalog uses them). The file is small; the library's dictionary would cost ~26 MB at every start.
 */
export const PINYIN_FILE = fileURLToPath(new URL("../../data/pinyin.json", import.meta.url));
export type PinyinFile = { source: string; chars: Record<string, string> };

let readings: ReadonlyMap<string, string> | undefined;

function charReadings(): ReadonlyMap<string, string> {
  readings ??= new Map(Object.entries((JSON.parse(readFileSync(PINYIN_FILE, "utf8")) as PinyinFile).chars));
  return readings;
}

/** Words of two to four characters: a place or a name rarely takes more syllables per typed word. */
const MIN_CHARS = 2;
const MAX_CHARS = 4;
/** A typed pinyin word shorter than this is too often a word of English or French ("he", "an", "dao"). */
const MIN_KEY = 4;
const HAN_RUN = /\p{Script=Han}+/gu;

export interface PinyinData {
  texts: string[];
  keys: [string, [string, number][]][];
}

export class PinyinNames {
  /** Toneless pinyin → the characters, with how often each spelling occurs (the most frequent wins). */
  private readonly byKey = new Map<string, Map<string, number>>();
  /** Texts already added: a record put again unchanged (an edit of another field) counts once. */
  private readonly added = new Set<string>();
  /** The keys in code-unit order, for `begins` (sorted when first needed after a change). */
  private sorted: string[] | undefined;

  /**
   * Adds the Chinese names of a text: every window of two to four characters of its Chinese runs,
   * keyed by its pinyin. Returns whether the text was new.
   */
  add(text: string): boolean {
    if (this.added.has(text)) return false;
    this.added.add(text);
    const chars = charReadings();
    for (const [run] of text.matchAll(HAN_RUN)) {
      const glyphs = Array.from(run);
      for (let i = 0; i < glyphs.length; i++) {
        let key = "";
        for (let n = 1; n <= MAX_CHARS && i + n <= glyphs.length; n++) {
          const reading = chars.get(glyphs[i + n - 1]!);
          if (reading === undefined) break;
          key += reading;
          if (n < MIN_CHARS || key.length < MIN_KEY) continue;
          const word = glyphs.slice(i, i + n).join("");
          let spellings = this.byKey.get(key);
          if (!spellings) {
            this.byKey.set(key, (spellings = new Map()));
            this.sorted = undefined;
          }
          spellings.set(word, (spellings.get(word) ?? 0) + 1);
        }
      }
    }
    return true;
  }

  /** The names as plain data, for a saved index: the texts added, and per pinyin key its spellings with their counts. */
  data(): PinyinData {
    return { texts: [...this.added], keys: [...this.byKey].map(([key, spellings]) => [key, [...spellings]]) };
  }

  /** The names `data` gave, as they were. */
  static fromData(data: PinyinData): PinyinNames {
    const names = new PinyinNames();
    for (const text of data.texts) names.added.add(text);
    for (const [key, spellings] of data.keys) names.byKey.set(key, new Map(spellings));
    return names;
  }

  /**
   * The name of the catalog that a Chinese word of two to four characters was meant to be, when it sounds
   * the same and differs in one character — the wrong candidate of a pinyin keyboard ("乌鲁目齐" for
   * 乌鲁木齐, "东蒙" for 东盟, "孵花器" for 孵化器); undefined otherwise.
   */
  homophone(word: string): string | undefined {
    const glyphs = Array.from(word);
    if (glyphs.length < MIN_CHARS || glyphs.length > MAX_CHARS) return undefined;
    const chars = charReadings();
    let key = "";
    for (const glyph of glyphs) {
      const reading = chars.get(glyph);
      if (reading === undefined) return undefined;
      key += reading;
    }
    const meant = this.lookup(key);
    if (meant === undefined || meant === word) return undefined;
    const other = Array.from(meant);
    const differing = glyphs.filter((glyph, i) => glyph !== other[i]).length;
    return other.length === glyphs.length && differing === 1 ? meant : undefined;
  }

  /** Whether the pinyin of some name begins with `prefix` (so a word typed so may spell one, alone or with the next). */
  begins(prefix: string): boolean {
    const keys = (this.sorted ??= [...this.byKey.keys()].sort());
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo < keys.length && keys[lo]!.startsWith(prefix);
  }

  /** The characters a typed pinyin word spells, if it spells a name of the catalog. */
  lookup(word: string): string | undefined {
    const spellings = this.byKey.get(word);
    if (!spellings) return undefined;
    let best: string | undefined;
    let count = 0;
    for (const [w, n] of spellings) if (n > count) [best, count] = [w, n];
    return best;
  }
}
