/**
 * npm run catalog:export — writes the live catalog's changes (records edited or created in chat and
 * approved, records withdrawn) into the catalog folder, so the files stay the reviewed,
 * version-controlled source: a put becomes `records/<id>.yaml`. A record withdrawn in chat keeps its
 * file (record ids are never deleted: other records, links and saved data refer to them); it is listed,
 * to be marked expired or edited in the file by whoever reviews the export.
 *
 * Reads the changes from Redis (REDIS_URL; without it there is nothing stored to export) and writes to
 * CATALOG_DIR (default data/). Announcements of broadcasts are left out: they expire and belong to the
 * running bot, not to the files. Run `npm run catalog:check` on the result before committing it.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { DEFAULT_DATA_DIR } from "../catalog/load.js";
import { createRedisCatalogChanges } from "../state/catalog-changes-redis.js";
import type { CatalogChangeStore } from "../state/catalog-changes.js";
import { connectRedis, DEFAULT_PREFIX, redisHost } from "../state/redis.js";
import { println, runIfEntryPoint, type CliIo } from "./io.js";

export interface ExportResult {
  written: string[];
  /** Withdrawn in the running bot; their files are kept. */
  withdrawn: string[];
}

/** Writes the latest change of every record (announcements aside) into `dir`. */
export async function exportChanges(changes: CatalogChangeStore, dir: string): Promise<ExportResult> {
  const snapshot = await changes.snapshot();
  const result: ExportResult = { written: [], withdrawn: [] };
  for (const change of snapshot.records) {
    if (change.op === "put") {
      if (change.record.kind === "announcement") continue;
      const file = path.join(dir, "records", `${change.record.id}.yaml`);
      await writeFile(file, stringify(change.record, { lineWidth: 0 }), "utf8");
      result.written.push(change.record.id);
    } else if (!change.id.startsWith("announcement-")) {
      result.withdrawn.push(change.id);
    }
  }
  return result;
}

/** `catalog:export`: reads REDIS_URL and CATALOG_DIR from the environment; exit code 0, or 1 with the reason on stderr. */
export async function run(_argv: string[], io: CliIo): Promise<number> {
  const url = io.env.REDIS_URL;
  const dir = io.env.CATALOG_DIR || DEFAULT_DATA_DIR;
  if (!url) {
    println(
      io.stderr,
      "REDIS_URL is not set: changes made in chat are kept in the running bot's memory only, and there is nothing stored to export.",
    );
    return 1;
  }
  const redis = connectRedis(url);
  try {
    const { written, withdrawn } = await exportChanges(
      createRedisCatalogChanges(redis, { prefix: DEFAULT_PREFIX }),
      dir,
    );
    println(io.stdout, `from ${redisHost(url)} into ${dir}: ${written.length} record file(s) written`);
    for (const id of written) println(io.stdout, `  wrote records/${id}.yaml`);
    for (const id of withdrawn)
      println(
        io.stdout,
        `  withdrawn in the bot, file kept (ids are never deleted; set "expires" or edit it): records/${id}.yaml`,
      );
    println(io.stdout, "next: npm run catalog:check, then review and commit the files");
    return 0;
  } catch (error) {
    println(io.stderr, `could not export: ${(error as Error).message}`);
    return 1;
  } finally {
    await redis.quit().catch(() => undefined);
    redis.disconnect();
  }
}

// Run only as a script, so tests can import exportChanges and run.
await runIfEntryPoint(import.meta.url, run);
