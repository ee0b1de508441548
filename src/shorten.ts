/**
 * Shortening plain text for places with a size limit (buttons, titles, summaries), never inside a word.
 * Shared by the bot and by the announcement records it builds, so a text is cut the same way everywhere.
 */

let words: Intl.Segmenter | undefined;

/** A place a text may be cut: its UTF-16 offset and the number of characters (code points) before it. */
interface Cut {
  at: number;
  points: number;
}

/** The last text's cuts: `fitEscaped` shortens one text many times over while it searches for a fit. */
let lastCuts: { text: string; cuts: Cut[] } | undefined;

/**
 * Where a text may be cut without splitting a word: between words, and between the words of a Chinese
 * text as ICU's dictionary segments it. Ascending, from 0 to the text's length.
 */
function cutsOf(text: string): Cut[] {
  if (lastCuts?.text === text) return lastCuts.cuts;
  words ??= new Intl.Segmenter(undefined, { granularity: "word" });
  const cuts: Cut[] = [{ at: 0, points: 0 }];
  let points = 0;
  let previous = 0;
  for (const segment of words.segment(text)) {
    const at = segment.index;
    if (at === 0) continue;
    points += codePoints(text, previous, at);
    previous = at;
    // ICU also breaks at hyphens and apostrophes ("Inter|-|regional", "l'|OCS"): a cut is between words
    // only next to a space, or next to Chinese, which has no spaces.
    if (CUTTABLE.test(text[at - 1]!) || CUTTABLE.test(text[at]!)) cuts.push({ at, points });
  }
  cuts.push({ at: text.length, points: points + codePoints(text, previous, text.length) });
  lastCuts = { text, cuts };
  return cuts;
}

function codePoints(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    // The second half of a surrogate pair is not a character of its own.
    if (code < 0xdc00 || code > 0xdfff) n++;
  }
  return n;
}

const CUTTABLE = /[\s\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** Characters a cut text should not end with (an opening bracket, a dash or comma left hanging). */
const HANGING_END = /[\s,;:([«“‘—–\-·、，；：（《]+$/u;
const HANGING_START = /^[\s,;:)\]»”’—–\-·、，；：）》]+/u;

/**
 * Shortens plain text to `max` characters with an ellipsis, never inside a word: the cut falls at the
 * last word boundary that fits (a single word longer than `max` is the only thing ever cut).
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max < 2) return "…".slice(0, Math.max(0, max));
  const room = max - 1;
  const cuts = cutsOf(text);
  for (let i = cuts.length - 1; i > 0; i--) {
    if (cuts[i]!.points > room) continue;
    const head = text.slice(0, cuts[i]!.at).replace(HANGING_END, "");
    if (head) return `${head}…`;
  }
  return `${chars.slice(0, room).join("")}…`;
}

/**
 * Shortens a title by cutting its middle, on word boundaries on both sides: record titles often differ
 * only at the end ("… centre in Harbin", "… centre in Wuhan"), which a plain cut would hide.
 */
export function truncateMiddle(text: string, max: number): string {
  const total = Array.from(text).length;
  if (total <= max) return text;
  const tailRoom = Math.floor((max - 3) * 0.4);
  const cuts = cutsOf(text);
  // The tail: the longest run of whole words at the end within its room.
  const tailCut = cuts.find((c) => c.at < text.length && total - c.points <= tailRoom);
  const tail = tailCut === undefined ? "" : text.slice(tailCut.at).replace(HANGING_START, "");
  if (tailCut === undefined || !tail) return truncate(text, max);
  const headRoom = max - 3 - Array.from(tail).length;
  // The head: whole words from the start within its room (none when the first word alone is longer).
  const headEnd = cuts.filter((c) => c.at <= tailCut.at && c.points <= headRoom).pop()?.at ?? 0;
  const head = text.slice(0, headEnd).replace(HANGING_END, "");
  return head ? `${head} … ${tail}` : `… ${tail}`;
}
