import { InlineKeyboard } from "../../grammy.js";
import type { InlineKeyboardButton } from "grammy/types";
import type { Translate } from "../../i18n.js";
import { decodeCallback, encodeCallback, type RecordView } from "../callback-data/index.js";
import { encodeReminder } from "../callback-data/reminders.js";
import { truncate } from "../format.js";

/** Telegram's limit on a deep-link payload (`?start=`): 64 characters of A–Z, a–z, 0–9, _ and -. */
const START_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/** The t.me link that opens the bot on a record's card (`/start r_<id>`); undefined if the id cannot be a payload. */
export function recordDeepLink(botUsername: string, id: string): string | undefined {
  const payload = `r_${id}`;
  return START_PAYLOAD.test(payload) ? `https://t.me/${botUsername}?start=${payload}` : undefined;
}

export interface RecordKeyboardOptions {
  /**
   * A share button: Telegram lets the user pick a chat and puts "@bot <record id>" there in inline mode,
   * which answers with this record's card (src/bot/features/inline.ts).
   */
  share?: boolean;
  /** Callback payload of the "back" button (back to the list the record was opened from). */
  back?: string;
  /** Related records offered under the details. */
  related?: readonly { id: string; title: string }[];
  /** 👍/👎 under an answer card (src/bot/features/feedback.ts). */
  feedback?: boolean;
  /** ⏰ remind me and 📅 add to calendar, for a record with a deadline ahead (src/bot/features/reminders.ts). */
  deadline?: boolean;
}

/** The inline query that shares a record: its id, which inline mode answers with that record alone. */
export function shareQuery(id: string): string {
  return id;
}

/** Longest related-record title on a button. */
const RELATED_TITLE_MAX = 56;

/** The buttons of a record view: the two other views, then share and back. */
export function recordButtons(
  t: Translate,
  id: string,
  current: RecordView,
  options: RecordKeyboardOptions,
): InlineKeyboardButton[][] {
  const views: RecordView[] =
    current === "card" ? ["details", "contacts"] : current === "details" ? ["card", "contacts"] : ["card", "details"];
  const rows: InlineKeyboardButton[][] = [
    views.map((view) => InlineKeyboard.text(t(`record:button.${view}`), encodeCallback({ type: "record", view, id }))),
  ];
  const second: InlineKeyboardButton[] = [];
  if (options.share) second.push(InlineKeyboard.switchInline(t("record:button.share"), shareQuery(id)));
  if (options.back)
    second.push(
      InlineKeyboard.text(
        t(decodeCallback(options.back)?.type === "results" ? "record:button.back" : "record:button.backToList"),
        options.back,
      ),
    );
  if (second.length) rows.push(second);
  if (options.deadline) {
    const deadline = deadlineButtons(t, id);
    if (deadline) rows.push(deadline);
  }
  if (options.feedback) {
    const votes = voteButtons(t, id);
    if (votes) rows.push(votes);
  }
  for (const item of options.related ?? []) {
    rows.push([
      InlineKeyboard.text(
        t("record:button.related", { title: truncate(item.title.replace(/\s+/g, " ").trim(), RELATED_TITLE_MAX) }),
        encodeCallback({ type: "record", view: "card", id: item.id }),
      ),
    ]);
  }
  return rows;
}

/** ⏰ remind me, 📅 add to calendar; none when the record id is too long for a button's payload. */
export function deadlineButtons(t: Translate, id: string): InlineKeyboardButton[] | undefined {
  try {
    return [
      InlineKeyboard.text(t("reminders:button.remind"), encodeReminder({ op: "remind", id })),
      InlineKeyboard.text(t("reminders:button.calendar"), encodeReminder({ op: "calendar", id })),
    ];
  } catch {
    return undefined;
  }
}

/** 👍/👎 for an answer; none when the record id is too long for a button's payload. */
function voteButtons(t: Translate, id: string): InlineKeyboardButton[] | undefined {
  try {
    return [
      InlineKeyboard.text(t("feedback:button.up"), encodeCallback({ type: "vote", up: true, id })),
      InlineKeyboard.text(t("feedback:button.down"), encodeCallback({ type: "vote", up: false, id })),
    ];
  } catch {
    return undefined;
  }
}

export function recordKeyboard(
  t: Translate,
  id: string,
  current: RecordView,
  options: RecordKeyboardOptions,
): InlineKeyboard {
  return new InlineKeyboard(recordButtons(t, id, current, options));
}

/** The single button under a card shared through inline mode: open it in the bot. */
export function openInBotKeyboard(t: Translate, deepLink: string | undefined): InlineKeyboard | undefined {
  return deepLink ? new InlineKeyboard([[InlineKeyboard.url(t("inline:open"), deepLink)]]) : undefined;
}
