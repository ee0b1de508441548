import type { InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import type { Translate } from "../../i18n.js";
import { encodeCallback, fitsCallback } from "../callback-data/index.js";
import { encodeReminder } from "../callback-data/reminders.js";
import { escapeHtml, truncate } from "../format.js";

/**
 * A broadcast as its recipients get it: a header naming the bot, the coordinator's message, the buttons
 * of the record the coordinator linked (when there is one), then the buttons that manage or stop the
 * subscription. Each part in the recipient's language (`t`). Every button opens a message of its own,
 * so the announcement itself is never overwritten.
 */

/** A record linked to a broadcast: its id and its short title in the recipient's language. */
export interface LinkedRecord {
  id: string;
  title: string;
}

/** Longest record title on a button. */
const TITLE_MAX = 48;

/** The line naming the bot above the coordinator's message, as text (it is set in bold). */
export function receivedHeader(t: Translate): string {
  return t("announcement:header");
}

/**
 * What recipients read (text or caption): the header in bold, a blank line, then the coordinator's
 * message, its entities moved past the header.
 */
export function renderReceived(
  t: Translate,
  message: { text: string; entities?: readonly MessageEntity[] },
): { text: string; entities: MessageEntity[] } {
  const header = receivedHeader(t);
  const shift = header.length + 2;
  return {
    text: `${header}\n\n${message.text}`,
    entities: [
      { type: "bold", offset: 0, length: header.length },
      ...(message.entities ?? []).map((entity) => ({ ...entity, offset: entity.offset + shift })),
    ],
  };
}

/** The same for a message of HTML, of a draft composed before messages kept entities. */
export function renderReceivedHtml(t: Translate, html: string): string {
  return `<b>${escapeHtml(receivedHeader(t))}</b>\n\n${html}`;
}

/** `deadlineOf`: the announcement record whose deadline ⏰ and 📅 are about, when it has one. */
export function receivedKeyboard(t: Translate, linked?: LinkedRecord, deadlineOf?: string): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton[][] = [];
  if (linked && fitsCallback({ type: "record", view: "details", id: linked.id, fresh: true })) {
    const open = (view: "card" | "details" | "contacts") =>
      encodeCallback({ type: "record", view, id: linked.id, fresh: true });
    rows.push([
      {
        text: t("announcement:button.record", { title: truncate(linked.title.replace(/\s+/g, " ").trim(), TITLE_MAX) }),
        callback_data: open("card"),
      },
    ]);
    rows.push([
      { text: t("record:button.details"), callback_data: open("details") },
      { text: t("record:button.contacts"), callback_data: open("contacts") },
    ]);
  }
  if (deadlineOf) {
    rows.push([
      { text: t("reminders:button.remind"), callback_data: encodeReminder({ op: "remind", id: deadlineOf }) },
      { text: t("reminders:button.calendar"), callback_data: encodeReminder({ op: "calendar", id: deadlineOf }) },
    ]);
  }
  rows.push([
    { text: t("announcement:button.manage"), callback_data: encodeCallback({ type: "announcement", op: "manage" }) },
    { text: t("announcement:button.stop"), callback_data: encodeCallback({ type: "announcement", op: "stop" }) },
  ]);
  return { inline_keyboard: rows };
}
