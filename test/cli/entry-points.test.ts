/**
 * Each command of src/cli started the way npm runs it (node --import tsx src/cli/<name>.ts): arguments,
 * stdin, stdout, stderr and the exit code reach its `run(argv, io)`. What the commands do is tested
 * in-process, through `run`, next to this file and in test/catalog. The bot's and the worker's processes
 * that other tests start run src/ compiled (test/helpers/main-process.ts); here `npm run worker`, and in
 * config.test.ts `npm start`, are started under tsx too, as npm runs them.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { ROOT } from "../helpers/main-process.js";

/**
 * A bound on a hang, not a measure: four starts under tsx at once took over 55 s on two cores at a load
 * average of 18.
 */
const SPAWN_TIMEOUT_MS = 180_000;

function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  input = "",
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only this environment (plus PATH): never a REDIS_URL, CATALOG_DIR or token of the developer's.
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), SPAWN_TIMEOUT_MS - 5000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await removeFixtures();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("the commands as scripts", () => {
  it(
    "catalog:check, search, catalog:export and the worker run from the command line",
    { timeout: SPAWN_TIMEOUT_MS },
    async () => {
      const { dir } = await makeCatalog();
      const noShared = await mkdtemp(path.join(os.tmpdir(), "coopdesk-no-shared-"));
      dirs.push(noShared);
      // Started together: each one mostly waits for its modules to load.
      const [check, search, exported, worker] = await Promise.all([
        runScript("src/cli/catalog-check.ts", [dir], { COOPDESK_SHARED_DIR: noShared }),
        runScript("src/cli/search.ts", ["--jsonl", "--data", dir], {}, "alpha forum\n"),
        runScript("src/cli/catalog-export.ts", [], { CATALOG_DIR: dir }),
        runScript("src/worker-main.ts", [], {}),
      ]);

      expect(check.stdout).toBe(
        "catalog OK: 2 records (1 event, 1 organisation), 1 sector, 1 audience, 1 concept, 1 city\n",
      );
      expect(check.stderr).toMatch(/^warning: .*required-records\.md not found/);
      expect(check.status).toBe(0);

      expect(search.stderr).toBe("");
      expect(search.status).toBe(0);
      const line = JSON.parse(search.stdout) as { query: string; results: { id: string }[] };
      expect(line.query).toBe("alpha forum");
      expect(line.results[0]?.id).toBe("alpha-forum");

      expect(exported.status).toBe(1);
      expect(exported.stderr).toMatch(/^REDIS_URL is not set/);

      // Loaded every module, then stopped at its configuration, which has neither Redis nor a token.
      expect(worker.stdout).toBe("");
      expect(worker.stderr).toBe(
        "Configuration error: the broadcast worker needs REDIS_URL (the worker takes broadcasts from Redis) and TELEGRAM_BOT_TOKEN\n",
      );
      expect(worker.status).toBe(2);
    },
  );
});
