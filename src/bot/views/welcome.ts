import type { Translate } from "../../i18n.js";
import { startKeyboard } from "../keyboards/start.js";
import type { View } from "./show.js";

/**
 * A lead line, then how to ask (in a group: by mentioning the bot) and the quick-start buttons: the
 * greeting of /start, and the reply to small talk.
 */
export function welcomeView(t: Translate, lead: string, group: { username: string } | undefined): View {
  const how = group ? t("start:askGroup", { username: group.username }) : t("start:ask");
  return { text: [lead, "", how, "", t("start:browse")].join("\n"), keyboard: startKeyboard(t) };
}
