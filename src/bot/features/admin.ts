import { Composer } from "../../grammy.js";
import type { BroadcastStatus } from "../../broadcast/types.js";
import type { AuditEntry } from "../../state/coordination.js";
import { setRoleCommands } from "../commands.js";
import type { BotContext } from "../context.js";
import { escapeHtml, MESSAGE_LIMIT, truncate } from "../format.js";
import { privateChatForCoordinators } from "../filters/chat.js";
import { adminOnly } from "../filters/roles.js";
import { utcDateTimeFormat } from "../views/format.js";
import { paidAuditSuffix } from "./broadcast/paid.js";

/**
 * Administrators (ADMIN_IDS): /grant and /revoke the coordinator role, /audit to read the newest
 * entries of the audit log, /reload to read the catalog folder again without a restart. Each action
 * is checked on the server and written to the audit log.
 */
export const adminFeature = new Composer<BotContext>();

/** Audit entries /audit shows. */
const AUDIT_SHOWN = 20;
/** Catalog problems listed when a reload is refused (the message must fit). */
const PROBLEMS_SHOWN = 15;
const PROBLEM_MAX = 200;

adminFeature.command(["grant", "revoke"], adminOnly, privateChatForCoordinators, async (ctx) => {
  const grant = ctx.message?.text?.match(/^\/(\w+)/)?.[1]?.toLowerCase() === "grant";
  const ns = grant ? "grant" : "revoke";
  const target = targetOf(ctx);
  if (target === undefined) {
    await ctx.reply(ctx.t(`coordinator:${ns}.usage`));
    return;
  }
  const user = `<code>${target}</code>`;
  if (ctx.deps.settings.adminIds.includes(target)) {
    await ctx.reply(ctx.t(`coordinator:${ns}.admin`, { user }));
    return;
  }
  const { roles, audit } = ctx.deps.state;
  const was = await roles.isCoordinator(target);
  if (was === grant) {
    await ctx.reply(ctx.t(grant ? "coordinator:grant.already" : "coordinator:revoke.not", { user }));
    return;
  }
  if (grant) await roles.grant(target);
  else await roles.revoke(target);
  await audit.append({ actor: ctx.from!.id, action: grant ? "grant" : "revoke", details: { target } });
  ctx.deps.logger.info(
    { actor: ctx.from!.id, target, role: "coordinator", granted: grant },
    "coordinator role changed",
  );
  await ctx.reply(ctx.t(`coordinator:${ns}.done`, { user }));
  // Their own command menu shows (or stops showing) the coordinator commands; best effort.
  await setRoleCommands(ctx.api, ctx.deps.i18n, target, grant ? "coordinator" : undefined, ctx.deps.logger);
});

adminFeature.command("audit", adminOnly, privateChatForCoordinators, async (ctx) => {
  const entries = await ctx.deps.state.audit.recent(AUDIT_SHOWN);
  if (entries.length === 0) {
    await ctx.reply(ctx.t("coordinator:audit.none"));
    return;
  }
  const when = utcDateTimeFormat(ctx.lang);
  const statuses = await broadcastStatuses(ctx, entries);
  const lines = [ctx.t("coordinator:audit.title"), ""];
  for (const entry of entries) {
    const line = ctx.t("coordinator:audit.entry", {
      at: escapeHtml(when.format(new Date(entry.at))),
      actor: entry.actor,
      action: describe(ctx, entry, when, statuses),
    });
    if (lines.join("\n").length + line.length + 1 > MESSAGE_LIMIT) break;
    lines.push(line);
  }
  await ctx.reply(lines.join("\n"), { link_preview_options: { is_disabled: true } });
});

adminFeature.command("reload", adminOnly, privateChatForCoordinators, async (ctx) => {
  const live = ctx.deps.live;
  if (!live) {
    await ctx.reply(ctx.t("coordinator:reload.unavailable"));
    return;
  }
  const started = Date.now();
  const result = await live.reload();
  const actor = ctx.from!.id;
  if (result.ok) {
    await ctx.deps.state.audit.append({ actor, action: "reload", details: { ok: true, records: result.records } });
    ctx.deps.logger.info({ actor, records: result.records, ms: Date.now() - started }, "catalog reloaded");
    await ctx.reply(
      ctx.t("coordinator:reload.done", { records: ctx.t("coordinator:reload.records", { count: result.records }) }),
    );
    return;
  }
  await ctx.deps.state.audit.append({
    actor,
    action: "reload",
    details: { ok: false, problems: result.problems.length },
  });
  ctx.deps.logger.warn(
    { actor, problems: result.problems.length, first: result.problems[0] },
    "catalog reload refused",
  );
  const shown = result.problems.slice(0, PROBLEMS_SHOWN).map((p) => `• ${escapeHtml(truncate(p, PROBLEM_MAX))}`);
  const lines = [
    ctx.t("coordinator:reload.refused", {
      problems: ctx.t("coordinator:reload.problems", { count: result.problems.length }),
    }),
    "",
    ...shown,
  ];
  if (result.problems.length > PROBLEMS_SHOWN)
    lines.push(ctx.t("coordinator:reload.more", { count: result.problems.length - PROBLEMS_SHOWN }));
  await ctx.reply(lines.join("\n"), { link_preview_options: { is_disabled: true } });
});

/** The user id after the command, or the author of the forwarded message the command replies to. */
function targetOf(ctx: BotContext): number | undefined {
  const arg = typeof ctx.match === "string" ? ctx.match.trim() : "";
  if (arg) {
    if (!/^[1-9]\d{0,15}$/.test(arg)) return undefined;
    const id = Number(arg);
    return Number.isSafeInteger(id) ? id : undefined;
  }
  const origin = ctx.message?.reply_to_message?.forward_origin;
  return origin?.type === "user" && !origin.sender_user.is_bot ? origin.sender_user.id : undefined;
}

/** The delivery engine's state of the broadcasts the entries name, for what paid ones cost. */
async function broadcastStatuses(
  ctx: BotContext,
  entries: readonly AuditEntry[],
): Promise<Map<string, BroadcastStatus>> {
  const delivery = ctx.deps.delivery;
  const ids = new Set(
    entries
      .filter((e) => (e.action === "broadcast" || e.action === "broadcast-cancel") && e.details?.paid === true)
      .map((e) => String(e.details?.id)),
  );
  const statuses = new Map<string, BroadcastStatus>();
  if (!delivery || ids.size === 0) return statuses;
  await Promise.all(
    [...ids].map(async (id) => {
      try {
        const status = await delivery.status(id);
        if (status) statuses.set(id, status);
      } catch (error) {
        // The line then says only that the broadcast was paid.
        ctx.deps.logger.warn({ id, message: (error as Error).message }, "broadcast status not read for /audit");
      }
    }),
  );
  return statuses;
}

/** One audit entry in words, in the reader's language; unknown details are listed as they are. */
function describe(
  ctx: BotContext,
  entry: AuditEntry,
  when: Intl.DateTimeFormat,
  statuses: ReadonlyMap<string, BroadcastStatus>,
): string {
  const d = entry.details ?? {};
  const paid = () => (d.paid === true ? paidAuditSuffix(statuses.get(String(d.id)), ctx.t, ctx.lang) : "");
  const code = (v: unknown) => `<code>${escapeHtml(String(v))}</code>`;
  switch (entry.action) {
    case "grant":
    case "revoke":
      return ctx.t(`coordinator:audit.action.${entry.action}`, { target: code(d.target ?? "?") });
    case "reload":
      return d.ok === false
        ? ctx.t("coordinator:audit.action.reloadRefused", {
            problems: ctx.t("coordinator:reload.problems", { count: Number(d.problems ?? 0) }),
          })
        : ctx.t("coordinator:audit.action.reload", {
            records: ctx.t("coordinator:reload.records", { count: Number(d.records ?? 0) }),
          });
    case "refused": {
      const what = d.command ?? d.button;
      const tried = what === undefined ? ctx.t("coordinator:audit.refusedText") : code(what);
      return ctx.t(
        d.role === "admin" ? "coordinator:audit.action.refusedAdmin" : "coordinator:audit.action.refusedCoordinator",
        { what: tried },
      );
    }
    case "reply":
      return ctx.t("coordinator:audit.action.reply", {
        chats: ctx.t("coordinator:reply.chats", { count: Number(d.chats ?? 0) }),
        question: escapeHtml(String(d.question ?? "")),
      });
    case "broadcast": {
      // "now" was sent at once; a time was scheduled for then (it may not have started yet).
      const at = typeof d.scheduledAt === "string" && d.scheduledAt !== "now" ? Date.parse(d.scheduledAt) : Number.NaN;
      return (
        (Number.isNaN(at)
          ? ctx.t("coordinator:audit.action.broadcastSent", { id: code(d.id ?? "?") })
          : ctx.t("coordinator:audit.action.broadcastScheduled", {
              id: code(d.id ?? "?"),
              at: escapeHtml(when.format(new Date(at))),
            })) + paid()
      );
    }
    case "broadcast-cancel":
      return (
        ctx.t("coordinator:audit.action.broadcastCancelled", {
          id: code(d.id ?? "?"),
          sent: Number(d.sent ?? 0),
          remaining: Number(d.remaining ?? 0),
        }) + paid()
      );
    case "record": {
      const op = ["submit", "approve", "reject", "publish"].includes(String(d.op)) ? String(d.op) : "publish";
      const fields = d.fields ? ` (${escapeHtml(truncate(String(d.fields), 120))})` : "";
      return ctx.t(`coordinator:audit.action.record.${op}`, {
        record: code(d.record ?? "?"),
        edit: code(d.edit ?? "?"),
        fields,
      });
    }
    case "unanswered-record":
      return ctx.t("coordinator:audit.action.unansweredRecord", {
        question: escapeHtml(String(d.question ?? "")),
        record: code(d.record ?? "?"),
        chats: ctx.t("coordinator:reply.chats", { count: Number(d.chats ?? 0) }),
      });
    case "unanswered-dismiss":
    case "unanswered-spam":
      return ctx.t(
        entry.action === "unanswered-spam"
          ? "coordinator:audit.action.unansweredSpam"
          : "coordinator:audit.action.unansweredDismiss",
        { question: escapeHtml(String(d.question ?? "")) },
      );
    default: {
      const details = Object.entries(d)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(" ");
      // An action this version does not know (written by a newer one): its name and details as they are.
      return ctx.t("coordinator:audit.action.other", {
        action: escapeHtml(String(entry.action)),
        details: escapeHtml(truncate(details, 300)),
      });
    }
  }
}
