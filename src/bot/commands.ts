import type { Api } from "grammy";
import type { BotCommand, BotCommandScope } from "grammy/types";
import type { i18n } from "i18next";
import { LANGUAGES, type Language } from "../catalog/schema.js";
import type { Logger } from "../logger.js";
import { LISTS, type BrowseList } from "./lists.js";

/** Commands that open a list (src/bot/lists.ts; the browse feature answers them): one per list, of its name. */
export const BROWSE_COMMANDS = LISTS;

export type BrowseCommand = BrowseList;

/** The menu of private chats, in the order Telegram shows it. */
export const PRIVATE_COMMANDS = [
  "start",
  "help",
  ...(Object.keys(BROWSE_COMMANDS) as BrowseCommand[]),
  "subscribe",
  "subscriptions",
  "reminders",
  "unsubscribe",
  "language",
] as const;

/** Added to the private menu of each coordinator (per-chat scope, set when the role is granted and at start). */
export const COORDINATOR_COMMANDS = ["broadcast", "broadcasts", "unanswered", "edit", "new"] as const;

/** Added to the private menu of each administrator (ADMIN_IDS), after the coordinator commands. */
export const ADMIN_COMMANDS = ["grant", "revoke", "review", "audit", "reload"] as const;

/** Groups get the browsing commands and help: greeting and language choice belong to private chats. */
export const GROUP_COMMANDS = ["help", ...(Object.keys(BROWSE_COMMANDS) as BrowseCommand[])] as const;

export interface SetCommandsResult {
  /** setMyCommands calls that succeeded. */
  ok: number;
  /** Calls that failed (each one logged). */
  failed: number;
}

/**
 * Publishes the command menus: for private chats and for groups, once per language (Telegram shows
 * the user's own) and once without a language (English, for everyone else). Startup code calls this,
 * so a failure is logged and never thrown: a menu in the wrong language must not stop the bot.
 */
export async function setCommands(api: Api, i18n: i18n, logger: Logger): Promise<SetCommandsResult> {
  const jobs: { scope: BotCommandScope; lang: Language | undefined; names: readonly string[] }[] = [];
  for (const lang of [...LANGUAGES, undefined]) {
    jobs.push({ scope: { type: "all_private_chats" }, lang, names: PRIVATE_COMMANDS });
    jobs.push({ scope: { type: "all_group_chats" }, lang, names: GROUP_COMMANDS });
  }
  const results = await Promise.allSettled(
    jobs.map(({ scope, lang, names }) => {
      const t = i18n.getFixedT(lang ?? "en");
      const commands: BotCommand[] = names.map((command) => ({ command, description: t(`commands:${command}`) }));
      return api.setMyCommands(commands, lang ? { scope, language_code: lang } : { scope });
    }),
  );
  let failed = 0;
  results.forEach((result, i) => {
    if (result.status === "fulfilled") return;
    failed++;
    const { scope, lang } = jobs[i]!;
    const reason = result.reason as Error;
    logger.warn(
      { scope: scope.type, lang: lang ?? "default", message: reason?.message ?? String(reason) },
      "command menu not set",
    );
  });
  return { ok: results.length - failed, failed };
}

/**
 * The command menu of one coordinator's or administrator's private chat (scope "chat", in each
 * language and without one): the private menu plus the role's commands. Without a role, the chat's
 * own menus are deleted and it falls back to the public menu. Never throws: a user who has not
 * started the bot yet cannot have a chat menu ("chat not found"), which is only logged.
 */
/**
 * At start: the menus of the administrators (ADMIN_IDS) and of every coordinator, so a new version's
 * commands reach them. Never throws.
 */
export async function setRoleMenus(
  api: Api,
  i18n: i18n,
  admins: readonly number[],
  coordinators: readonly number[],
  logger: Logger,
): Promise<{ chats: number }> {
  const roles = new Map<number, "admin" | "coordinator">(coordinators.map((id) => [id, "coordinator"]));
  for (const id of admins) roles.set(id, "admin");
  for (const [id, role] of roles) await setRoleCommands(api, i18n, id, role, logger);
  return { chats: roles.size };
}

export async function setRoleCommands(
  api: Api,
  i18n: i18n,
  chatId: number,
  role: "coordinator" | "admin" | undefined,
  logger: Logger,
): Promise<void> {
  const names =
    role === undefined
      ? []
      : [...PRIVATE_COMMANDS, ...COORDINATOR_COMMANDS, ...(role === "admin" ? ADMIN_COMMANDS : [])];
  const scope: BotCommandScope = { type: "chat", chat_id: chatId };
  const results = await Promise.allSettled(
    [...LANGUAGES, undefined].map((lang) => {
      const options = lang ? { scope, language_code: lang } : { scope };
      if (role === undefined) return api.deleteMyCommands(options);
      const t = i18n.getFixedT(lang ?? "en");
      return api.setMyCommands(
        names.map((command) => ({ command, description: t(`commands:${command}`) })),
        options,
      );
    }),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length)
    logger.warn(
      { chat: chatId, role: role ?? "none", failed: failed.length, message: (failed[0]!.reason as Error)?.message },
      "role command menu not set",
    );
}
