import { InlineKeyboard } from "../../grammy.js";
import type { i18n } from "i18next";
import { LANGUAGES, type Language } from "../../catalog/schema.js";
import type { Translate } from "../../i18n.js";
import { encodeCallback } from "../callback-data/index.js";

const CHECK = "✓ ";

/**
 * The four languages, each named in itself, then "automatic"; ✓ marks the current setting
 * (`"auto"` when the user has not fixed a language).
 */
export function languageKeyboard(i18n: i18n, t: Translate, current: Language | "auto"): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  LANGUAGES.forEach((lang, i) => {
    if (i > 0 && i % 2 === 0) keyboard.row();
    const name = i18n.getFixedT(lang)("common:languageName");
    keyboard.text(`${lang === current ? CHECK : ""}${name}`, encodeCallback({ type: "lang", lang }));
  });
  keyboard
    .row()
    .text(
      `${current === "auto" ? CHECK : ""}${t("language:button.auto")}`,
      encodeCallback({ type: "lang", lang: "auto" }),
    );
  return keyboard;
}
