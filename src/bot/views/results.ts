import { shortTitle, type CatalogRecord } from "../../catalog/schema.js";
import type { Detail } from "../../search/question.js";
import { escapeHtml, MESSAGE_LIMIT, splitMessage } from "../format.js";
import { catalogCard, kindLabel, placesText, type ViewEnv } from "./card.js";
import { fitEscaped, periodPhrase } from "./format.js";

/** Results per page of a list (the answer shows the best one as a card and the next four as buttons). */
export const RESULTS_PAGE_SIZE = 5;
/** Longest quotation of the user's question in a reply. */
const QUERY_QUOTE_MAX = 120;

export function quoteQuery(query: string): string {
  return fitEscaped(query.replace(/\s+/g, " ").trim(), QUERY_QUOTE_MAX);
}

/**
 * One line of a list: "6. <b>Short title</b> — <i>Incubator</i> · Kazakhstan"; an event gives its date
 * instead of its kind: "1. <b>Tianjin — SCO Plus meeting 2025</b> — 1 September 2025 · China · Tianjin".
 */
export function resultLine(n: number, record: CatalogRecord, env: ViewEnv): string {
  const places = placesText(record, env);
  const start = record.dates?.start;
  const what =
    record.kind === "event" && start
      ? escapeHtml(periodPhrase(start, record.dates?.end, env.lang, "bare", env.t))
      : `<i>${escapeHtml(kindLabel(record, env.t))}</i>`;
  const meta = `${what}${places ? ` · ${escapeHtml(places)}` : ""}`;
  return `${n}. <b>${fitEscaped(shortTitle(record, env.lang), 200)}</b> — ${meta}`;
}

/**
 * The answer to a question: the direct answer to a fact question (if any), the best record's card and,
 * under it, how many other matches there are (the buttons list them). Within `limit`.
 */
export function renderAnswer(
  record: CatalogRecord,
  total: number,
  env: ViewEnv,
  direct?: string,
  limit = MESSAGE_LIMIT,
): string {
  const others = total - 1;
  const footer = others > 0 ? env.t("question:answer.others", { count: others }) : "";
  const lead = direct ? `${direct}\n\n` : "";
  const card = catalogCard(record, env, limit - lead.length - (footer ? footer.length + 2 : 0));
  return `${lead}${card}${footer ? `\n\n${footer}` : ""}`;
}

export interface ResultsPage {
  query: string;
  /** Records of this page, in ranked order. */
  records: CatalogRecord[];
  /** 0-based page. */
  page: number;
  pageSize: number;
  total: number;
}

/** A page of results as a numbered list; the titles are also buttons. */
export function renderResultsPage(view: ResultsPage, env: ViewEnv, limit = MESSAGE_LIMIT): string {
  const { t } = env;
  const first = view.page * view.pageSize + 1;
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  const lines = [
    t("question:results.header", { count: view.total, query: quoteQuery(view.query) }),
    t("question:results.range", { from: first, to: first + view.records.length - 1, page: view.page + 1, pages }),
    "",
    ...view.records.map((record, i) => resultLine(first + i, record, env)),
    "",
    t("question:results.hint"),
  ];
  const html = lines.join("\n");
  return html.length <= limit ? html : splitMessage(html, limit)[0]!;
}

export interface NoMatch {
  query: string;
  /** Records that matched weakly (shown as buttons), best first. */
  weak: CatalogRecord[];
  /** Words to try instead (sector names, in the reply language). */
  suggestions: string[];
  /** The detail asked for that the closest record (the first weak match) does not hold. */
  missing?: Detail;
  /** The closest record's own sentence saying its source does not give what was asked. */
  unsaid?: string;
}

/**
 * The honest "not found": the question quoted back (escaped), the weak matches if any, terms to try,
 * and the browsing commands.
 */
export function renderNoMatch(view: NoMatch, env: ViewEnv): string {
  const { t } = env;
  const about = view.missing || view.unsaid ? view.weak[0] : undefined;
  const blocks = [
    about && view.unsaid
      ? t("question:noMatch.unsaid", {
          title: escapeHtml(shortTitle(about, env.lang)),
          sentence: escapeHtml(view.unsaid),
        })
      : about
        ? t("question:noMatch.missing", {
            detail: t(`question:noMatch.detail.${view.missing}`),
            title: escapeHtml(shortTitle(about, env.lang)),
          })
        : t(view.query.trim() ? "question:noMatch.title" : "question:noMatch.titleEmpty", {
            query: quoteQuery(view.query),
          }),
  ];
  if (about) blocks.push(t("question:noMatch.missingWeak"));
  else if (view.weak.length) blocks.push(t("question:noMatch.weak", { count: view.weak.length }));
  // Other words help when nothing matched; not when the right record lacks the detail asked.
  if (!about && view.suggestions.length)
    blocks.push(
      t("question:noMatch.suggest", { terms: view.suggestions.map((s) => `<i>${escapeHtml(s)}</i>`).join(", ") }),
    );
  blocks.push(t("question:noMatch.browse"));
  blocks.push(t("question:noMatch.noted"));
  return blocks.join("\n\n");
}
