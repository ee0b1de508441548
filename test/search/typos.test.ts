import fc from "fast-check";
import { SymSpell } from "mnemonist";
import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { TypoTable } from "../../src/search/typos.js";

/** Words from a small alphabet, so deletes collide, letters repeat and transpositions happen. */
const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d", "é", "я", "𝑥"), minLength: 0, maxLength: 9 });

function reference(words: readonly string[], later: readonly string[]): SymSpell {
  const symspell = SymSpell.from(words, { maxDistance: 2, verbosity: 2 });
  for (const w of later) symspell.add(w);
  return symspell;
}

describe("typo table", () => {
  it("answers every look-up as mnemonist's SymSpell does: the same words, order, distances and counts", () => {
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 40 }),
        fc.array(word, { maxLength: 5 }),
        fc.array(word, { minLength: 1, maxLength: 20 }),
        (words, later, queries) => {
          const table = TypoTable.from(words);
          for (const w of later) table.add(w);
          const symspell = reference(words, later);
          for (const query of [...queries, ...words, ...later])
            expect(table.search(query), query).toEqual(symspell.search(query));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("comes back from its saved deletes (V8's format, as in the saved index) with the same answers", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { maxLength: 40 }),
        fc.array(word, { minLength: 1, maxLength: 20 }),
        (words, queries) => {
          const built = TypoTable.from(words);
          const saved = v8.deserialize(v8.serialize(built.data())) as ReturnType<TypoTable["data"]>;
          const loaded = TypoTable.fromData(words, saved);
          for (const query of [...queries, ...words]) expect(loaded.search(query), query).toEqual(built.search(query));
          loaded.add("abcd");
          built.add("abcd");
          expect(loaded.search("abc")).toEqual(built.search("abc"));
        },
      ),
      { numRuns: 100 },
    );
    const table = TypoTable.from(["incubator"]);
    expect(() => TypoTable.fromData(["incubator", "incubator"], table.data())).toThrow();
    table.add("accelerator");
    expect(() => table.data()).toThrow();
  });

  it("finds catalog words from their typos", () => {
    const table = TypoTable.from(["incubator", "incubators", "kazakhstan", "conference", "конференция"]);
    expect(table.search("incubatr").map((m) => [m.term, m.distance])).toEqual([
      ["incubator", 1],
      ["incubators", 2],
    ]);
    expect(table.search("kazakstan").map((m) => m.term)).toEqual(["kazakhstan"]);
    expect(table.search("конференци").map((m) => [m.term, m.distance])).toEqual([["конференция", 1]]);
    expect(table.search("zebra")).toEqual([]);
  });

  it("knows a word added after it was built", () => {
    const table = TypoTable.from(["incubator"]);
    table.add("accelerator");
    table.add("incubator");
    expect(table.search("acelerator")).toEqual([{ term: "accelerator", distance: 1, count: 1 }]);
    expect(table.search("incubator")).toEqual([{ term: "incubator", distance: 0, count: 2 }]);
    expect(table.size).toBe(2);
  });
});
