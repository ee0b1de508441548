import type { Catalog, Language } from "../catalog/schema.js";
import { isoToday } from "../catalog/dates.js";
import { decide, type DecideOptions, type Decision } from "../search/decide.js";
import type { AnalysedQuery, NamedPlaces, SearchEngine } from "../search/engine.js";

/**
 * Texts remembered by the bot's cache (src/app/compose.ts): the popular questions. A text with its
 * analysis and a decision of 50 hits holds ~11 kB of heap (2,000 texts of the tuning parts: 21.8 MB), so
 * a full cache ~5.5 MB.
 */
export const DEFAULT_REMEMBERED_TEXTS = 500;

interface Remembered {
  languages?: Map<Language | undefined, Language>;
  analysed?: AnalysedQuery;
  places?: NamedPlaces;
  decisions?: Map<string, Decision>;
}

/**
 * What the engine said about a message's text — its language (per hint), its analysis, the places it
 * names, the decision (per options) — remembered for the next message with the same text: users ask the same things. All
 * three depend only on the text, those options, the engine's catalog and the day, so a remembered one
 * is what the engine would say again:
 *
 * - the catalog: the engine's `catalog` is a new object after every change of it (a record put or
 *   removed, a rebuild taken over), and a new one forgets everything;
 * - the day: `decide` reads upcoming editions and deadlines by the UTC day of the clock, the engine
 *   hides announcements by its own clock's day; a new day of either forgets everything.
 *
 * At most `capacity` texts; the least recently asked go first. A remembered decision is shared by the
 * updates that ask the same, and so are the analysis and the places: nothing may change them (nothing in
 * the bot does). `hits` and `misses`
 * count the decisions asked for.
 */
export class DecisionCache {
  hits = 0;
  misses = 0;
  private catalog: Catalog | undefined;
  private day = "";
  private readonly texts = new Map<string, Remembered>();

  constructor(readonly capacity = DEFAULT_REMEMBERED_TEXTS) {}

  /** `engine.language(text, hint)`. */
  language(engine: SearchEngine, text: string, hint?: Language): Language {
    const entry = this.entry(engine, text);
    const languages = (entry.languages ??= new Map());
    let lang = languages.get(hint);
    if (lang === undefined) languages.set(hint, (lang = engine.language(text, hint)));
    return lang;
  }

  /** `engine.analyse(text)`. */
  analyse(engine: SearchEngine, text: string): AnalysedQuery {
    const entry = this.entry(engine, text);
    return (entry.analysed ??= engine.analyse(text));
  }

  /** `engine.placesIn(question)`. */
  places(engine: SearchEngine, question: string | AnalysedQuery): NamedPlaces {
    const text = typeof question === "string" ? question : question.text;
    const entry = this.entry(engine, text);
    entry.analysed ??= typeof question === "string" ? engine.analyse(text) : question;
    return (entry.places ??= engine.placesIn(entry.analysed));
  }

  /** `decide(engine, text, options)`; with `options.today` (another day than the clock's) nothing is remembered. */
  decide(engine: SearchEngine, text: string, options: DecideOptions): Decision {
    if (options.today !== undefined) return decide(engine, text, options);
    const entry = this.entry(engine, text);
    const key = `${options.langHint ?? ""}|${options.lang ?? ""}|${options.limit ?? ""}|${options.threshold ?? ""}|${options.filters ? JSON.stringify(options.filters) : ""}`;
    const decisions = (entry.decisions ??= new Map());
    let decision = decisions.get(key);
    if (decision) this.hits++;
    else {
      this.misses++;
      entry.analysed ??= options.analysed?.text === text ? options.analysed : engine.analyse(text);
      decision = decide(engine, text, { ...options, analysed: entry.analysed });
      decisions.set(key, decision);
    }
    return decision;
  }

  /** The text's entry for the engine's catalog and today, made (and the oldest dropped) when missing. */
  private entry(engine: SearchEngine, text: string): Remembered {
    const catalog = engine.catalog;
    const clockDay = isoToday();
    const engineDay = engine.today();
    const day = clockDay === engineDay ? clockDay : `${clockDay} ${engineDay}`;
    if (catalog !== this.catalog || day !== this.day) {
      this.texts.clear();
      this.catalog = catalog;
      this.day = day;
    }
    let entry = this.texts.get(text);
    if (entry) {
      // Asked again: to the end of the order, the last to go.
      this.texts.delete(text);
    } else {
      entry = {};
      if (this.texts.size >= this.capacity) this.texts.delete(this.texts.keys().next().value!);
    }
    this.texts.set(text, entry);
    return entry;
  }
}

/** What the bot's features ask the engine through: its cache when it has one. */
interface Asked {
  readonly search: SearchEngine;
  readonly decisions?: DecisionCache;
}

export function languageOf(deps: Asked, text: string, hint?: Language): Language {
  return deps.decisions ? deps.decisions.language(deps.search, text, hint) : deps.search.language(text, hint);
}

export function analysisOf(deps: Asked, text: string): AnalysedQuery {
  return deps.decisions ? deps.decisions.analyse(deps.search, text) : deps.search.analyse(text);
}

export function placesOf(deps: Asked, question: string | AnalysedQuery): NamedPlaces {
  return deps.decisions ? deps.decisions.places(deps.search, question) : deps.search.placesIn(question);
}

export function decisionOf(deps: Asked, text: string, options: DecideOptions): Decision {
  return deps.decisions ? deps.decisions.decide(deps.search, text, options) : decide(deps.search, text, options);
}
