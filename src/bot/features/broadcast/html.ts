import type { MessageEntity } from "grammy/types";
import { escapeHtml } from "../../format.js";

/**
 * A coordinator's formatted message → Telegram HTML, so the broadcast reads as it was typed. Offsets
 * and lengths of Telegram's entities count UTF-16 code units, like JavaScript strings. Entities may
 * nest or overlap; the output is always balanced: a tag still open when an inner one has to close
 * first is closed and opened again. Unsupported entities (mentions, hashtags, custom emoji…) are
 * plain text, which Telegram recognises again on its own where it can; every character is escaped.
 */

type Tag = { open: string; close: string };

function tagOf(entity: MessageEntity): Tag | undefined {
  switch (entity.type) {
    case "bold":
      return { open: "<b>", close: "</b>" };
    case "italic":
      return { open: "<i>", close: "</i>" };
    case "underline":
      return { open: "<u>", close: "</u>" };
    case "strikethrough":
      return { open: "<s>", close: "</s>" };
    case "spoiler":
      return { open: "<tg-spoiler>", close: "</tg-spoiler>" };
    case "code":
      return { open: "<code>", close: "</code>" };
    case "pre":
      return entity.language && /^[\w+#.-]{1,32}$/.test(entity.language)
        ? { open: `<pre><code class="language-${entity.language}">`, close: "</code></pre>" }
        : { open: "<pre>", close: "</pre>" };
    case "blockquote":
      return { open: "<blockquote>", close: "</blockquote>" };
    case "expandable_blockquote":
      return { open: "<blockquote expandable>", close: "</blockquote>" };
    case "text_link":
      return safeUrl(entity.url) ? { open: `<a href="${escapeHtml(entity.url)}">`, close: "</a>" } : undefined;
    case "text_mention":
      return { open: `<a href="tg://user?id=${entity.user.id}">`, close: "</a>" };
    default:
      return undefined;
  }
}

function safeUrl(url: string): boolean {
  return /^(https?|tg|mailto):/i.test(url);
}

interface Span {
  start: number;
  end: number;
  tag: Tag;
  /** Original order, for a stable nesting of entities with the same range. */
  order: number;
}

export function entitiesToHtml(text: string, entities: readonly MessageEntity[] = []): string {
  const spans: Span[] = [];
  entities.forEach((entity, order) => {
    const tag = tagOf(entity);
    const start = Math.max(0, entity.offset);
    const end = Math.min(text.length, entity.offset + entity.length);
    if (tag && end > start) spans.push({ start, end, tag, order });
  });
  if (spans.length === 0) return escapeHtml(text);

  // Outer spans first: earlier start, then later end.
  spans.sort((a, b) => a.start - b.start || b.end - a.end || a.order - b.order);
  const points = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const open: Span[] = [];
  let html = "";
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    const active = spans.filter((s) => s.start <= from && s.end >= to);
    // Close down to the deepest span that stays active with everything above it closed.
    let keep = 0;
    while (keep < open.length && active.includes(open[keep]!)) keep++;
    for (let j = open.length - 1; j >= keep; j--) html += open[j]!.tag.close;
    open.length = keep;
    // Then open what is active and not open yet, longest (outermost) first.
    const toOpen = active
      .filter((s) => !open.includes(s))
      .sort((a, b) => b.end - a.end || a.start - b.start || a.order - b.order);
    for (const span of toOpen) {
      html += span.tag.open;
      open.push(span);
    }
    html += escapeHtml(text.slice(from, to));
  }
  for (let j = open.length - 1; j >= 0; j--) html += open[j]!.tag.close;
  return html;
}

/** The text without markup, as a recipient reads it (for the announcement record). */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}
