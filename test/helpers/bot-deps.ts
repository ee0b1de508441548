import pino from "pino";
import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../../src/catalog/load.js";
import type { BotDeps, BotSettings } from "../../src/bot/context.js";
import { createI18n } from "../../src/i18n.js";
import { LiveCatalog } from "../../src/live/catalog.js";
import { DEFAULT_THRESHOLD } from "../../src/search/decide.js";
import { SearchEngine } from "../../src/search/engine.js";
import { createMemoryState } from "../../src/state/memory.js";
import type { StateBackend } from "../../src/state/types.js";

let engine: Promise<SearchEngine> | undefined;

/** The engine over the bundled catalog, built once per test file. */
export function bundledEngine(): Promise<SearchEngine> {
  engine ??= loadCatalogOrThrow(DEFAULT_DATA_DIR).then((catalog) => SearchEngine.build(catalog));
  return engine;
}

/**
 * Dependencies for a bot under test: bundled catalog, in-memory state unless given, silent logs. With
 * `live`, the catalog is a live catalog of its own (announcements, /reload from `live.dir`) over an
 * engine of its own, since live changes are applied to the engine in place; without, the shared engine.
 */
export async function testDeps(overrides: { state?: StateBackend; settings?: Partial<BotSettings>; live?: { dir?: string } } = {}): Promise<BotDeps> {
  const state = overrides.state ?? createMemoryState({ ttlSeconds: 3600 });
  const logger = pino({ level: "silent" });
  let search = await bundledEngine();
  let live: LiveCatalog | undefined;
  if (overrides.live) {
    const dir = overrides.live.dir ?? DEFAULT_DATA_DIR;
    const files = await loadCatalogOrThrow(dir);
    live = await LiveCatalog.start({ dir, files, changes: state.catalog, logger });
    search = live.search;
  }
  return {
    search,
    ...(live ? { live } : {}),
    state,
    logger,
    i18n: await createI18n(),
    settings: { answerThreshold: DEFAULT_THRESHOLD, retryMaxDelaySeconds: 2, adminIds: [], ...overrides.settings },
  };
}
