/**
 * Runs once per `vitest run`, before any test file (vitest.config.ts `globalSetup`): compiles src/ to
 * JavaScript, as `npm run build` does for production, into `.test-build-<pid>/` at the top of the
 * repository, where the bot's, the worker's and the commands' processes that tests start are run from
 * (test/helpers/main-process.ts `nodeArgs`). A process started from it loads in about two thirds of the
 * CPU time of one started under tsx, and some thirty are started. Same depth as src/, so the paths the
 * code finds beside itself (../data, ../locales, node_modules) are the same. Each run has its own
 * folder, removed at its end (compiled again before each rerun in watch mode); one left by a run that
 * was killed is removed by the next.
 */
import { cp, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PREFIX = ".test-build-";
/**
 * Where the build is, for the test workers (started after this setup, with this process's environment).
 * Both projects (shared, isolated) run this setup in the one main process: the first one builds.
 */
const BUILT = "COOPDESK_TEST_BUILD";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function removeStale(): Promise<void> {
  for (const name of await readdir(ROOT)) {
    const pid = Number(name.slice(PREFIX.length));
    if (name.startsWith(PREFIX) && Number.isInteger(pid) && pid !== process.pid && !alive(pid))
      await rm(path.join(ROOT, name), { recursive: true, force: true });
  }
}

/** src/**\/*.ts (not .d.ts) and the test helper preloaded into the processes, compiled file by file. */
async function compile(outdir: string): Promise<void> {
  const sources = (await readdir(path.join(ROOT, "src"), { recursive: true }))
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => path.join(ROOT, "src", file));
  const common = { format: "esm", platform: "node", target: "node20", logLevel: "warning" } as const;
  await build({ ...common, entryPoints: sources, outbase: path.join(ROOT, "src"), outdir });
  await build({
    ...common,
    entryPoints: [path.join(ROOT, "test/helpers/exit-with-parent.ts")],
    outdir: path.join(outdir, "test-helpers"),
  });
  await cp(path.join(ROOT, "src/broadcast/lua"), path.join(outdir, "broadcast/lua"), { recursive: true });
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env[BUILT]) return undefined;
  await removeStale();
  const outdir = path.join(ROOT, `${PREFIX}${process.pid}`);
  await rm(outdir, { recursive: true, force: true });
  await compile(outdir);
  process.env[BUILT] = outdir;
  // In watch mode, each rerun's processes run the src/ of that moment.
  project.onTestsRerun(() => compile(outdir));
  return async () => {
    delete process.env[BUILT];
    await rm(outdir, { recursive: true, force: true });
  };
}
