import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LANGUAGES } from "../../src/catalog/schema.js";
import {
  ELD_SUBSET_FILE,
  databaseSubset,
  smallDatabase,
  subsetDetector,
  type EldDatabase,
} from "../../src/search/language-subset.js";
import { bundledCatalog } from "../helpers/saved-index.js";

const EVAL_DIR = fileURLToPath(new URL("../../eval", import.meta.url));

/** Questions of the evaluation sets (not the held-out parts) and the catalog's texts, each also cut to its first 1, 2 and 3 words. */
async function corpus(): Promise<string[]> {
  const texts: string[] = [];
  // The held-out parts are never read but by `npm run eval`.
  for (const file of readdirSync(EVAL_DIR).filter((f) => f.endsWith(".yaml") && !f.startsWith("dev-heldout"))) {
    const entries = parse(readFileSync(path.join(EVAL_DIR, file), "utf8")) as { q?: unknown }[] | null;
    for (const entry of entries ?? []) if (typeof entry.q === "string") texts.push(entry.q);
  }
  const catalog = await bundledCatalog();
  for (const record of catalog.records) {
    for (const lang of LANGUAGES) texts.push(record.title[lang], record.summary[lang], record.details?.[lang] ?? "");
  }
  const cuts = texts.flatMap((text) => [1, 2, 3].map((n) => text.split(/\s+/).slice(0, n).join(" ")));
  return [...new Set([...texts, ...cuts])].filter((text) => text.trim() !== "");
}

describe("eld database cut to our four languages", () => {
  it("ships exactly what the installed eld gives (run `npm run eld-subset` after upgrading it)", async () => {
    const shipped = JSON.parse(readFileSync(ELD_SUBSET_FILE, "utf8")) as EldDatabase;
    expect(shipped).toEqual(databaseSubset(await smallDatabase()));
    expect(Object.values(shipped.languages)).toEqual([...LANGUAGES]);
  });

  it("detects exactly as the small database limited to the same languages: language, scores, reliability", async () => {
    const { eld } = await import("eld/small");
    eld.setLanguageSubset([...LANGUAGES]);
    const subset = await subsetDetector();
    const texts = await corpus();
    expect(texts.length).toBeGreaterThan(2000);
    const differing = texts.filter((text) => {
      const [a, b] = [eld.detect(text), subset.detect(text)];
      return (
        a.language !== b.language ||
        a.isReliable() !== b.isReliable() ||
        JSON.stringify(a.getScores()) !== JSON.stringify(b.getScores())
      );
    });
    expect(differing).toEqual([]);
  });
});
