/** HTML parse mode: every catalog and user text goes through `escapeHtml` before it is put in a reply. */

export const MESSAGE_LIMIT = 4096;
export const CALLBACK_DATA_LIMIT = 64;
export const INLINE_TITLE_LIMIT = 256;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Shortens plain text to `max` characters on a word boundary, with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, Math.max(0, max - 1)).join("");
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * Shortens a title by cutting its middle: record titles often differ only at the end ("… centre in
 * Harbin", "… centre in Wuhan"), which a plain cut would hide.
 */
export function truncateMiddle(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const tailLength = Math.floor((max - 1) * 0.4);
  let head = chars.slice(0, max - 1 - tailLength).join("");
  let tail = chars.slice(chars.length - tailLength).join("");
  // Prefer whole words on both sides when that costs little.
  const headSpace = head.lastIndexOf(" ");
  if (headSpace > head.length * 0.6) head = head.slice(0, headSpace);
  const tailSpace = tail.indexOf(" ");
  if (tailSpace >= 0 && tailSpace < tail.length * 0.4) tail = tail.slice(tailSpace + 1);
  return `${head.trimEnd()} … ${tail.trimStart()}`;
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
