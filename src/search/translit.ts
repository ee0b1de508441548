import { createRequire } from "node:module";

/**
 * Russian typed in Latin letters ("inkubator v Kazakhstane", "programma obmena SHOS dlya studentov"), as
 * people do on a phone without a Cyrillic keyboard: the Cyrillic it spells, and the grammar words that
 * show a message is Russian rather than English or French.
 */

// A CommonJS module whose typings declare an ES default export: loaded as what it is.
const cyrillicToTranslit = createRequire(import.meta.url)("cyrillic-to-translit-js") as (config: { preset: "ru" }) => {
  reverse(input: string): string;
};
const russian = cyrillicToTranslit({ preset: "ru" });

/**
 * Grammar words of transliterated Russian that are not words of English or French ("v Kazakhstane",
 * "dlya studentov", "kak", "gde"): one of them with a catalog word read in Cyrillic marks the message.
 * Not "s", "so", "pro", "k", "u", "ya" or "est": English and French have them ("SCO's", "so, the summit?").
 */
export const TRANSLIT_GRAMMAR = new Set([
  "v",
  "vo",
  "dlya",
  "dlja",
  "iz",
  "ot",
  "ili",
  "kak",
  "gde",
  "chto",
  "shto",
  "kto",
  "kogda",
  "skolko",
  "li",
  "eto",
  "mne",
  "nam",
  "po",
  "kakie",
  "kakoi",
  "kakoy",
  "nuzhen",
  "nuzhna",
  "ishchu",
  "ishu",
]);

/** The Cyrillic a word of transliterated Russian spells ("Kazakhstane" → "Казахстане", "svyazannyi" → "связанный"). */
export function cyrillicOf(word: string): string {
  // "est'" is "есть", not the "эст" an initial e reads as elsewhere ("eto" → "это").
  if (/^est$/iu.test(word)) return word[0] === "E" ? "Есть" : "есть";
  return (
    russian
      .reverse(
        word
          // "j", and "y" after a vowel before a consonant or at the end, are й ("dobryj", "kitajskie", "pozhaluysta",
          // "Kitay"); "ja", "ju" are я, ю.
          .replace(/j(?=[aeouAEOU])/gu, "y")
          .replace(/J(?=[aeouAEOU])/gu, "Y")
          .replace(/([aeiouAEIOU])[yY](?=[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]|$)/gu, "$1й")
          .replace(/j/gu, "й")
          .replace(/J/gu, "Й"),
      )
      // Spellings the preset leaves in Latin or reads the other way: "Kazahstane", "tsifrovoi", "tyanczin".
      .replace(/cz/giu, (m: string) => (m[0] === "C" ? "Ц" : "ц"))
      .replace(/h/gu, "х")
      .replace(/H/gu, "Х")
      .replace(/c/gu, "ц")
      .replace(/C/gu, "Ц")
      .replace(/w/gu, "в")
      .replace(/W/gu, "В")
      .replace(/x/gu, "кс")
      .replace(/X/gu, "Кс")
      .replace(/q/gu, "к")
      .replace(/Q/gu, "К")
      // A word ending in "yi", "oi", "ei", "ai" ends in й: "связанный", "цифровой", "научный", "Китай"
      // ("ii" may be "России" as well as "технологий": left as it is).
      .replace(/([ыоеа])и$/u, "$1й")
  );
}

// The Russian ЙЦУКЕН layout over the Latin QWERTY one: the key each Latin character shares with a Cyrillic
// letter ("b" is и, "," is б), with Shift too ("{" is Х, "<" is Б), and the Russian question mark and full
// stop ("&" is Shift+7, the "?" of the Russian layout; "/" is its ".").
const LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`{}:\"<>~&/";
const CYRILLIC_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюёхъжэбюё?.";
const CYRILLIC_OF_KEY = new Map(Array.from(LATIN_KEYS, (key, i) => [key, CYRILLIC_KEYS[i]!]));

/**
 * The Cyrillic a text typed with the keyboard left on its Latin layout was meant to be ("byre,fnjh d xfyit" →
 * "инкубатор в чанше"); undefined when it has a character that is not on those keys or a space.
 */
export function cyrillicOfLatinKeys(text: string): string | undefined {
  let out = "";
  for (const ch of text.toLowerCase()) {
    const cyrillic = CYRILLIC_OF_KEY.get(ch);
    if (cyrillic !== undefined) out += cyrillic;
    else if (/[\s\d?!-]/u.test(ch)) out += ch;
    else return undefined;
  }
  return out;
}
