import { Composer, InlineKeyboard } from "../../grammy.js";
import { isoToday } from "../../catalog/dates.js";
import type { CatalogProblem } from "../../catalog/load.js";
import {
  KINDS,
  LANGUAGES,
  SHORT_TITLE_MAX,
  shortTitle,
  type CatalogRecord,
  type Language,
} from "../../catalog/schema.js";
import { translator } from "../../i18n.js";
import type { RecordDraft, RecordEdit } from "../../state/record-edits.js";
import { decodeEdit, EDIT_PREFIX, encodeEdit, isListField, type EditAction } from "../callback-data/edit.js";
import { encodeCallback, fitsCallback } from "../callback-data/index.js";
import type { BotContext } from "../context.js";
import { escapeHtml, truncate } from "../format.js";
import { isPrivateChat, privateChatForCoordinators } from "../filters/chat.js";
import { isAdmin, isCoordinator, refuse } from "../filters/roles.js";
import { renderCard } from "../views/card.js";
import { askItemAgain, itemKeepOrClear, itemValue, onItemButton, showList } from "./edit-items.js";
import {
  check,
  covers,
  isMapping,
  problemsAt,
  publisherOf,
  setAt,
  VALUE_STEP,
  valueAt,
  type UsageIssue,
} from "./edit-rules.js";
import { answeredGroups, openGroups } from "./unanswered-groups.js";

/**
 * Records edited in chat. A coordinator changes a record (/edit <id>, or ✏️ on its card) or creates
 * one (/new) field by field; every value is checked by the same rules as the catalog files
 * (`checkRecordValue`) as soon as it is sent, a preview shows the card in the four languages, and the
 * change is submitted for review. An administrator approves it — it goes live on every process through
 * the live catalog — or rejects it with a comment for its author; administrators may also publish their
 * own change directly. Every step is audited, approvals with the before/after difference.
 */
export const editFeature = new Composer<BotContext>();

export { VALUE_STEP };
export const COMMENT_STEP = "edit:comment";

/** "items": a list whose items have sub-fields of their own (src/bot/features/edit-items.ts). */
type FieldType = "localized" | "kind" | "list" | "date" | "text" | "deadline" | "items";

interface FieldSpec {
  name: string;
  path: string[];
  type: FieldType;
  optional?: boolean;
  /** /new only: a record's id does not change once it exists. */
  newOnly?: boolean;
}

/** The fields a coordinator can change, in menu order. */
export const FIELDS: FieldSpec[] = [
  { name: "id", path: ["id"], type: "text", newOnly: true },
  { name: "title", path: ["title"], type: "localized" },
  { name: "short", path: ["short"], type: "localized", optional: true },
  { name: "summary", path: ["summary"], type: "localized" },
  { name: "details", path: ["details"], type: "localized", optional: true },
  { name: "kind", path: ["kind"], type: "kind" },
  { name: "countries", path: ["countries"], type: "list" },
  { name: "cities", path: ["cities"], type: "list" },
  { name: "sectors", path: ["sectors"], type: "list" },
  { name: "audiences", path: ["audiences"], type: "list" },
  { name: "figures", path: ["figures"], type: "items" },
  { name: "organisers", path: ["organisers"], type: "items" },
  { name: "partners", path: ["partners"], type: "items" },
  { name: "contacts", path: ["contacts"], type: "items" },
  { name: "links", path: ["links"], type: "items" },
  { name: "start", path: ["dates", "start"], type: "date", optional: true },
  { name: "end", path: ["dates", "end"], type: "date", optional: true },
  // The record's (first) application deadline: its day, time and zone, then what closes then.
  { name: "deadline", path: ["dates", "deadlines", "0"], type: "deadline", optional: true },
  { name: "deadlineLabel", path: ["dates", "deadlines", "0", "label"], type: "localized" },
  { name: "expires", path: ["expires"], type: "date", optional: true },
  { name: "source", path: ["source", "file"], type: "text" },
  { name: "sourceDate", path: ["source", "date"], type: "date" },
  // Who first published the source: set here only for a file no other record cites (those name it, alike).
  { name: "publisher", path: ["source", "publisher"], type: "localized", optional: true },
  { name: "verified", path: ["verified"], type: "date" },
];
const FIELD_BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));

/** What /new asks for, in order; the rest is optional and reached from the menu. */
export const NEW_FIELDS = [
  "id",
  "kind",
  "title",
  "summary",
  "countries",
  "sectors",
  "audiences",
  "source",
  "sourceDate",
];

/** Values quoted in a review's difference. */
const DIFF_VALUE_MAX = 120;
/** Lines of difference in a review message and in an audit entry. */
const DIFF_SHOWN = 20;
const AUDIT_DIFF_MAX = 1500;

// ---------------------------------------------------------------------------------------------------
// Commands and buttons

editFeature.command("edit", privateChatForCoordinators, async (ctx) => {
  if (!(await isCoordinator(ctx))) return refuse(ctx, "coordinator");
  if (!ctx.deps.live) return void (await ctx.reply(ctx.t("edit:unavailable")));
  const id = typeof ctx.match === "string" ? ctx.match.trim() : "";
  if (!id) return void (await ctx.reply(ctx.t("edit:usage")));
  await startEdit(ctx, id);
});

editFeature.command("new", privateChatForCoordinators, async (ctx) => {
  if (!(await isCoordinator(ctx))) return refuse(ctx, "coordinator");
  if (!ctx.deps.live) return void (await ctx.reply(ctx.t("edit:unavailable")));
  // The coordinator writes it from its source today.
  ctx.session.recordDraft = { record: { verified: isoToday() }, queue: [...NEW_FIELDS] };
  await ctx.reply(ctx.t("edit:newStarted"));
  await askNext(ctx);
});

editFeature.command("review", privateChatForCoordinators, async (ctx) => {
  if (!isAdmin(ctx)) return refuse(ctx, "admin");
  const pending = await ctx.deps.state.edits.pending(10);
  if (pending.length === 0) return void (await ctx.reply(ctx.t("edit:review.none")));
  for (const edit of pending)
    await ctx.reply(reviewText(ctx.t, edit), {
      reply_markup: reviewKeyboard(ctx.t, edit.id),
      link_preview_options: { is_disabled: true },
    });
});

editFeature.on("callback_query:data", async (ctx, next) => {
  if (!ctx.callbackQuery.data.startsWith(EDIT_PREFIX)) return next();
  const action = decodeEdit(ctx.callbackQuery.data);
  // A payload no editor button has (forged, or from an older version of the bot): refused as any
  // editor button is to others; a coordinator is told it is not valid. Nothing is done.
  if (!action) {
    if (!(await isCoordinator(ctx))) return refuse(ctx, "coordinator");
    return void (await ctx.answerCallbackQuery({ text: ctx.t("edit:badButton"), show_alert: true }));
  }
  if (action.op === "approve" || action.op === "reject") {
    if (!isAdmin(ctx)) return refuse(ctx, "admin");
    return action.op === "approve" ? approve(ctx, action.edit) : askComment(ctx, action.edit);
  }
  if (!(await isCoordinator(ctx))) return refuse(ctx, "coordinator");
  // Editing happens in the coordinator's private chat, never in front of a group.
  if (!isPrivateChat(ctx)) return void (await ctx.answerCallbackQuery({ text: ctx.t("coordinator:privateOnly") }));
  await ctx.answerCallbackQuery();
  await onDraftButton(ctx, action);
});

async function onDraftButton(ctx: BotContext, action: EditAction): Promise<void> {
  if (action.op === "open") return startEdit(ctx, action.id);
  const draft = ctx.session.recordDraft;
  if (!draft) return void (await ctx.reply(ctx.t("edit:noDraft")));
  switch (action.op) {
    case "field": {
      const spec = FIELD_BY_NAME.get(action.field);
      if (!spec || (spec.newOnly && draft.base)) return showMenu(ctx);
      if (spec.type === "items" && isListField(spec.name)) return showList(ctx, spec.name);
      const citing = spec.name === "publisher" ? otherCiting(ctx, draft) : undefined;
      if (citing) {
        await ctx.reply(ctx.t("edit:error.publisherShared", { id: escapeHtml(citing) }));
        return showMenu(ctx);
      }
      return ask(ctx, spec, spec.type === "localized" ? LANGUAGES[0] : undefined);
    }
    case "kind": {
      if (draft.field !== "kind") return showMenu(ctx);
      draft.record.kind = action.kind;
      return fieldDone(ctx);
    }
    case "keep":
    case "clear":
      return draft.item?.sub ? itemKeepOrClear(ctx, draft, action.op) : keepOrClear(ctx, draft, action.op);
    case "add":
    case "item":
    case "remove":
    case "sub":
    case "flag":
      return onItemButton(ctx, draft, action);
    case "menu":
      draft.queue = undefined;
      return showMenu(ctx);
    case "preview":
      return preview(ctx);
    case "submit":
      return submit(ctx);
    case "publish":
      if (!isAdmin(ctx)) return refuse(ctx, "admin");
      return publish(ctx);
    case "cancel":
      endDraft(ctx);
      return void (await ctx.reply(ctx.t("edit:cancelled")));
  }
}

async function startEdit(ctx: BotContext, id: string): Promise<void> {
  const record = ctx.deps.search.get(id);
  if (!record) return void (await ctx.reply(ctx.t("edit:notFound", { id: escapeHtml(truncate(id, 80)) })));
  ctx.session.recordDraft = { base: record.id, record: structuredClone(record) as unknown as Record<string, unknown> };
  await showMenu(ctx);
}

/** Another record of the live catalog citing the draft's source file, whose publisher the draft's must be. */
function otherCiting(ctx: BotContext, draft: RecordDraft): string | undefined {
  const file = valueAt(draft.record, ["source", "file"]);
  const own = draft.base ?? draft.record.id;
  return ctx.deps.search.catalog.records.find((r) => r.source.file === file && r.id !== own)?.id;
}

function endDraft(ctx: BotContext): void {
  ctx.session.recordDraft = undefined;
  if (ctx.session.step === VALUE_STEP) ctx.session.step = undefined;
}

// ---------------------------------------------------------------------------------------------------
// Asking for values

async function showMenu(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  draft.field = undefined;
  draft.item = undefined;
  draft.lang = undefined;
  if (ctx.session.step === VALUE_STEP) ctx.session.step = undefined;
  const keyboard = new InlineKeyboard();
  const shown = FIELDS.filter((f) => !(f.newOnly && draft.base));
  shown.forEach((f, i) => {
    keyboard.text(ctx.t(`edit:field.${f.name}`), encodeEdit({ op: "field", field: f.name }));
    if (i % 3 === 2) keyboard.row();
  });
  keyboard
    .row()
    .text(ctx.t("edit:button.preview"), encodeEdit({ op: "preview" }))
    .text(ctx.t("edit:button.cancel"), encodeEdit({ op: "cancel" }));
  const title = draft.base
    ? ctx.t("edit:menu.edit", { id: escapeHtml(draft.base) })
    : ctx.t("edit:menu.new", { id: escapeHtml(String(draft.record.id ?? "…")) });
  await ctx.reply(title, { reply_markup: keyboard });
}

/** Asks for the next field of /new's queue, or shows the menu when it is done. */
async function askNext(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const name = draft.queue?.shift();
  const spec = name === undefined ? undefined : FIELD_BY_NAME.get(name);
  if (!spec) {
    draft.queue = undefined;
    return showMenu(ctx);
  }
  await ask(ctx, spec, spec.type === "localized" ? LANGUAGES[0] : undefined);
}

async function ask(ctx: BotContext, spec: FieldSpec, lang: Language | undefined, error?: string): Promise<void> {
  const draft = ctx.session.recordDraft!;
  draft.field = spec.name;
  draft.lang = lang;
  ctx.session.step = VALUE_STEP;
  const current = valueAt(draft.record, lang ? [...spec.path, lang] : spec.path);
  const lines: string[] = [];
  if (error) lines.push(error, "");
  const field = ctx.t(`edit:field.${spec.name}`);
  lines.push(
    lang
      ? ctx.t("edit:ask.localized", { field, language: ctx.t(`edit:lang.${lang}`) })
      : ctx.t("edit:ask.value", { field }),
  );
  lines.push(ctx.t(`edit:hint.${spec.type === "list" || spec.type === "text" ? spec.name : spec.type}`));
  if (current !== undefined && !(Array.isArray(current) && current.length === 0))
    lines.push(
      "",
      ctx.t("edit:ask.current", {
        value: escapeHtml(truncate(spec.type === "deadline" ? deadlineText(current) : display(current), 600)),
      }),
    );
  const keyboard = new InlineKeyboard();
  if (spec.type === "kind") {
    KINDS.filter((k) => k !== "announcement").forEach((k, i) => {
      keyboard.text(ctx.t(`record:kind.${k}`), encodeEdit({ op: "kind", kind: k }));
      if (i % 3 === 2) keyboard.row();
    });
    keyboard.row();
  }
  // Keeping is for a value that exists: a missing translation is asked for, never copied from another language.
  if (current !== undefined && spec.type !== "kind")
    keyboard.text(ctx.t("edit:button.keep"), encodeEdit({ op: "keep" }));
  if (spec.optional && valueAt(draft.record, spec.path) !== undefined)
    keyboard.text(ctx.t("edit:button.clear"), encodeEdit({ op: "clear" }));
  keyboard
    .row()
    .text(ctx.t("edit:button.menu"), encodeEdit({ op: "menu" }))
    .text(ctx.t("edit:button.cancel"), encodeEdit({ op: "cancel" }));
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard });
}

async function keepOrClear(ctx: BotContext, draft: RecordDraft, op: "keep" | "clear"): Promise<void> {
  const spec = draft.field ? FIELD_BY_NAME.get(draft.field) : undefined;
  if (!spec) return showMenu(ctx);
  if (op === "clear") {
    if (!spec.optional) return showMenu(ctx);
    setAt(draft.record, spec.path, undefined);
    return fieldDone(ctx);
  }
  if (valueAt(draft.record, draft.lang ? [...spec.path, draft.lang] : spec.path) === undefined)
    return ask(ctx, spec, draft.lang);
  return nextLanguageOrDone(ctx, spec, draft.lang);
}

/** The text of the value step: parsed for the field, checked by the catalog's rules, kept or asked again. */
export const valueStep = new Composer<BotContext>();
valueStep.on("message:text", async (ctx) => {
  const draft = ctx.session.recordDraft;
  const spec = draft?.field ? FIELD_BY_NAME.get(draft.field) : undefined;
  if (!draft || !spec) {
    ctx.session.step = undefined;
    return void (await ctx.reply(ctx.t("edit:noDraft")));
  }
  if (!(await isCoordinator(ctx))) {
    endDraft(ctx);
    return refuse(ctx, "coordinator");
  }
  const text = ctx.message.text.trim();
  if (draft.item?.sub) return itemValue(ctx, draft, text);
  if (spec.type === "kind") return ask(ctx, spec, undefined, ctx.t("edit:error.kind"));
  if (spec.newOnly && ctx.deps.search.get(text))
    return ask(ctx, spec, draft.lang, ctx.t("edit:error.idTaken", { id: escapeHtml(truncate(text, 80)) }));
  const path = draft.lang ? [...spec.path, draft.lang] : spec.path;
  const candidate = structuredClone(draft.record);
  setAt(
    candidate,
    path,
    spec.type === "deadline" ? parseDeadline(text, valueAt(draft.record, spec.path)) : parseValue(spec, text),
  );
  // A source's publisher is the one the catalog already names for that file (never typed, never invented).
  if (spec.name === "source") setAt(candidate, ["source", "publisher"], publisherOf(ctx, text));
  // A new deadline's label is asked next, in the four languages: its absence is not this value's fault.
  const labelPath = [...spec.path, "label"];
  const problems = problemsAt(ctx, withStandIns(candidate, spec), path).filter(
    (p) => !(spec.type === "deadline" && covers(labelPath, p.field!)),
  );
  if (problems.length > 0) return ask(ctx, spec, draft.lang, errorText(ctx, spec, problems[0]!, candidate));
  draft.record = candidate;
  if (
    spec.type === "deadline" &&
    valueAt(candidate, spec.path) !== undefined &&
    valueAt(candidate, labelPath) === undefined
  )
    draft.queue = ["deadlineLabel", ...(draft.queue ?? [])];
  await nextLanguageOrDone(ctx, spec, draft.lang);
});

/**
 * The record with "-" for the languages of the field not given yet, so the rules of reading (run on a
 * whole valid record) check the language typed now, at its step.
 */
function withStandIns(record: Record<string, unknown>, spec: FieldSpec): Record<string, unknown> {
  const value = valueAt(record, spec.path);
  if (spec.type !== "localized" || !isMapping(value)) return record;
  const out = structuredClone(record);
  setAt(out, spec.path, Object.fromEntries(LANGUAGES.map((l) => [l, value[l] ?? "-"])));
  return out;
}

async function nextLanguageOrDone(ctx: BotContext, spec: FieldSpec, lang: Language | undefined): Promise<void> {
  const next = lang ? LANGUAGES[LANGUAGES.indexOf(lang) + 1] : undefined;
  if (next) return ask(ctx, spec, next);
  return fieldDone(ctx);
}

async function fieldDone(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  if (draft.queue?.length) return askNext(ctx);
  await ctx.reply(ctx.t("edit:saved"));
  await showMenu(ctx);
}

function parseValue(spec: FieldSpec, text: string): unknown {
  // "-" empties an optional value or a list.
  if (text === "-" && (spec.optional || spec.type === "list")) return spec.type === "list" ? [] : undefined;
  if (spec.type === "list") {
    const items = text.split(/[\s,;]+/).filter(Boolean);
    return spec.name === "countries" ? items.map((c) => c.toUpperCase()) : items.map((c) => c.toLowerCase());
  }
  return text;
}

/**
 * "2027-03-15", "2027-03-15 17:00", "2027-03-15 17:00 Asia/Shanghai" or "2027-03-15 Asia/Shanghai" → a
 * deadline keeping the label it had; "-" removes it. Anything else is passed on as the day, for the
 * catalog's rules to refuse.
 */
function parseDeadline(text: string, current: unknown): unknown {
  if (text === "-") return undefined;
  const label = isMapping(current) ? current.label : undefined;
  const m = /^(\S+)(?:\s+(\d{1,2}):(\d{2}))?(?:\s+(\S+))?$/.exec(text);
  if (!m) return { date: text, ...(label ? { label } : {}) };
  return {
    date: m[1],
    ...(m[2] ? { time: `${m[2].padStart(2, "0")}:${m[3]}` } : {}),
    ...(m[4] ? { zone: m[4] } : {}),
    ...(label ? { label } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Errors in the coordinator's language

/** The field (and language) a problem is about, to ask for it again. */
function specOf(problem: CatalogProblem): { spec: FieldSpec; lang?: Language } | undefined {
  const field = problem.field ?? "";
  // The most precise field: a deadline's label rather than the deadline.
  const spec = FIELDS.filter((f) => covers(f.path, field)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!spec) return undefined;
  const lang = spec.type === "localized" ? LANGUAGES.find((l) => covers([...spec.path, l], field)) : undefined;
  return { spec, ...(lang ? { lang } : {}) };
}

/** The rule broken, said for the field, with the offending item of a list; never the validator's own words. */
function errorText(ctx: BotContext, spec: FieldSpec, problem: CatalogProblem, record: unknown): string {
  const index = /\[(\d+)\]$/.exec(problem.field ?? "")?.[1];
  const item = index === undefined ? undefined : valueAt(record, [...spec.path, Number(index)]);
  if ("rule" in problem) {
    const issue = problem as UsageIssue;
    const lang = (LANGUAGES as readonly string[]).find((l) => issue.field?.endsWith(`.${l}`)) as Language | undefined;
    return ctx.t(`edit:error.usage.${issue.rule}`, {
      value: escapeHtml(truncate(issue.value ?? "", 80)),
      max: lang ? SHORT_TITLE_MAX[lang] : "",
    });
  }
  if (/missing (required field|translation)|must not be empty/.test(problem.message))
    return ctx.t("edit:error.missing", { field: ctx.t(`edit:field.${spec.name}`) });
  const key = spec.type === "list" || spec.type === "text" ? spec.name : spec.type;
  return ctx.t(`edit:error.${key}`, { value: escapeHtml(truncate(item === undefined ? "" : String(item), 80)) });
}

// ---------------------------------------------------------------------------------------------------
// Preview, submission, review

async function preview(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const record = await checked(ctx, draft);
  if (!record) return;
  for (const lang of LANGUAGES) {
    const t = translator(ctx.deps.i18n, lang);
    await ctx.reply(
      `${t("edit:preview.language")}\n\n${renderCard(record, { lang, t, catalog: ctx.deps.search.catalog })}`,
      { link_preview_options: { is_disabled: true } },
    );
  }
  const before = draft.base ? ctx.deps.search.get(draft.base) : undefined;
  const changes = difference(before, record);
  const keyboard = new InlineKeyboard().text(ctx.t("edit:button.submit"), encodeEdit({ op: "submit" }));
  if (isAdmin(ctx)) keyboard.text(ctx.t("edit:button.publish"), encodeEdit({ op: "publish" }));
  keyboard
    .row()
    .text(ctx.t("edit:button.menu"), encodeEdit({ op: "menu" }))
    .text(ctx.t("edit:button.cancel"), encodeEdit({ op: "cancel" }));
  const lines = [
    changes.length ? ctx.t("edit:preview.changes") : ctx.t("edit:preview.noChanges"),
    ...diffLines(changes),
  ];
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
}

/** The draft as a catalog record, or undefined after asking again for the first field that is wrong. */
async function checked(ctx: BotContext, draft: RecordDraft): Promise<CatalogRecord | undefined> {
  if (!draft.base && typeof draft.record.id === "string" && ctx.deps.search.get(draft.record.id)) {
    await ask(
      ctx,
      FIELD_BY_NAME.get("id")!,
      undefined,
      ctx.t("edit:error.idTaken", { id: escapeHtml(draft.record.id) }),
    );
    return undefined;
  }
  const result = check(ctx, draft.record);
  if (result.ok) return result.record;
  const problem = result.problems.find((p) => specOf(p)) ?? result.problems[0]!;
  const at = specOf(problem);
  if (at?.spec.type === "items" && (await askItemAgain(ctx, draft, problem))) return undefined;
  if (!at || at.spec.type === "items") {
    await ctx.reply(ctx.t("edit:error.invalid"));
    return undefined;
  }
  // A short title the record does not have yet is asked for from the first language on.
  const fromFirst =
    "rule" in problem &&
    (problem as UsageIssue).rule === "shortNeeded" &&
    valueAt(draft.record, ["short"]) === undefined;
  await ask(
    ctx,
    at.spec,
    fromFirst ? LANGUAGES[0] : (at.lang ?? (at.spec.type === "localized" ? LANGUAGES[0] : undefined)),
    errorText(ctx, at.spec, problem, draft.record),
  );
  return undefined;
}

async function submit(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const record = await checked(ctx, draft);
  if (!record) return;
  const before = draft.base ? ctx.deps.search.get(draft.base) : undefined;
  const edit = await ctx.deps.state.edits.submit({
    record,
    ...(before ? { before } : {}),
    author: ctx.from!.id,
    authorChat: ctx.chat!.id,
    authorLang: ctx.lang,
  });
  await ctx.deps.state.audit.append({
    actor: ctx.from!.id,
    action: "record",
    details: { op: "submit", edit: edit.id, record: record.id },
  });
  ctx.deps.logger.info({ actor: ctx.from!.id, edit: edit.id, record: record.id }, "record edit submitted for review");
  endDraft(ctx);
  await ctx.reply(ctx.t("edit:submitted", { edit: edit.id }));
  await notifyAdmins(ctx, edit);
}

/** Each administrator gets the change with its buttons, in the language of their own conversation. */
async function notifyAdmins(ctx: BotContext, edit: RecordEdit): Promise<void> {
  for (const admin of ctx.deps.settings.adminIds) {
    if (admin === ctx.from?.id) continue;
    const lang = (await ctx.deps.state.sessions.read(`user:${admin}`).catch(() => undefined))?.lang ?? "en";
    const t = translator(ctx.deps.i18n, lang);
    try {
      await ctx.api.sendMessage(admin, reviewText(t, edit), {
        reply_markup: reviewKeyboard(t, edit.id),
        link_preview_options: { is_disabled: true },
      });
    } catch (error) {
      // An administrator who never started the bot cannot be written to; /review lists the change for them.
      ctx.deps.logger.warn({ admin, edit: edit.id, message: (error as Error).message }, "review request not delivered");
    }
  }
}

function reviewText(t: BotContext["t"], edit: RecordEdit): string {
  const head = edit.before
    ? t("edit:review.edit", { edit: edit.id, id: escapeHtml(edit.record.id), author: edit.author })
    : t("edit:review.new", { edit: edit.id, id: escapeHtml(edit.record.id), author: edit.author });
  return [head, "", ...diffLines(difference(edit.before, edit.record))].join("\n");
}

function reviewKeyboard(t: BotContext["t"], edit: string): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("edit:button.approve"), encodeEdit({ op: "approve", edit }))
    .text(t("edit:button.reject"), encodeEdit({ op: "reject", edit }));
}

async function approve(ctx: BotContext, id: string): Promise<void> {
  const live = ctx.deps.live;
  const edit = await ctx.deps.state.edits.get(id);
  if (!live || !edit || edit.status !== "pending")
    return void (await ctx.answerCallbackQuery({ text: ctx.t("edit:review.decided") }));
  // The catalog may have changed since the submission (a reload, another edit): the same rules again.
  const result = check(ctx, edit.record);
  if (!result.ok)
    return void (await ctx.answerCallbackQuery({ text: ctx.t("edit:review.invalidNow"), show_alert: true }));
  const decided = await ctx.deps.state.edits.decide(id, { status: "approved", reviewer: ctx.from!.id });
  if (!decided) return void (await ctx.answerCallbackQuery({ text: ctx.t("edit:review.decided") }));
  const before = ctx.deps.search.get(edit.record.id);
  await goLive(ctx, result.record, before, { op: "approve", edit: id, author: edit.author });
  await ctx.answerCallbackQuery({ text: ctx.t("edit:review.approved", { edit: id }) });
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t("edit:review.approved", { edit: id }));
  await tellAuthor(ctx, decided, "edit:author.approved");
}

async function askComment(ctx: BotContext, id: string): Promise<void> {
  const edit = await ctx.deps.state.edits.get(id);
  if (!edit || edit.status !== "pending")
    return void (await ctx.answerCallbackQuery({ text: ctx.t("edit:review.decided") }));
  ctx.session.rejecting = id;
  ctx.session.step = COMMENT_STEP;
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("edit:review.askComment", { edit: id }));
}

/** The administrator's comment on a rejected change, sent back to its author. */
export const commentStep = new Composer<BotContext>();
commentStep.on("message:text", async (ctx) => {
  const id = ctx.session.rejecting;
  ctx.session.step = undefined;
  ctx.session.rejecting = undefined;
  if (!isAdmin(ctx)) return refuse(ctx, "admin");
  const comment = truncate(ctx.message.text.trim(), 1000);
  const decided = id
    ? await ctx.deps.state.edits.decide(id, { status: "rejected", reviewer: ctx.from.id, comment })
    : undefined;
  if (!decided) return void (await ctx.reply(ctx.t("edit:review.decided")));
  await ctx.deps.state.audit.append({
    actor: ctx.from.id,
    action: "record",
    details: { op: "reject", edit: decided.id, record: decided.record.id, author: decided.author },
  });
  await ctx.reply(ctx.t("edit:review.rejected", { edit: decided.id }));
  await tellAuthor(ctx, decided, "edit:author.rejected");
});

async function tellAuthor(ctx: BotContext, edit: RecordEdit, key: string): Promise<void> {
  const t = translator(ctx.deps.i18n, edit.authorLang);
  const text = t(key, { edit: edit.id, id: escapeHtml(edit.record.id), comment: escapeHtml(edit.comment ?? "") });
  await ctx.api
    .sendMessage(edit.authorChat, text)
    .catch((error: unknown) =>
      ctx.deps.logger.warn({ edit: edit.id, message: (error as Error).message }, "author not told of the review"),
    );
}

async function publish(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const record = await checked(ctx, draft);
  if (!record) return;
  const before = ctx.deps.search.get(record.id);
  await goLive(ctx, record, before, { op: "publish" });
  endDraft(ctx);
  await ctx.reply(ctx.t("edit:published", { id: escapeHtml(record.id) }));
}

/** Puts the record in the live catalog (every process applies it) and audits the difference. */
async function goLive(
  ctx: BotContext,
  record: CatalogRecord,
  before: CatalogRecord | undefined,
  details: Record<string, string | number>,
): Promise<void> {
  await ctx.deps.live!.put(record);
  const changes = difference(before, record);
  await ctx.deps.state.audit.append({
    actor: ctx.from!.id,
    action: "record",
    details: {
      ...details,
      record: record.id,
      created: !before,
      fields: changes.map((c) => c.path).join(", "),
      diff: truncate(
        JSON.stringify(Object.fromEntries(changes.map((c) => [c.path, [c.before ?? null, c.after ?? null]]))),
        AUDIT_DIFF_MAX,
      ),
    },
  });
  ctx.deps.logger.info({ actor: ctx.from!.id, record: record.id, fields: changes.length, ...details }, "record live");
  await afterRecordLive(ctx, record);
}

/** Groups of unanswered questions offered at once after a record goes live. */
const NOW_ANSWERED_SHOWN = 5;

/**
 * After a record went live: the groups of unanswered questions the bot now answers with it (its own
 * answer decision), each with a button that sends the record to that group's askers and takes the
 * group off the list (the /unanswered button, on a fresh list of groups).
 */
export async function afterRecordLive(ctx: BotContext, record: CatalogRecord): Promise<void> {
  const { groups } = await openGroups(ctx.deps.state);
  const answered = answeredGroups(ctx.deps.search, groups, {
    threshold: ctx.deps.settings.answerThreshold,
    recordIds: new Set([record.id]),
  }).filter((a) => fitsCallback({ type: "unanswered", op: "record", group: a.index, id: record.id }));
  if (answered.length === 0) return;
  ctx.session.unanswered = { groups };
  const keyboard = new InlineKeyboard();
  for (const { group, index } of answered.slice(0, NOW_ANSWERED_SHOWN)) {
    keyboard
      .text(
        ctx.t("coordinator:triage.notify", { example: truncate(group.example, 40), count: group.askers.length }),
        encodeCallback({ type: "unanswered", op: "record", group: index, id: record.id }),
      )
      .row();
  }
  await ctx.reply(
    ctx.t("coordinator:triage.nowAnswers", { title: escapeHtml(shortTitle(record, ctx.lang)), count: answered.length }),
    { reply_markup: keyboard },
  );
}

// ---------------------------------------------------------------------------------------------------
// The difference between two versions of a record, leaf by leaf

interface Change {
  path: string;
  before?: string;
  after?: string;
}

export function difference(before: CatalogRecord | undefined, after: CatalogRecord): Change[] {
  const a = leaves(before ?? {});
  const b = leaves(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => ({ path: p, ...(a.has(p) ? { before: a.get(p)! } : {}), ...(b.has(p) ? { after: b.get(p)! } : {}) }));
}

/** Localized texts and plain values by dotted path; lists as one value ("KZ, CN"). */
function leaves(value: unknown, prefix = "", into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object")) {
      if (value.length) into.set(prefix, value.join(", "));
    } else value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, into));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, into);
  } else if (value !== undefined) into.set(prefix, String(value));
  return into;
}

function diffLines(changes: Change[]): string[] {
  const q = (v: string | undefined) => (v === undefined ? "—" : `«${escapeHtml(truncate(v, DIFF_VALUE_MAX))}»`);
  const lines = changes
    .slice(0, DIFF_SHOWN)
    .map((c) => `• <code>${escapeHtml(c.path)}</code>: ${q(c.before)} → ${q(c.after)}`);
  if (changes.length > DIFF_SHOWN) lines.push(`… +${changes.length - DIFF_SHOWN}`);
  return lines;
}

/** A deadline as it is typed: "2027-03-15 17:00 Asia/Shanghai". */
function deadlineText(value: unknown): string {
  const d = isMapping(value) ? value : {};
  return [d.date, d.time, d.zone].filter((v) => typeof v === "string").join(" ");
}

function display(value: unknown): string {
  return Array.isArray(value) ? value.join(", ") : typeof value === "object" ? JSON.stringify(value) : String(value);
}
