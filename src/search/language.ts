import { eld } from "eld/small";
import { LANGUAGES, type Language } from "../catalog/schema.js";
import { scriptOf } from "./text.js";

eld.setLanguageSubset([...LANGUAGES]);

/**
 * The language a query is written in. The script decides between Chinese, Russian and the Latin
 * languages outright (it is certain, and a detector is not on two-word queries); between English and
 * French the detector (eld, limited to our four languages) decides when it is reliable, otherwise the
 * caller's hint (Telegram's language_code, the user's choice) wins if it is a Latin language.
 */
export function detectLanguage(text: string, hint?: Language): Language {
  let han = 0;
  let cyrillic = 0;
  let latin = 0;
  for (const ch of text.toLowerCase()) {
    const script = scriptOf(ch);
    if (script === "han") han++;
    else if (script === "cyrillic") cyrillic++;
    else if (script === "latin" && !/\d/.test(ch)) latin++;
  }
  if (han === 0 && cyrillic === 0 && latin === 0) return hint ?? "en";
  // Han characters carry a word each where alphabets need several letters, hence the weight.
  if (han * 3 >= Math.max(cyrillic, latin)) return "zh";
  if (cyrillic >= latin) return "ru";
  const latinHint = hint === "en" || hint === "fr" ? hint : undefined;
  const result = eld.detect(text);
  const detected = result.language === "fr" || result.language === "en" ? result.language : undefined;
  if (detected && result.isReliable()) {
    // A short query that the detector calls only narrowly goes to the hint.
    const scores = result.getScores();
    const other = detected === "en" ? "fr" : "en";
    const margin = (scores[detected] ?? 0) - (scores[other] ?? 0);
    if (latinHint && latinHint !== detected && margin < 0.1) return latinHint;
    return detected;
  }
  return latinHint ?? detected ?? "en";
}
