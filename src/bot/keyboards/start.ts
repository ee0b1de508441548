import { InlineKeyboard } from "grammy";
import type { Translate } from "../../i18n.js";
import { encodeCallback } from "../callback-data/index.js";
import { BROWSE_COMMANDS, type BrowseCommand } from "../commands.js";

/** Quick start under the greeting: one button per browsable kind, two per row; each opens that list. */
export function startKeyboard(t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  (Object.keys(BROWSE_COMMANDS) as BrowseCommand[]).forEach((command, i) => {
    if (i > 0 && i % 2 === 0) keyboard.row();
    keyboard.text(t(`start:button.${command}`), encodeCallback({ type: "browse", kind: BROWSE_COMMANDS[command], page: 0 }));
  });
  return keyboard;
}
