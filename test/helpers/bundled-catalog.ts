import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../../src/catalog/load.js";
import type { Catalog } from "../../src/catalog/schema.js";

let files: Promise<Catalog> | undefined;

/**
 * The bundled catalog's files, read once per worker (see vitest.config.ts): reading and checking them
 * costs about a third of what building a live catalog of its own costs a test. Frozen, so code that
 * changed them in place fails there instead of leaking into the next test.
 */
export function bundledCatalog(): Promise<Catalog> {
  return (files ??= loadCatalogOrThrow(DEFAULT_DATA_DIR).then(deepFreeze));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
