import type { AnnouncementStore } from "../announcements/store.js";
import { SearchEngine, type SearchEngineOptions } from "../search/engine.js";
import type { Catalog, CatalogRecord } from "./schema.js";

/**
 * The catalog the bot searches: the records read from the catalog folder plus the announcements made
 * by broadcasts. This is the one place where the two are merged: at start, after a broadcast adds an
 * announcement, and when /reload reads the folder again (`rebuild(newBase)`).
 */
export class LiveCatalog {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private base: Catalog,
    private readonly announcements: AnnouncementStore,
    /** Receives each rebuilt engine (the app puts it in `deps.search`). */
    private readonly apply: (engine: SearchEngine) => void,
    private readonly options: SearchEngineOptions = {},
  ) {}

  /** The catalog as read from files, without announcements. */
  get files(): Catalog {
    return this.base;
  }

  /**
   * Builds the engine over the base catalog (replaced by `base` when given) and every stored
   * announcement, and applies it. Rebuilds run one at a time, in order.
   */
  rebuild(base?: Catalog): Promise<SearchEngine> {
    const run = this.chain.then(async () => {
      if (base) this.base = base;
      const engine = SearchEngine.build(mergeRecords(this.base, await this.announcements.all()), this.options);
      this.apply(engine);
      return engine;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stores an announcement and rebuilds the engine so it is found at once. */
  async publish(record: CatalogRecord): Promise<SearchEngine> {
    await this.announcements.add(record);
    return this.rebuild();
  }
}

/**
 * The catalog's records plus the extra ones (announcements, records added at run time) whose ids it
 * does not have: an extra record never replaces a record of the files.
 */
export function mergeRecords(catalog: Catalog, extra: readonly CatalogRecord[]): Catalog {
  if (extra.length === 0) return catalog;
  const ids = new Set(catalog.records.map((r) => r.id));
  const added = extra.filter((r) => !ids.has(r.id) && ids.add(r.id));
  return { ...catalog, records: [...catalog.records, ...added] };
}
