/** Timing, heap and percentile helpers for the benchmarks (run node with --expose-gc). */
import os from "node:os";

const MB = 1024 * 1024;

/**
 * The machine's load average and core count, printed beside every benchmark's figures: on a machine
 * shared with other work, figures taken at a load above the core count are not comparable.
 */
export function machineLoad(): string {
  const [one, five, fifteen] = os.loadavg().map((n) => n.toFixed(2));
  return `load average ${one} / ${five} / ${fifteen} (1 / 5 / 15 min) on ${os.availableParallelism()} cores`;
}

/** Full garbage collection (twice, so weak and finalised objects go too). Throws without --expose-gc. */
export function collectGarbage(): void {
  if (typeof global.gc !== "function") throw new Error("run node with --expose-gc (npm run bench:search does)");
  global.gc();
  global.gc();
}

/** Heap in use after a full collection, in bytes. */
export function settledHeap(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export interface BuildFigures<T> {
  value: T;
  /** Wall time of the build, in milliseconds. */
  ms: number;
  /** Growth of the settled heap across the build, in MB: what the built value keeps alive. */
  heapMB: number;
}

/** Builds something and measures its time and the heap it retains. */
export function measureBuild<T>(build: () => T): BuildFigures<T> {
  const before = settledHeap();
  const start = performance.now();
  const value = build();
  const ms = performance.now() - start;
  const after = settledHeap();
  return { value, ms, heapMB: (after - before) / MB };
}

export interface LatencyFigures {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function latencyFigures(samples: readonly number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * Runs `run` over the warm-up inputs (unmeasured), then times each input on its own, in order, until all are done or
 * the measured time passes `budgetMs / rounds` (but never fewer than `minCount` inputs). The inputs that fit are then
 * timed again in further rounds (the whole list each time, not one input repeatedly) and each input's time is its
 * median over the rounds, so a moment of load from another process does not become a percentile.
 * Returns the per-input milliseconds and first-round results of the inputs it ran: a prefix of `inputs`.
 */
export function timeEach<I, R>(
  run: (input: I) => R,
  warmUp: readonly I[],
  inputs: readonly I[],
  {
    budgetMs = Number.POSITIVE_INFINITY,
    rounds = 1,
    minCount = 100,
  }: { budgetMs?: number; rounds?: number; minCount?: number } = {},
): { ms: number[]; results: R[] } {
  for (const input of warmUp) run(input);
  const samples: number[][] = [];
  const results: R[] = [];
  let spent = 0;
  for (const input of inputs) {
    if (spent > budgetMs / rounds && results.length >= minCount) break;
    const start = performance.now();
    results.push(run(input));
    const elapsed = performance.now() - start;
    samples.push([elapsed]);
    spent += elapsed;
  }
  for (let round = 1; round < rounds; round++) {
    for (let i = 0; i < results.length; i++) {
      const start = performance.now();
      run(inputs[i] as I);
      (samples[i] as number[]).push(performance.now() - start);
    }
  }
  const ms = samples.map((times) =>
    percentile(
      [...times].sort((a, b) => a - b),
      50,
    ),
  );
  return { ms, results };
}

// ---------------------------------------------------------------------------------------------------------------
// Plain-text tables

/** Display width: code points (the ✓/✗ marks and × are one column wide). */
function width(text: string): number {
  let n = 0;
  for (const ch of text) n += /\p{Script=Han}/u.test(ch) ? 2 : 1;
  return n;
}

/** Aligns rows into columns: the first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => width(row[c] ?? ""))));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => {
        const pad = " ".repeat((widths[c] ?? 0) - width(cell));
        return c === 0 ? cell + pad : pad + cell;
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatMB(mb: number): string {
  return Number.isFinite(mb) ? `${mb.toFixed(1)} MB` : "–";
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "–";
}

export function formatShare(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : "–";
}
