import { z } from "zod";
import { isTimeZone } from "./deadlines.js";

/** The four languages every catalog text is written in. */
export const LANGUAGES = ["en", "fr", "ru", "zh"] as const;
export type Language = (typeof LANGUAGES)[number];

export const KINDS = ["initiative", "programme", "incubator", "event", "organisation", "announcement"] as const;
export type Kind = (typeof KINDS)[number];

const nonEmpty = z.string().trim().min(1, "must not be empty");

/** A text in all four catalog languages; a missing language is an error, not a fallback. */
export const localizedSchema = z.strictObject({ en: nonEmpty, fr: nonEmpty, ru: nonEmpty, zh: nonEmpty });
export type Localized = z.infer<typeof localizedSchema>;

/**
 * ISO 8601 calendar date at the precision the source gives: a year (2025), a month (2024-08) or a day
 * (2024-08-22), checked against the calendar.
 */
export const isoDateSchema = z
  .string()
  .refine(isCalendarDate, { message: "must be an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)" });

export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  if (m[2] === undefined) return true;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9, single hyphens)");

/** ISO 3166-1 alpha-2; whether the code is assigned is checked by the validator against i18n-iso-countries. */
const countryCode = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code in capitals (e.g. KZ)");

/** CLDR plural categories (Intl.PluralRules). */
export const PLURAL_CATEGORIES = ["zero", "one", "two", "few", "many", "other"] as const;
export type PluralCategory = (typeof PLURAL_CATEGORIES)[number];

/**
 * How a figure reads in one language, `{n}` standing for the number as the language writes it: one
 * phrase ("签署合作协议{n}项", "agreements worth {n} in total"), or one per plural category for nouns
 * that agree with the number ({one: "{n} подписанное соглашение", few: "{n} подписанных соглашения",
 * many: "{n} подписанных соглашений", other: …}). The categories a language needs are checked by
 * `npm run catalog:check`.
 */
const phraseSchema = z.union([
  nonEmpty.refine((s) => s.includes("{n}"), "must hold {n} where the number goes"),
  z
    .strictObject(
      Object.fromEntries(
        PLURAL_CATEGORIES.map((c) => [
          c,
          nonEmpty.refine((s) => s.includes("{n}"), "must hold {n} where the number goes").optional(),
        ]),
      ) as Record<PluralCategory, z.ZodOptional<z.ZodString>>,
    )
    .refine((forms) => forms.other !== undefined, "needs at least the form for 'other'"),
]);
export type Phrase = z.infer<typeof phraseSchema>;

/** A key figure as the source gives it: an amount with its currency, or a count. */
export const figureSchema = z.strictObject({
  value: z.number().finite().nonnegative(),
  /** ISO 4217 currency code when the figure is an amount of money. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code (e.g. CNY)")
    .optional(),
  /** Set when the source says "more than" (2,600+ members). */
  atLeast: z.boolean().optional(),
  /** What the figure counts, as a noun phrase (for matching questions; a label starting with "%" is a percentage). */
  label: localizedSchema,
  /** How the figure reads in a sentence, per language (cards and direct answers); without it, value and label. */
  text: z.strictObject({ en: phraseSchema, fr: phraseSchema, ru: phraseSchema, zh: phraseSchema }).optional(),
});
export type Figure = z.infer<typeof figureSchema>;

/** An organiser, partner or contact point. Contact details only when the source (or a well-known public fact) gives them. */
export const partySchema = z.strictObject({
  name: localizedSchema,
  /** Another catalog record that describes this party. */
  record: kebabId.optional(),
  countries: z.array(countryCode).optional(),
});
export type Party = z.infer<typeof partySchema>;

export const contactSchema = z.strictObject({
  /** The organisation (or person) to approach. */
  name: localizedSchema,
  email: z.email().optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{6,}$/, "must be a phone number")
    .optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  telegram: z
    .string()
    .regex(/^@[A-Za-z0-9_]{5,32}$/, "must be a Telegram @username")
    .optional(),
  /** How to approach them when no direct channel is known. */
  note: localizedSchema.optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const linkSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  title: localizedSchema.optional(),
});

/**
 * An application deadline: the day (YYYY-MM-DD), optionally the time of day (HH:MM, 24-hour) and the
 * time zone (an IANA name such as "Asia/Shanghai"; UTC when absent) the source states, and what closes
 * then. A day without a time means the end of that day in its zone.
 */
export const deadlineSchema = z.strictObject({
  date: z
    .string()
    .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isCalendarDate(v), { message: "must be a day (YYYY-MM-DD)" }),
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day (HH:MM, 24-hour)")
    .optional(),
  zone: z.string().refine(isTimeZone, { message: "must be an IANA time zone (e.g. UTC, Asia/Shanghai)" }).optional(),
  label: localizedSchema,
});
export type Deadline = z.infer<typeof deadlineSchema>;

export const recordSchema = z.strictObject({
  id: kebabId,
  kind: z.enum(KINDS),
  title: localizedSchema,
  /**
   * Short title for buttons and list lines: what tells the record apart first ("Harbin — innovation
   * cooperation centre"). Optional: a record without one is shown by its title (see `shortTitle`);
   * `npm run catalog:check` requires it when the title is longer than SHORT_TITLE_MAX.
   */
  short: localizedSchema.optional(),
  summary: localizedSchema,
  /** Longer description shown by the card's "details" button. */
  details: localizedSchema.optional(),
  countries: z.array(countryCode).default([]),
  /** City ids from data/places.yaml. */
  cities: z.array(kebabId).default([]),
  /** Term ids from data/vocabularies/sectors.yaml. */
  sectors: z.array(kebabId).default([]),
  /** Term ids from data/vocabularies/audiences.yaml. */
  audiences: z.array(kebabId).default([]),
  dates: z
    .strictObject({
      start: isoDateSchema.optional(),
      end: isoDateSchema.optional(),
      /** Application deadlines (see src/catalog/deadlines.ts): a day, optionally a time of day, in a time zone (UTC when absent). */
      deadlines: z.array(deadlineSchema).optional(),
    })
    .optional(),
  figures: z.array(figureSchema).default([]),
  organisers: z.array(partySchema).default([]),
  partners: z.array(partySchema).default([]),
  contacts: z.array(contactSchema).default([]),
  links: z.array(linkSchema).default([]),
  /** Related catalog records (e.g. the event where an initiative was announced). */
  related: z.array(kebabId).default([]),
  source: z.strictObject({
    /** Seed document file name. */
    file: z.string().regex(/^[\w.-]+\.txt$/, "must be a seed file name (e.g. 000_a272ed8cbe79a218.txt)"),
    /** Date of the source document. */
    date: isoDateSchema,
    /**
     * Who first published the document, as the document itself names it ("PR Newswire", "CGTN", the
     * incubator a text was reprinted from); absent when the document names no one. Cards cite it.
     */
    publisher: localizedSchema.optional(),
  }),
  /** Date the record was last checked against its source. */
  verified: isoDateSchema,
  /** Announcements stop being found after this date. */
  expires: isoDateSchema.optional(),
});
export type CatalogRecord = z.infer<typeof recordSchema>;

/**
 * Longest short title, in characters: what a button shows whole on a phone. Chinese characters are
 * twice as wide as Latin or Cyrillic letters, so Chinese gets fewer.
 */
export const SHORT_TITLE_MAX: Record<Language, number> = { en: 48, fr: 48, ru: 48, zh: 20 };

/** The title of buttons and list lines: the record's `short`, or its title when it has none. */
export function shortTitle(record: Pick<CatalogRecord, "title" | "short">, lang: Language): string {
  return record.short?.[lang] ?? record.title[lang];
}

/** A controlled vocabulary (sectors, audiences): term id → label in four languages. */
export const vocabularySchema = z.record(kebabId, localizedSchema);
export type Vocabulary = z.infer<typeof vocabularySchema>;

/** Words or phrases per language; Russian may list inflected forms. */
/** A glossary term: the search reads words, so a sign would silently drop ("SCO+" would name the SCO). */
const term = nonEmpty.refine((t) => !/[+#*=|<>]/.test(t), {
  message: 'holds a sign the search does not read (it would be read without it: "SCO+" as "SCO"); write it out',
});

const termsSchema = z.strictObject({
  en: z.array(term).min(1),
  fr: z.array(term).min(1),
  ru: z.array(term).min(1),
  zh: z.array(term).min(1),
  /** The concept is a proper name (an organisation, initiative or region), not a kind of thing or a topic. */
  name: z.boolean().optional(),
});

/** Cross-lingual concept glossary: concept id → its names in the four languages. */
export const glossarySchema = z.record(kebabId, termsSchema);
export type Glossary = z.infer<typeof glossarySchema>;

export const placesSchema = z.strictObject({
  /** City id → country and names; the names of all four languages, plus aliases and inflected forms. */
  cities: z.record(
    kebabId,
    z.strictObject({
      country: countryCode,
      names: localizedSchema,
      aliases: z.array(nonEmpty).default([]),
    }),
  ),
  /** Country code → extra names that i18n-iso-countries does not give (abbreviations, inflected forms, older names). */
  countryAliases: z.record(countryCode, z.array(nonEmpty)).default({}),
  /**
   * Country code → the words for its people and things that i18n-nationality does not give ("Kazakh",
   * "Uzbek", "казахстанский"): "Kazakh companies" ask about Kazakhstan. Matched on stems, so one form
   * stands for its inflections.
   */
  demonyms: z.record(countryCode, z.array(nonEmpty)).optional(),
  /**
   * Groups of countries named as one where a record lists them all ("Tianjin, China; SCO members"
   * rather than nine country names): the group's name in each language and its member countries.
   */
  countryGroups: z
    .record(
      kebabId,
      z.strictObject({
        names: localizedSchema,
        countries: z.array(countryCode).min(2),
      }),
    )
    .optional(),
});
export type Places = z.infer<typeof placesSchema>;

/** Everything loaded from data/: records and the reference data they point into. */
export interface Catalog {
  records: CatalogRecord[];
  sectors: Vocabulary;
  audiences: Vocabulary;
  glossary: Glossary;
  places: Places;
}
