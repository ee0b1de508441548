import { InlineKeyboard } from "../../../grammy.js";
import { KINDS, LANGUAGES, type Language } from "../../../catalog/schema.js";
import type { BroadcastStatus } from "../../../broadcast/types.js";
import type { Translate } from "../../../i18n.js";
import { truncate } from "../../format.js";
import { FACETS, type BroadcastDraft, type Facet } from "./draft.js";
import { isPayloadOf, withinLimit } from "../../callback-data/payload.js";

/**
 * Buttons of the /broadcast flow and of /broadcasts. Payloads start with "bc:". They carry no
 * authority: the feature checks the coordinator role and its session draft on every press, and a
 * value that is not one of the offered choices is refused.
 */
export type BroadcastAction =
  | { do: "variant"; lang: Language }
  | { do: "audience" }
  | { do: "facet"; facet: Facet; page: number }
  | { do: "toggle"; facet: Facet; value: string; page: number }
  | { do: "everyone" }
  | { do: "preview" }
  | { do: "confirm" }
  | { do: "edit" }
  | { do: "cancel" }
  | { do: "schedule" }
  | { do: "now" }
  | { do: "expires" }
  /** Link a catalog record (its id is typed next), or unlink it. */
  | { do: "record" }
  | { do: "unlink" }
  /** Give the announcement an application deadline (typed next), or take it away. */
  | { do: "deadline" }
  | { do: "undeadline" }
  | { do: "stop"; id: string }
  | { do: "list" };

export const BROADCAST_PREFIX = "bc:";

const FACET_CODE: Record<Facet, string> = { topics: "t", kinds: "k", countries: "c", languages: "l" };
const SIMPLE = {
  audience: "a",
  everyone: "e",
  preview: "p",
  confirm: "ok",
  edit: "ed",
  cancel: "q",
  schedule: "s",
  now: "n",
  expires: "x",
  list: "ls",
  record: "r",
  unlink: "ru",
  deadline: "d",
  undeadline: "du",
} as const;
const VALUE: Record<Facet, (v: string) => boolean> = {
  topics: (v) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v),
  kinds: (v) => (KINDS as readonly string[]).includes(v),
  countries: (v) => /^[A-Z]{2}$/.test(v),
  languages: (v) => (LANGUAGES as readonly string[]).includes(v),
};
const BROADCAST_ID = /^[A-Za-z0-9_-]{1,48}$/;
const PAGE = /^\d{1,3}$/;

export function encodeBroadcast(action: BroadcastAction): string {
  let data: string;
  switch (action.do) {
    case "variant":
      data = `v:${action.lang}`;
      break;
    case "facet":
      data = `f:${FACET_CODE[action.facet]}:${action.page}`;
      break;
    case "toggle":
      data = `t:${FACET_CODE[action.facet]}:${action.page}:${action.value}`;
      break;
    case "stop":
      data = `c:${action.id}`;
      break;
    default:
      data = SIMPLE[action.do];
  }
  data = BROADCAST_PREFIX + data;
  return withinLimit(data);
}

export function decodeBroadcast(data: string | undefined): BroadcastAction | undefined {
  if (!isPayloadOf(data, BROADCAST_PREFIX)) return undefined;
  const parts = data.slice(BROADCAST_PREFIX.length).split(":");
  const facet = (code: string | undefined) => FACETS.find((f) => FACET_CODE[f] === code);
  switch (parts[0]) {
    case "v": {
      const lang = LANGUAGES.find((l) => l === parts[1]);
      return parts.length === 2 && lang ? { do: "variant", lang } : undefined;
    }
    case "f": {
      const f = facet(parts[1]);
      return parts.length === 3 && f && PAGE.test(parts[2]!)
        ? { do: "facet", facet: f, page: Number(parts[2]) }
        : undefined;
    }
    case "t": {
      const f = facet(parts[1]);
      const value = parts[3];
      return parts.length === 4 && f && PAGE.test(parts[2]!) && value && VALUE[f](value)
        ? { do: "toggle", facet: f, value, page: Number(parts[2]) }
        : undefined;
    }
    case "c":
      return parts.length === 2 && BROADCAST_ID.test(parts[1]!) ? { do: "stop", id: parts[1]! } : undefined;
    default: {
      if (parts.length !== 1) return undefined;
      const simple = (Object.keys(SIMPLE) as (keyof typeof SIMPLE)[]).find((k) => SIMPLE[k] === parts[0]);
      return simple ? ({ do: simple } as BroadcastAction) : undefined;
    }
  }
}

const CHECK = "✓ ";

/** Under the draft: variants, audience, schedule, expiry, the linked record, the deadline, preview, cancel. */
export function draftKeyboard(t: Translate, draft: BroadcastDraft): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  LANGUAGES.forEach((lang, i) => {
    if (i > 0 && i % 2 === 0) keyboard.row();
    const label = draft.variants?.[lang]
      ? t("broadcast:button.variantReplace", { lang: lang.toUpperCase() })
      : t("broadcast:button.variantAdd", { lang: lang.toUpperCase() });
    keyboard.text(label, encodeBroadcast({ do: "variant", lang }));
  });
  keyboard.row().text(t("broadcast:button.audience"), encodeBroadcast({ do: "audience" }));
  keyboard.row().text(t("broadcast:button.schedule"), encodeBroadcast({ do: "schedule" }));
  if (draft.scheduledAt) keyboard.text(t("broadcast:button.now"), encodeBroadcast({ do: "now" }));
  keyboard.row().text(t("broadcast:button.expires"), encodeBroadcast({ do: "expires" }));
  keyboard
    .row()
    .text(
      t(draft.record ? "broadcast:button.recordChange" : "broadcast:button.record"),
      encodeBroadcast({ do: "record" }),
    );
  if (draft.record) keyboard.text(t("broadcast:button.unlink"), encodeBroadcast({ do: "unlink" }));
  keyboard
    .row()
    .text(
      t(draft.deadline ? "broadcast:button.deadlineChange" : "broadcast:button.deadline"),
      encodeBroadcast({ do: "deadline" }),
    );
  if (draft.deadline) keyboard.text(t("broadcast:button.undeadline"), encodeBroadcast({ do: "undeadline" }));
  keyboard
    .row()
    .text(t("broadcast:button.preview"), encodeBroadcast({ do: "preview" }))
    .text(t("broadcast:button.cancel"), encodeBroadcast({ do: "cancel" }));
  return keyboard;
}

/** The audience: everyone (with its count), or tags; each facet button shows how many values are chosen. */
export function audienceKeyboard(t: Translate, draft: BroadcastDraft, everyone: string): InlineKeyboard {
  const label = t("broadcast:button.everyone", { number: everyone });
  const keyboard = new InlineKeyboard().text(
    `${draft.audience.everyone ? CHECK : ""}${label}`,
    encodeBroadcast({ do: "everyone" }),
  );
  FACETS.forEach((facet, i) => {
    if (i % 2 === 0) keyboard.row();
    const chosen = draft.audience.everyone && facet !== "languages" ? 0 : (draft.audience[facet]?.length ?? 0);
    keyboard.text(
      t(`broadcast:facet.${facet}`) + (chosen ? ` · ${chosen}` : ""),
      encodeBroadcast({ do: "facet", facet, page: 0 }),
    );
  });
  keyboard.row().text(t("broadcast:button.done"), encodeBroadcast({ do: "edit" }));
  return keyboard;
}

export interface FacetChoice {
  value: string;
  label: string;
  chosen: boolean;
}

/** Choices of one facet, ✓ on the chosen ones, with paging; "back" returns to the audience. */
export function facetKeyboard(
  t: Translate,
  facet: Facet,
  choices: FacetChoice[],
  page: number,
  pages: number,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const perRow = facet === "topics" ? 1 : 2;
  choices.forEach((choice, i) => {
    if (i > 0 && i % perRow === 0) keyboard.row();
    keyboard.text(
      `${choice.chosen ? CHECK : ""}${truncate(choice.label, 40)}`,
      encodeBroadcast({ do: "toggle", facet, value: choice.value, page }),
    );
  });
  if (pages > 1) {
    keyboard.row();
    if (page > 0) keyboard.text(t("common:button.previous"), encodeBroadcast({ do: "facet", facet, page: page - 1 }));
    if (page < pages - 1)
      keyboard.text(t("common:button.next"), encodeBroadcast({ do: "facet", facet, page: page + 1 }));
  }
  keyboard.row().text(t("common:button.back"), encodeBroadcast({ do: "audience" }));
  return keyboard;
}

/** Under the preview: send (or schedule), edit, cancel. */
export function confirmKeyboard(t: Translate, draft: BroadcastDraft): InlineKeyboard {
  return new InlineKeyboard()
    .text(
      t(draft.scheduledAt ? "broadcast:button.confirmScheduled" : "broadcast:button.confirm"),
      encodeBroadcast({ do: "confirm" }),
    )
    .row()
    .text(t("broadcast:button.edit"), encodeBroadcast({ do: "edit" }))
    .text(t("broadcast:button.cancel"), encodeBroadcast({ do: "cancel" }));
}

/** Only a cancel button, while waiting for typed input (a time, a date, a variant). */
export function backKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard().text(t("common:button.back"), encodeBroadcast({ do: "edit" }));
}

export function cancelDraftKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard().text(t("broadcast:button.cancel"), encodeBroadcast({ do: "cancel" }));
}

/** /broadcasts: a cancel button for each scheduled or running broadcast, and refresh. */
export function listKeyboard(t: Translate, statuses: readonly BroadcastStatus[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  statuses.forEach((status, i) => {
    if (status.state !== "scheduled" && status.state !== "running") return;
    keyboard.text(t("broadcast:button.stop", { n: i + 1 }), encodeBroadcast({ do: "stop", id: status.id })).row();
  });
  keyboard.text(t("broadcast:button.refresh"), encodeBroadcast({ do: "list" }));
  return keyboard;
}

/** A running broadcast's status message: a button to stop it. */
export function progressKeyboard(t: Translate, status: BroadcastStatus): InlineKeyboard | undefined {
  if (status.state !== "scheduled" && status.state !== "running") return undefined;
  return new InlineKeyboard().text(t("broadcast:button.stopThis"), encodeBroadcast({ do: "stop", id: status.id }));
}
