import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../catalog/load.js";
import { KINDS, LANGUAGES, type Kind, type Language } from "../catalog/schema.js";
import { firstLineOf } from "../bot/views/direct.js";
import { createI18n, translator } from "../i18n.js";
import { decide, DEFAULT_THRESHOLD, type Decision } from "../search/decide.js";
import { SearchEngine } from "../search/engine.js";
import type { SearchOptions } from "../search/types.js";
import { println, runIfEntryPoint, type CliIo } from "./io.js";

/**
 * npm run --silent search -- "<query>"        readable top 5 with scores and why they matched
 * npm run --silent search -- --jsonl           one query per stdin line → one JSON line each (top 10)
 * Both go through the bot's own decision (answer, decline or small talk, and the direct answer line).
 * Options: --lang <en|fr|ru|zh> (hint), --kind, --country, --sector, --audience (filters), --data <dir>.
 * Exit code 2 on a bad option. `prebuilt.engine`: an engine over the default catalog that an in-process
 * caller already has (built otherwise; --data always builds its own).
 */
export async function run(argv: string[], io: CliIo, prebuilt: { engine?: SearchEngine } = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        jsonl: { type: "boolean", default: false },
        lang: { type: "string" },
        kind: { type: "string", multiple: true },
        country: { type: "string", multiple: true },
        sector: { type: "string", multiple: true },
        audience: { type: "string", multiple: true },
        data: { type: "string", default: DEFAULT_DATA_DIR },
      },
    });
  } catch (error) {
    return fail(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.lang !== undefined && !LANGUAGES.includes(values.lang as Language))
    return fail(io, `--lang must be one of ${LANGUAGES.join(", ")}`);
  for (const kind of values.kind ?? [])
    if (!KINDS.includes(kind as Kind)) return fail(io, `--kind must be one of ${KINDS.join(", ")}`);
  if (!values.jsonl && positionals.length === 0)
    return fail(io, 'usage: npm run --silent search -- "<query>"  |  --jsonl < queries.txt');

  const engine =
    values.data === DEFAULT_DATA_DIR && prebuilt.engine
      ? prebuilt.engine
      : SearchEngine.build(await loadCatalogOrThrow(values.data));
  const catalog = engine.catalog;
  const i18n = await createI18n();
  const threshold = io.env.ANSWER_THRESHOLD ? Number(io.env.ANSWER_THRESHOLD) : DEFAULT_THRESHOLD;
  /** The direct answer line as users see it (plain text), or null. */
  const directLine = (d: Decision) =>
    d.direct ? firstLineOf(d, { lang: d.lang, t: translator(i18n, d.lang), catalog }).replace(/<[^>]+>/g, "") : null;
  const options: SearchOptions = {
    langHint: values.lang as Language | undefined,
    filters: {
      kinds: values.kind as Kind[] | undefined,
      countries: values.country?.map((c) => c.toUpperCase()),
      sectors: values.sector,
      audiences: values.audience,
    },
  };

  if (values.jsonl) {
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const query = line.trim();
      if (!query) continue;
      const decision = decide(engine, query, { ...options, limit: 10, threshold });
      const response = decision.response;
      const results = response.hits.map((h) => ({ id: h.id, score: h.score, confidence: h.confidence }));
      const out = {
        query,
        lang: decision.lang,
        results,
        answered: decision.kind === "answer",
        kind: decision.kind,
        direct: directLine(decision),
        // Why an answerable-looking question was declined: the detail the record lacks, or its own sentence saying so.
        ...(decision.missing ? { missing: decision.missing } : {}),
        ...(decision.unsaid ? { unsaid: decision.unsaid } : {}),
      };
      println(io.stdout, JSON.stringify(out));
    }
    return 0;
  }

  const query = positionals.join(" ");
  const decision = decide(engine, query, { ...options, limit: 5, threshold });
  const response = decision.response;
  const places = response.countries.length ? `, places: ${response.countries.join(", ")}` : "";
  const verdict =
    decision.kind === "answer"
      ? `answer: ${decision.record!.id}`
      : decision.kind === "smalltalk"
        ? `small talk (${decision.smalltalk})`
        : decision.missing
          ? `declined: the record lacks the ${decision.missing}`
          : decision.unsaid
            ? `declined: "${decision.unsaid}"`
            : "declined";
  println(
    io.stdout,
    `"${query}" — language: ${response.lang}${places}; ${response.total} match(es); ${verdict}, confidence ${decision.confidence.toFixed(2)}`,
  );
  const direct = directLine(decision);
  if (direct) println(io.stdout, `  ${direct}`);
  response.hits.forEach((hit, i) => {
    const record = engine.get(hit.id);
    const title = record?.title[response.lang] ?? hit.id;
    println(
      io.stdout,
      `${String(i + 1).padStart(2)}. ${hit.score.toFixed(2).padStart(7)}  conf ${hit.confidence.toFixed(2)}  ${hit.id}`,
    );
    println(io.stdout, `      ${title}`);
    const why = hit.matches.map(
      (m) => `${m.query}→${m.term} (${m.field}${m.via === "exact" || m.via === "stem" ? "" : `, ${m.via}`})`,
    );
    if (why.length) println(io.stdout, `      matched: ${why.join("; ")}`);
  });
  return 0;
}

function fail(io: CliIo, message: string): number {
  println(io.stderr, message);
  return 2;
}

await runIfEntryPoint(import.meta.url, run);
