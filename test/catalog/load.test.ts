import { afterEach, describe, expect, it } from "vitest";
import { formatProblem, loadCatalog, loadCatalogOrThrow } from "../../src/catalog/load.js";
import type { CatalogProblem } from "../../src/catalog/load.js";
import { BASE_FILES, lineOf, makeCatalog, removeFixtures, swap } from "./fixture.js";
import type { Edit } from "./fixture.js";

afterEach(removeFixtures);

const ALPHA = "records/alpha-forum.yaml";
const BETA = "records/beta-centre.yaml";

/** Loads a fixture with `edits` applied and returns its problems; fails if it loaded. */
async function problemsOf(
  edits: Record<string, Edit>,
): Promise<{ problems: CatalogProblem[]; files: Record<string, string> }> {
  const { dir, files } = await makeCatalog(edits);
  const result = await loadCatalog(dir);
  if (result.ok) throw new Error("expected the catalog to fail to load");
  return { problems: result.problems, files };
}

describe("loadCatalog on a valid catalog", () => {
  it("returns every record, sorted by id, with schema defaults applied", async () => {
    const { dir } = await makeCatalog();
    const result = await loadCatalog(dir);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const { records, sectors, audiences, glossary, places } = result.catalog;
    expect(records.map((r) => r.id)).toEqual(["alpha-forum", "beta-centre"]);
    expect(records[1]?.cities).toEqual([]);
    expect(records[1]?.source.date).toBe("2024");
    expect(Object.keys(sectors)).toEqual(["energy"]);
    expect(Object.keys(audiences)).toEqual(["researchers"]);
    expect(glossary.incubator?.ru).toContain("инкубатора");
    expect(places.cities.tianjin?.country).toBe("CN");
  });
});

describe("loadCatalog error classes", () => {
  it("reports bad YAML with its line and the record named after the file", async () => {
    const { problems, files } = await problemsOf({ [ALPHA]: swap("  en: Alpha Forum", "  en: Alpha: Forum") });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: ALPHA,
      recordId: "alpha-forum",
      line: lineOf(files[ALPHA], "Alpha: Forum"),
    });
    expect(problems[0]?.field).toBeUndefined();
    expect(problems[0]?.message).toMatch(
      /^invalid YAML: Nested mappings are not allowed in compact mappings \(column \d+\)$/,
    );
  });

  it("reports duplicate YAML keys as bad YAML", async () => {
    const { problems, files } = await problemsOf({
      [BETA]: swap("kind: organisation\n", "kind: organisation\nkind: event\n"),
    });
    expect(problems).toEqual([
      {
        file: BETA,
        recordId: "beta-centre",
        line: lineOf(files[BETA], "kind: event"),
        message: expect.stringMatching(/^invalid YAML: Map keys must be unique/),
      },
    ]);
  });

  it("names an unknown field, top-level and nested, at the key's line", async () => {
    const { problems, files } = await problemsOf({
      [ALPHA]: (text) =>
        swap(
          "kind: event\n",
          "kind: event\ncolour: blue\n",
        )(swap('  start: "2024-05-13"', '  starts: "2024-05-13"')(text)),
    });
    expect(problems).toEqual([
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "colour",
        line: lineOf(files[ALPHA], "colour:"),
        message: 'unknown field "colour"',
      },
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "dates.starts",
        line: lineOf(files[ALPHA], "starts:"),
        message: 'unknown field "starts"',
      },
    ]);
  });

  it("reports a missing, empty or null translation as a missing translation", async () => {
    const { problems, files } = await problemsOf({
      [ALPHA]: (text) =>
        swap("  ru: Форум Альфа\n", "")(swap("  fr: Un forum sur la coopération énergétique.", '  fr: "  "')(text)),
      [BETA]: swap("  zh: 贝塔中心", "  zh:"),
    });
    const alpha = files[ALPHA];
    expect(problems).toEqual([
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "title.ru",
        line: lineOf(alpha, "title:"),
        message: "missing translation",
      },
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "summary.fr",
        line: lineOf(alpha, 'fr: "  "'),
        message: "missing translation",
      },
      {
        file: BETA,
        recordId: "beta-centre",
        field: "title.zh",
        line: lineOf(files[BETA], "zh:"),
        message: "missing translation",
      },
    ]);
  });

  it("reports sectors, audiences and cities that are not in the vocabularies or places", async () => {
    const { problems, files } = await problemsOf({
      [ALPHA]: (text) =>
        swap(
          "sectors: [energy]",
          "sectors: [energy, mining]",
        )(
          swap(
            "audiences: [researchers]",
            "audiences: [pilots]",
          )(swap("cities: [tianjin]", "cities: [atlantis]")(text)),
        ),
    });
    const alpha = files[ALPHA];
    expect(problems).toEqual([
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "cities[0]",
        line: lineOf(alpha, "cities:"),
        message: 'unknown city "atlantis" (not in places.yaml)',
      },
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "sectors[1]",
        line: lineOf(alpha, "sectors:"),
        message: 'unknown sector "mining" (not in vocabularies/sectors.yaml)',
      },
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "audiences[0]",
        line: lineOf(alpha, "audiences:"),
        message: 'unknown audience "pilots" (not in vocabularies/audiences.yaml)',
      },
    ]);
  });

  it("reports a duplicate id in the later file, naming the first", async () => {
    const { problems } = await problemsOf({ "records/zeta.yaml": BASE_FILES[ALPHA] ?? "" });
    expect(problems).toContainEqual({
      file: "records/zeta.yaml",
      recordId: "alpha-forum",
      field: "id",
      line: 1,
      message: 'duplicate id "alpha-forum" (also used by records/alpha-forum.yaml)',
    });
    // The copy is also misnamed; nothing is reported against the original.
    expect(problems).toHaveLength(2);
    expect(problems.every((p) => p.file === "records/zeta.yaml")).toBe(true);
  });

  it("reports a file name that does not match the record id", async () => {
    const { problems } = await problemsOf({ [BETA]: null, "records/beta.yaml": BASE_FILES[BETA] ?? "" });
    expect(problems).toEqual([
      {
        file: "records/beta.yaml",
        recordId: "beta-centre",
        field: "id",
        line: 1,
        message: 'id "beta-centre" does not match the file name (expected records/beta-centre.yaml)',
      },
    ]);
  });

  it("reports dates that are not ISO 8601, impossible in the calendar, or unquoted", async () => {
    const { problems, files } = await problemsOf({
      [ALPHA]: (text) =>
        swap(
          'verified: "2025-01-10"',
          'verified: "2024-02-30"',
        )(swap('  start: "2024-05-13"', '  start: "13/05/2024"')(text)),
      [BETA]: swap('  date: "2024"', "  date: 2024"),
    });
    const alpha = files[ALPHA];
    expect(problems).toEqual([
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "dates.start",
        line: lineOf(alpha, "start:"),
        message: 'must be an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY), got "13/05/2024"',
      },
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "verified",
        line: lineOf(alpha, "verified:"),
        message: 'invalid date "2024-02-30": no such day or month in the calendar',
      },
      {
        file: BETA,
        recordId: "beta-centre",
        field: "source.date",
        line: lineOf(files[BETA], "date: 2024"),
        message: 'expected a text, got number 2024 (quote it: "2024")',
      },
    ]);
  });

  it("reports country codes not assigned in ISO 3166-1 in records, parties and places", async () => {
    const { problems, files } = await problemsOf({
      [ALPHA]: swap("    countries: [CN]", "    countries: [QQ]"),
      [BETA]: swap("countries: [CN, KZ]", "countries: [CN, XX, kz]"),
      "places.yaml": (text) =>
        swap("    country: CN", "    country: ZZ")(swap("  CN: [PRC, КНР]", "  EU: [European Union]")(text)),
    });
    const beta = files[BETA];
    expect(problems).toEqual([
      {
        file: "places.yaml",
        field: "cities.tianjin.country",
        line: 3,
        message: 'unknown country code "ZZ" (not assigned in ISO 3166-1)',
      },
      {
        file: "places.yaml",
        field: "countryAliases.EU",
        line: lineOf(files["places.yaml"], "EU:"),
        message: 'unknown country code "EU" (not assigned in ISO 3166-1)',
      },
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "organisers[0].countries[0]",
        line: lineOf(files[ALPHA], "[QQ]"),
        message: 'unknown country code "QQ" (not assigned in ISO 3166-1)',
      },
      // Lower case fails the schema's format rule, so the record's other codes are not checked yet.
      {
        file: BETA,
        recordId: "beta-centre",
        field: "countries[2]",
        line: lineOf(beta, "countries:"),
        message: 'must be an ISO 3166-1 alpha-2 code in capitals (e.g. KZ), got "kz"',
      },
    ]);
    const fixed = await problemsOf({ [BETA]: swap("countries: [CN, KZ]", "countries: [CN, XX]") });
    expect(fixed.problems).toEqual([
      {
        file: BETA,
        recordId: "beta-centre",
        field: "countries[1]",
        line: lineOf(beta, "countries:"),
        message: 'unknown country code "XX" (not assigned in ISO 3166-1)',
      },
    ]);
  });

  it("reports related and party records that do not exist", async () => {
    const { problems, files } = await problemsOf({
      [BETA]: (text) =>
        swap(
          "related: [alpha-forum]",
          "related: [alpha-forum, gamma-lab]",
        )(swap("    record: alpha-forum", "    record: omega-fund")(text)),
    });
    const beta = files[BETA];
    expect(problems).toEqual([
      {
        file: BETA,
        recordId: "beta-centre",
        field: "partners[0].record",
        line: lineOf(beta, "record: omega-fund"),
        message: 'unknown record "omega-fund" (no records/omega-fund.yaml)',
      },
      {
        file: BETA,
        recordId: "beta-centre",
        field: "related[1]",
        line: lineOf(beta, "related:"),
        message: 'unknown record "gamma-lab" (no records/gamma-lab.yaml)',
      },
    ]);
  });

  it("reports an empty records directory", async () => {
    const { problems } = await problemsOf({ [ALPHA]: null, [BETA]: null });
    expect(problems).toEqual([{ file: "records/", message: "no records found (expected records/<id>.yaml files)" }]);
  });

  it("validates vocabularies, glossary and places against their schemas", async () => {
    const { problems, files } = await problemsOf({
      "vocabularies/sectors.yaml": swap("  zh: 能源\n", ""),
      "vocabularies/audiences.yaml": null,
      "glossary.yaml": swap("  fr: [incubateur]", "  fr: []"),
      "places.yaml": swap("    aliases:", "    population: 13866009\n    aliases:"),
    });
    expect(problems).toEqual([
      {
        file: "glossary.yaml",
        field: "incubator.fr",
        line: lineOf(files["glossary.yaml"], "fr: []"),
        message: "missing translation",
      },
      {
        file: "places.yaml",
        field: "cities.tianjin.population",
        line: lineOf(files["places.yaml"], "population:"),
        message: 'unknown field "population"',
      },
      { file: "vocabularies/audiences.yaml", message: "file not found" },
      { file: "vocabularies/sectors.yaml", field: "energy.zh", line: 1, message: "missing translation" },
    ]);
    // A broken reference file is reported once, not as an unknown term in every record that uses it.
  });

  it("reports a glossary term with a sign the search would drop", async () => {
    const { problems } = await problemsOf({ "glossary.yaml": swap("  fr: [incubateur]", "  fr: [incubateur+]") });
    expect(problems).toMatchObject([
      { file: "glossary.yaml", field: "incubator.fr[0]", message: expect.stringContaining('"SCO+" as "SCO"') },
    ]);
  });

  it("names the allowed values for a bad kind and reports a missing required field", async () => {
    const { problems, files } = await problemsOf({
      [ALPHA]: (text) => swap("kind: event", "kind: webinar")(swap('verified: "2025-01-10"\n', "")(text)),
    });
    expect(problems).toEqual([
      { file: ALPHA, recordId: "alpha-forum", field: "verified", message: "missing required field" },
      {
        file: ALPHA,
        recordId: "alpha-forum",
        field: "kind",
        line: lineOf(files[ALPHA], "kind:"),
        message: 'must be one of initiative, programme, incubator, event, organisation, announcement, got "webinar"',
      },
    ]);
  });
});

describe("problem collection", () => {
  it("collects the problems of every file and returns no catalog", async () => {
    const { dir } = await makeCatalog({
      [ALPHA]: swap("kind: event", "kind: [event"),
      [BETA]: swap("  en: Beta Centre\n", ""),
    });
    const result = await loadCatalog(dir);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty("catalog");
    if (result.ok) return;
    expect(result.problems.map((p) => [p.file, p.field])).toEqual([
      [ALPHA, undefined],
      [BETA, "title.en"],
    ]);
  });

  it("formats a problem as file:line [id] field: message", () => {
    expect(
      formatProblem({
        file: "records/foo.yaml",
        line: 12,
        recordId: "foo",
        field: "title.ru",
        message: "missing translation",
      }),
    ).toBe("records/foo.yaml:12 [foo] title.ru: missing translation");
    expect(formatProblem({ file: "records/", message: "no records found" })).toBe("records/ no records found");
  });

  it("loadCatalogOrThrow throws with every problem listed, or returns the catalog", async () => {
    const broken = await makeCatalog({
      [BETA]: swap("related: [alpha-forum]", "related: [nowhere]"),
      "glossary.yaml": null,
    });
    await expect(loadCatalogOrThrow(broken.dir)).rejects.toThrow(
      /has 2 problems:\nglossary\.yaml file not found\nrecords\/beta-centre\.yaml:\d+ \[beta-centre\] related\[0\]: unknown record "nowhere"/,
    );
    const valid = await makeCatalog();
    await expect(loadCatalogOrThrow(valid.dir)).resolves.toHaveProperty("records.length", 2);
  });
});
