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
    for (const file of readdirSync(path.join(dir, lang))
      .filter((f) => f.endsWith(".json"))
      .sort()) {
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

/**
 * The translator of a language, made once per i18next instance and language. i18next's own `t` copies
 * all of its options on every call (a quarter of an answer's time went there, at a dozen calls per
 * reply), so a text already produced for the same key and values is reused. Only calls whose values are
 * strings, numbers or booleans are remembered; anything else goes straight to i18next.
 */
export function translator(i18n: i18n, lang: Language): Translate {
  let byLang = translators.get(i18n);
  if (!byLang) {
    byLang = new Map();
    translators.set(i18n, byLang);
    // Resources added or removed at run time would make remembered texts stale.
    const forget = () => {
      for (const t of byLang!.values()) texts.get(t)?.clear();
    };
    i18n.store.on("added", forget);
    i18n.store.on("removed", forget);
  }
  let t = byLang.get(lang);
  if (!t) {
    t = remembering(i18n.getFixedT(lang));
    byLang.set(lang, t);
  }
  return t;
}

const translators = new WeakMap<i18n, Map<Language, Translate>>();
const texts = new WeakMap<Translate, Map<string, string>>();

/** Texts remembered per language; past this the memory is cleared (user questions are quoted in some texts). */
const REMEMBERED_MAX = 20_000;

function remembering(fixed: TFunction): Translate {
  const memory = new Map<string, string>();
  const call = fixed as unknown as (...args: unknown[]) => unknown;
  const t = ((key: unknown, options?: unknown, ...rest: unknown[]) => {
    const id = rest.length === 0 && typeof key === "string" ? memoryKey(key, options) : undefined;
    if (id === undefined) return call(key, options, ...rest);
    let text = memory.get(id);
    if (text === undefined) {
      const result = call(key, options);
      if (typeof result !== "string") return result;
      if (memory.size >= REMEMBERED_MAX) memory.clear();
      memory.set(id, (text = result));
    }
    return text;
  }) as unknown as Translate;
  texts.set(t, memory);
  return t;
}

/** The key and its values as one string, or undefined when a value is not a plain primitive. */
function memoryKey(key: string, options: unknown): string | undefined {
  if (options === undefined) return key;
  if (typeof options !== "object" || options === null) return undefined;
  let id = key;
  for (const name in options) {
    const value = (options as Record<string, unknown>)[name];
    const type = typeof value;
    if (type !== "string" && type !== "number" && type !== "boolean" && value !== undefined) return undefined;
    // The type keeps 1 and "1" apart; the length keeps a value from passing for the next option.
    const text = String(value);
    id += `\u0000${name}\u0001${type[0]}${text.length}:${text}`;
  }
  return id;
}

/** Telegram's language_code ("ru", "pt-br", "zh-hans") → one of ours, if supported. */
export function supportedLanguage(code: string | undefined): Language | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l === base);
}
