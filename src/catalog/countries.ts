import { createRequire } from "node:module";
import countries, { type LocaleData } from "i18n-iso-countries/index.js";
import { LANGUAGES } from "./schema.js";

/**
 * i18n-iso-countries with the names of our four languages only. Its package entry registers all of its
 * 78 locales at import (724 kB of JSON, ~2 MB of heap) where the catalog and the search read four.
 */
const require = createRequire(import.meta.url);
for (const lang of LANGUAGES) countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`) as LocaleData);

export { countries };
