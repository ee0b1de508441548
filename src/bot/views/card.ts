import { deadlineClock, upcomingDeadlines } from "../../catalog/deadlines.js";
import type { Catalog, CatalogRecord, Contact, Deadline, Language } from "../../catalog/schema.js";
import type { Translate } from "../../i18n.js";
import { escapeHtml, MESSAGE_LIMIT, splitMessage } from "../format.js";
import { isoToday } from "../../catalog/dates.js";
import { countryName, datePhrase, fitEscaped, formatFigure, formatList, formatWhen } from "./format.js";

/**
 * The record views: the card (what a question is answered with), its details and its contacts. All
 * return HTML for parse_mode HTML; every catalog text is escaped here. Each line is balanced markup,
 * so `splitMessage` may cut between any two lines.
 */

/** What a view needs besides the record: the reply language and the catalog's labels. */
export interface ViewEnv {
  lang: Language;
  t: Translate;
  catalog: Pick<Catalog, "sectors" | "audiences" | "places">;
  /** Today (YYYY-MM-DD) for past or future tense and "verified"; the clock's day when absent (tests pin it). */
  today?: string;
  /** Now (ms since the epoch), for the deadlines still ahead; the clock's when absent. */
  now?: number;
}

/** Longest title shown in a message (the catalog's are far shorter; this keeps a card sane whatever comes). */
const TITLE_MAX = 300;
/** Key figures on a card; the details list them all. */
const CARD_FIGURES = 3;
/** Contact points on a card; the contacts view lists them all. */
const CARD_CONTACTS = 2;
const CARD_NOTE_MAX = 240;
/** A summary is never cut shorter than this to make room: facts are dropped first. */
const MIN_SUMMARY = 200;

export function titleHtml(record: CatalogRecord, lang: Language): string {
  return `<b>${fitEscaped(record.title[lang], TITLE_MAX)}</b>`;
}

export function kindLabel(record: CatalogRecord, t: Translate): string {
  return t(`record:kind.${record.kind}`);
}

export function cityName(id: string, env: ViewEnv): string {
  return env.catalog.places.cities[id]?.names[env.lang] ?? id;
}

/**
 * Where a record is, as the language writes places (plain text): each city with its country ("Tianjin,
 * China", "中国天津"), then the other countries ("Ürümqi, China; Kazakhstan and Uzbekistan").
 * Undefined when the record names no place.
 */
export function placesText(record: Pick<CatalogRecord, "countries" | "cities">, env: ViewEnv): string | undefined {
  return placesPhrase(record.cities, record.countries, env);
}

export function placesPhrase(
  cityIds: readonly string[],
  countryCodes: readonly string[],
  env: ViewEnv,
  options: { groups?: boolean } = {},
): string | undefined {
  const { lang, t } = env;
  const byCountry = new Map<string, string[]>();
  const loose: string[] = [];
  for (const id of cityIds) {
    const country = env.catalog.places.cities[id]?.country;
    if (country) byCountry.set(country, [...(byCountry.get(country) ?? []), cityName(id, env)]);
    else loose.push(cityName(id, env));
  }
  const groups = [...byCountry].map(([code, cities]) =>
    t("record:place.cityInCountry", { city: formatList(cities, lang), country: countryName(code, lang) }),
  );
  if (loose.length) groups.push(formatList(loose, lang));
  let rest = countryCodes.filter((c) => !byCountry.has(c));
  // A record listing every member of a group (the SCO, ASEAN) names the group, not nine countries.
  const named: string[] = [];
  for (const group of options.groups === false ? [] : Object.values(env.catalog.places.countryGroups ?? {})) {
    if (!group.countries.every((c) => countryCodes.includes(c))) continue;
    named.push(t("record:place.group", { group: group.names[lang] }));
    rest = rest.filter((c) => !group.countries.includes(c));
  }
  const others = [...rest.map((c) => countryName(c, lang)), ...named];
  if (others.length) groups.push(formatList(others, lang));
  return groups.length ? groups.join(t("record:place.separator")) : undefined;
}

function whereLine(record: CatalogRecord, env: ViewEnv): string | undefined {
  const places = placesText(record, env);
  return places ? env.t("record:card.where", { places: escapeHtml(places) }) : undefined;
}

/** The card shows the deadlines still ahead; the details show them all. */
function whenLines(record: CatalogRecord, env: ViewEnv, deadlines: "upcoming" | "all"): string[] {
  const lines: string[] = [];
  const when = formatWhen(record, env.lang, env.t, env.today ?? isoToday());
  if (when) lines.push(env.t("record:card.when", { dates: escapeHtml(when) }));
  const shown =
    deadlines === "all"
      ? (record.dates?.deadlines ?? [])
      : upcomingDeadlines(record.dates?.deadlines, env.now ?? Date.now());
  for (const d of shown) lines.push(deadlineLine(d, env));
  return lines;
}

/**
 * "⏰ Applications close on 15 March 2027 (until 23:59 UTC)", "… at 17:00 (GMT+8)": the day, and the
 * time and zone it ends in, so nobody has to guess whose midnight it is.
 */
export function deadlineLine(deadline: Deadline, env: Pick<ViewEnv, "lang" | "t">): string {
  const { time, zone } = deadlineClock(deadline, env.lang);
  const key = deadline.time ? "record:card.deadlineTime" : "record:card.deadlineDay";
  return env.t(key, {
    label: escapeHtml(deadline.label[env.lang]),
    date: escapeHtml(datePhrase(deadline.date, env.lang, "at", env.t)),
    time,
    zone: escapeHtml(zone),
  });
}

function figureLines(record: CatalogRecord, env: ViewEnv, max: number): string[] {
  if (record.figures.length === 0) return [];
  const shown = record.figures.slice(0, max);
  const lines = [env.t("record:card.figures"), ...shown.map((f) => `• ${formatFigure(f, env.lang, env.t)}`)];
  const hidden = record.figures.length - shown.length;
  if (hidden > 0) lines.push(env.t("record:card.moreFigures", { count: hidden }));
  return lines;
}

function contactLines(record: CatalogRecord, env: ViewEnv): string[] {
  if (record.contacts.length === 0) return [];
  const lines = [env.t("record:card.contact")];
  for (const contact of record.contacts.slice(0, CARD_CONTACTS)) {
    const name = `<b>${fitEscaped(contact.name[env.lang], TITLE_MAX)}</b>`;
    const note = contact.note ? ` — ${fitEscaped(contact.note[env.lang], CARD_NOTE_MAX)}` : "";
    lines.push(`• ${name}${note}`);
  }
  const hidden = record.contacts.length - CARD_CONTACTS;
  if (hidden > 0) lines.push(env.t("record:card.moreContacts", { count: hidden }));
  return lines;
}

/**
 * Where the facts come from: the source document's publisher and date ("PR Newswire, 26 October 2022"),
 * and when the record was last checked against it — said only when that day has come (a date in the
 * future would be a slip of the catalog, which `npm run catalog:check` reports).
 */
function sourceLine(record: CatalogRecord, env: ViewEnv): string {
  const { lang, t } = env;
  const date = datePhrase(record.source.date, lang, "bare", t);
  const publisher = record.source.publisher?.[lang];
  const source = publisher ? t("record:source.published", { publisher, date }) : t("record:source.unnamed", { date });
  const today = env.today ?? isoToday();
  const line =
    record.verified > today
      ? t("record:card.source", { source: escapeHtml(source) })
      : t("record:card.sourceChecked", {
          source: escapeHtml(source),
          verified: escapeHtml(datePhrase(record.verified, lang, "at", t)),
        });
  // A date that ends in an abbreviation («2024 г.») also ends the sentence: one full stop, not two.
  return line.replace(/\.\./g, ".");
}

function head(record: CatalogRecord, env: ViewEnv): string {
  return `${titleHtml(record, env.lang)}\n<i>${escapeHtml(kindLabel(record, env.t))}</i>`;
}

/**
 * Puts blocks together with a blank line between them, giving the flexible block (a summary, a
 * description) whatever room the others leave under `limit`. Facts are dropped from the end before
 * the text is cut below a readable length; as a last resort the message is cut between lines.
 */
function compose(before: string[], flexible: string, after: string[][], limit: number): string {
  const facts = after.map((lines) => lines.filter(Boolean)).filter((lines) => lines.length > 0);
  for (let keep = facts.length; keep >= 0; keep--) {
    const tail = facts.slice(0, keep).map((lines) => lines.join("\n"));
    const fixed = [...before, ...tail];
    const room = limit - fixed.reduce((n, block) => n + block.length, 0) - 2 * fixed.length;
    if (room >= Math.min(MIN_SUMMARY, Array.from(flexible).length) || keep === 0) {
      const text = fitEscaped(flexible, Math.max(0, room));
      const html = [...before, text, ...tail].filter(Boolean).join("\n\n");
      return html.length <= limit ? html : splitMessage(html, limit)[0]!;
    }
  }
  return splitMessage(before.join("\n\n"), limit)[0]!;
}

/**
 * The card: title, kind, summary, where, when, key figures, whom to contact, source and verification
 * dates. Always within `limit`: a long summary is shortened (the details button shows everything).
 */
export function renderCard(record: CatalogRecord, env: ViewEnv, limit = MESSAGE_LIMIT): string {
  const facts = [
    [whereLine(record, env) ?? "", ...whenLines(record, env, "upcoming")],
    figureLines(record, env, CARD_FIGURES),
    contactLines(record, env),
    [sourceLine(record, env)],
  ];
  return compose([head(record, env)], record.summary[env.lang], facts, limit);
}

/**
 * The card of a record the search engine holds, remembered: the same card answers many questions. The
 * engine's records are never changed in place (a change of the catalog is a new object), so a card is
 * kept per record object, translator and places, and made again when the day changes (tenses, "verified")
 * or a deadline passes. Records being edited (drafts, previews) go through `renderCard`.
 */
export function catalogCard(record: CatalogRecord, env: ViewEnv, limit = MESSAGE_LIMIT): string {
  const today = env.today ?? isoToday();
  const now = env.now ?? Date.now();
  let byPlaces = cards.get(env.t);
  if (!byPlaces) cards.set(env.t, (byPlaces = new WeakMap()));
  let byRecord = byPlaces.get(env.catalog.places);
  if (!byRecord) byPlaces.set(env.catalog.places, (byRecord = new WeakMap()));
  let entry = byRecord.get(record);
  if (!entry || entry.today !== today) byRecord.set(record, (entry = { today, texts: new Map() }));
  // Deadlines only pass, latest last: how many are still ahead says which.
  const key = `${env.lang}|${limit}|${upcomingDeadlines(record.dates?.deadlines, now).length}`;
  let text = entry.texts.get(key);
  if (text === undefined) entry.texts.set(key, (text = renderCard(record, { ...env, today, now }, limit)));
  return text;
}

const cards = new WeakMap<
  Translate,
  WeakMap<object, WeakMap<CatalogRecord, { today: string; texts: Map<string, string> }>>
>();

function partiesLine(key: string, names: string[], env: ViewEnv): string | undefined {
  return names.length ? env.t(key, { names: escapeHtml(formatList(names, env.lang)), count: names.length }) : undefined;
}

/** Sectors or audiences as tags: "🏷 Digital economy · Artificial intelligence". */
function vocabularyLine(key: string, ids: string[], vocabulary: Catalog["sectors"], env: ViewEnv): string | undefined {
  const labels = ids.map((id) => vocabulary[id]?.[env.lang] ?? id);
  return labels.length ? env.t(key, { labels: escapeHtml(labels.join(" · ")) }) : undefined;
}

function linkLines(record: CatalogRecord, env: ViewEnv): string[] {
  if (record.links.length === 0) return [];
  return [
    env.t("record:details.links"),
    ...record.links.map(
      (link) => `• <a href="${escapeHtml(link.url)}">${escapeHtml(link.title?.[env.lang] ?? displayUrl(link.url))}</a>`,
    ),
  ];
}

/**
 * Everything the catalog knows: the description (or the summary), all facts, sectors, audiences,
 * organisers, partners and links. Not shortened: the caller splits it when it is too long for one message.
 */
export function renderDetails(record: CatalogRecord, env: ViewEnv): string {
  const facts = [
    whereLine(record, env),
    ...whenLines(record, env, "all"),
    vocabularyLine("record:details.sectors", record.sectors, env.catalog.sectors, env),
    vocabularyLine("record:details.audiences", record.audiences, env.catalog.audiences, env),
    partiesLine(
      "record:details.organisers",
      record.organisers.map((p) => p.name[env.lang]),
      env,
    ),
    partiesLine(
      "record:details.partners",
      record.partners.map((p) => p.name[env.lang]),
      env,
    ),
  ].filter((line): line is string => line !== undefined);
  const blocks = [
    head(record, env),
    escapeHtml((record.details ?? record.summary)[env.lang]),
    facts.join("\n"),
    figureLines(record, env, Number.POSITIVE_INFINITY).join("\n"),
    linkLines(record, env).join("\n"),
    sourceLine(record, env),
  ];
  return blocks.filter(Boolean).join("\n\n");
}

/** "https://www.caexpo.org/index.html" → "caexpo.org" for a link without a title. */
function displayUrl(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

function contactBlock(contact: Contact, env: ViewEnv): string {
  const lines = [`<b>${fitEscaped(contact.name[env.lang], TITLE_MAX)}</b>`];
  if (contact.note) lines.push(escapeHtml(contact.note[env.lang]));
  if (contact.email)
    lines.push(
      env.t("record:contacts.email", {
        value: `<a href="mailto:${escapeHtml(contact.email)}">${escapeHtml(contact.email)}</a>`,
      }),
    );
  if (contact.phone) lines.push(env.t("record:contacts.phone", { value: escapeHtml(contact.phone) }));
  if (contact.url)
    lines.push(
      env.t("record:contacts.url", {
        value: `<a href="${escapeHtml(contact.url)}">${escapeHtml(displayUrl(contact.url))}</a>`,
      }),
    );
  if (contact.telegram) lines.push(env.t("record:contacts.telegram", { value: escapeHtml(contact.telegram) }));
  return lines.join("\n");
}

/**
 * Whom to approach and how: each contact point with its note and only the channels the record has
 * (e-mail, phone, website, Telegram), then the record's links. Within `limit`.
 */
export function renderContacts(record: CatalogRecord, env: ViewEnv, limit = MESSAGE_LIMIT): string {
  const { t } = env;
  const blocks = [t("record:contacts.title", { title: titleHtml(record, env.lang) })];
  if (record.contacts.length === 0) {
    blocks.push(t("record:contacts.none"));
    const organisers = partiesLine(
      "record:details.organisers",
      record.organisers.map((p) => p.name[env.lang]),
      env,
    );
    if (organisers) blocks.push(organisers);
  } else {
    for (const contact of record.contacts) blocks.push(contactBlock(contact, env));
  }
  const links = linkLines(record, env);
  if (links.length) blocks.push(links.join("\n"));
  const html = blocks.join("\n\n");
  return html.length <= limit ? html : splitMessage(html, limit)[0]!;
}
