/**
 * The catalog shipped in data/ must load cleanly and hold every record the shared required-records
 * list asks for. A missing shared directory fails here on purpose: skipping would hide missing records.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatProblem, loadCatalog, loadCatalogOrThrow } from "../../src/catalog/load.js";
import { LANGUAGES } from "../../src/catalog/schema.js";
import { readRequiredIds, requiredRecordsFile } from "../../src/cli/catalog-check.js";
import { SHARED_DIR_ENV } from "../../src/shared-dir.js";

const DATA_DIR = fileURLToPath(new URL("../../data", import.meta.url));

describe("bundled catalog", () => {
  it("loads from data/ with zero problems", async () => {
    const result = await loadCatalog(DATA_DIR);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  });

  it("has every required record with title and summary in all four languages", async () => {
    const file = requiredRecordsFile();
    const required = await readRequiredIds(file);
    if (!required) {
      throw new Error(
        `${file} not found: set ${SHARED_DIR_ENV} to the shared directory that holds catalog/required-records.md`,
      );
    }
    expect(required.length, `no ids parsed from ${file}`).toBeGreaterThan(0);

    const catalog = await loadCatalogOrThrow(DATA_DIR);
    const byId = new Map(catalog.records.map((r) => [r.id, r]));
    expect(required.filter((r) => !byId.has(r.id)).map((r) => r.id)).toEqual([]);

    const untranslated = required.flatMap(({ id }) => {
      const record = byId.get(id);
      if (!record) return [];
      return (["title", "summary"] as const).flatMap((field) =>
        LANGUAGES.filter((lang) => !record[field][lang]?.trim()).map((lang) => `${id} ${field}.${lang}`),
      );
    });
    expect(untranslated).toEqual([]);
  });
});
