import type { Language } from "../../../catalog/schema.js";
import { estimateBilledMessages, starsFor } from "../../../broadcast/cost.js";
import type { BroadcastStatus, DeliveryPacing } from "../../../broadcast/types.js";
import type { Translate } from "../../../i18n.js";
import { numberFormat } from "../../views/format.js";

/**
 * What paid broadcasting costs, in the coordinator's words: the most a broadcast can cost before it is
 * confirmed, what it has cost while it runs, and the cost in the report. Telegram bills 0.1 Star for each
 * message over the free 30 of a second (see src/broadcast/cost.ts).
 */

/** Stars with at most one decimal (0.1 Star each), in the language's digits. */
export function formatStars(stars: number, lang: Language): string {
  return numberFormat(lang, { maximumFractionDigits: 1 }).format(stars);
}

const count = (value: number, lang: Language) => numberFormat(lang).format(value);

/** At the confirmation: the most the audience can cost at the engine's pace, or that it costs nothing. */
export function paidEstimateLine(
  recipients: number | undefined,
  pacing: DeliveryPacing | undefined,
  t: Translate,
  lang: Language,
): string | undefined {
  if (!pacing?.paid || recipients === undefined || recipients === 0) return undefined;
  const billed = estimateBilledMessages(recipients, pacing.ratePerSecond);
  if (billed === 0) return t("broadcast:paid.free");
  const stars = starsFor(billed);
  return t("broadcast:paid.estimate", {
    count: stars,
    stars: formatStars(stars, lang),
    billed: count(billed, lang),
    total: count(recipients, lang),
  });
}

/** While it runs: the cost so far. In the report: the cost, the messages billed and the estimate. */
export function paidStatusLine(status: BroadcastStatus, t: Translate, lang: Language): string | undefined {
  if (!status.paid) return undefined;
  const stars = starsFor(status.paid.billed);
  if (status.state === "running") return t("broadcast:paid.running", { count: stars, stars: formatStars(stars, lang) });
  if (status.state === "scheduled") return undefined;
  return t("broadcast:paid.report", {
    count: stars,
    stars: formatStars(stars, lang),
    billed: count(status.paid.billed, lang),
    estimate: formatStars(starsFor(status.paid.estimate), lang),
  });
}

/** /broadcasts: a paid broadcast's cost beside its counts (scheduled ones have no audience yet). */
export function paidListLine(status: BroadcastStatus, t: Translate, lang: Language): string | undefined {
  return paidShort(status, "broadcast:list.paid", t, lang);
}

/**
 * /audit, for an entry of a paid broadcast: what it sent, or cancelled, cost — from the engine while it
 * remembers the broadcast, else only that it was paid (the cost is no longer known).
 */
export function paidAuditSuffix(status: BroadcastStatus | undefined, t: Translate, lang: Language): string {
  return (status && paidShort(status, "coordinator:audit.paid", t, lang)) ?? t("coordinator:audit.paid.scheduled");
}

function paidShort(status: BroadcastStatus, prefix: string, t: Translate, lang: Language): string | undefined {
  if (!status.paid) return undefined;
  if (status.state === "scheduled") return t(`${prefix}.scheduled`);
  const stars = starsFor(status.paid.billed);
  return t(`${prefix}.${status.state === "running" ? "running" : "ended"}`, {
    count: stars,
    stars: formatStars(stars, lang),
  });
}
