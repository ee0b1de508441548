import type { i18n } from "i18next";
import { LANGUAGES, shortTitle, type CatalogRecord, type Language } from "../../../catalog/schema.js";
import type { AnyMessageContent, BroadcastContent } from "../../../broadcast/types.js";
import { translator } from "../../../i18n.js";
import { announcementId } from "../../../announcements/record.js";
import { receivedHeader, receivedKeyboard, renderReceived, renderReceivedHtml } from "../../views/announcement.js";
import { contentOf, type BroadcastDraft } from "./draft.js";

/**
 * The broadcast as each recipient will get it, rendered here for the delivery engine (which sends it as
 * it is, knowing nothing of the bot's views): in every language, the bot's header in that language, the
 * coordinator's variant for it (else the main message) and the buttons — the linked record's, ⏰ and 📅
 * of the announcement's deadline, then managing or stopping the subscription. Recipients of no known language get the coordinator's.
 */
export function receivedContent(
  draft: BroadcastDraft,
  i18n: i18n,
  linked?: CatalogRecord,
): BroadcastContent | undefined {
  const main = draft.default;
  if (!main) return undefined;
  const variants: Record<Language, AnyMessageContent> = {} as Record<Language, AnyMessageContent>;
  for (const lang of LANGUAGES) {
    const t = translator(i18n, lang);
    const message = contentOf(draft.variants?.[lang] ?? main);
    const keyboard = receivedKeyboard(
      t,
      linked ? { id: linked.id, title: shortTitle(linked, lang) } : undefined,
      draft.deadline ? announcementId(draft.id) : undefined,
    );
    variants[lang] =
      "html" in message
        ? { ...message, html: renderReceivedHtml(t, message.html), keyboard }
        : { ...message, ...renderReceived(t, message), keyboard };
  }
  return { default: variants[draft.lang ?? "en"], variants };
}

/** Characters the header takes from Telegram's limits on a text or a caption, in its longest language. */
export function headerRoom(i18n: i18n): number {
  return Math.max(...LANGUAGES.map((lang) => receivedHeader(translator(i18n, lang)).length)) + 2;
}
