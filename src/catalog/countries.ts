import { createRequire } from "node:module";
import type * as Countries from "i18n-iso-countries";
import type { LocaleData } from "i18n-iso-countries";
import { LANGUAGES } from "./schema.js";

const require = createRequire(import.meta.url);
let library: typeof Countries | undefined;

/**
 * i18n-iso-countries with the names of our four languages only, loaded when first asked: its package
 * entry registers all of its 78 locales at import (724 kB of JSON, ~2 MB of heap) where the catalog and
 * the search read four, and a start that takes catalog and index from the saved index reads none.
 */
export function countries(): typeof Countries {
  if (library) return library;
  const loaded = require("i18n-iso-countries/index.js") as typeof Countries;
  for (const lang of LANGUAGES) loaded.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`) as LocaleData);
  return (library = loaded);
}
