import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compiledIsCurrent, sourceHash, stampFile } from "../../scripts/source-hash.js";

/** A folder laid out as the repository: sources, settings, a build of them with its hash. */
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "start-choice-"));
  await mkdir(path.join(root, "src", "search"), { recursive: true });
  await writeFile(path.join(root, "src", "main.ts"), "export {};\n");
  await writeFile(path.join(root, "src", "search", "engine.ts"), "export const x = 1;\n");
  await writeFile(path.join(root, "tsconfig.json"), "{}\n");
  await mkdir(path.join(root, "dist"));
  await writeFile(path.join(root, "dist", "main.js"), "export {};\n");
  await writeFile(stampFile(root), `${sourceHash(root)}\n`);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("npm start", () => {
  it("runs dist/ when it was built from the sources as they are", () => {
    expect(compiledIsCurrent(root, {})).toBe(true);
  });

  it("runs the sources once any input of the build changed, was added or went away, and when asked to", async () => {
    expect(compiledIsCurrent(root, { START_SOURCES: "1" })).toBe(false);
    await writeFile(path.join(root, "src", "search", "engine.ts"), "export const x = 2;\n");
    expect(compiledIsCurrent(root, {})).toBe(false);
    await writeFile(path.join(root, "src", "search", "engine.ts"), "export const x = 1;\n");
    expect(compiledIsCurrent(root, {})).toBe(true);
    await writeFile(path.join(root, "src", "search", "typos.ts"), "export {};\n");
    expect(compiledIsCurrent(root, {})).toBe(false);
    await rm(path.join(root, "src", "search", "typos.ts"));
    await writeFile(path.join(root, "tsconfig.json"), '{ "compilerOptions": {} }\n');
    expect(compiledIsCurrent(root, {})).toBe(false);
  });

  it("runs the sources without a build or its hash, and dist/ when it is all there is", async () => {
    await rm(stampFile(root));
    expect(compiledIsCurrent(root, {})).toBe(false);
    await rm(path.join(root, "dist"), { recursive: true });
    expect(compiledIsCurrent(root, {})).toBe(false);
    await mkdir(path.join(root, "dist"));
    await writeFile(path.join(root, "dist", "main.js"), "export {};\n");
    await rm(path.join(root, "src"), { recursive: true });
    expect(compiledIsCurrent(root, {})).toBe(true);
  });
});
