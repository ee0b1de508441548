import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/search.ts", ...args], { cwd: root, input, encoding: "utf8", timeout: 60_000 });

describe("search command", () => {
  it("answers one JSON line per query line with the language and the top 10 scored ids", () => {
    const out = run(["--jsonl"], "incubateurs en Ouzbékistan\n\n哈萨克斯坦的孵化器\nquantum chromodynamics\n");
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split("\n").map((l) => JSON.parse(l) as { query: string; lang: string; results: { id: string; score: number }[] });
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

  it("prints a readable top 5 with scores", () => {
    const out = run(["incubator in Harbin"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/language: en/);
    expect(out.stdout).toMatch(/^ 1\.\s+\d+\.\d\d\s+conf \d\.\d\d\s+incubator-harbin$/m);
    expect(out.stdout.match(/^\s?\d\. /gm)?.length).toBeLessThanOrEqual(5);
  });

  it("rejects a bad option with a clear message", () => {
    const out = run(["--lang", "de", "x"]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--lang must be one of en, fr, ru, zh/);
  });
});
