import type { CatalogRecord, Kind } from "../catalog/schema.js";
import type { SearchEngine } from "../search/engine.js";
import type { SearchFilters } from "../search/types.js";
import { isUpcoming } from "../catalog/dates.js";

/**
 * The browsing lists (/programmes, /incubators, /initiatives, /events and the greeting's buttons): what
 * a user means by each, not a schema kind. "Exchange programmes" is everything for students and
 * researchers (the higher-education centre first), "incubators" is what an entrepreneur needs
 * (incubators first), "events" are events by date.
 */
export interface ListSpec {
  /** Records of these kinds belong to the list… */
  kinds?: readonly Kind[];
  /** …and so do records for any of these audiences (vocabulary ids). */
  audiences?: readonly string[];
  /** Kinds never shown, even for a listed audience (events have their own list). */
  exclude?: readonly Kind[];
  /** Records shown first, in this order, when they pass the filters. */
  first?: readonly string[];
  /**
   * "relevance": kinds in `kinds` first, then the records most specifically for the audiences (the
   * share of their audiences that are the list's), newest first among equals. "date": by date, upcoming
   * first (soonest first), then past ones (latest first).
   */
  order: "relevance" | "date";
}

export const LISTS = {
  programmes: {
    audiences: ["students", "researchers", "young-scientists"],
    exclude: ["event", "announcement"],
    kinds: ["programme"],
    first: ["sco-higher-education-centre"],
    order: "relevance",
  },
  incubators: {
    kinds: ["incubator"],
    audiences: ["entrepreneurs", "startups"],
    exclude: ["event", "announcement"],
    order: "relevance",
  },
  initiatives: { kinds: ["initiative"], order: "relevance" },
  events: { kinds: ["event"], order: "date" },
} as const satisfies Record<string, ListSpec>;

export type BrowseList = keyof typeof LISTS;
export const BROWSE_LISTS = Object.keys(LISTS) as BrowseList[];

/** What narrows a list: a country code and a sector id. */
export interface ListFilters {
  country?: string;
  sector?: string;
}

/** The records of a list that pass the filters, in the list's order. `today` is YYYY-MM-DD. */
export function listRecords(
  engine: SearchEngine,
  list: BrowseList,
  filters: ListFilters,
  today: string,
): CatalogRecord[] {
  const spec: ListSpec = LISTS[list];
  const narrow: SearchFilters = {
    ...(filters.country ? { countries: [filters.country] } : {}),
    ...(filters.sector ? { sectors: [filters.sector] } : {}),
  };
  const ids = new Set<string>();
  // The engine's browse order (newest first) is kept among equals; it also leaves out expired announcements.
  const take = (extra: SearchFilters) =>
    engine.browse({ ...narrow, ...extra }, { limit: engine.size }).hits.map((h) => h.id);
  const found = [
    ...(spec.kinds ? take({ kinds: [...spec.kinds] }) : []),
    ...(spec.audiences ? take({ audiences: [...spec.audiences] }) : []),
  ];
  const records: CatalogRecord[] = [];
  for (const id of found) {
    const record = ids.has(id) ? undefined : engine.get(id);
    ids.add(id);
    if (record && !spec.exclude?.includes(record.kind)) records.push(record);
  }
  const position = new Map(records.map((r, i) => [r.id, i]));
  const rank = spec.order === "date" ? dateRank(today) : relevanceRank(spec);
  return records.sort(
    (a, b) => pinned(spec, a) - pinned(spec, b) || rank(a, b) || position.get(a.id)! - position.get(b.id)!,
  );
}

function pinned(spec: ListSpec, record: CatalogRecord): number {
  const i = spec.first?.indexOf(record.id) ?? -1;
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

function relevanceRank(spec: ListSpec): (a: CatalogRecord, b: CatalogRecord) => number {
  const ofKind = (r: CatalogRecord) => (spec.kinds?.includes(r.kind) ? 0 : 1);
  const share = (r: CatalogRecord) =>
    spec.audiences && r.audiences.length
      ? r.audiences.filter((a) => spec.audiences!.includes(a)).length / r.audiences.length
      : 0;
  return (a, b) => ofKind(a) - ofKind(b) || share(b) - share(a);
}

/** Upcoming events first, soonest first; then past ones, latest first. Undated ones last. */
function dateRank(today: string): (a: CatalogRecord, b: CatalogRecord) => number {
  return (a, b) => {
    const ua = isUpcoming(a, today);
    const ub = isUpcoming(b, today);
    if (ua !== ub) return ua ? -1 : 1;
    const da = a.dates?.start;
    const db = b.dates?.start;
    if (!da || !db) return da ? -1 : db ? 1 : 0;
    return ua ? da.localeCompare(db) : db.localeCompare(da);
  };
}
