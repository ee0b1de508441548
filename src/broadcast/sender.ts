import type { Api } from "grammy";
import type { AnyMessageContent, Sender, SendOptions } from "./types.js";

/**
 * Sends broadcast messages through a grammY `Api`: the text with its entities, or a photo / document with
 * the text as caption. Give it an `Api` without the auto-retry transformer: the engine handles 429s
 * itself (pausing every worker), and a transformer sleeping inside a send would hold a worker slot.
 * With `paid`, each call passes `allow_paid_broadcast` (Telegram's paid broadcasts). The content's
 * inline keyboard goes under the message. A message of HTML from before entities goes with parse_mode
 * HTML, as it did.
 */
export function telegramSender(api: Api): Sender {
  return {
    async send(chatId: number, content: AnyMessageContent, options?: SendOptions): Promise<void> {
      const extra = {
        ...(options?.paid ? { allow_paid_broadcast: true } : {}),
        ...(content.keyboard ? { reply_markup: content.keyboard } : {}),
      };
      // Entities go as an array even when there are none: with no `entities` at all, the bot's client
      // would read the text as HTML (src/bot/html-default.ts), and a "<" the coordinator typed is text.
      const [body, textFormat, captionFormat] =
        "html" in content
          ? [content.html, { parse_mode: "HTML" as const }, { parse_mode: "HTML" as const }]
          : [content.text, { entities: content.entities ?? [] }, { caption_entities: content.entities ?? [] }];
      if (content.photo !== undefined) {
        await api.sendPhoto(chatId, content.photo, { caption: body, ...captionFormat, ...extra });
      } else if (content.document !== undefined) {
        await api.sendDocument(chatId, content.document, { caption: body, ...captionFormat, ...extra });
      } else {
        await api.sendMessage(chatId, body, { ...textFormat, ...extra });
      }
    },
  };
}
