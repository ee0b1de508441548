import { LANGUAGES, shortTitle, type Catalog, type CatalogRecord, type Language } from "../../../catalog/schema.js";
import type { BroadcastStatus, DeliveryPacing } from "../../../broadcast/types.js";
import type { Translate } from "../../../i18n.js";
import type { Audience } from "../../../state/coordination.js";
import { escapeHtml, truncate } from "../../format.js";
import { addDays, formatDate, formatScheduleTime } from "./time.js";
import { DEFAULT_ANNOUNCEMENT_DAYS } from "../../../announcements/record.js";
import { audienceChosen, FACETS, type BroadcastDraft, type Facet } from "./draft.js";
import { countryName, dateTimeFormat, formatList, numberFormat } from "../../views/format.js";
import { deadlineLine } from "../../views/card.js";
import { paidEstimateLine, paidListLine, paidStatusLine } from "./paid.js";

/** Texts of the /broadcast flow, of /broadcasts and of the progress message. Numbers and dates via Intl. */

export interface BroadcastViewEnv {
  t: Translate;
  lang: Language;
  catalog: Catalog;
  /** The delivery's pace: with paid broadcasting, the confirmation says what it can cost. */
  pacing?: DeliveryPacing;
}

export function formatCount(value: number, lang: Language): string {
  return numberFormat(lang).format(value);
}

/** "4 minutes", "1 hour", "30 seconds" in the language, rounded up to a readable unit. */
export function formatDuration(seconds: number, lang: Language): string {
  const s = Math.max(1, Math.ceil(seconds));
  const [value, unit] =
    s < 60 ? [s, "second"] : s < 3600 ? [Math.ceil(s / 60), "minute"] : [Math.round((s / 3600) * 10) / 10, "hour"];
  return numberFormat(lang, { style: "unit", unit, unitDisplay: "long", maximumFractionDigits: 1 }).format(value);
}

/** The label of one facet value in the coordinator's language. */
export function facetLabel(facet: Facet, value: string, env: BroadcastViewEnv): string {
  switch (facet) {
    case "topics":
      return env.catalog.sectors[value]?.[env.lang] ?? value;
    case "kinds":
      return env.t(`common:kinds.${value}`);
    case "countries":
      return countryName(value, env.lang);
    case "languages":
      return (LANGUAGES as readonly string[]).includes(value) ? env.t(`broadcast:languageName.${value}`) : value;
  }
}

/** "everyone" or one line per tag, then the languages it is limited to; "not chosen yet" before any choice. */
export function describeAudience(audience: Audience, env: BroadcastViewEnv): string {
  if (!audienceChosen(audience)) return env.t("broadcast:audience.none");
  const facets = FACETS.filter((f) => (audience[f]?.length ?? 0) > 0 && (!audience.everyone || f === "languages"));
  const lines = facets.map(
    (f) =>
      `${env.t(`broadcast:facet.${f}`)}: ${escapeHtml(
        formatList(
          (audience[f] ?? []).map((v) => facetLabel(f, v, env)),
          env.lang,
        ),
      )}`,
  );
  return [...(audience.everyone ? [env.t("broadcast:audience.everyone")] : []), ...lines].join("\n");
}

/** The live count, or a prompt while no audience is chosen. */
function recipientsLine(recipients: number | undefined, env: BroadcastViewEnv): string {
  if (recipients === undefined) return env.t("broadcast:audience.choose");
  return env.t("broadcast:draft.recipients", { count: recipients, number: formatCount(recipients, env.lang) });
}

/** Last day the announcement is found: as given, else DEFAULT_ANNOUNCEMENT_DAYS after sending. */
export function announcementExpiry(draft: BroadcastDraft, now = new Date()): string {
  const expires =
    draft.expires ?? addDays(draft.scheduledAt ? new Date(draft.scheduledAt) : now, DEFAULT_ANNOUNCEMENT_DAYS);
  // Found, and its reminders kept, until its deadline at least (a record leaving search ends them).
  return draft.deadline && draft.deadline.date > expires ? draft.deadline.date : expires;
}

/** The deadline as cards say it ("⏰ Applications close on 20 May 2031 (until 23:59 UTC)"). */
function deadlineText(draft: BroadcastDraft, env: BroadcastViewEnv): string | undefined {
  if (!draft.deadline) return undefined;
  const label = env.t("broadcast:deadline.label");
  return deadlineLine({ ...draft.deadline, label: { en: label, fr: label, ru: label, zh: label } }, env);
}

function when(draft: BroadcastDraft, env: BroadcastViewEnv): string {
  return draft.scheduledAt && draft.zone
    ? escapeHtml(formatScheduleTime(new Date(draft.scheduledAt), draft.zone, env.lang))
    : env.t("broadcast:draft.now");
}

function contentSummary(draft: BroadcastDraft, env: BroadcastViewEnv): string {
  const main = draft.default;
  if (!main) return env.t("broadcast:draft.noMessage");
  const kind = main.photo ? "photo" : main.document ? "document" : "text";
  const excerpt = escapeHtml(truncate(main.text.replace(/\s+/g, " ").trim(), 80));
  return env.t(`broadcast:draft.message.${kind}`, { excerpt });
}

/** The draft panel: what will be sent, with which record's buttons, to whom, when, and until when the announcement is found. */
export function renderDraft(
  draft: BroadcastDraft,
  recipients: number | undefined,
  env: BroadcastViewEnv,
  linked?: CatalogRecord,
  now = new Date(),
): string {
  const { t, lang } = env;
  const variants = LANGUAGES.filter((l) => draft.variants?.[l]).map((l) => l.toUpperCase());
  return [
    t("broadcast:draft.title"),
    "",
    contentSummary(draft, env),
    t("broadcast:draft.variants", { list: variants.length ? variants.join(", ") : t("broadcast:draft.noVariants") }),
    linked
      ? t("broadcast:draft.record", { title: escapeHtml(shortTitle(linked, lang)), id: escapeHtml(linked.id) })
      : t("broadcast:draft.noRecord"),
    t("broadcast:draft.audience", { audience: describeAudience(draft.audience, env) }),
    recipientsLine(recipients, env),
    t("broadcast:draft.when", { when: when(draft, env) }),
    deadlineText(draft, env) ?? t("broadcast:draft.noDeadline"),
    t("broadcast:draft.expires", { date: escapeHtml(formatDate(announcementExpiry(draft, now), lang)) }),
    "",
    t("broadcast:draft.hint"),
  ].join("\n");
}

export function renderAudience(draft: BroadcastDraft, recipients: number | undefined, env: BroadcastViewEnv): string {
  return [
    env.t("broadcast:audience.title"),
    "",
    describeAudience(draft.audience, env),
    "",
    recipientsLine(recipients, env),
    "",
    env.t("broadcast:audience.hint"),
  ].join("\n");
}

export function renderFacet(
  draft: BroadcastDraft,
  facet: Facet,
  recipients: number | undefined,
  env: BroadcastViewEnv,
): string {
  return [
    env.t(`broadcast:facetTitle.${facet}`),
    "",
    recipientsLine(recipients, env),
    env.t("broadcast:audience.facetHint"),
  ].join("\n");
}

/** Sent after the preview messages: what they are, and the final question. */
export function renderConfirm(
  draft: BroadcastDraft,
  recipients: number | undefined,
  env: BroadcastViewEnv,
  now = new Date(),
): string {
  const { t, lang } = env;
  return [
    t("broadcast:confirm.title"),
    "",
    t("broadcast:draft.audience", { audience: describeAudience(draft.audience, env) }),
    recipientsLine(recipients, env),
    t("broadcast:draft.when", { when: when(draft, env) }),
    deadlineText(draft, env),
    t("broadcast:draft.expires", { date: escapeHtml(formatDate(announcementExpiry(draft, now), lang)) }),
    paidEstimateLine(recipients, env.pacing, t, lang),
    ...(recipients === 0 ? ["", t("broadcast:confirm.nobody")] : []),
    "",
    t(draft.scheduledAt ? "broadcast:confirm.questionScheduled" : "broadcast:confirm.question"),
  ]
    .filter((line) => line !== undefined)
    .join("\n");
}

function stateLabel(status: BroadcastStatus, t: Translate): string {
  return t(`broadcast:state.${status.state}`);
}

/** The coordinator's status message, edited while the broadcast runs; a report once it is over. */
export function renderProgress(status: BroadcastStatus, t: Translate, lang: Language, zone = "UTC"): string {
  const n = (v: number) => formatCount(v, lang);
  const counts = {
    sent: n(status.sent),
    failed: n(status.failed),
    blocked: n(status.blocked),
    remaining: n(status.remaining),
    total: n(status.total),
  };
  const id = escapeHtml(status.id);
  switch (status.state) {
    case "scheduled":
      return [
        t("broadcast:progress.scheduled", { id }),
        t("broadcast:progress.scheduledAt", {
          when: escapeHtml(formatScheduleTime(new Date(status.scheduledAt ?? status.createdAt), zone, lang)),
        }),
      ].join("\n");
    case "running":
      return [
        t("broadcast:progress.running", { id }),
        t("broadcast:progress.counts", counts),
        status.etaSeconds !== undefined && status.remaining > 0
          ? t("broadcast:progress.eta", { duration: escapeHtml(formatDuration(status.etaSeconds, lang)) })
          : "",
        paidStatusLine(status, t, lang),
      ]
        .filter(Boolean)
        .join("\n");
    default:
      return [
        t(`broadcast:report.${status.state}`, { id }),
        t("broadcast:report.counts", counts),
        paidStatusLine(status, t, lang),
        finished(status, lang, t),
      ]
        .filter(Boolean)
        .join("\n");
  }
}

function finished(status: BroadcastStatus, lang: Language, t: Translate): string {
  if (!status.finishedAt) return "";
  const at = dateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(
    new Date(status.finishedAt),
  );
  return t("broadcast:report.finishedAt", { when: escapeHtml(`${at} UTC`) });
}

/**
 * /broadcasts: the newest broadcasts, numbered (the cancel buttons use the numbers), each by its title
 * (the announcement's, when the catalog still has it) and its state in words: a scheduled one says when
 * it starts, a running one how far it is, a finished one what it did and when.
 */
export function renderList(
  statuses: readonly BroadcastStatus[],
  t: Translate,
  lang: Language,
  titles: ReadonlyMap<string, string> = new Map(),
): string {
  if (statuses.length === 0) return t("broadcast:list.empty");
  const n = (v: number) => formatCount(v, lang);
  const date = (iso: string) =>
    escapeHtml(
      `${dateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso))} UTC`,
    );
  const lines = statuses.map((s, i) => {
    const head = t("broadcast:list.head", {
      n: i + 1,
      title: escapeHtml(truncate(titles.get(s.id) ?? s.id, 60)),
      state: stateLabel(s, t),
    });
    const counts = { sent: n(s.sent), total: n(s.total), failed: n(s.failed), blocked: n(s.blocked), count: s.total };
    let detail: string;
    switch (s.state) {
      case "scheduled":
        detail = t("broadcast:list.starts", { when: date(s.scheduledAt ?? s.createdAt) });
        break;
      case "running":
        detail = t("broadcast:list.sending", counts);
        break;
      default:
        detail = t(`broadcast:list.ended.${s.state}`, {
          ...counts,
          when: date(s.finishedAt ?? s.startedAt ?? s.createdAt),
        });
    }
    const paid = paidListLine(s, t, lang);
    return `${head}\n    ${detail}${paid ? `\n    ${paid}` : ""}`;
  });
  return [t("broadcast:list.title"), "", ...lines].join("\n");
}
