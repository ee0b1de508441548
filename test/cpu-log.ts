/**
 * For measuring the suite (vitest.config.ts adds it to `setupFiles` when COOPDESK_CPU_LOG names a file):
 * appends a line per test file to that file — the CPU seconds of its worker from the file's start (before
 * its imports) to its end, the processes it started and waited for included; of them, the worker's own;
 * its wall seconds; the file. Files share a worker one after another, so the first file of a worker also
 * pays for loading the modules the others then find loaded. Linux only (/proc).
 *
 *   COOPDESK_CPU_LOG=/tmp/cpu.tsv npx vitest run && sort -rn /tmp/cpu.tsv | head
 */
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect } from "vitest";

/** This process's CPU seconds: [its own, its waited-for children's]. */
function cpu(): [number, number] {
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name (which may hold spaces), from the state on: utime is the 12th.
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  const tick = 100; // USER_HZ on Linux
  const at = (i: number) => (fields[i] ?? 0) / tick;
  return [at(11) + at(12), at(13) + at(14)];
}

const [ownAtStart, childrenAtStart] = cpu();
const startedAt = Date.now();

afterAll(() => {
  const log = process.env.COOPDESK_CPU_LOG;
  if (!log) return;
  const [own, children] = cpu();
  const ownSeconds = own - ownAtStart;
  const file = path.relative(process.cwd(), expect.getState().testPath ?? "?");
  const line = [ownSeconds + children - childrenAtStart, ownSeconds, (Date.now() - startedAt) / 1000];
  appendFileSync(log, `${line.map((n) => n.toFixed(2)).join("\t")}\t${file}\n`);
});
