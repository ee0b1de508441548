/**
 * npm run bench:start — how long the console chat of a fresh clone takes to answer its first question,
 * and how much memory it holds, for each way of starting it:
 *
 *   npm start            the JavaScript of `npm run build` (dist/), current for the sources (scripts/start.js)
 *   npm start            the TypeScript sources run by tsx, as without a current build (START_SOURCES=1)
 *   npm run start:prod   the JavaScript of dist/, whatever sources it came from
 *   node dist/main.js    the same without npm, as the Docker image runs it
 *
 * Each run starts the command with no Telegram token (console mode) and stdin kept open, waits for the
 * greeting (ready), types one question and waits for the answer (first answer: both from the start of
 * the command, wall time) and takes the CPU time the process tree has used by then (user + system, from
 * /proc, Linux): unlike wall time, it hardly moves with load from other work. Then, idle for 2 s, it
 * reads VmRSS of the node process that runs the bot and of the whole process tree (npm and tsx's
 * launcher included). Commands take turns, so load spreads over all of them; each figure is the median
 * over the runs.
 *
 * Options: --runs N (default 3), --question TEXT. Run `npm run build` first for the dist/ lines.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatMB, formatMs, formatTable, machineLoad, percentile } from "./measure.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    question: { type: "string", default: "incubators in Kazakhstan" },
  },
});
const RUNS = Number(values.runs);
const QUESTION = values.question;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GREETING_END = "/quit or Ctrl-D leaves.";
const TIMEOUT_MS = 60_000;
const IDLE_MS = 2000;

interface Command {
  label: string;
  file: string;
  args: string[];
  needsBuild: boolean;
  env?: Record<string, string>;
}

const COMMANDS: Command[] = [
  { label: "npm start (dist/, current)", file: "npm", args: ["start"], needsBuild: true },
  {
    label: "npm start (tsx, sources)",
    file: "npm",
    args: ["start"],
    needsBuild: false,
    env: { START_SOURCES: "1" },
  },
  { label: "npm run start:prod (dist/)", file: "npm", args: ["run", "start:prod"], needsBuild: true },
  { label: "node dist/main.js (image)", file: "node", args: ["dist/main.js"], needsBuild: true },
];

interface Run {
  readyMs: number;
  answerMs: number;
  /** CPU time of the process tree up to the answer, ms. */
  cpuMs: number;
  /** RSS of the bot's node process, MB. */
  botMB: number;
  /** RSS of every process of the tree, MB. */
  treeMB: number;
}

/** The process and its descendants, from the parent ids in /proc. */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The name in parentheses may hold spaces; the fields after it are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User and system time of the process and of its children it has waited for, in ms. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields 14–17 (utime, stime, cutime, cstime), counted from the state, field 3, after the name.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function rssMB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A node process running the bot: main.ts or main.js, or npm start's scripts/start.js. */
function isNodeMain(pid: number): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return /(^|\/)node$/.test(args[0] ?? "") && args.some((arg) => /(main\.(ts|js)|scripts\/start\.js)$/.test(arg));
  } catch {
    return false;
  }
}

async function measure(command: Command): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of [
    "TELEGRAM_BOT_TOKEN",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "REDIS_URL",
    "LOG_LEVEL",
    "START_SOURCES",
    "npm_lifecycle_event",
    "npm_lifecycle_script",
  ])
    delete env[name];
  Object.assign(env, command.env);
  const started = performance.now();
  const child = spawn(command.file, command.args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  let stderr = "";
  let readyMs = Number.NaN;
  let answerMs = Number.NaN;
  let cpu = Number.NaN;
  const echo = `› ${QUESTION}`;
  const answered = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command.label}: no answer within ${TIMEOUT_MS / 1000} s\n${output}${stderr}`)),
      TIMEOUT_MS,
    );
    child.on("exit", (code) =>
      reject(new Error(`${command.label}: exited with ${code} before answering\n${output}${stderr}`)),
    );
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (Number.isNaN(readyMs) && output.includes(GREETING_END)) {
        readyMs = performance.now() - started;
        child.stdin.write(`${QUESTION}\n`);
      }
      const at = output.indexOf(echo);
      if (at >= 0 && output.slice(at + echo.length).trim() !== "") {
        answerMs = performance.now() - started;
        cpu = processTree(child.pid as number).reduce((sum, pid) => sum + cpuMs(pid), 0);
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await answered;
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const tree = processTree(child.pid as number);
    const bot = tree.filter(isNodeMain).map(rssMB);
    return {
      readyMs,
      answerMs,
      cpuMs: cpu,
      botMB: Math.max(0, ...bot),
      treeMB: tree.map(rssMB).reduce((a, b) => a + b, 0),
    };
  } finally {
    child.removeAllListeners("exit");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // End of input ends the chat, as Ctrl-D does.
    child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

const built = existsSync(path.join(ROOT, "dist/main.js"));
const commands = COMMANDS.filter((c) => built || !c.needsBuild);
const runs = new Map<Command, Run[]>(commands.map((c) => [c, []]));
for (let round = 0; round < RUNS; round++) {
  for (const command of commands) {
    process.stderr.write(`  … run ${round + 1}/${RUNS}: ${command.label}\n`);
    runs.get(command)?.push(await measure(command));
  }
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
console.log(
  `start benchmark — node ${process.version}, console chat, question "${QUESTION}", ${RUNS} runs per command (median)`,
);
console.log(
  formatTable(
    ["command", "ready", "first answer", "CPU to answer", "RSS bot (idle)", "RSS tree"],
    commands.map((c) => {
      const list = runs.get(c) ?? [];
      return [
        c.label,
        formatMs(median(list.map((r) => r.readyMs))),
        formatMs(median(list.map((r) => r.answerMs))),
        formatMs(median(list.map((r) => r.cpuMs))),
        formatMB(median(list.map((r) => r.botMB))),
        formatMB(median(list.map((r) => r.treeMB))),
      ];
    }),
  ),
);
if (!built) console.log("dist/main.js is missing: run `npm run build` for the compiled lines.");
console.log(machineLoad());
