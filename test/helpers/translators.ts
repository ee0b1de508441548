import { LANGUAGES, type Language } from "../../src/catalog/schema.js";
import { createI18n, translator, type Translate } from "../../src/i18n.js";

/** A translator per language, on the bundled locales. */
export async function translatorsByLanguage(): Promise<Record<Language, Translate>> {
  const i18n = await createI18n();
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, translator(i18n, lang)])) as Record<Language, Translate>;
}
