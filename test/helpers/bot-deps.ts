import pino from "pino";
import { DEFAULT_DATA_DIR } from "../../src/catalog/load.js";
import type { BotDeps, BotSettings } from "../../src/bot/context.js";
import { DecisionCache } from "../../src/bot/decisions.js";
import { createI18n } from "../../src/i18n.js";
import { LiveCatalog } from "../../src/live/catalog.js";
import { DEFAULT_THRESHOLD } from "../../src/search/decide.js";
import type { SearchEngine } from "../../src/search/engine.js";
import { createMemoryState } from "../../src/state/memory.js";
import type { StateBackend } from "../../src/state/types.js";
import { afterEachFile } from "./file-end.js";
import { bundledCatalog, catalogIn, openEngine } from "./saved-index.js";

let shared: { engine: Promise<SearchEngine>; changed: boolean } | undefined;

/**
 * The engine over the bundled catalog, made once and shared by the test files a worker runs (see
 * vitest.config.ts) for as long as none changes it: loaded from the run's saved index of the bundled
 * catalog, which the first worker to need one builds (test/helpers/saved-index.ts). A test file that
 * changes it (an announcement or a reload through the live catalog of an app given this engine) keeps
 * it for its own tests; the next file gets a fresh one.
 */
export function bundledEngine(): Promise<SearchEngine> {
  if (!shared) {
    const entry: { engine: Promise<SearchEngine>; changed: boolean } = {
      changed: false,
      engine: bundledCatalog().then(async (catalog) =>
        watchChanges(await openEngine(catalog), () => (entry.changed = true)),
      ),
    };
    shared = entry;
  }
  return shared.engine;
}

// A file that changed the shared engine does not hand it to the next file.
afterEachFile(() => {
  if (shared?.changed) shared = undefined;
});

/** Calls `onChange` before any change to the engine's records (the only ways to change an engine). */
function watchChanges(engine: SearchEngine, onChange: () => void): SearchEngine {
  const put = engine.put.bind(engine);
  const remove = engine.remove.bind(engine);
  const replaceWith = engine.replaceWith.bind(engine);
  engine.put = (record) => {
    onChange();
    put(record);
  };
  engine.remove = (id) => {
    onChange();
    return remove(id);
  };
  engine.replaceWith = (other) => {
    onChange();
    replaceWith(other);
  };
  return engine;
}

/** One i18next instance per worker, as the bot has one per process (nothing changes its resources). */
let i18nInstance: ReturnType<typeof createI18n> | undefined;

/**
 * Dependencies for a bot under test: bundled catalog, in-memory state unless given, silent logs. With
 * `live`, the catalog is a live catalog of its own (announcements, /reload from `live.dir`) over an
 * engine of its own (loaded from the run's saved index when the folder is the bundled catalog's or a copy
 * of it, see saved-index.ts), since live changes are applied to the engine in place; without, the shared
 * engine.
 */
export async function testDeps(
  overrides: { state?: StateBackend; settings?: Partial<BotSettings>; live?: { dir?: string } } = {},
): Promise<BotDeps> {
  const state = overrides.state ?? createMemoryState({ ttlSeconds: 3600 });
  const logger = pino({ level: "silent" });
  let search: SearchEngine;
  let live: LiveCatalog | undefined;
  if (overrides.live) {
    const dir = overrides.live.dir ?? DEFAULT_DATA_DIR;
    const files = await catalogIn(dir);
    const engine = await openEngine(files);
    live = await LiveCatalog.start({ dir, files, engine, changes: state.catalog, logger });
    search = live.search;
  } else search = await bundledEngine();
  return {
    search,
    ...(live ? { live } : {}),
    state,
    logger,
    i18n: await (i18nInstance ??= createI18n()),
    decisions: new DecisionCache(),
    settings: { answerThreshold: DEFAULT_THRESHOLD, retryMaxDelaySeconds: 2, adminIds: [], ...overrides.settings },
  };
}
