import { InlineKeyboard } from "../../grammy.js";
import type { Translate } from "../../i18n.js";
import { encodeCallback } from "../callback-data/index.js";
import { BROWSE_LISTS } from "../lists.js";

/** Quick start under the greeting: one button per list, two per row; each opens that list. */
export function startKeyboard(t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  BROWSE_LISTS.forEach((list, i) => {
    if (i > 0 && i % 2 === 0) keyboard.row();
    keyboard.text(t(`start:button.${list}`), encodeCallback({ type: "browse", list, page: 0 }));
  });
  return keyboard;
}
