import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalogOrThrow } from "../../src/catalog/load.js";
import { run } from "../../src/cli/index-build.js";
import { loadConfig } from "../../src/config.js";
import { loadSnapshot } from "../../src/search/snapshot.js";
import { makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { runCli } from "../helpers/cli.js";

afterAll(removeFixtures);

describe("npm run index:build", () => {
  it("writes the index of the catalog folder where the start of that folder loads it", async () => {
    const { dir } = await makeCatalog();
    const result = await runCli(run, [], { env: { CATALOG_DIR: dir } });
    expect(result.status, result.stderr).toBe(0);
    const file = loadConfig({ CATALOG_DIR: dir }).SEARCH_INDEX_FILE!;
    expect(result.stdout).toContain(`records written to ${file}`);
    expect(loadSnapshot(file, await loadCatalogOrThrow(dir))).toMatchObject({ ok: true });
    await rm(file, { force: true });

    const out = path.join(dir, "elsewhere", "index.bin");
    expect((await runCli(run, ["--data", dir, "--out", out])).status).toBe(0);
    expect(loadSnapshot(out, await loadCatalogOrThrow(dir))).toMatchObject({ ok: true });
  }, 120_000);

  it("exits 1 when the catalog does not load and 2 on a bad option, writing nothing", async () => {
    const missing = await runCli(run, ["--data", "/nonexistent/catalog", "--out", "/nonexistent/index.bin"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("index:build:");
    expect((await runCli(run, ["--nope"])).status).toBe(2);
  });
});
