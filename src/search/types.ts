import type { Kind, Language } from "../catalog/schema.js";

/** Facet filters; values inside one facet are alternatives (OR), facets combine with AND. */
export interface SearchFilters {
  kinds?: readonly Kind[];
  countries?: readonly string[];
  sectors?: readonly string[];
  audiences?: readonly string[];
}

export interface SearchOptions {
  /** Language the caller believes the query is in (Telegram's language_code, a user's choice). */
  langHint?: Language;
  /** The query's language when the caller has already detected it (with the same rules): not detected again. */
  lang?: Language;
  filters?: SearchFilters;
  /** Hits to return (default 10). */
  limit?: number;
  /** Hits to skip, for paging (default 0). */
  offset?: number;
  /** How many of the returned hits get their `matches` (why they matched) built; default all. */
  explain?: number;
}

/** Which indexed field a hit matched in. */
export type MatchField = "title" | "summary" | "details" | "meta" | "tags";

export interface MatchedTerm {
  /** The query word (or concept/place) that matched. */
  query: string;
  /** What it matched in the record: the indexed term, a concept id ("concept:sco") or place ("country:KZ"). */
  term: string;
  field: MatchField;
  /** How the term was reached. */
  via: "exact" | "stem" | "typo" | "prefix" | "concept" | "place";
}

export interface SearchHit {
  id: string;
  /** Relevance, comparable between hits of one query. */
  score: number;
  /**
   * Share of the query that this record covers, weighted by how specific each part is (0..1).
   * Comparable across queries: the bot treats a best hit under its threshold as "unanswered".
   */
  confidence: number;
  /** Share of the record's title that the query names (1: the question is the record's name). */
  titleCoverage: number;
  matches: MatchedTerm[];
}

export interface SearchResponse {
  query: string;
  /** The query's language: detected, and combined with the caller's hint. */
  lang: Language;
  /** Countries named in the query (ISO 3166-1 alpha-2); their records rank first. */
  countries: string[];
  /** All hits that passed the filters, before offset/limit. */
  total: number;
  hits: SearchHit[];
  /** Share of the question (by confidence weight) in words the catalog does not hold at all. */
  unknown?: number;
  /** How many units the question was split into (words; Chinese words as their bigrams). */
  units?: number;
}
