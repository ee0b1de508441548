import type { CatalogRecord, Figure, Language, Phrase, PluralCategory } from "../../catalog/schema.js";
import type { Translate } from "../../i18n.js";
import { lastDayOf } from "../../catalog/dates.js";
import { pluralRules } from "../../catalog/plural.js";
import { escapeHtml, truncate } from "../format.js";

/**
 * Locale-aware formatting of catalog facts (dates, numbers, places) with the platform's Intl. Words
 * around the values come from the locales; only the shapes of dates and numbers are decided here.
 */

/** The Intl locale of a reply language: British English writes "22 August 2024", which reads well internationally. */
const INTL_LOCALE: Record<Language, string> = { en: "en-GB", fr: "fr", ru: "ru", zh: "zh" };

export function intlLocale(lang: Language): string {
  return INTL_LOCALE[lang];
}

/**
 * Intl formatters cost far more to build than to use (building them dominated the time to answer a
 * question), and the set of (locale, options) pairs is small: each one is built once.
 */
const formatters = new Map<string, unknown>();

function cached<T>(kind: string, lang: Language, options: object, build: (locale: string) => T): T {
  const key = `${kind}|${lang}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = build(intlLocale(lang));
    formatters.set(key, formatter);
  }
  return formatter;
}

export function dateTimeFormat(lang: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached("date", lang, options, (locale) => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(lang: Language, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached("number", lang, options, (locale) => new Intl.NumberFormat(locale, options));
}

/**
 * Date and time in UTC for coordinators' lists, spelled the reader's way ("May 1, 2025, 10:05 AM UTC"):
 * in the language's own locale, not INTL_LOCALE's British English.
 */
export function utcDateTimeFormat(lang: Language): Intl.DateTimeFormat {
  return cached(
    "utc-date-time",
    lang,
    {},
    () =>
      new Intl.DateTimeFormat(lang, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZone: "UTC",
        timeZoneName: "short",
      }),
  );
}

/** Sorts labels the way the reply language does. */
export function collator(lang: Language): Intl.Collator {
  return cached("collator", lang, {}, (locale) => new Intl.Collator(locale));
}

/**
 * ICU in Node renders Chinese date ranges numerically ("2024/8/22 – 2024/8/25") whatever the options,
 * so for Chinese the two ends are formatted on their own and joined by the locale's range pattern.
 */
const NATIVE_DATE_RANGE: Record<Language, boolean> = { en: true, fr: true, ru: true, zh: false };

export type DatePrecision = "year" | "month" | "day";

interface ParsedDate {
  date: Date;
  precision: DatePrecision;
}

/** "2025" | "2024-08" | "2024-08-22" → a UTC date and how precise the source was; undefined when malformed. */
export function parseIsoDate(value: string): ParsedDate | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime())) return undefined;
  return { date, precision: m[3] !== undefined ? "day" : m[2] !== undefined ? "month" : "year" };
}

function dateOptions(precision: DatePrecision): Intl.DateTimeFormatOptions {
  switch (precision) {
    case "year":
      return { year: "numeric", timeZone: "UTC" };
    case "month":
      return { year: "numeric", month: "long", timeZone: "UTC" };
    case "day":
      return { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" };
  }
}

/** A catalog date at the precision it was given: "2025", "August 2024", "22 August 2024" (per locale). */
export function formatDate(value: string, lang: Language): string {
  const parsed = parseIsoDate(value);
  if (!parsed) return value;
  return dateTimeFormat(lang, dateOptions(parsed.precision)).format(parsed.date);
}

/** "22–25 August 2024"; ends of different precision are formatted apart and joined by the locale's pattern. */
export function formatDateRange(start: string, end: string, lang: Language, t: Translate): string {
  if (start === end) return formatDate(start, lang);
  const a = parseIsoDate(start);
  const b = parseIsoDate(end);
  if (a && b && a.precision === b.precision && NATIVE_DATE_RANGE[lang] && a.date <= b.date) {
    return dateTimeFormat(lang, dateOptions(a.precision)).formatRange(a.date, b.date);
  }
  return t("record:date.period.bare", { start: formatDate(start, lang), end: formatDate(end, lang) });
}

/**
 * How a date is used in a sentence: on its own ("22 August 2024"), as the time of something ("on 22
 * August 2024", « le 22 août 2024 », «в 2025 г.»), as a start («с 22 августа 2024 г.», « depuis le … »)
 * or as an end. Each language's words and cases come from the locales (record:date.*, record:months.*).
 */
export type DateRole = "bare" | "at" | "since" | "until";

/** A catalog date at its precision, in the words a sentence needs for `role`. */
export function datePhrase(value: string, lang: Language, role: DateRole, t: Translate): string {
  const parsed = parseIsoDate(value);
  if (!parsed) return value;
  const { date, precision } = parsed;
  const year = String(date.getUTCFullYear());
  if (precision === "year") return t(`record:date.year.${role}`, { year });
  if (precision === "month") {
    const months = t(`record:months.${role}`, { returnObjects: true }) as unknown;
    const month = Array.isArray(months) ? String(months[date.getUTCMonth()]) : formatDate(value, lang);
    return t(`record:date.month.${role}`, { month, year });
  }
  return t(`record:date.day.${role}`, { date: dayDate(date, lang, t) });
}

/** "22 August 2024", with the first of the month as the language writes it (« 1er septembre »). */
function dayDate(date: Date, lang: Language, t: Translate): string {
  const parts = dateTimeFormat(lang, dateOptions("day")).formatToParts(date);
  return parts.map((p) => (p.type === "day" && p.value === "1" ? t("record:date.dayOne") : p.value)).join("");
}

/** The same date or a period, for `role`: "22–25 August 2024", « du 22 au 25 août 2024 ». */
export function periodPhrase(
  start: string,
  end: string | undefined,
  lang: Language,
  role: DateRole,
  t: Translate,
): string {
  if (!end || end === start) return datePhrase(start, lang, role, t);
  return t(`record:date.period.${role}`, {
    start: datePhrase(start, lang, "bare", t),
    end: datePhrase(end, lang, "bare", t),
  });
}

/** A sentence's first letter in capitals (as the language writes them; Chinese has none). */
export function capitalize(text: string, lang: Language): string {
  const first = Array.from(text)[0] ?? "";
  return first.toLocaleUpperCase(intlLocale(lang)) + text.slice(first.length);
}

/**
 * When a record takes place or runs, as a short sentence: an event "Took place on 22 August 2024" (or
 * "Will take place…"), an announcement "Published…", a lasting thing "Since 2013". Undefined when the
 * catalog has no dates. `today` (YYYY-MM-DD) decides past or future.
 */
export function formatWhen(
  record: Pick<CatalogRecord, "kind" | "dates">,
  lang: Language,
  t: Translate,
  today: string,
): string | undefined {
  const start = record.dates?.start;
  const end = record.dates?.end;
  if (!start && !end) return undefined;
  if (record.kind === "event" && start) {
    const last = end ?? start;
    const tense = lastDayOf(last) >= today ? "future" : "past";
    return t(`record:when.${tense}`, { dates: periodPhrase(start, end, lang, "at", t) });
  }
  if (record.kind === "announcement" && start)
    return t("record:when.published", { dates: datePhrase(start, lang, "at", t) });
  if (start && end && end !== start) return capitalize(periodPhrase(start, end, lang, "at", t), lang);
  if (start) return capitalize(datePhrase(start, lang, "since", t), lang);
  return capitalize(datePhrase(end!, lang, "until", t), lang);
}

/**
 * Where numbers take a scale word: from a million ("670 million", « 1,35 milliard », «670 млн»), and in
 * Chinese from 万 (10,000: 6.7亿, 1000万), as each language counts.
 */
const COMPACT_FROM: Record<Language, number> = { en: 1e6, fr: 1e6, ru: 1e6, zh: 1e4 };
/** The scale word spelled out in English and French, abbreviated as usual in Russian (млн, млрд); 万 and 亿 in Chinese. */
const COMPACT_DISPLAY: Record<Language, "long" | "short"> = { en: "long", fr: "long", ru: "short", zh: "short" };
/** Russian and Chinese group digits from five on (2600, 12 000); English and French from four (2,600, 2 600). */
const GROUPING: Record<Language, string> = { en: "auto", fr: "auto", ru: "min2", zh: "min2" };

/** A count per language: grouping, decimal sign and, for large ones, the language's scale word. */
export function formatNumber(value: number, lang: Language): string {
  const compact = Math.abs(value) >= COMPACT_FROM[lang];
  const options = compact
    ? { notation: "compact", compactDisplay: COMPACT_DISPLAY[lang], maximumFractionDigits: 2 }
    : { useGrouping: GROUPING[lang], maximumFractionDigits: 2 };
  const text = numberFormat(lang, options as Intl.NumberFormatOptions).format(value);
  // A number and its scale word stay on one line (« 670 millions », «1,35 млрд»).
  return lang === "fr" || lang === "ru" ? text.replace(/ /g, "\u00a0") : text;
}

/**
 * An amount of money in words, as each language says it: "670 million yuan", « 1,35 milliard de
 * yuans », «670 млн юаней», "6.7亿元"; the currency's name agrees with the number (« 25 000 yuans »,
 * «1 юань»). A currency the locales do not name is written with its ISO code.
 */
export function formatMoney(value: number, currency: string, lang: Language, t: Translate): string {
  const scaled = Math.abs(value) >= COMPACT_FROM[lang];
  const name = scaled
    ? t(`record:currencyAfterScale.${currency}`, { defaultValue: "" })
    : t(`record:currency.${currency}`, { count: value, defaultValue: "" });
  if (!name) return t("record:money", { number: formatNumber(value, lang), currency });
  return t("record:money", { number: formatNumber(value, lang), currency: name });
}

/** A percentage given as a number of percent (12.2 → "12.2%" / « 12,2 % »). */
export function formatPercent(value: number, lang: Language): string {
  return numberFormat(lang, { style: "percent", maximumFractionDigits: 2 }).format(value / 100);
}

/** A figure whose label starts with "%" in any language is a percentage ("% of GDP…"). */
export function isPercent(figure: Figure): boolean {
  return !figure.currency && Object.values(figure.label).some((label) => label.startsWith("%"));
}

/** The number of a figure as the language writes it: a count, an amount of money or a percentage. */
export function figureNumber(figure: Figure, lang: Language, t: Translate): string {
  if (isPercent(figure)) return formatPercent(figure.value, lang);
  return figure.currency ? formatMoney(figure.value, figure.currency, lang, t) : formatNumber(figure.value, lang);
}

/** The form of a phrase for a number, by the language's plural rules (Intl.PluralRules). */
export function phraseFor(phrase: Phrase, value: number, lang: Language): string {
  if (typeof phrase === "string") return phrase;
  const category = pluralRules(lang).select(value) as PluralCategory;
  return phrase[category] ?? phrase.other!;
}

/**
 * One key figure as HTML, the number in bold inside the record's own phrase for it in that language
 * ("<b>71</b> подписанное соглашение", "签约金额<b>6.7亿元</b>"). A figure without a phrase (an
 * announcement's, say) reads "<b>71</b> agreements signed", "<b>670 million yuan</b> (total value)".
 */
export function formatFigure(figure: Figure, lang: Language, t: Translate): string {
  const number = `<b>${escapeHtml(figureNumber(figure, lang, t))}</b>`;
  const phrase = figure.text?.[lang];
  if (phrase !== undefined)
    return escapeHtml(phraseFor(phrase, figure.value, lang))
      .split("{n}")
      .join(number);
  const label = escapeHtml(figure.label[lang].replace(/^%\s*/, ""));
  const value = figure.atLeast ? t("record:figure.atLeast", { value: number }) : number;
  return t(figure.currency ? "record:figure.amount" : "record:figure.count", { value, label });
}

/** A country's name in the reply language (ISO 3166-1 alpha-2 → "Kazakhstan" / "Казахстан" / "哈萨克斯坦"). */
export function countryName(code: string, lang: Language): string {
  try {
    return (
      cached("region", lang, {}, (locale) => new Intl.DisplayNames(locale, { type: "region", fallback: "code" })).of(
        code,
      ) ?? code
    );
  } catch {
    return code;
  }
}

/** "A, B and C" in the reply language. */
export function formatList(items: readonly string[], lang: Language): string {
  return cached(
    "list",
    lang,
    {},
    (locale) => new Intl.ListFormat(locale, { type: "conjunction", style: "long" }),
  ).format(items);
}

/**
 * Escapes a plain text and shortens it so that its escaped form fits in `max` characters (escaping
 * lengthens "&", "<", ">" and quotes, so the plain cut is tightened until it fits).
 */
export function fitEscaped(text: string, max: number): string {
  if (max < 1) return "";
  const whole = escapeHtml(text);
  if (whole.length <= max) return whole;
  // The longest cut whose escaped form fits: escaping grows a text unevenly, so search for it.
  let lo = 0;
  let hi = Math.min(Array.from(text).length - 1, max);
  let best = "";
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const escaped = mid > 0 ? escapeHtml(truncate(text, mid)) : "";
    if (escaped.length <= max) {
      best = escaped;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}
