import { Composer, GrammyError, InlineKeyboard, InputFile } from "../../grammy.js";
import type { Api, StorageAdapter } from "grammy";
import type { i18n } from "i18next";
import { classifyError } from "../../broadcast/core.js";
import type { CatalogRecord } from "../../catalog/schema.js";
import { translator } from "../../i18n.js";
import type { Logger } from "../../logger.js";
import { hasUpcomingDeadline } from "../../reminders/plan.js";
import type { DeliveryOutcome, PlannedReminder, ReminderHooks, ReminderService } from "../../reminders/types.js";
import type { SearchEngine } from "../../search/engine.js";
import type { SessionData } from "../../state/types.js";
import { decodeReminder, encodeReminder, REMINDER_PREFIX } from "../callback-data/reminders.js";
import type { BotContext } from "../context.js";
import { privateChatOnly } from "../filters/chat.js";
import { escapeHtml } from "../format.js";
import { recordDeepLink, recordKeyboard } from "../keyboards/record.js";
import {
  calendarFile,
  deadlineOf,
  reminderDates,
  removeButtonText,
  renderReminder,
  renderRemindersList,
} from "../views/reminders.js";
import { editView, sendView, viewEnv } from "../views/show.js";

/**
 * Application deadlines: ⏰ under a card with a deadline ahead asks for reminders (7 days and 1 day
 * before, sent to the user's private chat), 📅 sends the deadlines as a calendar file, /reminders lists
 * the user's reminders with a 🔕 button each. Reminders belong to the user (their private chat), also
 * when the card was pressed in a group.
 */
export const remindersFeature = new Composer<BotContext>();

/** Reminders listed at most (a user with more sees the soonest). */
const LIST_MAX = 20;

remindersFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith(REMINDER_PREFIX)) return next();
  const action = decodeReminder(ctx.callbackQuery.data);
  if (!action) return void (await ctx.answerCallbackQuery({ text: ctx.t("record:expired") }));
  const record = ctx.deps.search.get(action.id);
  if (action.op === "stop") return stop(ctx, action.id, record);
  if (!record) return void (await ctx.answerCallbackQuery({ text: ctx.t("record:expired") }));
  if (!hasUpcomingDeadline(record, Date.now()))
    return void (await ctx.answerCallbackQuery({ text: ctx.t("reminders:toast.passed") }));
  if (action.op === "remind") return remind(ctx, record);
  return sendCalendar(ctx, record);
});

remindersFeature.command(
  "reminders",
  privateChatOnly((ctx) => ctx.reply(ctx.t("reminders:list.privateOnly"))),
  async (ctx) => {
    const reminders = ctx.deps.reminders;
    if (!reminders) return void (await ctx.reply(ctx.t("reminders:toast.unavailable")));
    await sendView(ctx, await listView(ctx, reminders));
  },
);

async function remind(ctx: BotContext, record: CatalogRecord): Promise<void> {
  const reminders = ctx.deps.reminders;
  if (!reminders || !ctx.from)
    return void (await ctx.answerCallbackQuery({ text: ctx.t("reminders:toast.unavailable") }));
  const planned = await reminders.add(ctx.from.id, record);
  if (!planned) return void (await ctx.answerCallbackQuery({ text: ctx.t("reminders:toast.passed") }));
  ctx.deps.logger.info({ user: ctx.from.id, record: record.id, reminders: planned.length }, "deadline reminders set");
  const text = planned.length
    ? ctx.t("reminders:toast.set", { dates: reminderDates(planned, record, ctx) })
    : ctx.t("reminders:toast.tooClose");
  await ctx.answerCallbackQuery({ text, show_alert: true });
}

async function stop(ctx: BotContext, id: string, record: CatalogRecord | undefined): Promise<void> {
  const reminders = ctx.deps.reminders;
  if (!reminders || !ctx.from)
    return void (await ctx.answerCallbackQuery({ text: ctx.t("reminders:toast.unavailable") }));
  const removed = await reminders.remove(ctx.from.id, id);
  await ctx.answerCallbackQuery({ text: removed ? ctx.t("reminders:toast.stopped") : ctx.t("reminders:toast.notSet") });
  if (!removed) return;
  ctx.deps.logger.info({ user: ctx.from.id, record: id }, "deadline reminders stopped");
  const pressed = ctx.callbackQuery?.message;
  // On the list, the list again without it; under a reminder, the reminder stays and its button goes.
  if (pressed && "text" in pressed && pressed.text?.startsWith(ctx.t("reminders:list.title").replace(/<[^>]+>/g, ""))) {
    await editView(ctx, await listView(ctx, reminders));
  } else if (pressed) {
    await ctx
      .editMessageReplyMarkup({ reply_markup: record ? reminderKeyboard(ctx.t, record.id, false) : undefined })
      .catch(() => undefined);
    await ctx.reply(ctx.t("reminders:stopped", { title: escapeHtml(record ? record.title[ctx.lang] : id) }));
  }
}

async function sendCalendar(ctx: BotContext, record: CatalogRecord): Promise<void> {
  const env = viewEnv(ctx);
  const file = calendarFile(record, env, {
    link: recordDeepLink(ctx.me.username, record.id),
    domain: `${ctx.me.username.toLowerCase()}.t.me`,
    sequence: ctx.deps.live?.revision(record.id) ?? 0,
  });
  if (!file) return void (await ctx.answerCallbackQuery({ text: ctx.t("reminders:toast.passed") }));
  await ctx.answerCallbackQuery({ text: ctx.t("reminders:toast.calendar") });
  await ctx.replyWithDocument(new InputFile(Buffer.from(file.content, "utf8"), file.filename), {
    caption: ctx.t("reminders:calendar.caption", { title: escapeHtml(record.title[ctx.lang]) }),
  });
}

/** The user's reminders; records withdrawn or whose deadlines have all passed are forgotten on the way. */
async function listView(
  ctx: BotContext,
  reminders: ReminderService,
): Promise<{ text: string; keyboard: InlineKeyboard }> {
  const user = ctx.from!.id;
  const now = Date.now();
  const entries: { record: CatalogRecord; reminders: Awaited<ReturnType<ReminderService["list"]>>[number] }[] = [];
  for (const entry of await reminders.list(user)) {
    const record = ctx.deps.search.get(entry.recordId);
    if (!record || !hasUpcomingDeadline(record, now)) await reminders.remove(user, entry.recordId);
    else entries.push({ record, reminders: entry });
  }
  entries.sort((a, b) => (a.reminders.pending[0]?.dueAt ?? Infinity) - (b.reminders.pending[0]?.dueAt ?? Infinity));
  const shown = entries.slice(0, LIST_MAX);
  const keyboard = new InlineKeyboard();
  for (const { record } of shown) {
    try {
      keyboard.text(removeButtonText(record, ctx), encodeReminder({ op: "stop", id: record.id })).row();
    } catch {
      // An id too long for a button: listed, removable from its reminders' own button.
    }
  }
  return { text: renderRemindersList(shown, { ...viewEnv(ctx), now }), keyboard };
}

/** Under a reminder: the record's other views, 📅, and 🔕 while the reminders run. */
function reminderKeyboard(t: BotContext["t"], id: string, running: boolean): InlineKeyboard {
  const keyboard = recordKeyboard(t, id, "card", {});
  const row: [string, string][] = [[t("reminders:button.calendar"), encodeReminder({ op: "calendar", id })]];
  if (running) row.push([t("reminders:button.stop"), encodeReminder({ op: "stop", id })]);
  keyboard.row();
  for (const [text, data] of row) keyboard.text(text, data);
  return keyboard;
}

export interface ReminderDeliveryDeps {
  search: SearchEngine;
  i18n: i18n;
  sessions: StorageAdapter<SessionData>;
  logger: Logger;
}

/**
 * Sends a due reminder: the record as it is now, in the language the user reads now (their
 * conversation's, else English). A record withdrawn or whose deadline moved sends nothing ("gone");
 * a chat that blocked the bot or no longer exists is "unreachable"; a refused message is logged and
 * not tried again; network errors, 5xx and 429 are thrown, to be tried again later.
 */
export function reminderDelivery(deps: ReminderDeliveryDeps, api: Api): ReminderHooks {
  return {
    async deliver(reminder: PlannedReminder): Promise<DeliveryOutcome> {
      const record = deps.search.get(reminder.recordId);
      const deadline = record ? deadlineOf(record, reminder.deadline) : undefined;
      if (!record || !deadline) return "gone";
      const session = await Promise.resolve(deps.sessions.read(`user:${reminder.chatId}`)).catch(() => undefined);
      const lang = session?.lang ?? "en";
      const t = translator(deps.i18n, lang);
      const text = renderReminder(record, reminder, deadline, { lang, t, catalog: deps.search.catalog });
      try {
        await api.sendMessage(reminder.chatId, text, {
          reply_markup: reminderKeyboard(t, record.id, true),
          link_preview_options: { is_disabled: true },
        });
      } catch (error) {
        const failure = classifyError(error);
        if (failure.kind === "inactive") return "unreachable";
        if (failure.kind === "permanent" && error instanceof GrammyError) {
          deps.logger.warn(
            { reminder: reminder.id, error: failure.message },
            "reminder refused by Telegram; not tried again",
          );
          return "gone";
        }
        throw error;
      }
      deps.logger.info(
        { reminder: reminder.id, chat: reminder.chatId, record: record.id, days: reminder.days },
        "deadline reminder sent",
      );
      return "sent";
    },
  };
}
