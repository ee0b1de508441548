/**
 * `npm start`'s entry point as a child process, with its output captured: for what only a process can
 * show — exit codes, signals, what reaches stdout and stderr. Processes run src/ compiled once for the
 * test run (test/global-setup.ts), as production runs dist/; `nodeArgs(entry, { tsx: true })` runs the
 * TypeScript under tsx, as `npm start` does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * node's arguments to run `entry` (a path under src/ without its extension: "main", "worker-main",
 * "cli/search"), after preloading `preload` (test/helpers/<name> without its extension): from the
 * run's compiled copy of src/ (test/global-setup.ts), or from the TypeScript under tsx with `tsx`, or
 * when there is no compiled copy (outside vitest, e.g. bench/load.ts).
 */
export function nodeArgs(entry: string, { tsx = false, preload = [] }: { tsx?: boolean; preload?: string[] } = {}) {
  const build = process.env.COOPDESK_TEST_BUILD;
  if (tsx || !build) {
    const helpers = preload.flatMap((name) => [
      "--import",
      pathToFileURL(path.join(ROOT, `test/helpers/${name}.ts`)).href,
    ]);
    return ["--import", "tsx", ...helpers, `src/${entry}.ts`];
  }
  const helpers = preload.flatMap((name) => [
    "--import",
    pathToFileURL(path.join(build, `test-helpers/${name}.js`)).href,
  ]);
  return [...helpers, path.join(build, `${entry}.js`)];
}

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface MainProcess {
  child: ChildProcess;
  exit: Promise<Exit>;
  /** stdout and stderr so far. */
  output(): string;
  /** The JSON log lines on stdout so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the first log line whose msg matches, or for which the function is true (rejects if the process exits first). */
  waitForLog(msg: string | RegExp | ((line: Record<string, unknown>) => boolean)): Promise<Record<string, unknown>>;
}

/**
 * Starts the bot with exactly this environment (plus PATH, and no saved search index unless SEARCH_INDEX_FILE
 * is given: a start that builds its index would otherwise save it for its catalog folder, and the next start
 * load what an earlier test, or run, left); killed with SIGKILL if still running after `killAfterMs` (a bound on a
 * hang: a start on a loaded machine can take a minute).
 * `args` replaces node's arguments (e.g. another entry point, such as the broadcast worker's: `nodeArgs("worker-main")`).
 */
export function startMain(env: Record<string, string>, killAfterMs = 150_000, args = nodeArgs("main")): MainProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", SEARCH_INDEX_FILE: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let exited = false;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
    changed();
  });
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  const exit = new Promise<Exit>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      exited = true;
      changed();
      resolve({ code, stdout, stderr });
    });
  });
  const logs = () =>
    stdout
      // Complete lines only: the last one may still be arriving.
      .slice(0, stdout.lastIndexOf("\n") + 1)
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    exit,
    output: () => stdout + stderr,
    logs,
    waitForLog(msg) {
      const match = (l: Record<string, unknown>) =>
        typeof msg === "string" ? l.msg === msg : typeof msg === "function" ? msg(l) : msg.test(String(l.msg));
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs().find(match);
          if (found) {
            listeners.delete(check);
            resolve(found);
          } else if (exited) {
            listeners.delete(check);
            reject(new Error(`the process exited before logging ${String(msg)}:\n${stdout}${stderr}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
  };
}
