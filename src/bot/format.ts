/** HTML parse mode: every catalog and user text goes through `escapeHtml` before it is put in a reply. */

export const MESSAGE_LIMIT = 4096;
export const CALLBACK_DATA_LIMIT = 64;
export const INLINE_TITLE_LIMIT = 256;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export { truncate, truncateMiddle } from "../shorten.js";

/**
 * A user's text without the characters nobody reads: zero-width spaces and joiners, soft hyphens,
 * direction marks and byte order marks (Unicode's format characters, often pasted along with a text) and
 * control characters (NUL, ESC…). Left in, they cut words in two for the search ("incu\u200Bbators").
 * So are the letters that look blank (Hangul fillers, the braille blank), typed to send "nothing". Line
 * breaks and tabs stay, and so does a zero-width joiner that makes one emoji of several (👨‍👩‍👧).
 */
export function withoutInvisibles(text: string): string {
  return text
    .replace(/[^\P{Cf}\u200D]|[^\P{Cc}\t\n\r]|[\u115F\u1160\u3164\uFFA0\u2800]/gu, "")
    .replace(/(?<=[\p{L}\p{N}])\u200D|\u200D(?=[\p{L}\p{N}])/gu, "");
}

/**
 * Splits an HTML message into parts within Telegram's limit, at paragraph or line breaks, never inside
 * a tag or an entity. Blocks are our own markup (each paragraph is balanced), so a split between
 * blocks keeps every part valid HTML; a single over-long block is cut hard with its tags stripped.
 */
export function splitMessage(html: string, limit = MESSAGE_LIMIT): string[] {
  if (html.length <= limit) return [html];
  const parts: string[] = [];
  let current = "";
  for (const block of html.split(/(?<=\n)/)) {
    if (current.length + block.length <= limit) {
      current += block;
      continue;
    }
    if (current) parts.push(current.trimEnd());
    current = block.length <= limit ? block : "";
    if (block.length > limit) {
      const plain = block.replace(/<[^>]*>/g, "");
      for (let i = 0; i < plain.length; i += limit) parts.push(safeCut(plain.slice(i, i + limit)));
    }
  }
  if (current.trim()) parts.push(current.trimEnd());
  return parts;
}

// Never end a part in the middle of an entity such as "&amp;".
function safeCut(text: string): string {
  const amp = text.lastIndexOf("&");
  return amp >= 0 && amp > text.length - 8 && !text.slice(amp).includes(";") ? text.slice(0, amp) : text;
}
