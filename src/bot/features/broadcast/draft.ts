import { randomBytes } from "node:crypto";
import type { Message, MessageEntity } from "grammy/types";
import { LANGUAGES, type Language } from "../../../catalog/schema.js";
import type { AnyMessageContent, BroadcastContent } from "../../../broadcast/types.js";
import type { DeadlineTime } from "../../../catalog/deadlines.js";
import { SUBSCRIPTION_FACETS, type Audience, type SubscriptionFacet } from "../../../state/coordination.js";

/**
 * The broadcast a coordinator is composing, kept in their session between steps (JSON only: the
 * session may live in Redis). Buttons change it; the router's steps take the typed parts.
 */

/**
 * One message of the broadcast as composed: its text as recipients read it (also the announcement's),
 * the coordinator's formatting as Telegram gave it (entities, UTF-16 offsets), an optional file. A draft
 * composed before entities were kept has its formatting as `html` instead, and goes out as HTML.
 */
export interface DraftMessage {
  text: string;
  entities?: MessageEntity[];
  html?: string;
  photo?: string;
  document?: string;
}

export interface BroadcastDraft {
  /** Becomes the broadcast's id (and idempotency key) on confirmation. */
  id: string;
  /** The coordinator's language when they started: the language of the message sent to recipients of no known language. */
  lang?: Language;
  default?: DraftMessage;
  variants?: Partial<Record<Language, DraftMessage>>;
  audience: Audience;
  /** ISO instant, and the zone the coordinator typed (for showing it back). */
  scheduledAt?: string;
  zone?: string;
  /** Last day the announcement is found (YYYY-MM-DD); default: 30 days after sending. */
  expires?: string;
  /** The message showing the draft and its buttons. */
  panel?: { chatId: number; messageId: number };
  /** Set by the preview; any change clears it, and only a previewed draft can be confirmed. */
  previewed?: boolean;
  /** The id of a catalog record whose buttons go under the message (the coordinator typed it). */
  record?: string;
  /**
   * An application deadline the announcement carries (what it closes is "applications", said in each
   * language): recipients get ⏰ and 📅 under the message, as under a record's card.
   */
  deadline?: DeadlineTime;
  /** What the preview showed, per recipient language: what confirming sends (cleared with `previewed`). */
  rendered?: BroadcastContent;
}

declare module "../../../state/types.js" {
  interface SessionData {
    /** The broadcast being composed (coordinators only). */
    broadcast?: BroadcastDraft;
  }
}

/** Router steps of the flow. */
export const STEP = {
  compose: "broadcast:compose",
  schedule: "broadcast:schedule",
  expires: "broadcast:expires",
  record: "broadcast:record",
  deadline: "broadcast:deadline",
  variant: (lang: Language) => `broadcast:variant:${lang}`,
} as const;

export const VARIANT_STEPS = LANGUAGES.map((lang) => [lang, STEP.variant(lang)] as const);

/** A new draft has no audience: "everyone" is chosen explicitly, like any tag. */
export function newDraft(lang?: Language): BroadcastDraft {
  return { id: newBroadcastId(), audience: {}, ...(lang ? { lang } : {}) };
}

/** Short, sortable, URL- and kebab-safe: "b-m3k2x9a1-7f3c". */
export function newBroadcastId(now = Date.now()): string {
  return `b-${now.toString(36)}-${randomBytes(2).toString("hex")}`;
}

export type ComposeError = "empty" | "unsupported" | "captionMissing" | "tooLong";

/** Limits Telegram puts on a text and on a caption (characters once parsed). */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/**
 * What a coordinator's message contributes: its text with formatting, or the largest photo / the
 * document with its caption. `base` is the message it varies (a text-only variant keeps its file);
 * `reserve` characters of Telegram's limits are kept for what recipients get around it (the header).
 */
export function draftMessageOf(message: Message, base?: DraftMessage, reserve = 0): DraftMessage | ComposeError {
  let text: string;
  let entities: MessageEntity[] | undefined;
  let file: { photo?: string; document?: string } = {};
  if (message.text !== undefined) {
    text = message.text;
    entities = message.entities;
    if (base?.photo) file = { photo: base.photo };
    else if (base?.document) file = { document: base.document };
  } else if (message.photo || message.document) {
    const largest = message.photo
      ? [...message.photo].sort((a, b) => b.width * b.height - a.width * a.height)[0]
      : undefined;
    file = largest ? { photo: largest.file_id } : { document: message.document!.file_id };
    text = message.caption ?? "";
    entities = message.caption_entities;
    if (text.trim() === "") return "captionMissing";
  } else {
    return "unsupported";
  }
  if (text.trim() === "") return "empty";
  // Telegram's limits count the text, not its formatting.
  if (text.length > (file.photo || file.document ? CAPTION_LIMIT : TEXT_LIMIT) - reserve) return "tooLong";
  return { text, entities: formatting(entities), ...file };
}

/** The kinds of entity that are the coordinator's formatting, kept for the recipients. */
const FORMATTING = new Set<MessageEntity["type"]>([
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "code",
  "pre",
  "blockquote",
  "expandable_blockquote",
  "text_link",
  "text_mention",
]);

/**
 * The formatting of a message: mentions, hashtags, links and other entities Telegram found in the text
 * on its own it finds again in the recipients' message; a custom emoji needs rights the bot may not
 * have, and shows as its ordinary emoji.
 */
function formatting(entities: readonly MessageEntity[] = []): MessageEntity[] {
  return entities.filter((entity) => FORMATTING.has(entity.type));
}

/** A composed message as the sender sends it (recipients get it inside the header and buttons of ./received.ts). */
export function contentOf(message: DraftMessage): AnyMessageContent {
  const file = {
    ...(message.photo ? { photo: message.photo } : {}),
    ...(message.document ? { document: message.document } : {}),
  };
  return message.html !== undefined
    ? { html: message.html, ...file }
    : { text: message.text, entities: message.entities ?? [], ...file };
}

// ---------------------------------------------------------------------------------------------------
// Audience

/** An audience's facets: those of a subscription, and the languages it is sent in. */
export type Facet = SubscriptionFacet | "languages";
export const FACETS: readonly Facet[] = [...SUBSCRIPTION_FACETS, "languages"];

/** The facets with at least one value, sorted; `everyone` drops the tags and keeps the languages. */
export function normalizeAudience(audience: Audience): Audience {
  const out: Audience = audience.everyone ? { everyone: true } : {};
  for (const facet of FACETS) {
    if (audience.everyone && facet !== "languages") continue;
    const values = audience[facet];
    if (values && values.length > 0) (out as Record<Facet, string[]>)[facet] = [...new Set(values)].sort();
  }
  return out;
}

/** Whether the coordinator has said who gets it: "everyone", or at least one tag (languages only restrict who reads it). */
export function audienceChosen(audience: Audience): boolean {
  return audience.everyone === true || SUBSCRIPTION_FACETS.some((facet) => (audience[facet]?.length ?? 0) > 0);
}

/** "Everyone" or a value pressed: a tag replaces "everyone", a language narrows either. */
export function toggleAudience(audience: Audience, facet: Facet | "everyone", value?: string): Audience {
  if (facet === "everyone" || value === undefined)
    return normalizeAudience({ everyone: true, ...(audience.languages ? { languages: audience.languages } : {}) });
  const current = new Set<string>(audience.everyone && facet !== "languages" ? [] : (audience[facet] ?? []));
  if (current.has(value)) current.delete(value);
  else current.add(value);
  const everyone = audience.everyone === true && facet === "languages";
  const next = { ...audience, everyone, [facet]: [...current].sort() } as Audience;
  return normalizeAudience(next);
}
