import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Two groups of test files:
 * - most share their worker's modules (`isolate: false`): grammY, BullMQ, the search engine over the
 *   bundled catalog (test/helpers/bot-deps.ts) and the rest load once per worker, not once per file;
 * - files that mock modules (vi.mock) or listen on the process (process.on) without removing their
 *   listeners (process.off) run each in a fresh worker, since a mock or a listener would otherwise
 *   reach, or miss, the files sharing it. They are found by reading the files, so a new one is placed
 *   without editing this list.
 * Two workers more than cores: much of the suite waits (on timers, sockets, child processes), not
 * computes, and a waiting worker leaves its core to another. Each worker loads the modules and an engine
 * again, and too many crowd the cores: on two cores, three workers took 131 s, four 116 s, five 127 s.
 */
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const TESTS = "test";
const MOCKS = /\bvi\.(?:mock|doMock|unmock|doUnmock|stubGlobal|stubEnv)\(/;
const LISTENS = /\bprocess\.(?:on|once|prependListener)\(/g;
const STOPS_LISTENING = /\bprocess\.(?:off|removeListener)\(/g;

/** A file that mocks, or that listens on the process without removing as many listeners as it adds. */
function needsIsolation(text: string): boolean {
  const count = (pattern: RegExp) => text.match(pattern)?.length ?? 0;
  return MOCKS.test(text) || count(LISTENS) > count(STOPS_LISTENING);
}

/** Test files under `dir` (relative to the repository, with / separators). */
function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith(".test.ts") ? [file] : [];
  });
}

/**
 * The files that take longest, longest first (by their time in a full run). Files go to the workers in
 * the order given, each to the next free one, so a long file that starts late ends after everything
 * else: with these first, the short ones fill the end of the run instead. Vitest's own order (longest
 * first by the durations it cached) is no help here: the cache, in node_modules, is shared by every
 * checkout using that folder, and a run of a few files records their durations as the first file of a
 * worker (its modules and engine loaded), so the order changed from run to run.
 */
const LONGEST_FIRST = [
  "test/e2e/replicas.test.ts",
  "test/e2e/redis-start.test.ts",
  "test/broadcast/bull.test.ts",
  "test/search/incremental.test.ts",
  "test/search/snapshot.test.ts",
  "test/e2e/fuzz.test.ts",
  "test/bot/features/broadcast/broadcast.test.ts",
  "test/bot/features/edit-lists.test.ts",
  "test/reminders/bull.test.ts",
  "test/search/postings.test.ts",
  "test/e2e/startup.test.ts",
  "test/bot/features/coordinator.test.ts",
  "test/search/language-subset.test.ts",
  "test/cli/entry-points.test.ts",
  "test/console/console.test.ts",
];

// A file renamed or removed would otherwise lose its place without a word.
const strays = LONGEST_FIRST.filter((file) => !testFiles(TESTS).includes(file));
if (strays.length > 0) throw new Error(`LONGEST_FIRST names files that are not tests: ${strays.join(", ")}`);

/** The files of LONGEST_FIRST in its order, then the others in vitest's. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = LONGEST_FIRST.indexOf(path.relative(ROOT, spec.moduleId).split(path.sep).join("/"));
      return at === -1 ? LONGEST_FIRST.length : at;
    };
    // Array.prototype.sort is stable: the others keep vitest's order among themselves.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

const isolated = testFiles(TESTS).filter((file) => needsIsolation(readFileSync(path.join(ROOT, file), "utf8")));

export default defineConfig({
  test: {
    // The test and source files as vitest compiles them are kept between runs
    // (node_modules/.experimental-vitest-cache, by content) instead of compiled again by every run.
    experimental: { fsModuleCache: true },
    // Compiles src/ once for the processes tests start (test/helpers/main-process.ts).
    globalSetup: [`${TESTS}/global-setup.ts`],
    // COOPDESK_CPU_LOG=<file>: each test file's CPU time appended to the file (test/cpu-log.ts).
    setupFiles: [`${TESTS}/setup.ts`, ...(process.env.COOPDESK_CPU_LOG ? [`${TESTS}/cpu-log.ts`] : [])],
    testTimeout: 20_000,
    // Setup builds the search engine and starts servers; a loaded machine must not fail it (at a load
    // average of 13 on two cores, a hook building the engine went past 60 s).
    hookTimeout: 180_000,
    maxWorkers: availableParallelism() + 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: { name: "shared", include: [`${TESTS}/**/*.test.ts`], exclude: isolated, isolate: false },
      },
      // No file to isolate: an include that matches nothing.
      { extends: true, test: { name: "isolated", include: isolated.length > 0 ? isolated : [`${TESTS}/none`] } },
    ],
  },
});
