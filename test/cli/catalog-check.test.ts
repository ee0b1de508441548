import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseRequiredIds, run } from "../../src/cli/catalog-check.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { lineOf, makeCatalog, removeFixtures, swap } from "../catalog/fixture.js";

const sharedDirs: string[] = [];

afterEach(async () => {
  await removeFixtures();
  await Promise.all(sharedDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs the checker as `npm run catalog:check <dir>` would (in-process), with the shared directory under our control. */
function runCheck(dataDir: string, sharedDir: string): Promise<CliResult> {
  return runCli(run, [dataDir], { env: { COOPDESK_SHARED_DIR: sharedDir } });
}

async function sharedDirRequiring(ids: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "coopdesk-shared-"));
  sharedDirs.push(dir);
  await mkdir(path.join(dir, "catalog"));
  const rows = ids.map((id) => `| \`${id}\` | event | something |`).join("\n");
  await writeFile(
    path.join(dir, "catalog", "required-records.md"),
    `# Required\n\n| id | kind | what |\n|---|---|---|\n${rows}\n`,
  );
  return dir;
}

describe("catalog:check", () => {
  it("exits 1 and prints each problem and a count on stderr for a broken catalog", async () => {
    const { dir, files } = await makeCatalog({
      "records/beta-centre.yaml": swap("related: [alpha-forum]", "related: [nowhere]"),
    });
    const { status, stdout, stderr } = await runCheck(dir, await sharedDirRequiring(["alpha-forum"]));
    expect(status).toBe(1);
    expect(stdout).toBe("");
    const line = lineOf(files["records/beta-centre.yaml"], "related:");
    expect(stderr).toContain(
      `records/beta-centre.yaml:${line} [beta-centre] related[0]: unknown record "nowhere" (no records/nowhere.yaml)\n`,
    );
    expect(stderr).toContain(`catalog check failed: 1 problem in ${dir}`);
  });

  it("exits 1 when a required record is missing", async () => {
    const { dir } = await makeCatalog();
    const shared = await sharedDirRequiring(["alpha-forum", "gamma-lab"]);
    const { status, stderr } = await runCheck(dir, shared);
    expect(status).toBe(1);
    expect(stderr).toMatch(/required-records\.md:6 \[gamma-lab\] required record is missing from the catalog\n/);
    expect(stderr).toContain("catalog check failed: 1 problem");
  });

  it("prints a one-line summary and exits 0 for a valid catalog", async () => {
    const { dir } = await makeCatalog();
    const { status, stdout, stderr } = await runCheck(dir, await sharedDirRequiring(["alpha-forum", "beta-centre"]));
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toBe("catalog OK: 2 records (1 event, 1 organisation), 1 sector, 1 audience, 1 concept, 1 city\n");
  });

  it("reports how records read, each problem at its line: here two records one list could not tell apart", async () => {
    const { dir, files } = await makeCatalog({
      "records/beta-centre.yaml": swap("  en: Beta Centre", "  en: Alpha forum"),
    });
    const { status, stderr } = await runCheck(dir, await sharedDirRequiring(["alpha-forum"]));
    expect(status).toBe(1);
    const line = lineOf(files["records/beta-centre.yaml"], "en: Alpha forum");
    expect(stderr).toContain(
      `records/beta-centre.yaml:${line} [beta-centre] title.en: same short title as alpha-forum: a list of both could not tell them apart\n`,
    );
    expect(stderr).toContain("catalog check failed: 1 problem");
  });

  it("warns and skips only the required-records check when the shared directory is absent", async () => {
    const { dir } = await makeCatalog();
    const { status, stdout, stderr } = await runCheck(dir, path.join(os.tmpdir(), "coopdesk-no-such-shared-dir"));
    expect(status).toBe(0);
    expect(stdout).toMatch(/^catalog OK: 2 records/);
    expect(stderr).toMatch(
      /^warning: .*required-records\.md not found \(set COOPDESK_SHARED_DIR\); required-records check skipped\n$/,
    );
  });
});

describe("parseRequiredIds", () => {
  it("reads first-column ids from table rows, with or without backticks, skipping headers and prose", () => {
    const markdown = [
      "# Records", // 1
      "Mentions sco-energy-platform in prose.", // 2
      "| id | kind | what |", // 3
      "|---|---|---|", // 4
      "| sco-energy-platform | initiative | energy |", // 5
      "| `beidou-sco-cooperation` | initiative | BeiDou |", // 6
      "| Not An Id | x | y |", // 7
      "",
      "| record | notes |", // 9
      "| :--- | --- |", // 10
      "|urumqi-offshore-incubators|incubator|", // 11
    ].join("\n");
    expect(parseRequiredIds(markdown)).toEqual([
      { id: "sco-energy-platform", line: 5 },
      { id: "beidou-sco-cooperation", line: 6 },
      { id: "urumqi-offshore-incubators", line: 11 },
    ]);
  });
});
