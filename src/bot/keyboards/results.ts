import { InlineKeyboard } from "../../grammy.js";
import type { InlineKeyboardButton } from "grammy/types";
import type { Translate } from "../../i18n.js";
import { encodeCallback } from "../callback-data/index.js";
import { truncateMiddle } from "../format.js";

/** Longest record title on a button (clients cut longer ones unevenly). */
const BUTTON_TITLE_MAX = 56;

export interface ResultButton {
  /** 1-based rank in the results. */
  n: number;
  id: string;
  title: string;
}

function recordRows(items: readonly ResultButton[]): InlineKeyboardButton[][] {
  return items.map((item) => [
    InlineKeyboard.text(
      `${item.n}. ${truncateMiddle(item.title.replace(/\s+/g, " ").trim(), BUTTON_TITLE_MAX)}`,
      encodeCallback({ type: "record", view: "card", id: item.id }),
    ),
  ]);
}

/**
 * Under the answer card: the card's own buttons, then the next matches (each opens its card in place),
 * then "more results" when the list goes on.
 */
export function answerKeyboard(
  t: Translate,
  cardRows: InlineKeyboardButton[][],
  others: readonly ResultButton[],
  more?: { page: number; remaining: number },
): InlineKeyboard {
  const rows = [...cardRows, ...recordRows(others)];
  if (more && more.remaining > 0)
    rows.push([
      InlineKeyboard.text(
        t("question:button.more", { count: more.remaining }),
        encodeCallback({ type: "results", page: more.page }),
      ),
    ]);
  return new InlineKeyboard(rows);
}

/** A page of results: one button per record, then previous/next. */
export function resultsKeyboard(
  t: Translate,
  items: readonly ResultButton[],
  page: number,
  pages: number,
): InlineKeyboard {
  const rows = recordRows(items);
  const paging: InlineKeyboardButton[] = [];
  if (page > 0)
    paging.push(
      InlineKeyboard.text(t("question:button.previous"), encodeCallback({ type: "results", page: page - 1 })),
    );
  if (page + 1 < pages)
    paging.push(InlineKeyboard.text(t("question:button.next"), encodeCallback({ type: "results", page: page + 1 })));
  if (paging.length) rows.push(paging);
  return new InlineKeyboard(rows);
}

/** Under a weak answer: the closest records, for the user to judge. */
export function weakKeyboard(items: readonly ResultButton[]): InlineKeyboard | undefined {
  return items.length ? new InlineKeyboard(recordRows(items)) : undefined;
}
