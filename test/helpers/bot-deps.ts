import pino from "pino";
import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../../src/catalog/load.js";
import type { BotDeps, BotSettings } from "../../src/bot/context.js";
import { createI18n } from "../../src/i18n.js";
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

/** Dependencies for a bot under test: bundled catalog, in-memory state unless given, silent logs. */
export async function testDeps(overrides: { state?: StateBackend; settings?: Partial<BotSettings> } = {}): Promise<BotDeps> {
  return {
    search: await bundledEngine(),
    state: overrides.state ?? createMemoryState({ ttlSeconds: 3600 }),
    logger: pino({ level: "silent" }),
    i18n: await createI18n(),
    settings: { answerThreshold: DEFAULT_THRESHOLD, retryMaxDelaySeconds: 2, adminIds: [], ...overrides.settings },
  };
}
