import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, StartupError } from "../../src/app/index.js";
import { formatProblem, loadCatalog, MAX_ALIAS_COUNT } from "../../src/catalog/load.js";
import { LiveCatalog } from "../../src/live/catalog.js";
import { createMemoryCatalogChanges } from "../../src/state/catalog-changes.js";
import { loadConfig } from "../../src/config.js";
import { run } from "../../src/cli/catalog-check.js";
import { runCli } from "../helpers/cli.js";
import { makeCatalog, removeFixtures } from "./fixture.js";

/**
 * A "billion laughs" file — aliases of aliases, expanding into billions of nodes — is reported as a
 * `file: problem` line like any other catalog error: by catalog:check, at start and by /reload; never a
 * stack trace, never a hang.
 */

const BOMB_FILE = "records/alpha-forum.yaml";
const BOMB = `id: alpha-forum
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
`;
const LINE = `${BOMB_FILE} [alpha-forum] invalid YAML: aliases expand too much (over ${MAX_ALIAS_COUNT} expansions)`;

afterEach(removeFixtures);

describe("a YAML alias bomb in a catalog file", () => {
  it("is one problem of loadCatalog", async () => {
    const { dir } = await makeCatalog({ [BOMB_FILE]: BOMB });
    const result = await loadCatalog(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual([LINE]);
  });

  it("is one line of npm run catalog:check, which exits 1 without a stack trace", async () => {
    const { dir } = await makeCatalog({ [BOMB_FILE]: BOMB });
    const result = await runCli(run, [dir], { env: { COOPDESK_SHARED_DIR: dir } });
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n").filter((l) => l && !l.startsWith("warning:"))).toEqual([
      LINE,
      `catalog check failed: 1 problem in ${dir}`,
    ]);
    expect(result.stderr).not.toMatch(/ReferenceError|\n\s+at /);
  });

  it("stops the start with exit code 2 and the line", async () => {
    const { dir } = await makeCatalog({ [BOMB_FILE]: BOMB });
    const config = loadConfig({ CATALOG_DIR: dir, LOG_LEVEL: "silent" });
    const error = await createApp(config, { logger: pino({ level: "silent" }) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect((error as StartupError).exitCode).toBe(2);
    expect((error as StartupError).message).toContain(LINE);
  });

  it("is refused by /reload with the line, and the engine serving keeps serving", async () => {
    const good = await makeCatalog();
    const loaded = await loadCatalog(good.dir);
    if (!loaded.ok) throw new Error("the base fixture must load");
    const { dir } = await makeCatalog({ [BOMB_FILE]: BOMB });
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const live = await LiveCatalog.start({
      dir,
      files: loaded.catalog,
      changes: createMemoryCatalogChanges(),
      logger: quiet,
    });
    expect(await live.reload()).toEqual({ ok: false, problems: [LINE] });
    expect(live.search.catalog.records.map((r) => r.id)).toEqual(["alpha-forum", "beta-centre"]);
    await live.close();
  });
});
