import { Composer } from "../../../grammy.js";
import type { Middleware } from "grammy";
import { KINDS, LANGUAGES, type CatalogRecord, type Language } from "../../../catalog/schema.js";
import { announcementId, announcementRecord } from "../../../announcements/record.js";
import { telegramSender } from "../../../broadcast/sender.js";
import type { BroadcastRequest, BroadcastStatus } from "../../../broadcast/types.js";
import type { Audience } from "../../../state/coordination.js";
import type { BotContext } from "../../context.js";
import { isPrivateChat } from "../../filters/chat.js";
import { errorId } from "../../errors.js";
import { coordinatorOnly, isCoordinator, refuse } from "../../filters/roles.js";
import { countryName } from "../../views/format.js";
import {
  audienceKeyboard,
  backKeyboard,
  BROADCAST_PREFIX,
  cancelDraftKeyboard,
  confirmKeyboard,
  decodeBroadcast,
  draftKeyboard,
  facetKeyboard,
  listKeyboard,
  progressKeyboard,
  type BroadcastAction,
  type FacetChoice,
} from "./keyboards.js";
import {
  announcementExpiry,
  facetLabel,
  formatCount,
  renderAudience,
  renderConfirm,
  renderDraft,
  renderFacet,
  renderList,
  renderProgress,
  type BroadcastViewEnv,
} from "./views.js";
import { editView, isNotModified, sendView, type View } from "../../views/show.js";
import { escapeHtml, truncate } from "../../format.js";
import {
  audienceChosen,
  CAPTION_LIMIT,
  draftMessageOf,
  newDraft,
  normalizeAudience,
  STEP,
  TEXT_LIMIT,
  toggleAudience,
  type BroadcastDraft,
  type Facet,
} from "./draft.js";
import { headerRoom, receivedContent } from "./received.js";
import { labelledDeadline, parseDeadlineInput } from "./deadline.js";
import { deadlineInstant } from "../../../catalog/deadlines.js";
import { handleQuestion } from "../question.js";
import { typedRecordId } from "../unanswered.js";
import { formatDate, formatScheduleTime, parseDate, parseScheduleTime } from "./time.js";

/**
 * /broadcast: a coordinator composes an announcement (formatted text, optionally a photo or a
 * document, optionally a variant per language), chooses the audience with a live recipient count,
 * sees a preview exactly as subscribers will, then sends it now or at a chosen time. The draft lives
 * in the session; typed parts come through the router's steps (STEP.*), the rest through buttons.
 * Every step and every press checks the coordinator role again: a forged button does nothing.
 *
 * /broadcasts: the newest broadcasts with their state, and a button to cancel those still to run.
 */
export const broadcastFeature = new Composer<BotContext>();

/** Choices per page of a facet (topics and countries are long lists). */
const FACET_PAGE_SIZE = 10;
/** Broadcasts listed by /broadcasts. */
const LIST_SIZE = 10;

broadcastFeature.command("broadcast", coordinatorOnly, async (ctx) => {
  if (!isPrivateChat(ctx)) {
    await ctx.reply(ctx.t("broadcast:privateOnly"));
    return;
  }
  if (!ctx.deps.delivery) {
    await ctx.reply(ctx.t("broadcast:unavailable"));
    return;
  }
  ctx.session.broadcast = newDraft(ctx.lang);
  ctx.session.step = STEP.compose;
  await ctx.reply(ctx.t("broadcast:compose"), { reply_markup: cancelDraftKeyboard(ctx.t) });
});

broadcastFeature.command("broadcasts", coordinatorOnly, async (ctx) => {
  const delivery = ctx.deps.delivery;
  if (!delivery) {
    await ctx.reply(ctx.t("broadcast:unavailable"));
    return;
  }
  await sendView(ctx, listView(ctx, await delivery.list(LIST_SIZE)));
});

broadcastFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith(BROADCAST_PREFIX)) return next();
  if (!(await isCoordinator(ctx))) return refuse(ctx, "coordinator");
  const action = decodeBroadcast(ctx.callbackQuery.data);
  if (!action) return expired(ctx);
  if (action.do === "stop") return stop(ctx, action.id);
  if (action.do === "list") return refreshList(ctx);
  const draft = ctx.session.broadcast;
  if (!draft) return expired(ctx);
  await onDraftButton(ctx, draft, action);
});

async function expired(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t("broadcast:expired") });
}

function env(ctx: BotContext): BroadcastViewEnv {
  return {
    t: ctx.t,
    lang: ctx.lang,
    catalog: ctx.deps.search.catalog,
    ...(ctx.deps.delivery ? { pacing: ctx.deps.delivery.pacing } : {}),
  };
}

/** Recipients of the audience as it stands; undefined until the coordinator has chosen one. */
async function recipients(ctx: BotContext, audience: Audience): Promise<number | undefined> {
  if (!audienceChosen(audience)) return undefined;
  return ctx.deps.state.subscriptions.count(normalizeAudience(audience));
}

/** The audience screen; the "Everyone" button shows how many that is (in the chosen languages). */
async function audienceView(ctx: BotContext, draft: BroadcastDraft): Promise<View> {
  const everyone = await ctx.deps.state.subscriptions.count(toggleAudience(draft.audience, "everyone"));
  return {
    text: renderAudience(draft, await recipients(ctx, draft.audience), env(ctx)),
    keyboard: audienceKeyboard(ctx.t, draft, formatCount(everyone, ctx.lang)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Buttons of the draft

async function onDraftButton(
  ctx: BotContext,
  draft: BroadcastDraft,
  action: Exclude<BroadcastAction, { do: "stop" } | { do: "list" }>,
): Promise<void> {
  const { t } = ctx;
  switch (action.do) {
    case "variant":
      if (!draft.default) return expired(ctx);
      ctx.session.step = STEP.variant(action.lang);
      await show(ctx, {
        text: t("broadcast:variantPrompt", { language: t(`broadcast:languageName.${action.lang}`) }),
        keyboard: backKeyboard(t),
      });
      break;
    case "audience":
      ctx.session.step = STEP.compose;
      await show(ctx, await audienceView(ctx, draft));
      break;
    case "everyone":
      changed(draft);
      draft.audience = toggleAudience(draft.audience, "everyone");
      await show(ctx, await audienceView(ctx, draft));
      break;
    case "facet": {
      const view = await facetView(ctx, draft, action.facet, action.page);
      if (!view) return expired(ctx);
      await show(ctx, view);
      break;
    }
    case "toggle": {
      if (!facetValues(ctx, draft, action.facet).includes(action.value)) return expired(ctx);
      changed(draft);
      draft.audience = toggleAudience(draft.audience, action.facet, action.value);
      const view = await facetView(ctx, draft, action.facet, action.page);
      if (!view) return expired(ctx);
      await show(ctx, view);
      break;
    }
    case "edit":
      ctx.session.step = STEP.compose;
      await show(ctx, await draftView(ctx, draft));
      break;
    case "schedule":
      if (!draft.default) return expired(ctx);
      ctx.session.step = STEP.schedule;
      await show(ctx, {
        text: t("broadcast:schedulePrompt", { now: escapeHtml(formatScheduleTime(new Date(), "UTC", ctx.lang)) }),
        keyboard: backKeyboard(t),
      });
      break;
    case "now":
      changed(draft);
      draft.scheduledAt = undefined;
      draft.zone = undefined;
      ctx.session.step = STEP.compose;
      await show(ctx, await draftView(ctx, draft));
      break;
    case "record":
      if (!draft.default) return expired(ctx);
      ctx.session.step = STEP.record;
      await show(ctx, { text: t("broadcast:recordPrompt"), keyboard: backKeyboard(t) });
      break;
    case "unlink":
      changed(draft);
      draft.record = undefined;
      ctx.session.step = STEP.compose;
      await show(ctx, await draftView(ctx, draft));
      break;
    case "deadline":
      if (!draft.default) return expired(ctx);
      ctx.session.step = STEP.deadline;
      await show(ctx, { text: t("broadcast:deadline.prompt"), keyboard: backKeyboard(t) });
      break;
    case "undeadline":
      changed(draft);
      draft.deadline = undefined;
      ctx.session.step = STEP.compose;
      await show(ctx, await draftView(ctx, draft));
      break;
    case "expires":
      if (!draft.default) return expired(ctx);
      ctx.session.step = STEP.expires;
      await show(ctx, {
        text: t("broadcast:expiresPrompt", { date: escapeHtml(formatDate(announcementExpiry(draft), ctx.lang)) }),
        keyboard: backKeyboard(t),
      });
      break;
    case "preview":
      if (!draft.default) return expired(ctx);
      if (!audienceChosen(draft.audience)) {
        // Nobody is sent anything by default: the coordinator picks "Everyone" or tags first.
        ctx.session.step = STEP.compose;
        await show(ctx, await audienceView(ctx, draft));
        await ctx.answerCallbackQuery({ text: t("broadcast:audience.required"), show_alert: true });
        return;
      }
      await ctx.answerCallbackQuery();
      await preview(ctx, draft);
      return;
    case "confirm":
      return confirm(ctx, draft);
    case "cancel":
      ctx.session.broadcast = undefined;
      ctx.session.step = undefined;
      await show(ctx, { text: t("broadcast:cancelled") });
      break;
  }
  await ctx.answerCallbackQuery();
}

/** Any change to the draft needs a new preview before it can be sent. */
function changed(draft: BroadcastDraft): void {
  draft.previewed = false;
  draft.rendered = undefined;
}

/** Edits the pressed message (the panel) into the view, and remembers it as the panel. */
async function show(ctx: BotContext, view: View): Promise<void> {
  const shown = await editView(ctx, view);
  const draft = ctx.session.broadcast;
  if (draft && shown) draft.panel = shown;
}

async function draftView(ctx: BotContext, draft: BroadcastDraft): Promise<View> {
  return {
    text: renderDraft(draft, await recipients(ctx, draft.audience), env(ctx), linkedRecord(ctx, draft)),
    keyboard: draftKeyboard(ctx.t, draft),
  };
}

/** The record linked to the draft, while the catalog has it. */
function linkedRecord(ctx: BotContext, draft: BroadcastDraft): CatalogRecord | undefined {
  return draft.record ? ctx.deps.search.get(draft.record) : undefined;
}

/** The values a facet offers: the catalog's sectors, the kinds, the countries of the catalog, the languages (plus any already chosen). */
function facetValues(ctx: BotContext, draft: BroadcastDraft, facet: Facet): string[] {
  const catalog = ctx.deps.search.catalog;
  const chosen = draft.audience[facet] ?? [];
  let values: string[];
  switch (facet) {
    case "topics":
      values = Object.keys(catalog.sectors).sort((a, b) =>
        facetLabel("topics", a, env(ctx)).localeCompare(facetLabel("topics", b, env(ctx)), ctx.lang),
      );
      break;
    case "kinds":
      values = KINDS.filter((k) => k !== "announcement");
      break;
    case "countries": {
      const codes = new Set<string>([...catalog.records.flatMap((r) => r.countries), ...chosen]);
      values = [...codes].sort((a, b) => countryName(a, ctx.lang).localeCompare(countryName(b, ctx.lang), ctx.lang));
      break;
    }
    case "languages":
      values = [...LANGUAGES];
      break;
  }
  return values;
}

async function facetView(
  ctx: BotContext,
  draft: BroadcastDraft,
  facet: Facet,
  page: number,
): Promise<View | undefined> {
  const values = facetValues(ctx, draft, facet);
  const pages = Math.max(1, Math.ceil(values.length / FACET_PAGE_SIZE));
  if (page >= pages) return undefined;
  const chosen = new Set<string>(draft.audience.everyone ? [] : (draft.audience[facet] ?? []));
  const choices: FacetChoice[] = values
    .slice(page * FACET_PAGE_SIZE, (page + 1) * FACET_PAGE_SIZE)
    .map((value) => ({ value, label: facetLabel(facet, value, env(ctx)), chosen: chosen.has(value) }));
  const count = await recipients(ctx, draft.audience);
  return {
    text: renderFacet(draft, facet, count, env(ctx)),
    keyboard: facetKeyboard(ctx.t, facet, choices, page, pages),
  };
}

// ---------------------------------------------------------------------------------------------------
// Preview and confirmation

/**
 * Sends the coordinator what the recipients of each language of the audience will get — the header,
 * the message or its variant, the buttons — with the very calls the delivery uses, each after a line
 * saying which language it is for (the coordinator's first), then the confirmation panel. What was
 * shown is kept in the draft: confirming sends exactly that.
 */
async function preview(ctx: BotContext, draft: BroadcastDraft): Promise<void> {
  const linked = linkedRecord(ctx, draft);
  // A record gone from the catalog since it was linked leaves no dead buttons.
  if (draft.record && !linked) draft.record = undefined;
  const content = receivedContent(draft, ctx.deps.i18n, linked);
  const chatId = ctx.chat?.id;
  if (!content || chatId === undefined) return;
  const { t } = ctx;
  const sender = telegramSender(ctx.api);
  for (const lang of previewLanguages(draft, ctx.lang)) {
    await ctx.reply(t("broadcast:preview.for", { language: t(`broadcast:languageName.${lang}`) }));
    await sender.send(chatId, content.variants?.[lang] ?? content.default);
  }
  draft.rendered = content;
  draft.previewed = true;
  ctx.session.step = STEP.compose;
  const count = await recipients(ctx, draft.audience);
  const sent = await sendView(ctx, {
    text: renderConfirm(draft, count, env(ctx)),
    keyboard: confirmKeyboard(t, draft),
  });
  draft.panel = { chatId: sent.chat.id, messageId: sent.message_id };
}

/** The languages recipients of the audience read: those it is limited to, else all four; the coordinator's first. */
function previewLanguages(draft: BroadcastDraft, first: Language): Language[] {
  const languages = draft.audience.languages?.length
    ? LANGUAGES.filter((l) => draft.audience.languages!.includes(l))
    : [...LANGUAGES];
  return languages.includes(first) ? [first, ...languages.filter((l) => l !== first)] : languages;
}

async function confirm(ctx: BotContext, draft: BroadcastDraft): Promise<void> {
  const { t } = ctx;
  const delivery = ctx.deps.delivery;
  const content = draft.rendered;
  if (!delivery || !content || !draft.previewed || !audienceChosen(draft.audience)) return expired(ctx);
  if (draft.scheduledAt && Date.parse(draft.scheduledAt) <= Date.now()) {
    changed(draft);
    draft.scheduledAt = undefined;
    draft.zone = undefined;
    await show(ctx, await draftView(ctx, draft));
    await ctx.answerCallbackQuery({ text: t("broadcast:schedule.passed"), show_alert: true });
    return;
  }
  const now = new Date();
  const expires = announcementExpiry(draft, now);
  const audience = normalizeAudience(draft.audience);
  // The panel becomes the status message the delivery edits while it runs.
  const progress = await editView(ctx, { text: t("broadcast:progress.queued", { id: escapeHtml(draft.id) }) });
  const request: BroadcastRequest = {
    id: draft.id,
    createdBy: ctx.from!.id,
    content,
    audience,
    ...(draft.scheduledAt ? { scheduledAt: draft.scheduledAt } : {}),
    ...(progress ? { progress } : {}),
    expiresAt: `${expires}T23:59:59.999Z`,
  };
  let status: BroadcastStatus;
  try {
    status = await delivery.schedule(request);
  } catch (error) {
    // The coordinator gets an error id, never the error's text (a Redis OOM message, a Lua script hash).
    const failure = errorId();
    ctx.deps.logger.error(
      { id: draft.id, errorId: failure, message: (error as Error).message },
      "broadcast not scheduled",
    );
    await show(ctx, { text: t("broadcast:failedToSchedule", { id: failure }), keyboard: confirmKeyboard(t, draft) });
    await ctx.answerCallbackQuery();
    return;
  }
  ctx.session.broadcast = undefined;
  ctx.session.step = undefined;
  ctx.deps.logger.info(
    { id: draft.id, user: ctx.from!.id, state: status.state, scheduledAt: draft.scheduledAt },
    "broadcast confirmed",
  );
  // The broadcast is on its way: its announcement and audit entry go before any call to Telegram,
  // whose failure (a query too old to answer) must not lose them.
  await Promise.all([
    ctx.deps.state.audit
      .append({
        actor: ctx.from!.id,
        action: "broadcast",
        details: {
          id: draft.id,
          scheduledAt: draft.scheduledAt ?? "now",
          variants: LANGUAGES.filter((lang) => draft.variants?.[lang]).join(",") || "none",
          ...(draft.record ? { record: draft.record } : {}),
          audience: JSON.stringify(audience).slice(0, 200),
          // /audit says a paid broadcast was paid even after the engine has forgotten its cost.
          ...(status.paid ? { paid: true } : {}),
        },
      })
      .catch((error: unknown) =>
        ctx.deps.logger.error({ id: draft.id, message: (error as Error).message }, "broadcast not audited"),
      ),
    publishAnnouncement(ctx, draft, audience, expires, now),
  ]);
  await ctx.answerCallbackQuery({
    text: t(draft.scheduledAt ? "broadcast:toast.scheduled" : "broadcast:toast.sending"),
  });
  if (draft.scheduledAt && status.state === "scheduled" && progress) {
    // The delivery edits the message once it starts; until then it says when.
    await editProgress(ctx, progress, renderProgress(status, t, ctx.lang, draft.zone ?? "UTC"), status);
  }
}

/** The broadcast as a catalog announcement, found by questions from the broadcast's start until it expires or is cancelled. */
async function publishAnnouncement(
  ctx: BotContext,
  draft: BroadcastDraft,
  audience: Audience,
  expires: string,
  now: Date,
): Promise<void> {
  const live = ctx.deps.live;
  if (!live || !draft.default) return;
  try {
    const variants: Partial<Record<Language, string>> = {};
    for (const lang of LANGUAGES) if (draft.variants?.[lang]) variants[lang] = draft.variants[lang].text;
    const record = announcementRecord({
      broadcastId: draft.id,
      text: draft.default.text,
      variants,
      sentAt: draft.scheduledAt ? new Date(draft.scheduledAt) : now,
      expires,
      sectors: audience.topics,
      countries: audience.countries,
      ...(draft.record ? { related: [draft.record] } : {}),
      ...(draft.deadline ? { deadlines: [labelledDeadline(draft.deadline, ctx.deps.i18n)] } : {}),
    });
    await live.put(record, draft.scheduledAt ? new Date(draft.scheduledAt) : undefined);
    ctx.deps.logger.info(
      { id: record.id, from: draft.scheduledAt ?? "now", expires },
      "announcement added to the catalog",
    );
  } catch (error) {
    ctx.deps.logger.error({ id: draft.id, message: (error as Error).message }, "announcement not added to the catalog");
  }
}

/** A cancelled broadcast's announcement leaves search (or never enters it, when it was scheduled), on every process. */
async function withdrawAnnouncement(ctx: BotContext, broadcastId: string): Promise<void> {
  const id = announcementId(broadcastId);
  if (!ctx.deps.live) return;
  try {
    await ctx.deps.live.remove(id);
    ctx.deps.logger.info({ id }, "announcement removed from the catalog");
  } catch (error) {
    ctx.deps.logger.error({ id, message: (error as Error).message }, "announcement not removed from the catalog");
  }
}

async function editProgress(
  ctx: BotContext,
  target: { chatId: number; messageId: number },
  text: string,
  status: BroadcastStatus,
): Promise<void> {
  try {
    await ctx.api.editMessageText(target.chatId, target.messageId, text, {
      reply_markup: progressKeyboard(ctx.t, status),
    });
  } catch (error) {
    if (!isNotModified(error))
      ctx.deps.logger.warn({ message: (error as Error).message }, "status message not updated");
  }
}

// ---------------------------------------------------------------------------------------------------
// /broadcasts and cancelling

function listView(ctx: BotContext, statuses: BroadcastStatus[]): View {
  // Titles come from the broadcasts' announcements, in the reader's language, while the catalog has them.
  const titles = new Map<string, string>();
  for (const status of statuses) {
    const record = ctx.deps.search.catalog.records.find((r) => r.id === announcementId(status.id));
    if (record) titles.set(status.id, record.title[ctx.lang]);
  }
  return { text: renderList(statuses, ctx.t, ctx.lang, titles), keyboard: listKeyboard(ctx.t, statuses) };
}

async function refreshList(ctx: BotContext): Promise<void> {
  const delivery = ctx.deps.delivery;
  if (!delivery) return expired(ctx);
  await editView(ctx, listView(ctx, await delivery.list(LIST_SIZE)));
  await ctx.answerCallbackQuery();
}

async function stop(ctx: BotContext, id: string): Promise<void> {
  const delivery = ctx.deps.delivery;
  if (!delivery) return expired(ctx);
  const before = await delivery.status(id);
  if (!before || (before.state !== "scheduled" && before.state !== "running")) {
    await ctx.answerCallbackQuery({ text: ctx.t("broadcast:stopNothing") });
    return;
  }
  const status = await delivery.cancel(id);
  if (!status) {
    await ctx.answerCallbackQuery({ text: ctx.t("broadcast:stopNothing") });
    return;
  }
  await ctx.deps.state.audit
    .append({
      actor: ctx.from!.id,
      action: "broadcast-cancel",
      details: { id, sent: status.sent, remaining: status.remaining, ...(status.paid ? { paid: true } : {}) },
    })
    .catch((error: unknown) =>
      ctx.deps.logger.error({ id, message: (error as Error).message }, "broadcast cancel not audited"),
    );
  ctx.deps.logger.info({ id, user: ctx.from!.id }, "broadcast cancelled");
  await withdrawAnnouncement(ctx, id);
  const onList = (ctx.callbackQuery?.message?.reply_markup?.inline_keyboard ?? [])
    .flat()
    .some((b) => "callback_data" in b && b.callback_data === `${BROADCAST_PREFIX}ls`);
  if (onList) await editView(ctx, listView(ctx, await delivery.list(LIST_SIZE)));
  else await editView(ctx, { text: renderProgress(status, ctx.t, ctx.lang) });
  await ctx.answerCallbackQuery({ text: ctx.t("broadcast:toast.stopped") });
}

// ---------------------------------------------------------------------------------------------------
// Typed steps (routed on session.step)

const asQuestion = new Composer<BotContext>(handleQuestion).middleware();

/** A step handler: only for a coordinator with a draft; anyone else's text is a question. */
function step(handle: (ctx: BotContext, draft: BroadcastDraft) => Promise<void>): Middleware<BotContext> {
  return async (ctx, next) => {
    const draft = ctx.session.broadcast;
    if (!draft || !ctx.message || !(await isCoordinator(ctx))) {
      ctx.session.step = undefined;
      ctx.session.broadcast = undefined;
      return asQuestion(ctx, next);
    }
    // The text is content for subscribers: the language middleware leaves the coordinator's language as it was (isContentStep).
    await handle(ctx, draft);
  };
}

async function sendDraft(ctx: BotContext, draft: BroadcastDraft): Promise<void> {
  ctx.session.step = STEP.compose;
  const sent = await sendView(ctx, await draftView(ctx, draft));
  draft.panel = { chatId: sent.chat.id, messageId: sent.message_id };
}

/** The broadcast's message (or a new one replacing it). */
export const composeStep = step(async (ctx, draft) => {
  const message = draftMessageOf(ctx.message!, undefined, headerRoom(ctx.deps.i18n));
  if (typeof message === "string") {
    await ctx.reply(ctx.t(`broadcast:composeError.${message}`, limits(ctx)), {
      reply_markup: cancelDraftKeyboard(ctx.t),
    });
    return;
  }
  changed(draft);
  draft.default = message;
  await sendDraft(ctx, draft);
});

/** The text (or message) of one language's variant. */
export function variantStep(lang: Language): Middleware<BotContext> {
  return step(async (ctx, draft) => {
    const message = draftMessageOf(ctx.message!, draft.default, headerRoom(ctx.deps.i18n));
    if (typeof message === "string") {
      await ctx.reply(ctx.t(`broadcast:composeError.${message}`, limits(ctx)), { reply_markup: backKeyboard(ctx.t) });
      return;
    }
    changed(draft);
    draft.variants = { ...draft.variants, [lang]: message };
    await sendDraft(ctx, draft);
  });
}

/** The longest text and caption a coordinator can send, the header of recipients' messages left out. */
function limits(ctx: BotContext): { text: string; caption: string } {
  const room = headerRoom(ctx.deps.i18n);
  return { text: formatCount(TEXT_LIMIT - room, ctx.lang), caption: formatCount(CAPTION_LIMIT - room, ctx.lang) };
}

/** The id of a record of the catalog whose buttons go under the message; an unknown one is said so and asked again. */
export const recordStep = step(async (ctx, draft) => {
  const typed = ctx.message!.text ?? "";
  const id = typedRecordId(typed);
  const record = /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id) ? ctx.deps.search.get(id) : undefined;
  if (!record || record.kind === "announcement") {
    await ctx.reply(
      ctx.t("broadcast:recordUnknown", { id: escapeHtml(truncate(typed.replace(/\s+/g, " ").trim(), 80)) }),
      { reply_markup: backKeyboard(ctx.t) },
    );
    return;
  }
  changed(draft);
  draft.record = record.id;
  await sendDraft(ctx, draft);
});

/** The announcement's application deadline: still ahead when the broadcast goes out. */
export const deadlineStep = step(async (ctx, draft) => {
  const parsed = parseDeadlineInput(
    ctx.message!.text ?? "",
    draft.scheduledAt ? Date.parse(draft.scheduledAt) : Date.now(),
  );
  if (typeof parsed === "string") {
    await ctx.reply(ctx.t(`broadcast:deadline.error.${parsed}`), { reply_markup: backKeyboard(ctx.t) });
    return;
  }
  changed(draft);
  draft.deadline = parsed;
  await sendDraft(ctx, draft);
});

/** A date and time with a zone; the past and the far future are refused. */
export const scheduleStep = step(async (ctx, draft) => {
  const parsed = parseScheduleTime(ctx.message!.text ?? "");
  if (!parsed.ok) {
    await ctx.reply(ctx.t(`broadcast:schedule.${parsed.reason}`), { reply_markup: backKeyboard(ctx.t) });
    return;
  }
  changed(draft);
  draft.scheduledAt = parsed.at.toISOString();
  draft.zone = parsed.zone;
  if (draft.expires && draft.expires < draft.scheduledAt.slice(0, 10)) draft.expires = undefined;
  // A deadline passed by the time it goes out is no deadline for its readers: the draft shows it gone.
  if (draft.deadline && deadlineInstant(draft.deadline) <= parsed.at.getTime()) draft.deadline = undefined;
  await ctx.reply(
    ctx.t("broadcast:schedule.set", { when: escapeHtml(formatScheduleTime(parsed.at, parsed.zone, ctx.lang)) }),
  );
  await sendDraft(ctx, draft);
});

/** The announcement's last day, from the sending day to a year after it. */
export const expiresStep = step(async (ctx, draft) => {
  const date = parseDate(ctx.message!.text ?? "");
  const sending = (draft.scheduledAt ?? new Date().toISOString()).slice(0, 10);
  const latest = new Date(Date.parse(`${sending}T00:00:00Z`) + 366 * 86_400_000).toISOString().slice(0, 10);
  if (!date || date < sending || date > latest) {
    await ctx.reply(
      ctx.t("broadcast:expiresError", {
        from: escapeHtml(formatDate(sending, ctx.lang)),
        to: escapeHtml(formatDate(latest, ctx.lang)),
      }),
      {
        reply_markup: backKeyboard(ctx.t),
      },
    );
    return;
  }
  changed(draft);
  draft.expires = date;
  await sendDraft(ctx, draft);
});
