import { writeFileSync } from "node:fs";
import { ELD_SUBSET_FILE, databaseSubset, smallDatabase } from "../search/language-subset.js";

/**
 * npm run eld-subset: writes data/eld-subset.json, eld's small database cut to our four languages,
 * from the installed eld. Run it after upgrading eld; the tests fail until the shipped file matches.
 */
const subset = databaseSubset(await smallDatabase());
// One n-gram a line, so that a regenerated file diffs readably.
const lines = Object.entries(subset.ngrams).map(
  ([ngram, scores]) => `    ${JSON.stringify(ngram)}: ${JSON.stringify(scores)}`,
);
writeFileSync(
  ELD_SUBSET_FILE,
  `{\n  "type": ${JSON.stringify(subset.type)},\n  "languages": ${JSON.stringify(subset.languages)},\n  "isSubset": true,\n  "ngrams": {\n${lines.join(",\n")}\n  }\n}\n`,
);
console.log(`${ELD_SUBSET_FILE}: ${lines.length} n-grams of ${Object.values(subset.languages).join(", ")}`);
