import { Composer, GrammyError, InlineKeyboard } from "../../grammy.js";
import { shortTitle, type CatalogRecord } from "../../catalog/schema.js";
import { decide } from "../../search/decide.js";
import type { TriageStatus } from "../../state/triage.js";
import type { UnansweredSnapshot } from "../../state/types.js";
import { decodeCallback, encodeCallback, fitsCallback } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { isPrivateChat, privateChatForCoordinators } from "../filters/chat.js";
import { escapeHtml, MESSAGE_LIMIT, splitMessage, truncate } from "../format.js";
import { coordinatorOnly, isCoordinator, refuse } from "../filters/roles.js";
import type { Translate } from "../../i18n.js";
import { recordKeyboard } from "../keyboards/record.js";
import { renderCard } from "../views/card.js";
import { utcDateTimeFormat } from "../views/format.js";
import { editView, sendView, type View } from "../views/show.js";
import { answerExpired } from "./browse.js";
import { handleQuestion } from "./question.js";
import { decidedSince, openGroups, type UnansweredGroup } from "./unanswered-groups.js";

export { groupQuestions, termsOf } from "./unanswered-groups.js";

/**
 * /unanswered (coordinators): the questions the bot could not answer and the answers users voted
 * down, newest first, grouped when they ask the same thing (src/bot/features/unanswered-groups.ts).
 *
 * A group's number opens it: reply to its askers (session step "reply": the coordinator's next message
 * goes to every chat the group's questions came from, in the asker's language, quoting their
 * question), send them the card of one of the records the engine finds closest or of any record whose
 * id the coordinator types (session step "unanswered:record", checked against the live catalog and
 * confirmed on the card), dismiss it or call it spam. Each of these is stored (state.triage) so the group leaves the list of every coordinator on
 * every process, and audited. The role is checked again on every page, button and message.
 */
export const unansweredFeature = new Composer<BotContext>();

/** Route key of the step in which the coordinator's next message is a reply. */
export const REPLY_STEP = "reply";
/** Route key of the step in which the coordinator's next message is the id of the record to answer with. */
export const RECORD_STEP = "unanswered:record";

const GROUPS_PER_PAGE = 8;
/** Records offered as the answer of a group: the engine's closest ones to its question. */
const CANDIDATES = 3;
/** A reply step left open longer than this lapses: the coordinator's next text is not sent to anyone by surprise. */
export const REPLY_STEP_MS = 30 * 60 * 1000;

unansweredFeature.command("unanswered", coordinatorOnly, privateChatForCoordinators, async (ctx) => {
  const { groups, questions } = await openGroups(ctx.deps.state);
  const snapshot: UnansweredSnapshot = { groups };
  ctx.session.unanswered = snapshot;
  if (ctx.session.step === REPLY_STEP) ctx.session.step = undefined;
  await sendView(ctx, pageView(ctx, snapshot, 0, questions));
});

unansweredFeature.callbackQuery(/^q:/, coordinatorOnly, async (ctx) => {
  const action = decodeCallback(ctx.callbackQuery.data);
  const snapshot = ctx.session.unanswered;
  if (action?.type !== "unanswered" || !isPrivateChat(ctx)) return answerExpired(ctx);

  if (action.op === "cancel") {
    if (ctx.session.step === REPLY_STEP || ctx.session.step === RECORD_STEP) ctx.session.step = undefined;
    if (snapshot) {
      snapshot.replyTo = undefined;
      snapshot.pickFor = undefined;
    }
    await editView(ctx, { text: ctx.t("coordinator:reply.cancelled") });
    await ctx.answerCallbackQuery();
    return;
  }
  if (!snapshot) return answerExpired(ctx);
  if (action.op === "page") {
    const pages = Math.max(1, Math.ceil(snapshot.groups.length / GROUPS_PER_PAGE));
    if (action.page >= pages) return answerExpired(ctx);
    await editView(ctx, pageView(ctx, snapshot, action.page));
    await ctx.answerCallbackQuery();
    return;
  }
  const group = snapshot.groups[action.group];
  // A group listed before decisions were stored with their terms cannot be decided on: list again.
  if (!group?.terms) return answerExpired(ctx);
  if (action.op !== "group" && decidedSince(group, await ctx.deps.state.triage.list())) {
    await ctx.answerCallbackQuery({ text: ctx.t("coordinator:triage.already") });
    await refreshList(ctx);
    return;
  }
  switch (action.op) {
    case "group":
      await editView(ctx, groupView(ctx, group, action.group));
      break;
    case "reply": {
      snapshot.replyTo = action.group;
      snapshot.replyAt = Date.now();
      ctx.session.step = REPLY_STEP;
      const text = ctx.t("coordinator:reply.prompt", {
        example: escapeHtml(truncate(group.example, 120)),
        chats: ctx.t("coordinator:reply.chats", { count: group.askers.length }),
      });
      await sendView(ctx, { text, keyboard: cancelKeyboard(ctx) });
      break;
    }
    case "pick": {
      snapshot.pickFor = action.group;
      snapshot.pickAt = Date.now();
      ctx.session.step = RECORD_STEP;
      const sample = candidateRecords(ctx, group)[0]?.id ?? ctx.deps.search.catalog.records[0]?.id ?? "";
      const text = ctx.t("coordinator:triage.pick.prompt", {
        example: escapeHtml(truncate(group.example, 120)),
        chats: ctx.t("coordinator:reply.chats", { count: group.askers.length }),
        sample: escapeHtml(sample),
      });
      await sendView(ctx, { text, keyboard: cancelKeyboard(ctx) });
      break;
    }
    case "dismiss":
    case "spam": {
      const status: TriageStatus = action.op === "spam" ? "spam" : "dismissed";
      await decideGroup(ctx, group, status);
      await ctx.deps.state.audit.append({
        actor: ctx.from.id,
        action: `unanswered-${action.op}`,
        details: { question: truncate(group.example, 100), count: group.count },
      });
      await refreshList(
        ctx,
        ctx.t(`coordinator:triage.done.${status}`, { example: escapeHtml(truncate(group.example, 120)) }),
      );
      break;
    }
    case "record": {
      const record = ctx.deps.search.get(action.id);
      if (!record) return answerExpired(ctx);
      const result = await answerWithRecord(ctx, group, record);
      await refreshList(ctx, deliveryLines(ctx, result).join("\n"));
      break;
    }
  }
  await ctx.answerCallbackQuery();
});

function cancelKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard().text(
    ctx.t("coordinator:reply.cancel"),
    encodeCallback({ type: "unanswered", op: "cancel" }),
  );
}

/** Sends the record's card to each asker of the group, in the asker's language; the group is answered, and audited. */
async function answerWithRecord(ctx: BotContext, group: UnansweredGroup, record: CatalogRecord): Promise<Delivery> {
  const result = await deliver(ctx, group, (t, asker) => ({
    html: `${t("coordinator:triage.toAsker", { question: escapeHtml(asker.text) })}\n\n${renderCard(record, { lang: asker.lang, t, catalog: ctx.deps.search.catalog })}`,
    keyboard: recordKeyboard(t, record.id, "card", { share: true }),
  }));
  await decideGroup(ctx, group, "answered", record.id);
  await ctx.deps.state.audit.append({
    actor: ctx.from!.id,
    action: "unanswered-record",
    details: { question: truncate(group.example, 100), record: record.id, chats: result.sent, failed: result.failed },
  });
  return result;
}

/** Stores a coordinator's decision about a group, so it leaves the list everywhere. */
async function decideGroup(
  ctx: BotContext,
  group: UnansweredGroup,
  status: TriageStatus,
  recordId?: string,
): Promise<void> {
  await ctx.deps.state.triage.mark({ terms: group.terms ?? [], status, actor: ctx.from!.id, recordId });
}

/** Lists the open groups again in the pressed message, under a line saying what was just done. */
async function refreshList(ctx: BotContext, notice?: string): Promise<void> {
  const { groups, questions } = await openGroups(ctx.deps.state);
  const snapshot: UnansweredSnapshot = { groups };
  ctx.session.unanswered = snapshot;
  const view = pageView(ctx, snapshot, 0, questions);
  await editView(ctx, notice ? { ...view, text: `${notice}\n\n${view.text}` } : view);
}

interface Delivery {
  sent: number;
  failed: number;
}

/** Sends one message to each asker of a group, in the asker's language; a blocked chat is marked inactive. */
async function deliver(
  ctx: BotContext,
  group: UnansweredGroup,
  render: (t: Translate, asker: UnansweredGroup["askers"][number]) => { html: string; keyboard?: InlineKeyboard },
): Promise<Delivery> {
  let sent = 0;
  let failed = 0;
  for (const asker of group.askers) {
    const { html, keyboard } = render(ctx.deps.i18n.getFixedT(asker.lang) as Translate, asker);
    try {
      const parts = splitMessage(html, MESSAGE_LIMIT);
      for (const [i, part] of parts.entries())
        await ctx.api.sendMessage(asker.chatId, part, {
          link_preview_options: { is_disabled: true },
          reply_markup: i === parts.length - 1 ? keyboard : undefined,
        });
      sent++;
    } catch (error) {
      failed++;
      ctx.deps.logger.warn(
        { chat: asker.chatId, message: error instanceof Error ? error.message : String(error) },
        "reply to an asker not delivered",
      );
      // The asker blocked the bot: broadcasts skip them too.
      if (error instanceof GrammyError && error.error_code === 403)
        await ctx.deps.state.subscriptions.setActive(asker.chatId, false).catch(() => undefined);
    }
  }
  return { sent, failed };
}

function deliveryLines(ctx: BotContext, { sent, failed }: Delivery): string[] {
  const lines = [ctx.t("coordinator:reply.sent", { chats: ctx.t("coordinator:reply.chats", { count: sent }) })];
  if (failed > 0)
    lines.push(ctx.t("coordinator:reply.failed", { chats: ctx.t("coordinator:reply.chats", { count: failed }) }));
  return lines;
}

/**
 * The router's handler while the step is "reply": the text goes to the askers of the chosen group. In
 * a group chat the step does not apply (the text is a question there).
 */
export const replyStep = new Composer<BotContext>();

replyStep.chatType("private").on("message:text", async (ctx) => {
  const text = ctx.message.text;
  const snapshot = ctx.session.unanswered;
  ctx.session.step = undefined;
  if (!(await isCoordinator(ctx))) {
    if (snapshot) snapshot.replyTo = undefined;
    return refuse(ctx, "coordinator");
  }
  const group = snapshot?.replyTo !== undefined ? snapshot.groups[snapshot.replyTo] : undefined;
  const fresh = snapshot?.replyAt !== undefined && Date.now() - snapshot.replyAt <= REPLY_STEP_MS;
  if (!snapshot || !group || !fresh) {
    if (snapshot) snapshot.replyTo = undefined;
    await ctx.reply(ctx.t("coordinator:reply.expired"));
    return;
  }
  snapshot.replyTo = undefined;
  // Another coordinator may have handled the group meanwhile: the askers do not get two answers.
  if (decidedSince(group, await ctx.deps.state.triage.list())) {
    await ctx.reply(ctx.t("coordinator:triage.already"));
    return;
  }

  const result = await deliver(ctx, group, (t, asker) => ({
    html: t("coordinator:reply.toAsker", { question: escapeHtml(asker.text), answer: escapeHtml(text) }),
  }));
  if (group.terms) await decideGroup(ctx, group, "answered");
  await ctx.deps.state.audit.append({
    actor: ctx.from.id,
    action: "reply",
    details: { chats: result.sent, failed: result.failed, question: truncate(group.example, 100) },
  });
  await ctx.reply(deliveryLines(ctx, result).join("\n"));
});
replyStep.use(handleQuestion);

const RECORD_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The record id in what a coordinator typed: the id itself, in any case, quoted or not, or a link that
 * opens the record (t.me/<bot>?start=r_<id>).
 */
export function typedRecordId(text: string): string {
  let id = text
    .trim()
    .replace(/^["'`«“„‹]+|["'`»”“›]+$/gu, "")
    .trim();
  const link = /[?&]start=r_([A-Za-z0-9-]+)/.exec(id);
  if (link) id = link[1]!;
  return id.replace(/^r_/, "").toLowerCase();
}

/**
 * The router's handler while the step is "unanswered:record": the coordinator's message names any
 * record of the live catalog, not only those the engine offered. An id the catalog does not have is
 * said so and asked again; a known one is shown as its card with a button that sends it (the same
 * button as the offered records, checked again when pressed).
 */
export const recordStep = new Composer<BotContext>();

recordStep.chatType("private").on("message:text", async (ctx) => {
  const snapshot = ctx.session.unanswered;
  const stop = () => {
    ctx.session.step = undefined;
    if (snapshot) snapshot.pickFor = undefined;
  };
  if (!(await isCoordinator(ctx))) {
    stop();
    return refuse(ctx, "coordinator");
  }
  const index = snapshot?.pickFor;
  const group = index !== undefined ? snapshot?.groups[index] : undefined;
  const fresh = snapshot?.pickAt !== undefined && Date.now() - snapshot.pickAt <= REPLY_STEP_MS;
  if (index === undefined || !group?.terms || !fresh) {
    stop();
    await ctx.reply(ctx.t("coordinator:triage.pick.expired"));
    return;
  }
  const typed = ctx.message.text;
  const id = typedRecordId(typed);
  const record = RECORD_ID.test(id) ? ctx.deps.search.get(id) : undefined;
  if (!record) {
    // The step stays open: the coordinator sends the id again, or cancels.
    await ctx.reply(
      ctx.t("coordinator:triage.pick.unknown", { id: escapeHtml(truncate(typed.replace(/\s+/g, " ").trim(), 80)) }),
      { reply_markup: cancelKeyboard(ctx) },
    );
    return;
  }
  stop();
  if (decidedSince(group, await ctx.deps.state.triage.list())) {
    await ctx.reply(ctx.t("coordinator:triage.already"));
    return;
  }
  const chats = ctx.t("coordinator:reply.chats", { count: group.askers.length });
  const send = { type: "unanswered", op: "record", group: index, id: record.id } as const;
  if (!fitsCallback(send)) {
    // An id too long for a button's payload: sent at once, as the coordinator asked.
    await ctx.reply(deliveryLines(ctx, await answerWithRecord(ctx, group, record)).join("\n"));
    return;
  }
  const question = ctx.t("coordinator:triage.pick.confirm", {
    example: escapeHtml(truncate(group.example, 120)),
    chats,
  });
  const card = renderCard(record, { lang: ctx.lang, t: ctx.t, catalog: ctx.deps.search.catalog });
  const keyboard = new InlineKeyboard()
    .text(ctx.t("coordinator:triage.pick.send", { chats }), encodeCallback(send))
    .row()
    .text(ctx.t("coordinator:reply.cancel"), encodeCallback({ type: "unanswered", op: "cancel" }));
  await sendView(ctx, { text: `${question}\n\n${card}`, keyboard });
});
recordStep.use(handleQuestion);

/** How often a group was asked, in which languages, how many 👎, and when last. */
function groupMeta(ctx: BotContext, g: UnansweredGroup, when = utcDateTimeFormat(ctx.lang)): string {
  const meta = [
    ctx.t("coordinator:unanswered.times", { count: g.count }),
    g.langs.map((l) => l.toUpperCase()).join(", "),
  ];
  if (g.downvoted > 0) meta.push(ctx.t("coordinator:unanswered.downvoted", { count: g.downvoted }));
  meta.push(ctx.t("coordinator:unanswered.last", { time: when.format(new Date(g.last)) }));
  return meta.join(" · ");
}

function pageView(ctx: BotContext, snapshot: UnansweredSnapshot, page: number, questions?: number): View {
  const { t } = ctx;
  const groups = snapshot.groups;
  if (groups.length === 0)
    return { text: [t("coordinator:unanswered.title"), "", t("coordinator:unanswered.none")].join("\n") };
  const total = questions ?? groups.reduce((n, g) => n + g.count, 0);
  const pages = Math.ceil(groups.length / GROUPS_PER_PAGE);
  const first = page * GROUPS_PER_PAGE;
  const shown = groups.slice(first, first + GROUPS_PER_PAGE);
  const when = utcDateTimeFormat(ctx.lang);
  const lines = [
    t("coordinator:unanswered.title"),
    t("coordinator:unanswered.summary", {
      questions: t("coordinator:unanswered.questions", { count: total }),
      groups: t("coordinator:unanswered.groups", { count: groups.length }),
    }),
  ];
  if (pages > 1) lines.push(t("coordinator:unanswered.page", { page: page + 1, pages }));
  shown.forEach((g, i) => {
    lines.push(
      "",
      t("coordinator:unanswered.group", { n: first + i + 1, example: escapeHtml(g.example) }),
      groupMeta(ctx, g, when),
    );
  });
  lines.push("", t("coordinator:unanswered.hint"));

  const keyboard = new InlineKeyboard();
  shown.forEach((_, i) => {
    keyboard.text(
      t("coordinator:unanswered.open", { n: first + i + 1 }),
      encodeCallback({ type: "unanswered", op: "group", group: first + i }),
    );
    if (i % 4 === 3) keyboard.row();
  });
  keyboard.row();
  if (page > 0)
    keyboard.text(t("common:button.previous"), encodeCallback({ type: "unanswered", op: "page", page: page - 1 }));
  if (page < pages - 1)
    keyboard.text(t("common:button.next"), encodeCallback({ type: "unanswered", op: "page", page: page + 1 }));
  return { text: lines.join("\n"), keyboard };
}

/** One group and what can be done with it; `index` is its place in the listed snapshot. */
function groupView(ctx: BotContext, group: UnansweredGroup, index: number): View {
  const { t } = ctx;
  const lines = [
    t("coordinator:unanswered.group", { n: index + 1, example: escapeHtml(group.example) }),
    groupMeta(ctx, group),
  ];
  const others = group.askers.slice(1, 4).map((a) => `• ${escapeHtml(truncate(a.text, 120))}`);
  if (others.length > 0) lines.push("", ...others);
  const candidates = candidateRecords(ctx, group).filter((r) =>
    fitsCallback({ type: "unanswered", op: "record", group: index, id: r.id }),
  );
  lines.push(
    "",
    t(candidates.length > 0 ? "coordinator:triage.hint" : "coordinator:triage.hintNoRecord", {
      chats: t("coordinator:reply.chats", { count: group.askers.length }),
    }),
  );
  const keyboard = new InlineKeyboard()
    .text(t("coordinator:triage.button.reply"), encodeCallback({ type: "unanswered", op: "reply", group: index }))
    .row();
  for (const record of candidates)
    keyboard
      .text(
        t("coordinator:triage.button.record", { title: shortTitle(record, ctx.lang) }),
        encodeCallback({ type: "unanswered", op: "record", group: index, id: record.id }),
      )
      .row();
  keyboard
    .text(t("coordinator:triage.button.pick"), encodeCallback({ type: "unanswered", op: "pick", group: index }))
    .row();
  keyboard.text(
    t("coordinator:triage.button.dismiss"),
    encodeCallback({ type: "unanswered", op: "dismiss", group: index }),
  );
  keyboard
    .text(t("coordinator:triage.button.spam"), encodeCallback({ type: "unanswered", op: "spam", group: index }))
    .row();
  keyboard.text(
    t("common:button.back"),
    encodeCallback({ type: "unanswered", op: "page", page: Math.floor(index / GROUPS_PER_PAGE) }),
  );
  return { text: lines.join("\n"), keyboard };
}

/** The records the engine finds closest to the group's question, whether or not it would answer with them. */
function candidateRecords(ctx: BotContext, group: UnansweredGroup): CatalogRecord[] {
  const decision = decide(ctx.deps.search, group.example, {
    langHint: group.askers[0]?.lang,
    limit: CANDIDATES,
  });
  return decision.response.hits
    .map((h) => ctx.deps.search.get(h.id))
    .filter((r): r is CatalogRecord => r !== undefined);
}
