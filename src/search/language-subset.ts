import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { eld } from "eld/small";
import { LANGUAGES } from "../catalog/schema.js";

/**
 * eld's database cut to our four languages, as eld's own `saveSubset` cuts it: `data/eld-subset.json`,
 * made from the installed eld's small database by `npm run eld-subset` (a test checks it is what the
 * installed package gives, and that it detects exactly as the whole database limited to the same
 * languages). The whole database costs ~150 MB of memory once parsed; the cut one, a few MB.
 */
export const ELD_SUBSET_FILE = fileURLToPath(new URL("../../data/eld-subset.json", import.meta.url));

/** eld's database format: language ids → ISO 639-1 codes, byte n-grams → score per language id. */
export interface EldDatabase {
  type: string;
  languages: Record<string, string>;
  isSubset: boolean;
  ngrams: Record<string, Record<string, number>>;
}

export type Detector = Pick<typeof eld, "detect">;

interface EldInternals {
  createEld(): { instance: Detector; loadData(data: EldDatabase): string };
}

/**
 * eld's own modules past its published entry points: the detector core takes any database, but only
 * the package's bundled files can be loaded through its API.
 */
async function eldModule<T>(file: string): Promise<T> {
  return (await import(new URL(file, import.meta.resolve("eld")).href)) as T;
}

/** A detector of its own on the shipped subset (or the given database). */
export async function subsetDetector(
  database: EldDatabase = JSON.parse(readFileSync(ELD_SUBSET_FILE, "utf8")) as EldDatabase,
): Promise<Detector> {
  const { createEld } = await eldModule<EldInternals>("../languageDetector.js");
  const { instance, loadData } = createEld();
  if (!loadData(database)) throw new Error(`${ELD_SUBSET_FILE}: not an eld database`);
  return instance;
}

/** The installed eld's small database (to make and check the subset; never loaded by the bot). */
export async function smallDatabase(): Promise<EldDatabase> {
  return (await eldModule<{ ngramsData: EldDatabase }>("../ngrams/small.js")).ngramsData;
}

/**
 * eld's `saveSubset` (browser only) as a function: the database with only the given languages. Unlike
 * it, languages are numbered again from 0 — eld 2.1.0 sizes its score table by the number of languages,
 * so a subset keeping ids such as 59 scores nothing — in the whole database's order, so that ties
 * between languages resolve as before.
 */
export function databaseSubset(full: EldDatabase, languages: readonly string[] = LANGUAGES): EldDatabase {
  const ids = Object.keys(full.languages)
    .filter((id) => languages.includes(full.languages[id] as string))
    .sort((a, b) => Number(a) - Number(b));
  const renumbered = new Map(ids.map((id, i) => [id, String(i)]));
  const ngrams: EldDatabase["ngrams"] = {};
  for (const [ngram, scores] of Object.entries(full.ngrams)) {
    const kept: Record<string, number> = {};
    for (const [id, score] of Object.entries(scores)) {
      const to = renumbered.get(id);
      if (to !== undefined) kept[to] = score;
    }
    if (Object.keys(kept).length > 0) ngrams[ngram] = kept;
  }
  return {
    type: full.type,
    languages: Object.fromEntries(ids.map((id, i) => [String(i), full.languages[id] as string])),
    isSubset: true,
    ngrams,
  };
}
