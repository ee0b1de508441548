import { GrammyError } from "../../grammy.js";
import type { InlineKeyboard } from "grammy";
import type { Message } from "grammy/types";
import { shortTitle, type CatalogRecord } from "../../catalog/schema.js";
import { encodeCallback, type RecordView } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { isGroupChat } from "../filters/chat.js";
import { MESSAGE_LIMIT, splitMessage } from "../format.js";
import { recordKeyboard } from "../keyboards/record.js";
import { hasUpcomingDeadline } from "../../reminders/plan.js";
import { resultsKeyboard, type ResultButton } from "../keyboards/results.js";
import { withNotify } from "../keyboards/saved-searches.js";
import { catalogCard, renderContacts, renderDetails, type ViewEnv } from "./card.js";
import { renderResultsPage, RESULTS_PAGE_SIZE } from "./results.js";

/**
 * Putting views in front of the user: sending (split when too long), editing in place, and the
 * session bookkeeping that makes "back" and paging work. Shared by the question and record features.
 */

/** A message to show: HTML text and its buttons. */
export interface View {
  text: string;
  keyboard?: InlineKeyboard;
}

export function viewEnv(ctx: BotContext): ViewEnv {
  return { lang: ctx.lang, t: ctx.t, catalog: ctx.deps.search.catalog };
}

/**
 * Sends a view as HTML. A text over Telegram's limit goes out in several messages cut between lines,
 * the buttons under the last one. In groups the first part replies to the question it answers.
 * Returns the last message sent (the one with the buttons).
 */
export async function sendView(ctx: BotContext, view: View): Promise<Message.TextMessage> {
  const parts = splitMessage(view.text, MESSAGE_LIMIT);
  const replyTo = isGroupChat(ctx) && ctx.message ? ctx.message.message_id : undefined;
  let last: Message.TextMessage | undefined;
  for (const [i, part] of parts.entries()) {
    last = await ctx.reply(part, {
      link_preview_options: { is_disabled: true },
      reply_markup: i === parts.length - 1 ? view.keyboard : undefined,
      reply_parameters:
        i === 0 && replyTo !== undefined ? { message_id: replyTo, allow_sending_without_reply: true } : undefined,
    });
  }
  return last!;
}

/** Telegram's answer when an edit would change nothing (a double tap): not an error for us. */
export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.description.includes("message is not modified");
}

const UNEDITABLE = /message to edit not found|message can't be edited|there is no text in the message/;

/**
 * Shows a view in place of the message whose button was pressed. "Not modified" is swallowed; a
 * message that can no longer be edited (deleted, too old, a photo) gets the view as a new message,
 * and so does a view too long for one message. Returns the message now showing the view, if known.
 */
export async function editView(
  ctx: BotContext,
  view: View,
): Promise<{ chatId: number; messageId: number } | undefined> {
  const current = ctx.callbackQuery?.message;
  if (view.text.length > MESSAGE_LIMIT && ctx.chat) return messageRef(await sendView(ctx, view));
  try {
    await ctx.editMessageText(view.text, { link_preview_options: { is_disabled: true }, reply_markup: view.keyboard });
  } catch (error) {
    if (isNotModified(error)) return current ? messageRef(current) : undefined;
    if (!(error instanceof GrammyError) || !UNEDITABLE.test(error.description) || !ctx.chat) throw error;
    return messageRef(await sendView(ctx, view));
  }
  return current ? messageRef(current) : undefined;
}

function messageRef(message: { chat: { id: number }; message_id: number }): { chatId: number; messageId: number } {
  return { chatId: message.chat.id, messageId: message.message_id };
}

export function sameMessage(
  a: { chatId: number; messageId: number } | undefined,
  b: { chatId: number; messageId: number } | undefined,
): boolean {
  return a !== undefined && b !== undefined && a.chatId === b.chatId && a.messageId === b.messageId;
}

/** The message the pressed button belongs to. */
export function pressedMessage(ctx: BotContext): { chatId: number; messageId: number } | undefined {
  const message = ctx.callbackQuery?.message;
  return message ? messageRef(message) : undefined;
}

/** Related records offered under the details. */
const RELATED_SHOWN = 3;

/** A record's card, details or contacts with its buttons; `back` is the payload of a "back to the list" button. */
export function recordView(ctx: BotContext, record: CatalogRecord, view: RecordView, back?: string): View {
  const env = viewEnv(ctx);
  const text =
    view === "card"
      ? catalogCard(record, env)
      : view === "details"
        ? renderDetails(record, env)
        : renderContacts(record, env);
  const related =
    view === "details"
      ? existing(ctx, record.related)
          .slice(0, RELATED_SHOWN)
          .map((r) => ({ id: r.id, title: shortTitle(r, ctx.lang) }))
      : [];
  const keyboard = recordKeyboard(ctx.t, record.id, view, {
    share: true,
    back,
    related,
    deadline: view === "card" && hasUpcomingDeadline(record, Date.now()),
  });
  return { text, keyboard };
}

/** The records of these ids that the catalog (still) has, in order. */
function existing(ctx: BotContext, ids: readonly string[]): CatalogRecord[] {
  return ids.map((id) => ctx.deps.search.get(id)).filter((r): r is CatalogRecord => r !== undefined);
}

export function resultPages(ctx: BotContext): number {
  return Math.ceil((ctx.session.resultIds?.length ?? 0) / RESULTS_PAGE_SIZE);
}

/** A page of the session's last results, or undefined when there is no such page. */
export function resultsPageView(ctx: BotContext, page: number): View | undefined {
  const ids = ctx.session.resultIds ?? [];
  const pages = resultPages(ctx);
  if (!Number.isSafeInteger(page) || page < 0 || page >= pages) return undefined;
  const slice = ids.slice(page * RESULTS_PAGE_SIZE, (page + 1) * RESULTS_PAGE_SIZE);
  const records = existing(ctx, slice);
  if (records.length === 0) return undefined;
  const first = page * RESULTS_PAGE_SIZE + 1;
  const text = renderResultsPage(
    { query: ctx.session.lastQuery ?? "", records, page, pageSize: RESULTS_PAGE_SIZE, total: ids.length },
    viewEnv(ctx),
  );
  const buttons: ResultButton[] = records.map((r, i) => ({ n: first + i, id: r.id, title: shortTitle(r, ctx.lang) }));
  return { text, keyboard: withNotify(ctx, resultsKeyboard(ctx.t, buttons, page, pages)) };
}

/** Remembers that `message` shows the results at `page`: its buttons page on, and cards opened from it come back here. */
export function rememberResultsMessage(
  ctx: BotContext,
  message: { chatId: number; messageId: number },
  page: number,
): void {
  ctx.session.page = page;
  ctx.session.resultsMessage = message;
  ctx.session.back = { ...message, data: encodeCallback({ type: "results", page }) };
}

/** The "back" payload for a record opened from the pressed message, when that message showed a list. */
export function backFor(ctx: BotContext): string | undefined {
  const back = ctx.session.back;
  return back && sameMessage(back, pressedMessage(ctx)) ? back.data : undefined;
}
