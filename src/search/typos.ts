/**
 * The typo table: the catalog's words found again from a mistyped one, within two edits. It answers as
 * mnemonist's SymSpell (symmetric delete, verbosity 2: every suggestion, in the same order, with the same
 * distances) but keeps the deletes of its words as 32-bit hashes in typed arrays rather than as strings in
 * an object: a few bytes per delete instead of a string and an entry, built in a few milliseconds instead
 * of a few hundred. A hash only narrows the search: a word found by it counts when the delete asked for is
 * really one of its deletes.
 */

export interface TypoMatch {
  /** A word of the table. */
  term: string;
  distance: number;
  /** How many times the word was added. */
  count: number;
}

/**
 * A polynomial hash of code units (h = h·B + c, modulo 2³²): the hash of a word with one or two code units
 * removed follows from the hashes of its prefixes and suffixes in constant time, so a word's deletes are
 * hashed in time proportional to their number.
 */
const B = 0x9e3779b1;

function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, B) + text.charCodeAt(i)) | 0;
  return h;
}

/** The bucket of a hash: its bits mixed (murmur3's finaliser), as a polynomial hash's low bits vary little. */
function bucketOf(h: number, mask: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & mask;
}

/** Powers of B, as far as needed. */
const powers = [1];
function power(k: number): number {
  while (powers.length <= k) powers.push(Math.imul(powers[powers.length - 1]!, B));
  return powers[k]!;
}

/** The most deletes a word of `length` code units has: one removed, or two. */
function deleteCount(length: number): number {
  return length + (length * (length - 1)) / 2;
}

export class TypoTable {
  private readonly words: string[] = [];
  private readonly idOf = new Map<string, number>();
  private readonly counts: number[] = [];
  private maxLength = 0;
  /** Words 0 … bulk-1: per hash bucket (hash & mask) from starts[b] to starts[b + 1], the deletes' hashes and their words, words in order. */
  private bulk = 0;
  private mask = 0;
  private starts = new Uint32Array(1);
  private hashes = new Int32Array(0);
  private owners = new Uint32Array(0);
  /** Deletes of the words added one by one after `from` (bulk onwards), as strings. */
  private readonly later = new Map<string, number[]>();

  constructor(private readonly maxDistance = 2) {
    if (!Number.isInteger(maxDistance) || maxDistance < 1 || maxDistance > 2)
      throw new RangeError("the typo table handles one or two edits");
  }

  /** A table of `words` (repeats count again, as `add` does). */
  static from(words: Iterable<string>, maxDistance = 2): TypoTable {
    const table = new TypoTable(maxDistance);
    const fresh: number[] = [];
    for (const word of words) {
      const id = table.idOf.get(word);
      if (id !== undefined) table.counts[id]!++;
      else fresh.push(table.register(word));
    }
    table.index(fresh.length);
    return table;
  }

  get size(): number {
    return this.words.length;
  }

  add(word: string): void {
    const known = this.idOf.get(word);
    if (known !== undefined) {
      this.counts[known]!++;
      return;
    }
    const id = this.register(word);
    for (const deleted of this.deletesOf(word)) {
      const owners = this.later.get(deleted);
      if (owners) owners.push(id);
      else this.later.set(deleted, [id]);
    }
  }

  /** Every word within `maxDistance` edits of `input`, the way SymSpell's lookup lists them. */
  search(input: string): TypoMatch[] {
    const length = input.length;
    if (length - this.maxDistance > this.maxLength) return [];
    const candidates = [input];
    const candidateSet = new Set<string>();
    const suggestionSet = new Set<string>();
    const suggestions: TypoMatch[] = [];
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c]!;
      const own = this.idOf.get(candidate);
      if (own !== undefined && !suggestionSet.has(candidate)) {
        suggestionSet.add(candidate);
        suggestions.push({ term: candidate, distance: length - candidate.length, count: this.counts[own]! });
      }
      this.forEachOwner(candidate, (id) => {
        const suggestion = this.words[id]!;
        if (suggestionSet.has(suggestion)) return;
        suggestionSet.add(suggestion);
        const distance = suggestionDistance(input, candidate, suggestion);
        if (distance <= this.maxDistance) suggestions.push({ term: suggestion, distance, count: this.counts[id]! });
      });
      if (length - candidate.length < this.maxDistance) {
        for (let i = 0; i < candidate.length; i++) {
          const deleted = candidate.slice(0, i) + candidate.slice(i + 1);
          if (!candidateSet.has(deleted)) {
            candidateSet.add(deleted);
            candidates.push(deleted);
          }
        }
      }
    }
    return suggestions;
  }

  private register(word: string): number {
    const id = this.words.length;
    this.words.push(word);
    this.idOf.set(word, id);
    this.counts.push(1);
    if (word.length > this.maxLength) this.maxLength = word.length;
    return id;
  }

  /** Hashes the deletes of the first `count` words into the buckets. */
  private index(count: number): void {
    // A word's delete hashes, sorted to drop repeats ("ll" in "hello" gives one delete twice).
    const scratch = new Int32Array(deleteCount(this.maxLength));
    const pre = new Int32Array(this.maxLength + 1);
    const suf = new Int32Array(this.maxLength + 1);
    let pairs = new Int32Array(1024);
    let n = 0;
    for (let id = 0; id < count; id++) {
      const hashes = scratch.subarray(0, this.deleteHashes(this.words[id]!, scratch, pre, suf)).sort();
      for (let k = 0; k < hashes.length; k++) {
        if (k > 0 && hashes[k] === hashes[k - 1]) continue;
        if (n + 2 > pairs.length) {
          const grown = new Int32Array(pairs.length * 2);
          grown.set(pairs);
          pairs = grown;
        }
        pairs[n++] = hashes[k]!;
        pairs[n++] = id;
      }
    }
    const total = n / 2;
    let buckets = 16;
    while (buckets < total) buckets *= 2;
    const mask = buckets - 1;
    const starts = new Uint32Array(buckets + 1);
    for (let p = 0; p < n; p += 2) starts[bucketOf(pairs[p]!, mask) + 1]!++;
    for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
    const fill = starts.slice(0, buckets);
    const hashes = new Int32Array(total);
    const owners = new Uint32Array(total);
    for (let p = 0; p < n; p += 2) {
      const at = fill[bucketOf(pairs[p]!, mask)]!++;
      hashes[at] = pairs[p]!;
      owners[at] = pairs[p + 1]!;
    }
    Object.assign(this, { bulk: count, mask, starts, hashes, owners });
  }

  /**
   * The hashes of a word's deletes (SymSpell's `edits`: one or two code units removed, leaving at least
   * one), into `out`; how many. With pre[k] the hash of the first k units and suf[k] the last units' part
   * of the whole word's hash, removing unit i leaves pre[i]·B^(l-1-i) + suf[i+1], and removing i < j
   * leaves pre[i]·B^(l-2-i) + (pre[j] - pre[i+1]·B^(j-1-i))·B^(l-1-j) + suf[j+1].
   */
  private deleteHashes(word: string, out: Int32Array, pre: Int32Array, suf: Int32Array): number {
    const l = word.length;
    let n = 0;
    if (l < 2) return n;
    pre[0] = 0;
    for (let k = 0; k < l; k++) pre[k + 1] = (Math.imul(pre[k]!, B) + word.charCodeAt(k)) | 0;
    suf[l] = 0;
    for (let k = l - 1; k >= 0; k--) suf[k] = (Math.imul(word.charCodeAt(k), power(l - 1 - k)) + suf[k + 1]!) | 0;
    for (let i = 0; i < l; i++) {
      out[n++] = (Math.imul(pre[i]!, power(l - 1 - i)) + suf[i + 1]!) | 0;
      if (this.maxDistance < 2 || l < 3) continue;
      const head = Math.imul(pre[i]!, power(l - 2 - i));
      for (let j = i + 1; j < l; j++) {
        const middle = (pre[j]! - Math.imul(pre[i + 1]!, power(j - 1 - i))) | 0;
        out[n++] = (head + Math.imul(middle, power(l - 1 - j)) + suf[j + 1]!) | 0;
      }
    }
    return n;
  }

  private deletesOf(word: string): Set<string> {
    const out = new Set<string>();
    const l = word.length;
    if (l < 2) return out;
    for (let i = 0; i < l; i++) {
      const once = word.slice(0, i) + word.slice(i + 1);
      out.add(once);
      if (this.maxDistance < 2 || l < 3) continue;
      for (let j = i; j < once.length; j++) out.add(once.slice(0, j) + once.slice(j + 1));
    }
    return out;
  }

  /** The words `key` is a delete of, in the order they were added. */
  private forEachOwner(key: string, each: (id: number) => void): void {
    if (this.bulk > 0) {
      const h = hashOf(key);
      const b = bucketOf(h, this.mask);
      for (let at = this.starts[b]!; at < this.starts[b + 1]!; at++) {
        if (this.hashes[at] !== h) continue;
        const id = this.owners[at]!;
        if (this.isDeleteOf(key, this.words[id]!)) each(id);
      }
    }
    const later = this.later.get(key);
    if (later) for (const id of later) each(id);
  }

  /** Whether removing one to `maxDistance` code units of `word` can leave `key` (a subsequence, at least one unit long). */
  private isDeleteOf(key: string, word: string): boolean {
    const removed = word.length - key.length;
    if (removed < 1 || removed > this.maxDistance || key.length < 1) return false;
    let k = 0;
    for (let w = 0; w < word.length && k < key.length; w++) if (word.charCodeAt(w) === key.charCodeAt(k)) k++;
    return k === key.length;
  }
}

/** The distance SymSpell gives a suggestion reached through `candidate` (a delete of `input`). */
function suggestionDistance(input: string, candidate: string, suggestion: string): number {
  if (input === suggestion) return 0;
  const length = input.length;
  if (suggestion.length === candidate.length) return length - candidate.length;
  if (length === candidate.length) return suggestion.length - candidate.length;
  const l = suggestion.length;
  let ii = 0;
  let jj = 0;
  while (ii < l && ii < length && suggestion[ii] === input[ii]) ii++;
  while (jj < l - ii && jj < length && suggestion[l - jj - 1] === input[length - jj - 1]) jj++;
  if (ii > 0 || jj > 0) return damerauLevenshtein(suggestion.slice(ii, l - jj), input.slice(ii, length - jj));
  return damerauLevenshtein(suggestion, input);
}

/** SymSpell's Damerau-Levenshtein (with transpositions of non-adjacent repeats, as its table computes them). */
function damerauLevenshtein(source: string, target: string): number {
  const m = source.length;
  const n = target.length;
  const inf = m + n;
  const h: number[][] = [];
  for (let i = 0; i <= m + 1; i++) h.push(new Array<number>(n + 2).fill(0));
  h[0]![0] = inf;
  for (let i = 0; i <= m; i++) {
    h[i + 1]![1] = i;
    h[i + 1]![0] = inf;
  }
  for (let j = 0; j <= n; j++) {
    h[1]![j + 1] = j;
    h[0]![j + 1] = inf;
  }
  // Code units, as everywhere here (a string's length and indices).
  const last = new Map<string, number>();
  const both = source + target;
  for (let k = 0; k < both.length; k++) if (!last.has(both[k]!)) last.set(both[k]!, 0);
  for (let i = 1; i <= m; i++) {
    let db = 0;
    for (let j = 1; j <= n; j++) {
      const i1 = last.get(target[j - 1]!)!;
      const j1 = db;
      let cell: number;
      if (source[i - 1] === target[j - 1]) {
        cell = h[i]![j]!;
        db = j;
      } else cell = Math.min(h[i]![j]!, h[i + 1]![j]!, h[i]![j + 1]!) + 1;
      h[i + 1]![j + 1] = Math.min(cell, h[i1]![j1]! + (i - i1 - 1) + 1 + (j - j1 - 1));
    }
    last.set(source[i - 1]!, i);
  }
  return h[m + 1]![n + 1]!;
}
