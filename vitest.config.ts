import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

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

const isolated = testFiles(TESTS).filter((file) => needsIsolation(readFileSync(path.join(ROOT, file), "utf8")));

export default defineConfig({
  test: {
    // Compiles src/ once for the processes tests start (test/helpers/main-process.ts).
    globalSetup: [`${TESTS}/global-setup.ts`],
    setupFiles: [`${TESTS}/setup.ts`],
    testTimeout: 20_000,
    // Setup builds the search engine and starts servers; a loaded machine must not fail it (at a load
    // average of 13 on two cores, a hook building the engine went past 60 s).
    hookTimeout: 180_000,
    maxWorkers: availableParallelism() + 2,
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
