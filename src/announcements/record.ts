import {
  LANGUAGES,
  recordSchema,
  type CatalogRecord,
  type Deadline,
  type Language,
  type Localized,
} from "../catalog/schema.js";
import { truncate } from "../shorten.js";

/**
 * A confirmed broadcast becomes a catalog record of kind "announcement", so a subscriber's follow-up
 * question finds it: title from the first line, summary from the rest (plain text), in the four
 * languages from the variants (the default text where a language has none). It stops being found after
 * `expires` (the search engine hides expired records).
 */

export interface AnnouncementInput {
  /** The broadcast's id (A–Z a–z 0–9 _ -). */
  broadcastId: string;
  /** Plain text of the default message. */
  text: string;
  /** Plain text per language, where the coordinator wrote a variant. */
  variants?: Partial<Record<Language, string>>;
  /** When it is (or will be) sent. */
  sentAt: Date;
  /** Last day it is found, YYYY-MM-DD. */
  expires: string;
  /** Sector ids and country codes of the audience, when it named some. */
  sectors?: string[];
  countries?: string[];
  /** Ids of records the coordinator linked to the broadcast. */
  related?: string[];
  /** Application deadlines the announcement carries (reminders and calendar files, as for any record). */
  deadlines?: Deadline[];
}

/** Default lifetime of an announcement in the catalog. */
export const DEFAULT_ANNOUNCEMENT_DAYS = 30;

export const TITLE_MAX = 120;
export const SUMMARY_MAX = 600;

export function announcementId(broadcastId: string): string {
  return `announcement-${broadcastId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")}`;
}

export function announcementRecord(input: AnnouncementInput): CatalogRecord {
  const texts = Object.fromEntries(
    LANGUAGES.map((lang) => [lang, (input.variants?.[lang] ?? input.text).trim() || input.text.trim()]),
  ) as Localized;
  const title = {} as Localized;
  const summary = {} as Localized;
  const details = {} as Localized;
  let needDetails = false;
  for (const lang of LANGUAGES) {
    const { head, rest } = firstLine(texts[lang]);
    title[lang] = truncate(head, TITLE_MAX);
    const body = rest || texts[lang];
    summary[lang] = truncate(body, SUMMARY_MAX);
    details[lang] = texts[lang];
    if (summary[lang] !== body) needDetails = true;
  }
  const day = input.sentAt.toISOString().slice(0, 10);
  return recordSchema.parse({
    id: announcementId(input.broadcastId),
    kind: "announcement",
    title,
    summary,
    ...(needDetails ? { details } : {}),
    countries: (input.countries ?? []).filter((c) => /^[A-Z]{2}$/.test(c)),
    sectors: (input.sectors ?? []).filter((s) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s)),
    ...(input.related?.length ? { related: input.related.filter((id) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) } : {}),
    dates: { start: day, ...(input.deadlines?.length ? { deadlines: input.deadlines } : {}) },
    source: { file: `broadcast-${input.broadcastId.replace(/[^\w-]/g, "-")}.txt`, date: day },
    verified: day,
    expires: input.expires,
  });
}

function firstLine(text: string): { head: string; rest: string } {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => l.trim() !== "");
  if (i < 0) return { head: text.trim(), rest: "" };
  return {
    head: lines[i]!.trim(),
    rest: lines
      .slice(i + 1)
      .join("\n")
      .trim(),
  };
}
