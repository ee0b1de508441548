import { PLURAL_CATEGORIES, type Language, type PluralCategory } from "./schema.js";

/** Intl objects cost far more to build than to use: one set of plural rules per language, built once. */
const rules = new Map<Language, Intl.PluralRules>();

export function pluralRules(lang: Language): Intl.PluralRules {
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    rules.set(lang, r);
  }
  return r;
}

/** The plural categories a language distinguishes, in CLDR's order (`one, few, many, other` in Russian). */
export function pluralCategoriesOf(lang: Language): PluralCategory[] {
  const used = pluralRules(lang).resolvedOptions().pluralCategories as string[];
  return PLURAL_CATEGORIES.filter((c) => used.includes(c));
}
