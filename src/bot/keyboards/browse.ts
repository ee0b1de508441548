import { InlineKeyboard } from "../../grammy.js";
import type { Translate } from "../../i18n.js";
import { encodeCallback, type CallbackAction } from "../callback-data/index.js";
import { truncate } from "../format.js";
import type { BrowseList } from "../lists.js";

/** Where the user stands in a list: which list, filters (country code, sector id) and 0-based page. */
export interface BrowseState {
  list: BrowseList;
  country?: string;
  sector?: string;
  page: number;
}

export type Facet = "country" | "sector";

/** One choice of a filter, with the number of records it would keep. */
export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

/** Labels of the active filters, for the filter buttons. */
export interface FilterLabels {
  country?: string;
  sector?: string;
}

const TITLE_MAX = 60;
const FACET_LABEL_MAX = 28;
const CHECK = "✓ ";

/**
 * A page of records (one button each, numbered as the lines of the message, opening the record's card by
 * its short title), paging, then the filters.
 */
export function listKeyboard(
  t: Translate,
  state: BrowseState,
  items: { n: number; id: string; title: string }[],
  pages: number,
  labels: FilterLabels,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const item of items) {
    const data = encodeSafely({ type: "record", view: "card", id: item.id });
    if (data) keyboard.text(`${item.n}. ${truncate(item.title, TITLE_MAX)}`, data).row();
  }
  pagingRow(keyboard, t, state.page, pages, (page) => ({
    type: "browse",
    list: state.list,
    country: state.country,
    sector: state.sector,
    page,
  }));
  return filterRows(keyboard, t, state, labels);
}

/** What a list shows when no record passes the filters: the filters, to change or clear them. */
export function emptyKeyboard(t: Translate, state: BrowseState, labels: FilterLabels): InlineKeyboard {
  return filterRows(new InlineKeyboard(), t, state, labels);
}

/**
 * The choices of one filter (two per row, ✓ on the current one, record counts), paged when there are
 * many; then "any" (clears this filter, keeps the other) and back to the list as it was.
 */
export function facetKeyboard(
  t: Translate,
  state: BrowseState,
  facet: Facet,
  values: FacetValue[],
  page: number,
  pages: number,
  numbers: Intl.NumberFormat,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  const current = facet === "country" ? state.country : state.sector;
  let inRow = 0;
  for (const v of values) {
    const data = encodeSafely({
      type: "browse",
      list: state.list,
      country: facet === "country" ? v.value : state.country,
      sector: facet === "sector" ? v.value : state.sector,
      page: 0,
    });
    if (!data) continue;
    if (inRow === 2) {
      keyboard.row();
      inRow = 0;
    }
    keyboard.text(
      `${v.value === current ? CHECK : ""}${truncate(v.label, FACET_LABEL_MAX)} · ${numbers.format(v.count)}`,
      data,
    );
    inRow++;
  }
  keyboard.row();
  pagingRow(keyboard, t, page, pages, (p) => ({
    type: "filter",
    list: state.list,
    facet,
    country: state.country,
    sector: state.sector,
    page: p,
  }));
  const any: CallbackAction = {
    type: "browse",
    list: state.list,
    country: facet === "country" ? undefined : state.country,
    sector: facet === "sector" ? undefined : state.sector,
    page: 0,
  };
  const anyData = encodeCallback(any);
  const backData = encodeCallback({
    type: "browse",
    list: state.list,
    country: state.country,
    sector: state.sector,
    page: state.page,
  });
  keyboard.text(
    `${current === undefined ? CHECK : ""}${t(facet === "country" ? "browse:button.anyCountry" : "browse:button.anySector")}`,
    anyData,
  );
  // With this filter unset, "any" already leads back to the list as it was.
  if (backData !== anyData) keyboard.text(t("common:button.back"), backData);
  return keyboard;
}

function filterRows(keyboard: InlineKeyboard, t: Translate, state: BrowseState, labels: FilterLabels): InlineKeyboard {
  const facet = (f: Facet): CallbackAction => ({
    type: "filter",
    list: state.list,
    facet: f,
    country: state.country,
    sector: state.sector,
  });
  keyboard
    .text(
      labels.country
        ? t("browse:button.countrySet", { country: truncate(labels.country, FACET_LABEL_MAX) })
        : t("browse:button.country"),
      encodeCallback(facet("country")),
    )
    .text(
      labels.sector
        ? t("browse:button.sectorSet", { sector: truncate(labels.sector, FACET_LABEL_MAX) })
        : t("browse:button.sector"),
      encodeCallback(facet("sector")),
    );
  if (state.country || state.sector)
    keyboard.row().text(t("browse:button.clear"), encodeCallback({ type: "browse", list: state.list, page: 0 }));
  return keyboard;
}

function pagingRow(
  keyboard: InlineKeyboard,
  t: Translate,
  page: number,
  pages: number,
  action: (page: number) => CallbackAction,
): void {
  if (pages <= 1) return;
  if (page > 0) keyboard.text(t("common:button.previous"), encodeCallback(action(page - 1)));
  if (page < pages - 1) keyboard.text(t("common:button.next"), encodeCallback(action(page + 1)));
  keyboard.row();
}

/** Catalog ids are free-form length: a button whose payload would not fit is left out rather than failing the list. */
function encodeSafely(action: CallbackAction): string | undefined {
  try {
    return encodeCallback(action);
  } catch {
    return undefined;
  }
}
