import { Composer, GrammyError, InlineKeyboard } from "grammy";
import type { Language } from "../../catalog/schema.js";
import { analyze } from "../../search/analyzer.js";
import { fold } from "../../search/text.js";
import type { UnansweredQuestion, UnansweredSnapshot } from "../../state/types.js";
import { decodeCallback, encodeCallback } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { isPrivateChat, privateChatOnly } from "../filters/chat.js";
import { escapeHtml, MESSAGE_LIMIT, splitMessage, truncate } from "../format.js";
import { coordinatorOnly, isCoordinator, refuse } from "../filters/roles.js";
import { editView, sendView, type View } from "../views/show.js";
import { answerExpired } from "./browse.js";
import { handleQuestion } from "./question.js";

/**
 * /unanswered (coordinators): the questions the bot could not answer and the answers users voted
 * down, newest first, grouped when they ask the same thing. Two questions are "the same" when the
 * sets of terms the search engine analyses them into (stems, minus stop words and words of asking;
 * Chinese split into words) overlap by at least half (Jaccard ≥ 0.5) — "incubators in Kazakhstan?" and
 * "Kazakhstan incubator" group, "incubators in Uzbekistan" does not. A question is compared with each
 * group's newest question, so groups do not drift; questions in different languages stay apart.
 *
 * Each group has a "reply" button: the coordinator's next message (session step "reply") goes to
 * every chat the group's questions came from, in the asker's language, quoting their question. The
 * role is checked again on every page, button and message, and every reply is audited.
 */
export const unansweredFeature = new Composer<BotContext>();

/** Route key of the step in which the coordinator's next message is a reply. */
export const REPLY_STEP = "reply";

/** Questions read from the log for one listing. */
const QUESTIONS_READ = 300;
const GROUPS_KEPT = 60;
const ASKERS_KEPT = 50;
const GROUPS_PER_PAGE = 8;
const EXAMPLE_MAX = 200;
const SIMILARITY = 0.5;
/** A reply step left open longer than this lapses: the coordinator's next text is not sent to anyone by surprise. */
export const REPLY_STEP_MS = 30 * 60 * 1000;

/** Coordinator commands show other people's questions: only in a private chat. */
export const privateChat = privateChatOnly((ctx) => ctx.reply(ctx.t("coordinator:privateOnly")));

unansweredFeature.command("unanswered", coordinatorOnly, privateChat, async (ctx) => {
  const questions = await ctx.deps.state.questions.recent(QUESTIONS_READ);
  const snapshot: UnansweredSnapshot = { groups: groupQuestions(questions).slice(0, GROUPS_KEPT) };
  ctx.session.unanswered = snapshot;
  if (ctx.session.step === REPLY_STEP) ctx.session.step = undefined;
  await sendView(ctx, pageView(ctx, snapshot, 0, questions.length));
});

unansweredFeature.callbackQuery(/^q:/, coordinatorOnly, async (ctx) => {
  const action = decodeCallback(ctx.callbackQuery.data);
  const snapshot = ctx.session.unanswered;
  if (action?.type !== "unanswered" || !isPrivateChat(ctx)) return answerExpired(ctx);

  if (action.op === "cancel") {
    if (ctx.session.step === REPLY_STEP) ctx.session.step = undefined;
    if (snapshot) snapshot.replyTo = undefined;
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
  if (!group) return answerExpired(ctx);
  snapshot.replyTo = action.group;
  snapshot.replyAt = Date.now();
  ctx.session.step = REPLY_STEP;
  const text = ctx.t("coordinator:reply.prompt", { example: escapeHtml(truncate(group.example, 120)), chats: ctx.t("coordinator:reply.chats", { count: group.askers.length }) });
  await sendView(ctx, { text, keyboard: new InlineKeyboard().text(ctx.t("coordinator:reply.cancel"), encodeCallback({ type: "unanswered", op: "cancel" })) });
  await ctx.answerCallbackQuery();
});

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

  let sent = 0;
  let failed = 0;
  for (const asker of group.askers) {
    const t = ctx.deps.i18n.getFixedT(asker.lang);
    const html = t("coordinator:reply.toAsker", { question: escapeHtml(asker.text), answer: escapeHtml(text) });
    try {
      for (const part of splitMessage(html, MESSAGE_LIMIT)) await ctx.api.sendMessage(asker.chatId, part, { link_preview_options: { is_disabled: true } });
      sent++;
    } catch (error) {
      failed++;
      ctx.deps.logger.warn({ chat: asker.chatId, message: error instanceof Error ? error.message : String(error) }, "reply to an asker not delivered");
      // The asker blocked the bot: broadcasts skip them too.
      if (error instanceof GrammyError && error.error_code === 403) await ctx.deps.state.subscriptions.setActive(asker.chatId, false).catch(() => undefined);
    }
  }
  await ctx.deps.state.audit.append({ actor: ctx.from!.id, action: "reply", details: { chats: sent, failed, question: truncate(group.example, 100) } });
  const lines = [ctx.t("coordinator:reply.sent", { chats: ctx.t("coordinator:reply.chats", { count: sent }) })];
  if (failed > 0) lines.push(ctx.t("coordinator:reply.failed", { chats: ctx.t("coordinator:reply.chats", { count: failed }) }));
  await ctx.reply(lines.join("\n"));
});
replyStep.use(handleQuestion);

/** Date and time in UTC, spelled the reader's way ("May 1, 2025, 10:05 AM UTC"). */
export function utcDateTime(ctx: BotContext): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(ctx.lang, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" });
}

function pageView(ctx: BotContext, snapshot: UnansweredSnapshot, page: number, questions?: number): View {
  const { t } = ctx;
  const groups = snapshot.groups;
  if (groups.length === 0) return { text: [t("coordinator:unanswered.title"), "", t("coordinator:unanswered.none")].join("\n") };
  const total = questions ?? groups.reduce((n, g) => n + g.count, 0);
  const pages = Math.ceil(groups.length / GROUPS_PER_PAGE);
  const first = page * GROUPS_PER_PAGE;
  const shown = groups.slice(first, first + GROUPS_PER_PAGE);
  const when = utcDateTime(ctx);
  const lines = [
    t("coordinator:unanswered.title"),
    t("coordinator:unanswered.summary", { questions: t("coordinator:unanswered.questions", { count: total }), groups: t("coordinator:unanswered.groups", { count: groups.length }) }),
  ];
  if (pages > 1) lines.push(t("coordinator:unanswered.page", { page: page + 1, pages }));
  shown.forEach((g, i) => {
    lines.push("", t("coordinator:unanswered.group", { n: first + i + 1, example: escapeHtml(g.example) }));
    const meta = [t("coordinator:unanswered.times", { count: g.count }), g.langs.map((l) => l.toUpperCase()).join(", ")];
    if (g.downvoted > 0) meta.push(t("coordinator:unanswered.downvoted", { count: g.downvoted }));
    meta.push(t("coordinator:unanswered.last", { time: when.format(new Date(g.last)) }));
    lines.push(meta.join(" · "));
  });
  lines.push("", t("coordinator:unanswered.hint"));

  const keyboard = new InlineKeyboard();
  shown.forEach((_, i) => {
    keyboard.text(t("coordinator:unanswered.reply", { n: first + i + 1 }), encodeCallback({ type: "unanswered", op: "reply", group: first + i }));
    if (i % 4 === 3) keyboard.row();
  });
  keyboard.row();
  if (page > 0) keyboard.text(t("common:button.previous"), encodeCallback({ type: "unanswered", op: "page", page: page - 1 }));
  if (page < pages - 1) keyboard.text(t("common:button.next"), encodeCallback({ type: "unanswered", op: "page", page: page + 1 }));
  return { text: lines.join("\n"), keyboard };
}

// ---------------------------------------------------------------------------------------------------
// Grouping

type Group = UnansweredSnapshot["groups"][number];

/** Groups questions (newest first) by similar terms; groups come in the order of their newest question. */
export function groupQuestions(questions: readonly UnansweredQuestion[]): Group[] {
  const groups: { terms: Set<string>; group: Group }[] = [];
  for (const q of questions) {
    const terms = termsOf(q.text, q.lang);
    let found = groups.find((g) => jaccard(g.terms, terms) >= SIMILARITY);
    if (!found) {
      found = { terms, group: { example: truncate(q.text.replace(/\s+/g, " ").trim(), EXAMPLE_MAX), count: 0, langs: [], last: q.at, downvoted: 0, askers: [] } };
      groups.push(found);
    }
    const g = found.group;
    g.count++;
    if (!g.langs.includes(q.lang)) g.langs.push(q.lang);
    if (q.reason === "downvoted") g.downvoted++;
    if (q.at > g.last) g.last = q.at;
    // The newest question of each chat is the one quoted back to it.
    if (g.askers.length < ASKERS_KEPT && !g.askers.some((a) => a.chatId === q.chatId)) g.askers.push({ chatId: q.chatId, lang: q.lang, text: truncate(q.text.replace(/\s+/g, " ").trim(), EXAMPLE_MAX) });
  }
  for (const { group } of groups) group.langs.sort();
  return groups.map((g) => g.group);
}

/** The engine's analysed terms of a question; a question of stop words only is its folded text. */
export function termsOf(text: string, lang: Language): Set<string> {
  const terms = new Set(analyze(text, lang).keys.filter((k): k is string => k !== null));
  if (terms.size === 0) terms.add(fold(text).replace(/\s+/g, " ").trim());
  return terms;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}
