import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { DEFAULT_DATA_DIR, loadCatalogOrThrow } from "../catalog/load.js";
import { KINDS, LANGUAGES, type Kind, type Language } from "../catalog/schema.js";
import { firstLineOf } from "../bot/views/direct.js";
import { createI18n, translator } from "../i18n.js";
import { decide, DEFAULT_THRESHOLD, type Decision } from "../search/decide.js";
import { SearchEngine } from "../search/engine.js";
import type { SearchOptions } from "../search/types.js";

/**
 * npm run --silent search -- "<query>"        readable top 5 with scores and why they matched
 * npm run --silent search -- --jsonl           one query per stdin line → one JSON line each (top 10)
 * Both go through the bot's own decision (answer, decline or small talk, and the direct answer line).
 * Options: --lang <en|fr|ru|zh> (hint), --kind, --country, --sector, --audience (filters), --data <dir>.
 */
const { values, positionals } = parseArgs({
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

if (values.lang !== undefined && !LANGUAGES.includes(values.lang as Language)) fail(`--lang must be one of ${LANGUAGES.join(", ")}`);
for (const kind of values.kind ?? []) if (!KINDS.includes(kind as Kind)) fail(`--kind must be one of ${KINDS.join(", ")}`);
if (!values.jsonl && positionals.length === 0) fail('usage: npm run --silent search -- "<query>"  |  --jsonl < queries.txt');

const catalog = await loadCatalogOrThrow(values.data);
const engine = SearchEngine.build(catalog);
const i18n = await createI18n();
const threshold = process.env.ANSWER_THRESHOLD ? Number(process.env.ANSWER_THRESHOLD) : DEFAULT_THRESHOLD;
/** The direct answer line as users see it (plain text), or null. */
const directLine = (d: Decision) => (d.direct ? firstLineOf(d, { lang: d.lang, t: translator(i18n, d.lang), catalog }).replace(/<[^>]+>/g, "") : null);
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
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const query = line.trim();
    if (!query) continue;
    const decision = decide(engine, query, { ...options, limit: 10, threshold });
    const response = decision.response;
    const results = response.hits.map((h) => ({ id: h.id, score: h.score, confidence: h.confidence }));
    const out = { query, lang: decision.lang, results, answered: decision.kind === "answer", kind: decision.kind, direct: directLine(decision) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
} else {
  const query = positionals.join(" ");
  const decision = decide(engine, query, { ...options, limit: 5, threshold });
  const response = decision.response;
  const places = response.countries.length ? `, places: ${response.countries.join(", ")}` : "";
  const verdict = decision.kind === "answer" ? `answer: ${decision.record!.id}` : decision.kind === "smalltalk" ? `small talk (${decision.smalltalk})` : "declined";
  console.log(`"${query}" — language: ${response.lang}${places}; ${response.total} match(es); ${verdict}, confidence ${decision.confidence.toFixed(2)}`);
  const direct = directLine(decision);
  if (direct) console.log(`  ${direct}`);
  response.hits.forEach((hit, i) => {
    const record = engine.get(hit.id);
    const title = record?.title[response.lang] ?? hit.id;
    console.log(`${String(i + 1).padStart(2)}. ${hit.score.toFixed(2).padStart(7)}  conf ${hit.confidence.toFixed(2)}  ${hit.id}`);
    console.log(`      ${title}`);
    const why = hit.matches.map((m) => `${m.query}→${m.term} (${m.field}${m.via === "exact" || m.via === "stem" ? "" : `, ${m.via}`})`);
    if (why.length) console.log(`      matched: ${why.join("; ")}`);
  });
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
