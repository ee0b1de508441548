import { pluralRules } from "./plural.js";
import type { Language } from "./schema.js";

/**
 * Typography and usage of one language, as a native reader expects it. Each rule names what is wrong
 * and what to write instead; `typographyProblems` runs them on a text (catalog text, a locale string,
 * a rendered card). No library does this for us: CJK-spacing packages (pangu) insert the spaces
 * between Chinese and numbers that Chinese usage leaves out, and typographers (typograf) rewrite a
 * text rather than say what is wrong in it; these rules are the ones this catalog needs.
 */
export interface TypographyRule {
  /** Short name, shown in problems. */
  name: string;
  /** Languages the rule applies to. */
  langs: readonly Language[];
  /** A match is a problem; the flag "g" is added. */
  pattern: RegExp;
  message: string;
}

const HAN = "\\p{Script=Han}";
/** A Chinese character or full-width punctuation: what Chinese text is made of. */
const ZH = `[${HAN}\\u3000-\\u303f\\uff01-\\uff5e“”‘’—…]`;
const FR_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre";

/** Names that Russian joins with an unspaced dash («Китай–АСЕАН»), as the catalog uses them. */
const RU_PAIR_NAMES = "Китай|Германия|Европа|АСЕАН|ШОС|Синьцзян|Центральная Азия|Казахстан|Узбекистан|Россия";

export const TYPOGRAPHY_RULES: readonly TypographyRule[] = [
  // Chinese
  {
    name: "zh-ascii-punctuation",
    langs: ["zh"],
    pattern: new RegExp(`${ZH}[,;:!?](?!//)|[,;:!?]${ZH}`, "u"),
    message: "ASCII punctuation in Chinese text: use ，；：！？",
  },
  { name: "zh-ascii-quotes", langs: ["zh"], pattern: /"/u, message: "ASCII quotes in Chinese text: use “ ”" },
  {
    name: "zh-ascii-brackets",
    langs: ["zh"],
    pattern: new RegExp(`\\((?=[^()]*${HAN})[^()]*\\)`, "u"),
    message: "half-width brackets around Chinese: use （ ）",
  },
  {
    name: "zh-space-after-punctuation",
    langs: ["zh"],
    pattern: /[，。；：？！、（）《》“”](?: |\u00a0|\u3000)+(?=[^\s—·•–])/u,
    message: "space after full-width punctuation",
  },
  {
    name: "zh-space-before-punctuation",
    langs: ["zh"],
    pattern: /(?: |\u00a0)+[，。；：？！、）》”]/u,
    message: "space before full-width punctuation",
  },
  {
    name: "zh-space-number",
    langs: ["zh"],
    pattern: new RegExp(`${HAN} +(?=\\d|\\{\\{)|(?:\\d|\\}\\}) +(?=${HAN})`, "u"),
    message: "space between Chinese and a number: write 2024年, 共22条",
  },
  {
    name: "zh-space-between",
    langs: ["zh"],
    pattern: new RegExp(`${HAN} +${HAN}`, "u"),
    message: "space inside Chinese text",
  },
  { name: "zh-term", langs: ["zh"], pattern: /联系谁/u, message: "non-standard term: write 联系方式" },
  // Russian
  {
    name: "ru-spaced-pair",
    langs: ["ru"],
    pattern: new RegExp(`(?:Китай|Германия|Синьцзян|Европа) +[—–-] +(?:${RU_PAIR_NAMES})`, "u"),
    message: "spaces around the dash of a compound name: write «Китай–АСЕАН»",
  },
  {
    name: "ru-hyphen-dash",
    langs: ["ru", "fr", "en"],
    pattern: /[\p{L}\d»)] - [\p{L}\d«(]/u,
    message: "a hyphen used as a dash: write «—»",
  },
  {
    name: "ru-ascii-quotes",
    langs: ["ru"],
    pattern: /"/u,
    message: "ASCII quotes in Russian text: use « » (and „ “ inside)",
  },
  {
    name: "ru-term-akciya",
    langs: ["ru"],
    pattern: /(?<![\p{L}])[Аа]кци(?:я|и|ю|ей|ям|ях)(?![\p{L}])/u,
    message: "«акция» is a promotion: a government programme is a «программа» or «кампания»",
  },
  // French
  {
    name: "fr-space-before",
    langs: ["fr"],
    pattern: /(?<![\s\u00a0\u202f]|^|[/:]|\d)[;:!?](?![/\d]|\w+=)|[^\S\u00a0\u202f]+[;:!?»]/u,
    message: "French puts a no-break space before ; : ! ? and »",
  },
  {
    name: "fr-space-after-guillemet",
    langs: ["fr"],
    pattern: /«(?![\u00a0\u202f])/u,
    message: "French puts a no-break space after «",
  },
  { name: "fr-ascii-quotes", langs: ["fr"], pattern: /"/u, message: "ASCII quotes in French text: use « »" },
  {
    name: "fr-first-of-month",
    langs: ["fr"],
    pattern: new RegExp(`(?<![\\d,.])1 (?:${FR_MONTHS})`, "u"),
    message: "the first of the month is « 1er »",
  },
  // Every language
  { name: "double-period", langs: ["en", "fr", "ru", "zh"], pattern: /(?<!\.)\.\.(?!\.)/u, message: "two full stops" },
  {
    name: "double-space",
    langs: ["en", "fr", "ru", "zh"],
    pattern: /(?<=\S) {2,}(?=\S)/u,
    message: "two spaces in a row",
  },
  {
    name: "space-before-comma",
    langs: ["en", "fr", "ru"],
    pattern: / +[,.](?!\d)/u,
    message: "space before a comma or full stop",
  },
];

export interface TypographyProblem {
  rule: string;
  message: string;
  /** The text around the match. */
  excerpt: string;
}

/** The problems of one text in one language (plain text or HTML; tags and entities are skipped). */
export function typographyProblems(text: string, lang: Language): TypographyProblem[] {
  const plain = text
    .replace(/<[^>]+>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&lt;|&gt;|&amp;/g, "&");
  const problems: TypographyProblem[] = [];
  for (const rule of TYPOGRAPHY_RULES) {
    if (!rule.langs.includes(lang)) continue;
    const match = rule.pattern.exec(plain);
    if (!match) continue;
    const at = match.index;
    problems.push({
      rule: rule.name,
      message: rule.message,
      excerpt: plain.slice(Math.max(0, at - 15), at + match[0].length + 15).replace(/\n/g, " "),
    });
  }
  return problems;
}

/** Words that follow a number without agreeing with it as a counted noun: months, years, units. */
const RU_NOT_COUNTED =
  /^(?:январ|феврал|март|апрел|ма[яею]|июн|июл|август|сентябр|октябр|ноябр|декабр|год|г\.|млн|млрд|тыс|квт|кв|км|м²|процент)/u;
/** French words ending in -s or -x that are singular too. */
const FR_INVARIABLE = new Set(["pays", "fois", "mois", "prix", "cours", "corps", "choix", "avis", "temps", "ans"]);

/**
 * The checks of a rendered view (a card, its details, a list) on top of the text rules: a number
 * followed by a noun in the wrong plural form («21 подписанных соглашений», "1 agreements",
 * « 1 accords »), and facts written as "<b>label:</b> value".
 */
export function renderedProblems(html: string, lang: Language): TypographyProblem[] {
  const problems = typographyProblems(html, lang);
  const label = /<b>[^<]*[:：]\s*<\/b>/u.exec(html);
  if (label) problems.push({ rule: "label-value", message: "a fact written as 'label: value'", excerpt: label[0] });
  const plain = html.replace(/<[^>]+>/g, "").replace(/&[a-z]+;/g, " ");
  const plural = pluralRules(lang);
  for (const m of plain.matchAll(
    /(?<![\d.,\p{L}])(\d{1,3}(?:[\u00a0\u202f ]?\d{3})*)(?![.,]\d)[\u00a0\u202f ]+(\p{Ll}[\p{Ll}-]+)/gu,
  )) {
    const n = Number(m[1]!.replace(/\D/g, ""));
    const word = m[2]!;
    const category = plural.select(n);
    if (wrongForm(lang, category, n, word)) {
      problems.push({
        rule: "plural-agreement",
        message: `"${word}" does not agree with ${n} (${category})`,
        excerpt: plain.slice(Math.max(0, m.index - 10), m.index + m[0].length + 10),
      });
    }
  }
  return problems;
}

function wrongForm(lang: Language, category: Intl.LDMLPluralRule, n: number, word: string): boolean {
  if (lang === "ru") {
    if (word.length < 4 || RU_NOT_COUNTED.test(word)) return false;
    // 1, 21, 31…: «подписанное соглашение», never a genitive plural («подписанных», «соглашений»).
    if (category === "one") return /(?:ых|их|ов|ев|ей)$/u.test(word);
    // 2–4, 22–24…: «подписанных соглашения», never a nominative singular adjective or a genitive plural noun.
    if (category === "few") return /(?:ое|ый|ая|ов|ев)$/u.test(word);
    // 0, 5–20, 25…: «подписанных соглашений», never a nominative singular or a genitive singular noun.
    if (category === "many") return /(?:ое|ый|ая|ия)$/u.test(word) || /[^иы]а$/u.test(word);
    return false;
  }
  if (lang === "en") return n === 1 && /[^s]s$/u.test(word);
  if (lang === "fr") return category === "one" && /[sx]$/u.test(word) && !FR_INVARIABLE.has(word);
  return false;
}

/** Placeholders that stand for numbers: a check reads them as digits ("共{{count}}条"); others as a word. */
const NUMERIC_PLACEHOLDER =
  /\{\{\s*(?:count|page|pages|from|to|total|n|sent|failed|blocked|remaining)\b[^}]*\}\}|\{\{[^}]*,\s*number[^}]*\}\}/g;

/**
 * A locale string as the checks read it: a placeholder for a number becomes a number, any other (a
 * name, a date, a title) a neutral word, so "在 {{count}} 个对话中" is caught and "@{{username}} 您的问题" is not.
 */
export function localeTextForCheck(text: string): string {
  return text
    .replace(NUMERIC_PLACEHOLDER, "7")
    .replace(/\{\{[^}]*\}\}/g, "X")
    .replace(/\$t\([^)]*\)/g, "X");
}
