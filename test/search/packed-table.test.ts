import fc from "fast-check";
import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { isPackedData, PackedTable, packTable } from "../../src/search/packed-table.js";

const encode = (tokens: string[]) => tokens.join("\u0001");
const decode = (text: string) => text.split("\u0001");

describe("packed table", () => {
  it("answers every key as the map it was packed from, and nothing else, also after V8's format", () => {
    const key = fc.string({ unit: fc.constantFrom("a", "b", "é", "я", "中", "𝑥"), maxLength: 6 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, fc.array(fc.stringMatching(/^@[a-z]{1,4}$/), { minLength: 1, maxLength: 3 })), {
          selector: ([k]) => k,
          maxLength: 60,
        }),
        fc.array(key, { maxLength: 30 }),
        (entries, others) => {
          const map = new Map(entries);
          const data = v8.deserialize(v8.serialize(packTable(map, encode))) as unknown;
          expect(isPackedData(data)).toBe(true);
          if (!isPackedData(data)) return;
          const table = new PackedTable(data, decode);
          for (const k of [...map.keys(), ...others]) expect(table.get(k), k).toEqual(map.get(k));
          // A value asked for twice is decoded once.
          for (const k of map.keys()) expect(table.get(k)).toBe(table.get(k));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("is told apart from what is not a packed table", () => {
    const data = packTable(new Map([["kazakhstan", ["@kz"]]]), encode);
    expect(isPackedData(data)).toBe(true);
    expect(isPackedData({ ...data, keys: "kazakhsta" })).toBe(false);
    expect(isPackedData({ ...data, slots: new Uint32Array(3) })).toBe(false);
    expect(isPackedData({ ...data, valueEnds: [3] })).toBe(false);
    expect(isPackedData(new Map())).toBe(false);
  });
});
