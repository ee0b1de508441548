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

/** FNV-1a's offset basis and prime. */
const BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

/** Hash of `word` without the code units at `skip1` and `skip2` (-1: none). */
function hashWithout(word: string, skip1: number, skip2: number): number {
  let h = BASIS;
  for (let i = 0; i < word.length; i++) {
    if (i === skip1 || i === skip2) continue;
    h = Math.imul(h ^ word.charCodeAt(i), PRIME);
  }
  return h | 0;
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
    const perWord: number[] = [];
    let pairs = new Int32Array(1024);
    let n = 0;
    for (let id = 0; id < count; id++) {
      perWord.length = 0;
      this.deleteHashes(this.words[id]!, perWord);
      perWord.sort((a, b) => a - b);
      for (let k = 0; k < perWord.length; k++) {
        if (k > 0 && perWord[k] === perWord[k - 1]) continue;
        if (n + 2 > pairs.length) {
          const grown = new Int32Array(pairs.length * 2);
          grown.set(pairs);
          pairs = grown;
        }
        pairs[n++] = perWord[k]!;
        pairs[n++] = id;
      }
    }
    const total = n / 2;
    let buckets = 16;
    while (buckets < total) buckets *= 2;
    const mask = buckets - 1;
    const starts = new Uint32Array(buckets + 1);
    for (let p = 0; p < n; p += 2) starts[(pairs[p]! & mask) + 1]!++;
    for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
    const fill = starts.slice(0, buckets);
    const hashes = new Int32Array(total);
    const owners = new Uint32Array(total);
    for (let p = 0; p < n; p += 2) {
      const at = fill[pairs[p]! & mask]!++;
      hashes[at] = pairs[p]!;
      owners[at] = pairs[p + 1]!;
    }
    Object.assign(this, { bulk: count, mask, starts, hashes, owners });
  }

  /** The hashes of a word's deletes (SymSpell's `edits`: one or two code units removed, leaving at least one). */
  private deleteHashes(word: string, out: number[]): void {
    const l = word.length;
    if (l < 2) return;
    for (let i = 0; i < l; i++) {
      out.push(hashWithout(word, i, -1));
      if (this.maxDistance < 2 || l < 3) continue;
      for (let j = i + 1; j < l; j++) out.push(hashWithout(word, i, j));
    }
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
      const h = hashWithout(key, -1, -1);
      const b = h & this.mask;
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
