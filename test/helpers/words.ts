/**
 * Whether `label` is `full` cut inside a word: a label that ends in "…" (or holds " … " in the middle)
 * whose cut falls between two letters or digits of one word ("… onference", "Inter-…"). Chinese has no
 * spaces: a cut next to a Chinese character is between words as far as this check goes.
 */
export function cutInsideWord(label: string, full: string): boolean {
  if (label === full) return false;
  if (label.startsWith("… ")) {
    const tail = label.slice(2);
    return !full.endsWith(tail) || splits(full, full.length - tail.length);
  }
  const middle = label.indexOf(" … ");
  if (middle >= 0) {
    const head = label.slice(0, middle);
    const tail = label.slice(middle + 3);
    return (
      !full.startsWith(head) ||
      !full.endsWith(tail) ||
      splits(full, head.length) ||
      splits(full, full.length - tail.length)
    );
  }
  if (!label.endsWith("…")) return !full.startsWith(label);
  const head = label.slice(0, -1);
  if (!full.startsWith(head)) return true;
  return splits(full, head.replace(/[\s,;:(«“—–-]+$/u, "").length) || splits(full, head.length);
}

const WORDISH = /[\p{L}\p{N}'’-]/u;
const HAN = /\p{Script=Han}/u;

/** Whether offset `at` of `text` falls inside a word. */
function splits(text: string, at: number): boolean {
  const before = text[at - 1];
  const after = text[at];
  if (before === undefined || after === undefined) return false;
  if (HAN.test(before) || HAN.test(after)) return false;
  return WORDISH.test(before) && WORDISH.test(after);
}
