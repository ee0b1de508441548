import type { Api } from "grammy";
import type { MessageContent, Sender, SendOptions } from "./types.js";

/**
 * Sends broadcast messages through a grammY `Api`: text with parse_mode HTML, or a photo / document with
 * the HTML as caption. Give it an `Api` without the auto-retry transformer: the engine handles 429s
 * itself (pausing every worker), and a transformer sleeping inside a send would hold a worker slot.
 * With `paid`, each call passes `allow_paid_broadcast` (Telegram's paid broadcasts). The content's
 * inline keyboard goes under the message.
 */
export function telegramSender(api: Api): Sender {
  return {
    async send(chatId: number, content: MessageContent, options?: SendOptions): Promise<void> {
      const extra = {
        ...(options?.paid ? { allow_paid_broadcast: true } : {}),
        ...(content.keyboard ? { reply_markup: content.keyboard } : {}),
      };
      if (content.photo !== undefined) {
        await api.sendPhoto(chatId, content.photo, { caption: content.html, parse_mode: "HTML", ...extra });
      } else if (content.document !== undefined) {
        await api.sendDocument(chatId, content.document, { caption: content.html, parse_mode: "HTML", ...extra });
      } else {
        await api.sendMessage(chatId, content.html, { parse_mode: "HTML", ...extra });
      }
    },
  };
}
