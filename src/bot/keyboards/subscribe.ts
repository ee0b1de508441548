import { InlineKeyboard } from "../../grammy.js";
import type { Translate } from "../../i18n.js";
import type { SubscriptionFacet } from "../../state/coordination.js";
import { encodeCallback, type CallbackAction } from "../callback-data/index.js";
import { truncate } from "../format.js";

/** The choices being edited: sector ids, kinds and country codes. */
export interface SubscriptionChoices {
  topics: string[];
  kinds: string[];
  countries: string[];
}

/** One value a facet offers, with its label in the reply language. */
export interface Choice {
  value: string;
  label: string;
}

const CHECK = "✓ ";
const LABEL_MAX = 48;

/** The summary's buttons: one per facet (with the number chosen), then done and cancel. */
export function subscribeMenuKeyboard(t: Translate, draft: SubscriptionChoices): InlineKeyboard {
  const facet = (f: SubscriptionFacet) =>
    InlineKeyboard.text(
      draft[f].length ? t(`subscribe:button.${f}Set`, { count: draft[f].length }) : t(`subscribe:button.${f}`),
      encodeCallback({ type: "sub", op: "facet", facet: f, page: 0 }),
    );
  return new InlineKeyboard([
    [facet("topics"), facet("kinds"), facet("countries")],
    [
      InlineKeyboard.text(t("subscribe:button.done"), encodeCallback({ type: "sub", op: "save" })),
      InlineKeyboard.text(t("subscribe:button.cancel"), encodeCallback({ type: "sub", op: "cancel" })),
    ],
  ]);
}

/**
 * A page of one facet's choices: "any" first (✓ while nothing is chosen), the values with ✓ on the
 * chosen ones (topics one per row, their names are long; others two per row), paging, then back to
 * the summary and done.
 */
export function subscribeFacetKeyboard(
  t: Translate,
  facet: SubscriptionFacet,
  chosen: readonly string[],
  shown: readonly Choice[],
  page: number,
  pages: number,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  keyboard
    .text(
      `${chosen.length === 0 ? CHECK : ""}${t("subscribe:button.any")}`,
      encodeCallback({ type: "sub", op: "any", facet }),
    )
    .row();
  const perRow = facet === "topics" ? 1 : 2;
  shown.forEach((choice, i) => {
    const data = encodeSafely({ type: "sub", op: "toggle", facet, page, value: choice.value });
    if (!data) return;
    keyboard.text(`${chosen.includes(choice.value) ? CHECK : ""}${truncate(choice.label, LABEL_MAX)}`, data);
    if ((i + 1) % perRow === 0) keyboard.row();
  });
  keyboard.row();
  if (pages > 1) {
    if (page > 0)
      keyboard.text(t("common:button.previous"), encodeCallback({ type: "sub", op: "facet", facet, page: page - 1 }));
    if (page < pages - 1)
      keyboard.text(t("common:button.next"), encodeCallback({ type: "sub", op: "facet", facet, page: page + 1 }));
    keyboard.row();
  }
  keyboard
    .text(t("subscribe:button.back"), encodeCallback({ type: "sub", op: "menu" }))
    .text(t("subscribe:button.done"), encodeCallback({ type: "sub", op: "save" }));
  return keyboard;
}

/** Under a saved subscription: change it, or unsubscribe. */
export function subscriptionKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard([
    [
      InlineKeyboard.text(t("subscribe:button.edit"), encodeCallback({ type: "sub", op: "menu" })),
      InlineKeyboard.text(t("subscribe:button.unsubscribe"), encodeCallback({ type: "unsub", op: "menu" })),
    ],
  ]);
}

/** /unsubscribe: everything, or one of the chosen topics (only offered when there are several: leaving the last one would mean "any topic"). */
export function unsubscribeKeyboard(t: Translate, topics: readonly Choice[]): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text(t("subscribe:button.leaveAll"), encodeCallback({ type: "unsub", op: "leave" }))
    .row();
  if (topics.length > 1) {
    for (const topic of topics) {
      const data = encodeSafely({ type: "unsub", op: "leave", topic: topic.value });
      if (data)
        keyboard.text(t("subscribe:button.leaveTopic", { topic: truncate(topic.label, LABEL_MAX) }), data).row();
    }
  }
  return keyboard;
}

/** A sector id too long for a button's payload is left out rather than failing the menu. */
function encodeSafely(action: CallbackAction): string | undefined {
  try {
    return encodeCallback(action);
  } catch {
    return undefined;
  }
}
