// /reload as the app wires it: the catalog folder read again, the broadcasts' announcements kept.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { announcementRecord } from "../../src/announcements/index.js";
import { createApp, type App } from "../../src/app/index.js";
import { DEFAULT_DATA_DIR } from "../../src/catalog/load.js";
import { loadConfig } from "../../src/config.js";
import { appIndexFile } from "../helpers/saved-index.js";

let app: App | undefined;
let dir: string | undefined;

afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// The app's start loads the search index of the whole catalog: here, in the hook's time, not the test's.
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "coopdesk-reload-app-"));
  await cp(DEFAULT_DATA_DIR, dir, { recursive: true });
  app = await createApp(
    loadConfig({ CATALOG_DIR: dir, ADMIN_IDS: "1", LOG_LEVEL: "silent", SEARCH_INDEX_FILE: await appIndexFile() }),
    {
      logger: pino({ level: "silent" }),
    },
  );
});

// A reload builds the whole catalog's index again: the timeout only bounds a hang on a loaded machine.
it(
  "keeps the broadcasts' announcements across a reload, and takes the folder's new records",
  { timeout: 90_000 },
  async () => {
    const { deps } = app!;
    expect(deps.settings.adminIds).toEqual([1]);
    // The live catalog serves the bot's search.
    expect(deps.live?.search).toBe(deps.search);
    // Composed once, complete before the bot was created: nothing swaps or adds a dependency afterwards
    // (the engine changes in place).
    expect(Object.isFrozen(deps) && Object.isFrozen(deps.settings)).toBe(true);
    // Broadcasting and reminders are wired, in memory without Redis, with nothing to do yet.
    expect(await deps.delivery?.list()).toEqual([]);
    expect(await deps.reminders?.list(1)).toEqual([]);
    const engine = deps.search;
    const files = deps.search.size;

    const announcement = announcementRecord({
      broadcastId: "b-reload-1",
      text: "Lunar greenhouse call\nApplications open for the lunar greenhouse exchange.",
      sentAt: new Date(),
      expires: "2999-12-31",
    });
    await deps.live!.put(announcement);
    expect(deps.search.get(announcement.id)?.id).toBe(announcement.id);

    const wuhan = await readFile(path.join(dir!, "records", "incubator-wuhan.yaml"), "utf8");
    await writeFile(
      path.join(dir!, "records", "incubator-wuhan-2.yaml"),
      wuhan.replace("id: incubator-wuhan", "id: incubator-wuhan-2"),
    );

    expect(await deps.live!.reload()).toEqual({ ok: true, records: files + 2 });
    expect(deps.search.get("incubator-wuhan-2")?.id).toBe("incubator-wuhan-2");
    expect(deps.search.get(announcement.id)?.id).toBe(announcement.id);
    expect(deps.search).toBe(engine);

    await writeFile(path.join(dir!, "records", "broken.yaml"), "id: [");
    const refused = await deps.live!.reload();
    expect(refused.ok).toBe(false);
    expect(deps.search.get(announcement.id)?.id).toBe(announcement.id);
    expect(deps.search.get("incubator-wuhan-2")?.id).toBe("incubator-wuhan-2");
  },
);
