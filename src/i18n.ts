import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type TFunction } from "i18next";
import { LANGUAGES, type Language } from "./catalog/schema.js";

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../locales");

/** locales/<lang>/<namespace>.json → { lang: { namespace: resources } } */
export function readLocales(dir = LOCALES_DIR): Record<string, Record<string, Record<string, unknown>>> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const lang of LANGUAGES) {
    resources[lang] = {};
    for (const file of readdirSync(path.join(dir, lang)).filter((f) => f.endsWith(".json")).sort()) {
      const text = readFileSync(path.join(dir, lang, file), "utf8");
      try {
        resources[lang][file.slice(0, -5)] = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`locales/${lang}/${file}: ${(error as Error).message}`, { cause: error });
      }
    }
  }
  return resources;
}

/**
 * One i18next instance for the process. Interpolated values are not escaped here: replies are HTML
 * and every catalog or user text is escaped where the message is built (src/bot/format.ts).
 */
export async function createI18n(dir = LOCALES_DIR): Promise<i18n> {
  const resources = readLocales(dir);
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    supportedLngs: [...LANGUAGES],
    fallbackLng: "en",
    ns: Object.keys(resources.en ?? {}),
    defaultNS: "common",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

export type Translate = TFunction;

export function translator(i18n: i18n, lang: Language): Translate {
  return i18n.getFixedT(lang);
}

/** Telegram's language_code ("ru", "pt-br", "zh-hans") → one of ours, if supported. */
export function supportedLanguage(code: string | undefined): Language | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l === base);
}
