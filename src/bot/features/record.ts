import { Composer } from "../../grammy.js";
import { decodeCallback, type RecordView } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import type { View } from "../views/show.js";
import { editButton } from "../keyboards/edit.js";
import {
  backFor,
  editView,
  pressedMessage,
  recordView,
  rememberResultsMessage,
  resultsPageView,
  sameMessage,
  sendView,
} from "../views/show.js";

/**
 * Record views behind buttons (card, details, contacts), paging of the last results, and deep links
 * (/start r_<id>). Registered before the greeting so it sees /start first.
 */
export const recordFeature = new Composer<BotContext>();

const RECORD_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

recordFeature.command("start", async (ctx, next) => {
  const payload = ctx.match.trim();
  if (!payload.startsWith("r_")) return next();
  const id = payload.slice(2);
  const record = RECORD_ID.test(id) ? ctx.deps.search.get(id) : undefined;
  if (!record) {
    await ctx.reply(`${ctx.t("record:notFound")}\n\n${ctx.t("record:notFoundHint")}`);
    return;
  }
  await sendView(ctx, await withEditButton(ctx, recordView(ctx, record, "card"), record.id));
  ctx.session.recordId = record.id;
});

recordFeature.on("callback_query:data", async (ctx, next) => {
  const action = decodeCallback(ctx.callbackQuery.data);
  // Nothing of ours carries such a payload: forged, or from a version of the bot long gone.
  if (!action) return expired(ctx);
  if (action.type === "record") return showRecord(ctx, action.id, action.view, action.fresh);
  if (action.type === "results") return showResults(ctx, action.page);
  return next();
});

/** The button means nothing any more (or never did): say so, and do nothing else. */
async function expired(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t("record:expired") });
}

/** A record's view in place of the pressed message, or (`fresh`, under an announcement) in a message of its own. */
async function showRecord(ctx: BotContext, id: string, view: RecordView, fresh?: boolean): Promise<void> {
  const record = ctx.deps.search.get(id);
  if (!record) return expired(ctx);
  const shown = recordView(ctx, record, view, fresh ? undefined : backFor(ctx));
  const withEdit = view === "card" ? await withEditButton(ctx, shown, record.id) : shown;
  if (fresh && ctx.chat) await sendView(ctx, withEdit);
  else await editView(ctx, withEdit);
  ctx.session.recordId = record.id;
  await ctx.answerCallbackQuery();
}

/** A card as coordinators see it: with ✏️ to edit the record. */
async function withEditButton(ctx: BotContext, view: View, id: string): Promise<View> {
  const button = await editButton(ctx, id);
  if (button) view.keyboard?.row().text(button.text, button.data);
  return view;
}

/** A page of the last results, in place; only on the message that shows them (older lists have expired). */
async function showResults(ctx: BotContext, page: number): Promise<void> {
  const message = pressedMessage(ctx);
  const view = sameMessage(ctx.session.resultsMessage, message) ? resultsPageView(ctx, page) : undefined;
  if (!view) return expired(ctx);
  const shown = await editView(ctx, view);
  if (shown) rememberResultsMessage(ctx, shown, page);
  await ctx.answerCallbackQuery();
}
