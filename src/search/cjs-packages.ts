import { createRequire } from "node:module";
import type * as SnowballStemmers from "snowball-stemmers";
import type * as Stopwords from "stopword";

/**
 * CommonJS packages of the search, required rather than imported: an import first has Node lex a
 * package's source for its named exports, which for these two (850 kB and 230 kB of JavaScript) took
 * ~150 ms of every start; `require` runs them as they are.
 */
const require = createRequire(import.meta.url);

export const snowballStemmers = require("snowball-stemmers") as typeof SnowballStemmers;
export const stopwords = require("stopword") as typeof Stopwords;
