import { createRequire } from "node:module";
import type * as Nationalities from "i18n-nationality";
import type { LocaleData } from "i18n-nationality";
import { countries } from "../catalog/countries.js";
import type { Glossary, Language, Places } from "../catalog/schema.js";
import { LANGUAGES } from "../catalog/schema.js";
import { analyze, latinLanguageOf, type AnalyzedText } from "./analyzer.js";
import type { GazetteerCity } from "./gazetteer.js";
import { PackedTable, packTable, type PackedData } from "./packed-table.js";
import { fold, words } from "./text.js";

/**
 * Concepts and places named in a text, whatever its language. A concept from the glossary becomes the
 * token `~<concept>`, a country `@<cc>` (lower-case ISO code), a city `@c:<city-id>`. Records carry these
 * tokens in their index fields and queries look them up, which is what lets "ШОС" find a record written
 * "SCO" and "Казахстане" find one whose country is KZ.
 */

export type LexiconKind = "concept" | "place";

export interface LexiconMatch {
  token: string;
  kind: LexiconKind;
  /** First and one-past-last word index covered in the analysed text. */
  from: number;
  to: number;
  /** A Han name found inside words rather than as whole words ("上和" across 上 and 和). */
  partial?: boolean;
  /** A Han name inside one longer word: its characters' offsets in the folded text (大学 of 清华大学). */
  within?: [number, number];
}

/** Whether a match lies inside a longer concept ("Shanghai" of the Shanghai Cooperation Organisation names no place). */
export function insideLongerName(matches: readonly LexiconMatch[], m: LexiconMatch): boolean {
  return matches.some((c) => c.kind === "concept" && c.to - c.from > 1 && c.from <= m.from && c.to >= m.to);
}

interface Pattern {
  keys: string[];
  token: string;
  kind: LexiconKind;
}

interface HanName {
  text: string;
  token: string;
  kind: LexiconKind;
}

/**
 * Everything a lexicon holds, for the saved search index: the same lexicon comes back from it without
 * reading the glossary, the country names and the gazetteer again (see Lexicon.data and fromData). The
 * three tables of names are packed (src/search/packed-table.ts): tens of thousands of gazetteer names.
 */
export interface LexiconData {
  byFirst: Record<Flavor, PackedData>;
  hanByFirst: PackedData;
  placeWords: PackedData;
  countryOfToken: Map<string, string>;
  names: Set<string>;
  conceptWords: Set<string>;
  cityNames: Set<string>;
  cityOfName: Map<string, string>;
  demonyms: Readonly<Record<string, readonly string[]>>;
}

type Flavor = "en" | "fr";

/** A table of names: a map while a lexicon is built, packed in one loaded from a saved index. */
type Table<V> = Map<string, V> | PackedTable<V>;

function editable<V>(table: Table<V>): Map<string, V> {
  if (table instanceof Map) return table;
  throw new Error("a lexicon loaded from a saved index takes no more names");
}

export function countryToken(code: string): string {
  return `@${code.toLowerCase()}`;
}

/** A city of the gazetteer the catalog does not have: it stands for its country (see addCountryPlaces). */
export function gazetteerToken(code: string): string {
  return `@g:${code.toLowerCase()}`;
}

export function isGazetteerToken(token: string): boolean {
  return token.startsWith("@g:");
}

export function cityToken(id: string): string {
  return `@c:${id}`;
}

export function conceptToken(id: string): string {
  return `~${id}`;
}

/** Country names that are also common words or too short to match safely without context. */
const MIN_COUNTRY_NAME_LENGTH = 4;

export class Lexicon {
  /** Word-sequence patterns by the first key, per stemming flavor. */
  private byFirst: Record<Flavor, Table<Pattern[]>> = { en: new Map(), fr: new Map() };
  /** Han names by their first character, matched as substrings of folded text. */
  private hanByFirst: Table<HanName[]> = new Map();
  /** Token → the country code it stands for (for countries). */
  readonly countryOfToken = new Map<string, string>();
  /** Tokens of the concepts that are proper names (the SCO, the Belt and Road, Xinjiang). */
  readonly names = new Set<string>();

  static build(glossary: Glossary, places: Places): Lexicon {
    const lexicon = new Lexicon();
    for (const [id, terms] of Object.entries(glossary)) {
      if (terms.name) lexicon.names.add(conceptToken(id));
      for (const lang of LANGUAGES) {
        for (const term of terms[lang]) lexicon.addStemmed(term, lang, conceptToken(id));
      }
    }
    const library = countries();
    for (const code of Object.keys(library.getAlpha2Codes())) {
      const token = countryToken(code);
      lexicon.countryOfToken.set(token, code);
      const names = new Set<string>();
      for (const lang of LANGUAGES) {
        for (const name of library.getNames(lang, { select: "all" })[code] ?? []) names.add(name);
      }
      for (const alias of places.countryAliases[code] ?? []) names.add(alias);
      for (const name of names) {
        const isAlias = places.countryAliases[code]?.includes(name) ?? false;
        if (!isAlias && Array.from(name).length < MIN_COUNTRY_NAME_LENGTH && !/\p{Script=Han}/u.test(name)) continue;
        lexicon.addPlace(name, token);
      }
    }
    lexicon.demonyms = places.demonyms ?? {};
    for (const [id, city] of Object.entries(places.cities)) {
      for (const name of [...Object.values(city.names), ...city.aliases]) {
        lexicon.addPlace(name, cityToken(id));
        lexicon.cityNames.add(fold(name));
        lexicon.cityOfName.set(`${city.country}:${fold(name)}`, id);
      }
    }
    return lexicon;
  }

  /** One-word terms of the glossary, folded: a town of the gazetteer named so is not read ("labo", Labo in the Philippines). */
  private readonly conceptWords = new Set<string>();

  /** Folded names of the catalog's own cities (places.yaml): they keep their city token. */
  private readonly cityNames = new Set<string>();
  /** "country:folded name" → the catalog city it names, so the gazetteer's other spellings of it join it. */
  private readonly cityOfName = new Map<string, string>();

  /**
   * The countries' codes (KZ, KAZ) and the gazetteer's cities in them, each standing for its country:
   * "incubator in Shymkent" asks about Kazakhstan. `isCatalogWord` leaves out a name that is also a word
   * of the catalog's own text (合作, a town in Gansu, is "cooperation" everywhere else), and so is a word of
   * the glossary ("labo"); a stop word
   * never matches, which keeps "DE", "IN" and "MY" from being read as countries.
   */
  addCountryPlaces(
    codes: Iterable<string>,
    cities: readonly GazetteerCity[],
    isCatalogWord: (name: string) => boolean,
  ): void {
    const wanted = new Set(codes);
    const library = countries();
    // One token string per country for its tens of thousands of names.
    const gazetteerTokens = new Map<string, string>();
    for (const code of wanted) {
      const token = countryToken(code);
      this.addPlace(code, token);
      gazetteerTokens.set(code, gazetteerToken(code));
      const alpha3 = library.alpha2ToAlpha3(code);
      if (alpha3) this.addPlace(alpha3, token);
      // China is the other side of every record: "Chinese" says nothing of where.
      if (code !== "CN") for (const name of this.demonymsOf(code)) this.addDemonym(name, token);
    }
    // "Samarkand" is Uzbekistan's city, and an old name of Kazakhstan's Temirtau: a city's own name is not
    // also an other country's city's former or foreign one.
    const primary = new Map<string, string>();
    for (const city of cities) if (wanted.has(city.country) && city.names[0]) primary.set(city.names[0], city.country);
    for (const city of cities) {
      if (!wanted.has(city.country)) continue;
      // A city of the catalog keeps its own token under every spelling the gazetteer knows ("Ouroumtchi").
      const own = city.names
        .map((name) => this.cityOfName.get(`${city.country}:${name}`))
        .find((id) => id !== undefined);
      const token = own ? cityToken(own) : gazetteerTokens.get(city.country)!;
      if (!own) this.countryOfToken.set(token, city.country);
      // Gazetteer names come folded.
      for (const [i, name] of city.names.entries()) {
        if (this.cityNames.has(name) || isCatalogWord(name) || this.conceptWords.has(name)) continue;
        if (i > 0 && (primary.get(name) ?? city.country) !== city.country) continue;
        this.addPlace(name, token, true);
      }
    }
  }

  /** Extra demonyms from places.yaml (see Places.demonyms). */
  private demonyms: Readonly<Record<string, readonly string[]>> = {};

  /** The words for a country's people and things: i18n-nationality's in English and French, and places.yaml's. */
  private demonymsOf(code: string): string[] {
    // "Russian", "russe" are as often the language ("programmes taught in Russian"): places.yaml's forms only.
    const library = LANGUAGE_FIRST.has(code)
      ? []
      : [nationalities().getName(code, "en"), nationalities().getName(code, "fr")];
    return [...library, ...(this.demonyms[code] ?? [])].filter(
      (name): name is string => typeof name === "string" && name.length > 0,
    );
  }

  /** A demonym matches on its stems in both Latin stemmings: "Malaisienne" and "malaisiens" are one word. */
  private addDemonym(name: string, token: string): void {
    if (/\p{Script=Han}/u.test(name)) {
      this.addHan(fold(name), token, "place");
      return;
    }
    for (const flavor of ["en", "fr"] as const) {
      const keys = analyze(name, flavor).keys.filter((k): k is string => k !== null);
      if (keys.length > 0) this.addPattern(flavor, { keys, token, kind: "place" });
    }
  }

  private addStemmed(term: string, lang: Language, token: string): void {
    if (/\p{Script=Han}/u.test(term)) {
      this.addHan(fold(term), token, "concept");
      return;
    }
    const analyzed = analyze(term, lang);
    const keys = analyzed.keys.filter((k): k is string => k !== null);
    this.addPattern(latinLanguageOf(lang), { keys, token, kind: "concept" });
    if (analyzed.words.length === 1) this.conceptWords.add(analyzed.words[0]!.text);
  }

  /** Place names match on their surface forms (stems mangle proper names), plus Russian case forms. */
  private addPlace(name: string, token: string, folded = false): void {
    const text = folded ? name : fold(name);
    if (/\p{Script=Han}/u.test(text)) {
      this.addHan(text, token, "place");
      return;
    }
    const surfaces = words(text).map((w) => w.text);
    if (surfaces.length === 0) return;
    const last = surfaces[surfaces.length - 1]!;
    const variants = /[а-я]$/.test(last) ? russianCaseForms(last) : [last];
    if (surfaces.length === 1) {
      // Most place names are one word: a direct look-up, not a pattern (the gazetteer has tens of thousands).
      const placeWords = editable(this.placeWords);
      for (const variant of variants) {
        const tokens = placeWords.get(variant);
        if (tokens === undefined) placeWords.set(variant, token);
        else if (typeof tokens === "string") {
          if (tokens !== token) placeWords.set(variant, [tokens, token]);
        } else if (!tokens.includes(token)) tokens.push(token);
      }
      return;
    }
    for (const variant of variants) {
      // Surface forms are the same in both stemmings: one pattern serves both.
      const pattern: Pattern = { keys: [...surfaces.slice(0, -1), variant], token, kind: "place" };
      for (const flavor of ["en", "fr"] as const) this.addPattern(flavor, pattern);
    }
  }

  private addHan(text: string, token: string, kind: LexiconKind): void {
    const first = text[0];
    if (first === undefined) return;
    const table = editable(this.hanByFirst);
    const list = table.get(first);
    // Tens of thousands of city names share first characters: each name and token once.
    if (!list) table.set(first, [{ text, token, kind }]);
    else if (!list.some((entry) => entry.token === token && entry.text === text)) list.push({ text, token, kind });
  }

  /**
   * Length of the longest name of the glossary that starts at `at` in a Chinese text (夏令营 in 清华夏令营),
   * 0 when none does: a word the segmenter must not cut.
   */
  hanConceptAt(text: string, at: number): number {
    let longest = 0;
    for (const entry of this.hanByFirst.get(text[at] ?? "") ?? [])
      if (entry.kind === "concept" && entry.text.length > longest && text.startsWith(entry.text, at))
        longest = entry.text.length;
    return longest;
  }

  /** Whether a one-word Latin or Cyrillic text (folded) is a place name of the gazetteer or the catalog ("urumchi"). */
  isPlaceWord(text: string): boolean {
    return this.placeWords.get(text) !== undefined;
  }

  /** Whether a Chinese text is a name of the glossary or the gazetteer (上合组织, 孵化器, 乌鲁木齐). */
  isHanName(text: string): boolean {
    return this.hanByFirst.get(text[0] ?? "")?.some((entry) => entry.text === text) ?? false;
  }

  /** One-word place names (and their Russian case forms) → the place token they name, or the tokens when several (rare). */
  private placeWords: Table<string | string[]> = new Map();

  private addPattern(flavor: Flavor, pattern: Pattern): void {
    const first = pattern.keys[0];
    if (first === undefined) return;
    const table = editable(this.byFirst[flavor]);
    const list = table.get(first);
    // Tens of thousands of city names share first words: each pattern (token and keys) once.
    if (!list) table.set(first, [pattern]);
    else if (!list.some((p) => p.token === pattern.token && sameKeys(p.keys, pattern.keys))) list.push(pattern);
  }

  /** What the saved search index keeps of this lexicon (its tables packed, the rest as it is). */
  data(): LexiconData {
    const { countryOfToken, names, conceptWords, cityNames, cityOfName, demonyms } = this;
    return {
      byFirst: { en: packed(this.byFirst.en, encodePatterns), fr: packed(this.byFirst.fr, encodePatterns) },
      hanByFirst: packed(this.hanByFirst, encodeHanNames),
      placeWords: packed(this.placeWords, encodeTokens),
      ...{ countryOfToken, names, conceptWords, cityNames, cityOfName, demonyms },
    };
  }

  /**
   * The lexicon `data()` was taken from, its tables left packed (a name is decoded when a text first names
   * it). Their typed arrays are copied: V8's format gives views of the bytes read, which would keep the
   * whole saved index in memory.
   */
  static fromData(data: LexiconData): Lexicon {
    const { byFirst, hanByFirst, placeWords, ...rest } = data;
    const lexicon = new Lexicon();
    Object.assign(lexicon, rest);
    lexicon.byFirst = {
      en: new PackedTable(ownCopy(byFirst.en), decodePatterns),
      fr: new PackedTable(ownCopy(byFirst.fr), decodePatterns),
    };
    lexicon.hanByFirst = new PackedTable(ownCopy(hanByFirst), decodeHanNames);
    lexicon.placeWords = new PackedTable(ownCopy(placeWords), decodeTokens);
    return lexicon;
  }

  /**
   * Matches in one analysed text. `flavor` is the Latin stemming the text was analysed with (a text
   * in French was stemmed as French). Concepts match on stems, places on surface forms.
   */
  match(text: AnalyzedText, flavor: Flavor): LexiconMatch[] {
    const out: LexiconMatch[] = [];
    // Stop words are skipped, so "centre for higher education" still meets "higher education".
    const positions: number[] = [];
    text.keys.forEach((k, i) => {
      if (k !== null) positions.push(i);
    });
    const patterns = this.byFirst[flavor];
    for (let p = 0; p < positions.length; p++) {
      const wordIndex = positions[p]!;
      const key = text.keys[wordIndex]!;
      const surface = text.words[wordIndex]!.text;
      for (const first of key === surface ? [key] : [key, surface]) {
        for (const pattern of patterns.get(first) ?? []) {
          if (this.matchesAt(pattern, text, positions, p)) {
            out.push({
              token: pattern.token,
              kind: pattern.kind,
              from: wordIndex,
              to: positions[p + pattern.keys.length - 1]! + 1,
            });
          }
        }
      }
      // A place name is its surface form: a stem is not one ("rather" stems to "rath" in French, a town in India).
      const place = this.placeWords.get(surface);
      if (typeof place === "string") out.push({ token: place, kind: "place", from: wordIndex, to: wordIndex + 1 });
      else for (const token of place ?? []) out.push({ token, kind: "place", from: wordIndex, to: wordIndex + 1 });
    }
    text.words.forEach((word, i) => {
      if (word.script === "han") this.matchHan(text, i, out);
    });
    return out;
  }

  /**
   * Han names starting anywhere inside one Han word (names need not align with segmentation). Chinese
   * compounds end in their head: a name inside the word that runs into one ending the word is no name of
   * it (华大 in 清华大学 is not BGI; 大学 is its head).
   */
  private matchHan(text: AnalyzedText, from: number, out: LexiconMatch[]): void {
    const word = text.words[from]!;
    const found: { at: number; end: number; match: LexiconMatch }[] = [];
    for (let at = word.start; at < word.end; at++) {
      for (const entry of this.hanByFirst.get(text.folded[at]!) ?? []) {
        if (!text.folded.startsWith(entry.text, at)) continue;
        const end = at + entry.text.length;
        let to = from + 1;
        while (to < text.words.length && text.words[to]!.start < end) to++;
        const partial = at !== word.start || text.words[to - 1]!.end !== end;
        const match: LexiconMatch = { token: entry.token, kind: entry.kind, from, to };
        if (partial) match.partial = true;
        if (partial && to === from + 1) match.within = [at, end];
        found.push({ at, end, match });
      }
    }
    for (const f of found) {
      const cut =
        f.at > word.start &&
        f.end < word.end &&
        found.some((head) => head.end === word.end && head.at > f.at && head.at < f.end);
      if (!cut) out.push(f.match);
    }
  }

  private matchesAt(pattern: Pattern, text: AnalyzedText, positions: number[], p: number): boolean {
    if (p + pattern.keys.length > positions.length) return false;
    return pattern.keys.every((k, j) => {
      const i = positions[p + j]!;
      return text.keys[i] === k || text.words[i]!.text === k;
    });
  }
}

/**
 * The forms a Russian place name takes in the six cases (Казахстан → Казахстане, Харбин → Харбине,
 * Ухань → Ухани, Германия → Германии, Москва → Москве). Indeclinable names (Урумчи, Токио) stay as
 * they are. Only the last word declines here; multi-word names list their forms as aliases.
 */
export function russianCaseForms(word: string): string[] {
  const forms = new Set([word]);
  const add = (stem: string, endings: string[]) => endings.forEach((e) => forms.add(stem + e));
  const stem1 = word.slice(0, -1);
  if (word.endsWith("ия")) add(word.slice(0, -2), ["ии", "ию", "ией"]);
  else if (word.endsWith("я")) add(stem1, ["и", "е", "ю", "ей", "ей"]);
  else if (word.endsWith("а")) add(stem1, ["ы", "и", "е", "у", "ой"]);
  else if (word.endsWith("ь")) add(stem1, ["я", "ю", "ем", "е", "и", "ью"]);
  else if (word.endsWith("й")) add(stem1, ["я", "ю", "ем", "е"]);
  else if (/[бвгджзклмнпрстфхцчшщ]$/.test(word)) add(word, ["а", "у", "ом", "е", "ы"]);
  return [...forms];
}

/** Countries whose demonym in English and French is more often read as the language. */
const LANGUAGE_FIRST = new Set(["RU"]);

// The packed tables' values: list items and their fields (a pattern's token, kind, then keys) apart by control characters.
const ITEM = "\u0001";
const FIELD = "\u0002";

function packable(text: string): string {
  if (text.includes(ITEM) || text.includes(FIELD))
    throw new Error(`lexicon text ${JSON.stringify(text)} cannot be saved`);
  return text;
}

function ownCopy(data: PackedData): PackedData {
  return { ...data, keyEnds: data.keyEnds.slice(), valueEnds: data.valueEnds.slice(), slots: data.slots.slice() };
}

function packed<V>(table: Table<V>, encode: (value: V) => string): PackedData {
  return table instanceof PackedTable ? table.data : packTable(table, encode);
}

function encodePatterns(list: readonly Pattern[]): string {
  return list.map((p) => [p.token, p.kind, ...p.keys].map(packable).join(FIELD)).join(ITEM);
}

function decodePatterns(text: string): Pattern[] {
  return text.split(ITEM).map((item) => {
    const [token, kind, ...keys] = item.split(FIELD);
    return { keys, token: token!, kind: kind as LexiconKind };
  });
}

function encodeHanNames(list: readonly HanName[]): string {
  return list.map((e) => [e.text, e.token, e.kind].map(packable).join(FIELD)).join(ITEM);
}

function decodeHanNames(text: string): HanName[] {
  return text.split(ITEM).map((item) => {
    const [name, token, kind] = item.split(FIELD);
    return { text: name!, token: token!, kind: kind as LexiconKind };
  });
}

function encodeTokens(tokens: string | readonly string[]): string {
  return typeof tokens === "string" ? packable(tokens) : tokens.map(packable).join(ITEM);
}

function decodeTokens(text: string): string | string[] {
  return text.includes(ITEM) ? text.split(ITEM) : text;
}

/** Keys of two patterns, word by word (a key is one word: joined with spaces they would compare alike). */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

let nationalityNames: typeof Nationalities | undefined;

/**
 * i18n-nationality with its English and French names, loaded when a lexicon is first built (its package
 * entry registers eight languages; a lexicon from the saved index needs none).
 */
function nationalities(): typeof Nationalities {
  if (nationalityNames) return nationalityNames;
  // Files of a package: required, which every runner of this code (tsx, node, esbuild's output) reads alike.
  const require = createRequire(import.meta.url);
  const library = require("i18n-nationality/index.js") as typeof Nationalities;
  for (const lang of ["en", "fr"]) library.registerLocale(require(`i18n-nationality/langs/${lang}.json`) as LocaleData);
  return (nationalityNames = library);
}
