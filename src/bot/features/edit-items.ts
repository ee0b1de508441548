import { createHash } from "node:crypto";
import { InlineKeyboard } from "../../grammy.js";
import type { CatalogProblem } from "../../catalog/load.js";
import { pluralCategoriesOf } from "../../catalog/plural.js";
import { LANGUAGES, type Language } from "../../catalog/schema.js";
import type { ItemDraft, RecordDraft } from "../../state/record-edits.js";
import { encodeEdit, isListField, LIST_FIELDS, type EditAction, type ListField } from "../callback-data/edit.js";
import type { BotContext } from "../context.js";
import { escapeHtml, truncate } from "../format.js";
import { isMapping, problemsAt, setAt, text4, VALUE_STEP, valueAt, type UsageIssue } from "./edit-rules.js";

/**
 * The list fields of a record in /edit and /new — key figures, organisers, partners, contacts, links:
 * the list with its items, an item's sub-fields, adding one step by step through its sub-fields,
 * changing one sub-field, removing an item. Every value is checked where it is typed by the catalog's
 * rules (the item placed in the record); texts are asked in the four languages, none copied from
 * another. Nothing is filled in for the coordinator: an item holds only what they typed (a contact's
 * e-mail, phone, address or Telegram are never guessed).
 */

type SubType = "localized" | "phrase" | "number" | "code" | "flag" | "text" | "list";
interface SubSpec {
  type: SubType;
  optional?: boolean;
}
type SubSpecs<L extends ListField> = Record<(typeof LIST_FIELDS)[L][number], SubSpec>;

const PARTY: SubSpecs<"organisers"> = {
  name: { type: "localized" },
  record: { type: "text", optional: true },
  countries: { type: "list", optional: true },
};
const SUBS: { [L in ListField]: SubSpecs<L> } = {
  figures: {
    value: { type: "number" },
    currency: { type: "code", optional: true },
    atLeast: { type: "flag", optional: true },
    label: { type: "localized" },
    text: { type: "phrase", optional: true },
  },
  organisers: PARTY,
  partners: PARTY,
  contacts: {
    name: { type: "localized" },
    email: { type: "text", optional: true },
    phone: { type: "text", optional: true },
    url: { type: "text", optional: true },
    telegram: { type: "text", optional: true },
    note: { type: "localized", optional: true },
  },
  links: { url: { type: "text" }, title: { type: "localized", optional: true } },
};

/** Stands in for the sub-fields of an item not given yet, so the rules run on the one asked now. */
const ITEM_SKELETON: Record<ListField, Record<string, unknown>> = {
  figures: { value: 0, label: text4 },
  organisers: { name: text4 },
  partners: { name: text4 },
  contacts: { name: text4 },
  links: { url: "https://example.org" },
};

/** Items a list can have: what a button's index holds. */
const MAX_ITEMS = 100;

function subSpec(list: ListField, sub: string): SubSpec | undefined {
  return Object.hasOwn(SUBS[list], sub) ? (SUBS[list] as Record<string, SubSpec>)[sub] : undefined;
}

const perLanguage = (spec: SubSpec) => spec.type === "localized" || spec.type === "phrase";

/** A short fingerprint of an item's content: a button made for another version of the list finds it changed. */
function itemHash(item: unknown): string {
  return createHash("sha256").update(JSON.stringify(item)).digest("hex").slice(0, 6);
}

function itemsOf(draft: RecordDraft, list: ListField): Record<string, unknown>[] {
  const items = valueAt(draft.record, [list]);
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}

// ---------------------------------------------------------------------------------------------------
// Screens: the list, an item

export async function showList(ctx: BotContext, list: ListField): Promise<void> {
  const draft = ctx.session.recordDraft!;
  draft.field = list;
  draft.item = undefined;
  draft.lang = undefined;
  if (ctx.session.step === VALUE_STEP) ctx.session.step = undefined;
  const items = itemsOf(draft, list);
  const id = escapeHtml(String(draft.base ?? draft.record.id ?? "…"));
  const lines = [ctx.t("edit:items.title", { field: ctx.t(`edit:field.${list}`), id }), ""];
  const keyboard = new InlineKeyboard();
  if (items.length === 0) lines.push(ctx.t("edit:items.none"));
  items.forEach((item, index) => {
    const summary = itemSummary(list, item, ctx.lang);
    lines.push(`${index + 1}. ${escapeHtml(truncate(summary, 200))}`);
    keyboard
      .text(`${index + 1}. ${truncate(summary, 40)}`, encodeEdit({ op: "item", list, index, hash: itemHash(item) }))
      .row();
  });
  lines.push("", ctx.t("edit:items.choose"));
  if (items.length < MAX_ITEMS) keyboard.text(ctx.t("edit:items.button.add"), encodeEdit({ op: "add", list })).row();
  keyboard
    .text(ctx.t("edit:button.menu"), encodeEdit({ op: "menu" }))
    .text(ctx.t("edit:button.preview"), encodeEdit({ op: "preview" }))
    .text(ctx.t("edit:button.cancel"), encodeEdit({ op: "cancel" }));
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
}

async function showItem(ctx: BotContext, list: ListField, index: number): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const item = itemsOf(draft, list)[index];
  if (!item) return showList(ctx, list);
  draft.field = list;
  draft.item = undefined;
  draft.lang = undefined;
  if (ctx.session.step === VALUE_STEP) ctx.session.step = undefined;
  const ref = { list, index, hash: itemHash(item) };
  const lines = [`<b>${escapeHtml(itemHeading(ctx, list, index))}</b>`, ""];
  const keyboard = new InlineKeyboard();
  LIST_FIELDS[list].forEach((sub, i) => {
    const spec = subSpec(list, sub)!;
    lines.push(
      ctx.t("edit:items.line", {
        field: ctx.t(`edit:items.field.${sub}`),
        value: escapeHtml(truncate(subText(ctx, spec, item[sub], ctx.lang), 300)),
      }),
    );
    keyboard.text(ctx.t(`edit:items.field.${sub}`), encodeEdit({ op: "sub", sub, ...ref }));
    if (i % 3 === 2 || i === LIST_FIELDS[list].length - 1) keyboard.row();
  });
  lines.push("", ctx.t("edit:items.chooseSub"));
  keyboard.text(ctx.t("edit:items.button.remove"), encodeEdit({ op: "remove", ...ref }));
  keyboard
    .row()
    .text(ctx.t("edit:items.button.list"), encodeEdit({ op: "field", field: list }))
    .text(ctx.t("edit:button.preview"), encodeEdit({ op: "preview" }))
    .text(ctx.t("edit:button.cancel"), encodeEdit({ op: "cancel" }));
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
}

function itemHeading(ctx: BotContext, list: ListField, index: number | undefined): string {
  const field = ctx.t(`edit:field.${list}`);
  return index === undefined
    ? ctx.t("edit:items.newItem", { field })
    : ctx.t("edit:items.item", { field, number: index + 1 });
}

/** An item in one line: a figure's number and what it counts, a party's or contact's name, a link's text or address. */
function itemSummary(list: ListField, item: Record<string, unknown>, lang: Language): string {
  const text = (value: unknown) => (isMapping(value) ? String(value[lang] ?? value.en ?? "") : "");
  if (list === "figures")
    return `${item.atLeast ? "≥ " : ""}${String(item.value)}${item.currency ? ` ${String(item.currency)}` : ""} — ${text(item.label)}`;
  if (list === "links") return text(item.title) || String(item.url);
  return text(item.name);
}

/** A sub-field's value as the coordinator reads it (texts in their language) or as they would type it. */
function subText(ctx: BotContext, spec: SubSpec, value: unknown, lang: Language): string {
  if (value === undefined) return spec.type === "flag" ? ctx.t("edit:items.no") : "—";
  if (spec.type === "flag") return ctx.t(value === true ? "edit:items.yes" : "edit:items.no");
  if (spec.type === "localized" && isMapping(value)) return String(value[lang] ?? value.en ?? "");
  if (spec.type === "phrase" && isMapping(value)) return phraseText(value[lang] ?? value.en, lang);
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** One phrase, or the forms of each plural category separated by "|" (as they are typed). */
function phraseText(value: unknown, lang: Language): string {
  if (!isMapping(value)) return value === undefined ? "—" : String(value);
  return pluralCategoriesOf(lang)
    .map((c) => value[c])
    .filter((v) => v !== undefined)
    .join(" | ");
}

// ---------------------------------------------------------------------------------------------------
// Buttons

export async function onItemButton(
  ctx: BotContext,
  draft: RecordDraft,
  action: Extract<EditAction, { op: "add" | "item" | "remove" | "sub" | "flag" }>,
): Promise<void> {
  if (action.op === "flag") return onFlag(ctx, draft, action.value);
  if (action.op === "add") {
    const items = itemsOf(draft, action.list);
    if (items.length >= MAX_ITEMS) return showList(ctx, action.list);
    draft.item = {
      list: action.list,
      index: items.length,
      adding: true,
      value: {},
      queue: [...LIST_FIELDS[action.list]],
    };
    return askNextSub(ctx);
  }
  const item = itemsOf(draft, action.list)[action.index];
  // A button of an older screen: the item moved, changed or went; nothing is done to another one.
  if (!item || itemHash(item) !== action.hash) {
    await ctx.reply(ctx.t("edit:items.changed"));
    return showList(ctx, action.list);
  }
  switch (action.op) {
    case "item":
      return showItem(ctx, action.list, action.index);
    case "remove":
      itemsOf(draft, action.list).splice(action.index, 1);
      if (itemsOf(draft, action.list).length === 0) setAt(draft.record, [action.list], undefined);
      await ctx.reply(ctx.t("edit:items.removed"));
      return showList(ctx, action.list);
    case "sub":
      draft.item = { list: action.list, index: action.index, value: structuredClone(item), queue: [action.sub] };
      return askNextSub(ctx);
  }
}

async function onFlag(ctx: BotContext, draft: RecordDraft, value: boolean): Promise<void> {
  const item = draft.item;
  const spec = item?.sub && isListField(item.list) ? subSpec(item.list, item.sub) : undefined;
  if (!item?.sub || spec?.type !== "flag") return void (await ctx.reply(ctx.t("edit:noDraft")));
  // Only "yes" is written: the files leave out what the source does not say.
  if (value) item.value[item.sub] = true;
  else delete item.value[item.sub];
  return askNextSub(ctx);
}

/** "Keep" goes on to the next language or sub-field; "skip"/"remove" leaves an optional sub-field out. */
export async function itemKeepOrClear(ctx: BotContext, draft: RecordDraft, op: "keep" | "clear"): Promise<void> {
  const item = draft.item!;
  const list = item.list as ListField;
  const spec = subSpec(list, item.sub!)!;
  if (op === "clear") {
    if (!spec.optional) return askSub(ctx);
    delete item.value[item.sub!];
    return askNextSub(ctx);
  }
  if (currentValue(item, spec, draft.lang) === undefined) return askSub(ctx);
  return nextLanguageOrSub(ctx, spec);
}

// ---------------------------------------------------------------------------------------------------
// Asking for a sub-field

async function askNextSub(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const item = draft.item!;
  const sub = item.queue.shift();
  if (sub === undefined) return commitItem(ctx);
  item.sub = sub;
  draft.lang = perLanguage(subSpec(item.list as ListField, sub)!) ? LANGUAGES[0] : undefined;
  await askSub(ctx);
}

async function askSub(ctx: BotContext, error?: string): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const item = draft.item!;
  const list = item.list as ListField;
  const sub = item.sub!;
  const spec = subSpec(list, sub)!;
  const lang = draft.lang;
  ctx.session.step = VALUE_STEP;
  const field = ctx.t(`edit:items.field.${sub}`);
  const lines: string[] = [];
  if (error) lines.push(error, "");
  lines.push(`<b>${escapeHtml(itemHeading(ctx, list, item.adding ? undefined : item.index))}</b>`);
  lines.push(
    lang
      ? ctx.t("edit:ask.localized", { field, language: ctx.t(`edit:lang.${lang}`) })
      : ctx.t("edit:ask.value", { field }),
  );
  const forms = lang
    ? { categories: pluralCategoriesOf(lang).join(" | "), example: ctx.t(`edit:items.example.${lang}`) }
    : {};
  // A language with one plural form (Chinese) has nothing to agree: one phrase.
  const hint =
    sub === "countries"
      ? "edit:hint.countries"
      : sub === "text" && lang && pluralCategoriesOf(lang).length === 1
        ? "edit:items.hint.textSingle"
        : `edit:items.hint.${sub}`;
  lines.push(ctx.t(hint, forms));
  const firstStep = !lang || lang === LANGUAGES[0];
  if (spec.optional && firstStep && sub !== "countries" && spec.type !== "flag")
    lines.push(ctx.t("edit:items.optional"));
  const current = currentValue(item, spec, lang);
  if (current !== undefined)
    lines.push(
      "",
      ctx.t("edit:ask.current", {
        value: escapeHtml(
          truncate(
            spec.type === "phrase" ? phraseText(current, lang!) : subText(ctx, spec, current, lang ?? ctx.lang),
            600,
          ),
        ),
      }),
    );
  const choices: [string, string][] = [];
  if (spec.type === "flag")
    choices.push(
      [ctx.t("edit:items.yes"), encodeEdit({ op: "flag", value: true })],
      [ctx.t("edit:items.no"), encodeEdit({ op: "flag", value: false })],
    );
  // Keeping is for a value that exists: a missing translation is asked for, never copied from another language.
  else if (current !== undefined) choices.push([ctx.t("edit:button.keep"), encodeEdit({ op: "keep" })]);
  if (spec.optional && firstStep && spec.type !== "flag")
    choices.push([
      ctx.t(item.value[sub] === undefined ? "edit:items.button.skip" : "edit:button.clear"),
      encodeEdit({ op: "clear" }),
    ]);
  const keyboard = new InlineKeyboard();
  for (const [label, payload] of choices) keyboard.text(label, payload);
  if (choices.length) keyboard.row();
  keyboard
    .text(ctx.t("edit:items.button.list"), encodeEdit({ op: "field", field: list }))
    .text(ctx.t("edit:button.cancel"), encodeEdit({ op: "cancel" }));
  await ctx.reply(lines.join("\n"), { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
}

function currentValue(item: ItemDraft, spec: SubSpec, lang: Language | undefined): unknown {
  const value = item.value[item.sub!];
  return lang && perLanguage(spec) ? (isMapping(value) ? value[lang] : undefined) : value;
}

async function nextLanguageOrSub(ctx: BotContext, spec: SubSpec): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const next = draft.lang && perLanguage(spec) ? LANGUAGES[LANGUAGES.indexOf(draft.lang) + 1] : undefined;
  if (!next) return askNextSub(ctx);
  draft.lang = next;
  await askSub(ctx);
}

/** The item joins the record (or replaces its old version) once its last sub-field is given. */
async function commitItem(ctx: BotContext): Promise<void> {
  const draft = ctx.session.recordDraft!;
  const item = draft.item!;
  const list = item.list as ListField;
  setAt(draft.record, [list], [...itemsOf(draft, list)]);
  itemsOf(draft, list)[item.index] = item.value;
  draft.item = undefined;
  draft.lang = undefined;
  await ctx.reply(ctx.t("edit:saved"));
  return item.adding ? showList(ctx, list) : showItem(ctx, list, item.index);
}

// ---------------------------------------------------------------------------------------------------
// The value typed for a sub-field

/** The text of the value step while an item is asked: parsed for its sub-field, checked where it goes, kept or asked again. */
export async function itemValue(ctx: BotContext, draft: RecordDraft, text: string): Promise<void> {
  const item = draft.item!;
  const list = item.list as ListField;
  const sub = item.sub!;
  const spec = subSpec(list, sub)!;
  const lang = draft.lang;
  if (spec.type === "flag") return askSub(ctx, ctx.t("edit:items.error.atLeast"));
  if (text === "-" && spec.optional && (!lang || lang === LANGUAGES[0])) {
    delete item.value[sub];
    return askNextSub(ctx);
  }
  const parsed = parseSub(spec, text, lang);
  if (parsed === FORMS_WRONG)
    return askSub(
      ctx,
      ctx.t("edit:items.error.forms", {
        language: ctx.t(`edit:lang.${lang!}`),
        categories: pluralCategoriesOf(lang!).join(" | "),
      }),
    );
  const value = structuredClone(item.value);
  if (lang) value[sub] = { ...(isMapping(value[sub]) ? value[sub] : {}), [lang]: parsed };
  else value[sub] = parsed;
  const path = [list, String(item.index), sub, ...(lang ? [lang] : [])];
  const problems = problemsAt(ctx, withItem(draft, item, standIn(list, value, sub)), path);
  if (problems.length > 0) return askSub(ctx, subError(ctx, list, sub, problems[0]!, text));
  item.value = value;
  await nextLanguageOrSub(ctx, spec);
}

const FORMS_WRONG = Symbol("forms");

function parseSub(spec: SubSpec, text: string, lang: Language | undefined): unknown {
  switch (spec.type) {
    case "number":
      return parseNumber(text);
    case "code":
      return text.toUpperCase();
    case "list":
      return text
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((c) => c.toUpperCase());
    case "phrase": {
      const forms = text.split("|").map((f) => f.trim());
      if (forms.length === 1) return text;
      const categories = pluralCategoriesOf(lang!);
      if (forms.length !== categories.length) return FORMS_WRONG;
      return Object.fromEntries(categories.map((c, i) => [c, forms[i]]));
    }
    default:
      return text;
  }
}

/**
 * "1350000000", "1 350 000 000", "1,350,000,000", "2.5" or "2,5" → a number; anything else stays text,
 * for the schema to refuse where a number goes.
 */
function parseNumber(text: string): unknown {
  const compact = text.replace(/[\s\u00a0\u202f_]/g, "");
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(compact)) return Number(compact.replace(/,/g, ""));
  if (/^\d+(\.\d+)?$/.test(compact)) return Number(compact);
  if (/^\d+,\d+$/.test(compact)) return Number(compact.replace(",", "."));
  return text;
}

/** The item with stand-ins for what is not given yet (other sub-fields, the languages still to ask), for checking. */
function standIn(list: ListField, value: Record<string, unknown>, sub: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...ITEM_SKELETON[list], ...value };
  const spec = subSpec(list, sub)!;
  if (perLanguage(spec) && isMapping(value[sub])) {
    const filler = spec.type === "phrase" ? "{n}" : "-";
    out[sub] = Object.fromEntries(LANGUAGES.map((l) => [l, (value[sub] as Record<string, unknown>)[l] ?? filler]));
  }
  return out;
}

function withItem(draft: RecordDraft, item: ItemDraft, value: Record<string, unknown>): Record<string, unknown> {
  const record = structuredClone(draft.record);
  const items = valueAt(record, [item.list]);
  const list = Array.isArray(items) ? [...(items as unknown[])] : [];
  list[item.index] = value;
  record[item.list] = list;
  return record;
}

/** The rule broken, said for the sub-field; never the validator's own words. */
function subError(ctx: BotContext, list: ListField, sub: string, problem: CatalogProblem, typed: string): string {
  if ("rule" in problem) {
    const issue = problem as UsageIssue;
    return ctx.t(`edit:error.usage.${issue.rule}`, { value: escapeHtml(truncate(issue.value ?? "", 80)), max: "" });
  }
  if (/missing (required field|translation)|must not be empty/.test(problem.message))
    return ctx.t("edit:error.missing", { field: ctx.t(`edit:items.field.${sub}`) });
  if (sub === "countries") {
    const code = /\[(\d+)\]$/.exec(problem.field ?? "")?.[1];
    const value =
      code === undefined ? typed : String(typed.split(/[\s,;]+/).filter(Boolean)[Number(code)] ?? typed).toUpperCase();
    return ctx.t("edit:error.countries", { value: escapeHtml(truncate(value, 80)) });
  }
  if (subSpec(list, sub)?.type === "localized") return ctx.t("edit:error.localized");
  return ctx.t(`edit:items.error.${sub}`, { value: escapeHtml(truncate(typed, 80)) });
}

/**
 * A problem found at the preview in an item of a list (the catalog changed meanwhile, or a rule across
 * fields): that sub-field is asked again, with the rule. False when the problem is not in an item.
 */
export async function askItemAgain(ctx: BotContext, draft: RecordDraft, problem: CatalogProblem): Promise<boolean> {
  const m = /^([a-z]+)\[(\d+)\]\.([a-zA-Z]+)(?:\.(en|fr|ru|zh))?/.exec(problem.field ?? "");
  if (!m || !isListField(m[1]!)) return false;
  const list = m[1];
  const index = Number(m[2]);
  const sub = m[3]!;
  const item = itemsOf(draft, list)[index];
  const spec = subSpec(list, sub);
  if (!item || !spec) return false;
  draft.field = list;
  draft.item = { list, index, value: structuredClone(item), sub, queue: [] };
  draft.lang = perLanguage(spec) ? ((m[4] as Language | undefined) ?? LANGUAGES[0]) : undefined;
  const typed = currentValue(draft.item, spec, draft.lang);
  await askSub(
    ctx,
    subError(ctx, list, sub, problem, typed === undefined ? "" : subText(ctx, spec, typed, draft.lang ?? ctx.lang)),
  );
  return true;
}
