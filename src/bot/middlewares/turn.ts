import type { Middleware } from "grammy";
import { supportedLanguage, translator } from "../../i18n.js";
import { keepRenewed, type LeaseTrouble } from "../../state/leases.js";
import type { SessionData } from "../../state/types.js";
import { sessionKey, type BotContext, type BotDeps } from "../context.js";

/**
 * A handler rarely takes seconds (a slow one renews its lease); a crashed replica's chats are free
 * again after the TTL, which is shorter than the wait, so Telegram's redelivery of the update the
 * crash interrupted gets the lease and is handled.
 */
export const DEFAULT_CHAT_LEASE = { ttlMs: 5_000, waitMs: 10_000 };

/** Whose updates are kept in order: the chat's, else (inline queries) the user's. */
export function conversationKey(ctx: BotContext): string | undefined {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}

/**
 * An update's turn in its conversation: one step of the state before the rest of the chain runs and
 * one after (`StateBackend.turns`; two round trips with Redis).
 *
 * - **One at a time.** The rest of the chain runs under the conversation's lease, renewed while it
 *   runs, so one chat's session is read and written by one update at a time across every bot process
 *   on the same state. An update that cannot have the lease within the wait is not handled: the user is
 *   asked to send it again, in their language. A state failure while taking it rejects, to the error
 *   boundary.
 * - **Once.** Telegram delivers at least once — again after a timeout, a 5xx or a replica's crash,
 *   possibly to another replica — so handled update ids are kept in the shared state (24 hours). Under
 *   the lease an update already marked is skipped; an update is marked once it has run, in the step
 *   that writes its session and gives the lease up. An update whose process died half-way is handled
 *   again when Telegram redelivers it (once its lease lapses); only a crash between its effects and
 *   that step repeats them. An update of no chat and no user (none the bot handles today) takes no
 *   lease and is claimed before it runs.
 * - **The session** (`ctx.session`, the user's) is read under the lease and written in the last step,
 *   as grammY's session middleware would: a new one starts empty; it is written when it was read or
 *   assigned (deleted when set to null or undefined), and not written when the update fails.
 *
 * `deduplicate: false` (the console, which numbers its updates from 1 in every run) reads and marks
 * no update ids.
 */
export function conversationTurn(deps: BotDeps, { deduplicate }: { deduplicate: boolean }): Middleware<BotContext> {
  const { ttlMs, waitMs } = deps.settings.lease ?? DEFAULT_CHAT_LEASE;
  const options = { ttlMs, waitMs };
  return async (ctx, next) => {
    const update = ctx.update.update_id;
    const chat = conversationKey(ctx);
    if (chat === undefined) {
      // No chat and no user: no lease, and no session either (its key is the user's).
      if (deduplicate && !(await claimFirst(ctx, deps, update))) return skipped(deps, update);
      attachSession(ctx, undefined, undefined);
      return next();
    }
    const key = sessionKey(ctx);
    const turn = await deps.state.turns.begin({
      lease: `chat:${chat}`,
      options,
      ...(deduplicate ? { update } : {}),
      ...(key !== undefined ? { session: key } : {}),
    });
    if (!turn) return busy(ctx, deps, update, chat, waitMs);
    const stopRenewing = keepRenewed(turn.lease, ttlMs, (trouble) => leaseTrouble(deps, update, chat, trouble));
    if (turn.handled) {
      stopRenewing();
      skipped(deps, update);
      await turn.end({ handled: false }).catch((error: unknown) => notEnded(deps, update, error));
      return;
    }
    const written = attachSession(ctx, key, turn.session);
    let failed = true;
    try {
      await next();
      failed = false;
    } finally {
      stopRenewing();
      const session = failed ? undefined : written();
      const ended = turn.end({ handled: deduplicate, ...(session !== undefined ? { session } : {}) });
      // A session that could not be written fails the update (the user is told); the rest is logged.
      if (session !== undefined) await ended;
      else await ended.catch((error: unknown) => notEnded(deps, update, error));
    }
  };
}

/**
 * Installs `ctx.session` as grammY's session middleware does (strict, not lazy), over the value read
 * with the lease; returns what the turn's end writes: the value, null to delete it, undefined to leave
 * it (never read nor assigned, or no key).
 */
function attachSession(
  ctx: BotContext,
  key: string | undefined,
  stored: SessionData | undefined,
): () => SessionData | null | undefined {
  let value: SessionData | null | undefined = stored;
  let touched = false;
  if (key !== undefined && value === undefined) {
    value = {};
    touched = true;
  }
  const noKey = (op: string) => new Error(`Cannot ${op} session data because this update has no user!`);
  Object.defineProperty(ctx, "session", {
    enumerable: true,
    get: () => {
      if (key === undefined) throw noKey("access");
      touched = true;
      return value;
    },
    set: (v: SessionData | null | undefined) => {
      if (key === undefined) throw noKey("assign");
      touched = true;
      value = v;
    },
  });
  return () => (key === undefined || !touched ? undefined : (value ?? null));
}

/** The first claim of an update of no conversation; true when the state cannot tell (skipping it would lose it silently). */
async function claimFirst(ctx: BotContext, deps: BotDeps, update: number): Promise<boolean> {
  return deps.state.updates.claim(update).catch((error: unknown) => {
    // The state is down: the update itself will most likely fail and be apologised for.
    deps.logger.warn({ update, message: messageOf(error) }, "could not check for a redelivered update; handling it");
    return true;
  });
}

function skipped(deps: BotDeps, update: number): void {
  deps.logger.info({ update }, "update delivered again; already handled, skipped");
}

function notEnded(deps: BotDeps, update: number, error: unknown): void {
  // The lease lapses after its TTL; a redelivery of an unmarked update is handled again.
  deps.logger.warn({ update, message: messageOf(error) }, "update not marked as handled");
}

function leaseTrouble(deps: BotDeps, update: number, chat: string, trouble: LeaseTrouble): void {
  const message = "error" in trouble ? messageOf(trouble.error) : undefined;
  deps.logger.warn(
    { update, chat, trouble: trouble.kind, ...(message ? { message } : {}) },
    "chat lease trouble while handling an update",
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An update whose chat's lease stayed held past the wait: not handled, the user is asked to send it again. */
async function busy(ctx: BotContext, deps: BotDeps, update: number, chat: string, waitMs: number): Promise<void> {
  // A redelivery of an update already handled (answered meanwhile) needs no notice.
  if (await deps.state.updates.handled(update).catch(() => false)) return;
  deps.logger.warn(
    { update, chat, waitedMs: waitMs },
    "the chat's previous update is still being handled; asked to send this one again",
  );
  try {
    const t = translator(deps.i18n, await noticeLanguage(ctx, deps));
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t("errors:busy") });
    else if (ctx.chat && ctx.chat.type !== "channel") await ctx.reply(t("errors:busy"));
  } catch (error) {
    deps.logger.warn({ update, message: messageOf(error) }, "busy notice not sent");
  }
}

/** The conversation's language when the session has one (read only: the lease is not ours), else Telegram's. */
async function noticeLanguage(ctx: BotContext, deps: BotDeps) {
  const key = sessionKey(ctx);
  const stored = key === undefined ? undefined : await deps.state.sessions.read(key).catch(() => undefined);
  const code = ctx.from?.language_code;
  return stored?.lang ?? supportedLanguage(typeof code === "string" ? code : undefined) ?? "en";
}
