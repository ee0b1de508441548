import { rm } from "node:fs/promises";
import { PassThrough } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import { runConsole } from "../../src/console/chat.js";
import { loadConfig } from "../../src/config.js";
import { textSink } from "../helpers/text-sink.js";
import { appIndexFile } from "../helpers/saved-index.js";
import { until } from "../helpers/until.js";
import { addLunarGreenhouseRecord, copyBundledCatalog } from "../helpers/catalog-dir.js";

/** The console user's id (src/console), made an administrator so it can /reload. */
const CONSOLE_USER = "100000001";

let catalogDir: string;
beforeAll(async () => {
  catalogDir = await copyBundledCatalog("coopdesk-console-saved-");
});
afterAll(async () => {
  if (catalogDir) await rm(catalogDir, { recursive: true, force: true });
});

describe("saved searches in the console (in-memory state)", () => {
  it("🔔 saves the question, /subscriptions lists it, and a record added by /reload comes as a notification", async () => {
    const app = await createApp(
      loadConfig({
        BOT_USERNAME: "CooperationDeskBot",
        CATALOG_DIR: catalogDir,
        ADMIN_IDS: CONSOLE_USER,
        SEARCH_INDEX_FILE: await appIndexFile(),
      }),
      { logger: pino({ level: "silent" }) },
    );
    const input = new PassThrough();
    const output = textSink();
    const running = runConsole(app, { input, output: output.stream, env: { LANG: "en_US.UTF-8" }, color: false });
    try {
      input.write("lunar greenhouse programme\n");
      await until(() => /\[(\d+)\] 🔔 Notify me/.test(output.text()), 20_000, "the 🔔 button");
      const button = /\[(\d+)\] 🔔 Notify me/.exec(output.text())![1]!;
      input.write(`${button}\n`);
      await until(
        () => output.text().includes("Search saved: “lunar greenhouse programme”"),
        20_000,
        "the confirmation",
      );
      input.write("/subscriptions\n");
      await until(() => output.text().includes("1. “lunar greenhouse programme”"), 20_000, "the list");

      await addLunarGreenhouseRecord(catalogDir);
      input.write("/reload\n");
      await until(
        () =>
          output.text().includes("Catalog reloaded") &&
          output.text().includes("New for your saved search “lunar greenhouse programme”"),
        20_000,
        "the notification",
      );
      const notification = output.text().slice(output.text().indexOf("New for your saved search"));
      expect(notification).toContain("Lunar greenhouse exchange programme");
      expect(notification).toContain("🔕 Stop this saved search");
    } finally {
      input.end("/quit\n");
      await running;
      await app.close();
    }
  }, 60_000);
});
