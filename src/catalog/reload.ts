import { SearchEngine } from "../search/engine.js";
import { mergeRecords } from "./live.js";
import { formatProblem, loadCatalog } from "./load.js";
import type { Catalog, CatalogRecord } from "./schema.js";

/** What /reload reports: the new record count, or why the catalog on disk was refused. */
export type ReloadResult = { ok: true; records: number } | { ok: false; problems: string[] };

export interface CatalogReloaderOptions {
  /** The catalog folder (CATALOG_DIR). */
  dir: string;
  /** The engine serving now; read at the moment of the swap. */
  current: () => SearchEngine;
  /**
   * Builds and installs the engine for a freshly read catalog — e.g. `LiveCatalog.rebuild`, which adds
   * the broadcasts' announcements. Without it (or when it returns undefined), the engine is built here
   * over the new catalog plus every record the current engine has that did not come from the files
   * (announcements added at run time) and handed to `apply`.
   */
  rebuild?: (catalog: Catalog) => Promise<SearchEngine> | undefined;
  apply?: (engine: SearchEngine) => void;
  /** More records to keep across reloads (a record of the files wins over one of these with the same id). */
  extraRecords?: () => readonly CatalogRecord[] | Promise<readonly CatalogRecord[]>;
}

/**
 * The catalog reload behind /reload: reads and validates CATALOG_DIR again; a valid catalog replaces
 * the search engine without a restart, an invalid one is refused with its problems and the engine
 * serving now keeps serving. Reloads run one at a time.
 */
export function catalogReloader(options: CatalogReloaderOptions): () => Promise<ReloadResult> {
  // Ids that came from the files; anything else the engine holds was added at run time.
  let fileIds = new Set(options.current().catalog.records.map((r) => r.id));
  let chain: Promise<unknown> = Promise.resolve();

  const reload = async (): Promise<ReloadResult> => {
    let loaded;
    try {
      loaded = await loadCatalog(options.dir);
    } catch (error) {
      // Shown to the administrator: the folder and the system's error code, not an internal message.
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      return { ok: false, problems: [`${options.dir}: could not be read${code ? ` (${code})` : ""}`] };
    }
    if (!loaded.ok) return { ok: false, problems: loaded.problems.map(formatProblem) };
    const catalog = loaded.catalog;
    const extra = (await options.extraRecords?.()) ?? [];
    let engine = await options.rebuild?.(mergeRecords(catalog, extra));
    if (!engine) {
      // Synchronous from here to the swap, so nothing added meanwhile is missed.
      const carried = options.current().catalog.records.filter((r) => !fileIds.has(r.id));
      engine = SearchEngine.build(mergeRecords(catalog, [...extra, ...carried]));
      options.apply?.(engine);
    }
    fileIds = new Set(catalog.records.map((r) => r.id));
    return { ok: true, records: engine.size };
  };

  return () => {
    const run = chain.then(reload);
    chain = run.catch(() => undefined);
    return run;
  };
}
