/**
 * A read-only table from strings to values, packed for the saved search index: the keys in one string, the
 * values encoded in another, their ends and an open-addressing hash table in typed arrays. V8 reads a few
 * large strings and typed arrays back many times faster than a map of tens of thousands of entries, and they
 * take a fraction of its memory. A value is decoded when its key is first asked for, and kept.
 */

/** What a Map and a packed table both answer. */
export interface Lookup<V> {
  get(key: string): V | undefined;
}

/** The packed form, as saved. */
export interface PackedData {
  keys: string;
  /** End of each key in `keys` (it starts where the one before ends). */
  keyEnds: Uint32Array;
  values: string;
  valueEnds: Uint32Array;
  /** Key index + 1 per slot (0: empty), at the key's hash and the slots after it. */
  slots: Uint32Array;
}

/** FNV-1a of a string's code units. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Packs a table, its values encoded by `encode` (which must give back what `decode` reads). */
export function packTable<V>(entries: Iterable<[string, V]>, encode: (value: V) => string): PackedData {
  const keys: string[] = [];
  const values: string[] = [];
  for (const [key, value] of entries) {
    keys.push(key);
    values.push(encode(value));
  }
  const ends = (parts: string[]) => {
    const out = new Uint32Array(parts.length);
    let at = 0;
    parts.forEach((part, i) => (out[i] = at += part.length));
    return out;
  };
  let size = 16;
  while (size < keys.length * 2) size *= 2;
  const slots = new Uint32Array(size);
  keys.forEach((key, i) => {
    let slot = hash(key) & (size - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
    slots[slot] = i + 1;
  });
  return { keys: keys.join(""), keyEnds: ends(keys), values: values.join(""), valueEnds: ends(values), slots };
}

/** Whether `data` is laid out as packTable lays it out (the checksum of the index vouches for the rest). */
export function isPackedData(data: unknown): data is PackedData {
  if (typeof data !== "object" || data === null) return false;
  const { keys, keyEnds, values, valueEnds, slots } = data as Record<keyof PackedData, unknown>;
  return (
    typeof keys === "string" &&
    typeof values === "string" &&
    keyEnds instanceof Uint32Array &&
    valueEnds instanceof Uint32Array &&
    slots instanceof Uint32Array &&
    keyEnds.length === valueEnds.length &&
    (keyEnds.length === 0 ? 0 : keyEnds[keyEnds.length - 1]) === keys.length &&
    (valueEnds.length === 0 ? 0 : valueEnds[valueEnds.length - 1]) === values.length &&
    slots.length > keyEnds.length &&
    (slots.length & (slots.length - 1)) === 0
  );
}

export class PackedTable<V> implements Lookup<V> {
  private readonly decoded = new Map<number, V>();

  constructor(
    readonly data: PackedData,
    private readonly decode: (encoded: string) => V,
  ) {}

  get(key: string): V | undefined {
    const index = this.indexOf(key);
    if (index < 0) return undefined;
    let value = this.decoded.get(index);
    if (value === undefined) {
      const { values, valueEnds } = this.data;
      value = this.decode(values.slice(index === 0 ? 0 : valueEnds[index - 1], valueEnds[index]));
      this.decoded.set(index, value);
    }
    return value;
  }

  private indexOf(key: string): number {
    const { keys, keyEnds, slots } = this.data;
    const mask = slots.length - 1;
    for (let slot = hash(key) & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const index = slots[slot]! - 1;
      const start = index === 0 ? 0 : keyEnds[index - 1]!;
      if (keyEnds[index]! - start !== key.length) continue;
      let i = 0;
      while (i < key.length && keys.charCodeAt(start + i) === key.charCodeAt(i)) i++;
      if (i === key.length) return index;
    }
    return -1;
  }
}
