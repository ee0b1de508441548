import { beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/search.js";
import type { SearchEngine } from "../../src/search/engine.js";
import { bundledEngine } from "../helpers/bot-deps.js";
import { runCli } from "../helpers/cli.js";

/** The command over the bundled catalog, with the engine the other tests of this process share. */
let engine: SearchEngine;
beforeAll(async () => {
  engine = await bundledEngine();
});
const search = (argv: string[], io: Parameters<typeof run>[1]) => run(argv, io, { engine });

describe("search command", () => {
  it("answers one JSON line per query line with the language and the top 10 scored ids", async () => {
    const out = await runCli(search, ["--jsonl"], {
      stdin: "incubateurs en Ouzbékistan\n\n哈萨克斯坦的孵化器\nquantum chromodynamics\n",
    });
    expect(out.status).toBe(0);
    const lines = out.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { query: string; lang: string; results: { id: string; score: number }[] });
    expect(lines.map((l) => [l.query, l.lang])).toEqual([
      ["incubateurs en Ouzbékistan", "fr"],
      ["哈萨克斯坦的孵化器", "zh"],
      ["quantum chromodynamics", "en"],
    ]);
    expect(lines[0]!.results[0]!.id).toBe("urumqi-offshore-incubators");
    expect(lines[1]!.results.length).toBeLessThanOrEqual(10);
    expect(lines[1]!.results.map((r) => r.id)).toContain("xinjiang-central-asia-incubator");
    const scores = lines[0]!.results.map((r) => r.score);
    expect(scores.every((s) => typeof s === "number")).toBe(true);
    expect(lines[2]!.results).toEqual([]);
  });

  it("prints a readable top 5 with scores", async () => {
    const out = await runCli(search, ["incubator in Harbin"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/language: en/);
    expect(out.stdout).toMatch(/^ 1\.\s+\d+\.\d\d\s+conf \d\.\d\d\s+incubator-harbin$/m);
    expect(out.stdout.match(/^\s?\d\. /gm)?.length).toBeLessThanOrEqual(5);
  });

  it("rejects a bad option with a clear message and exit code 2", async () => {
    const out = await runCli(search, ["--lang", "de", "x"]);
    expect(out).toEqual({ status: 2, stdout: "", stderr: "--lang must be one of en, fr, ru, zh\n" });
    const unknown = await runCli(search, ["--colour", "x"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--colour/);
    expect((await runCli(search, [])).stderr).toMatch(/^usage: /);
  });
});
