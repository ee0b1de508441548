import { GrammyError } from "../../../grammy.js";
import type { Api } from "grammy";
import type { i18n } from "i18next";
import type { Language } from "../../../catalog/schema.js";
import type { BroadcastStatus, DeliveryHooks } from "../../../broadcast/types.js";
import type { Logger } from "../../../logger.js";
import type { SessionStore } from "../../../state/types.js";
import { progressKeyboard } from "./keyboards.js";
import { renderProgress } from "./views.js";

export interface ProgressDeps {
  api: Api;
  i18n: i18n;
  sessions: SessionStore;
  logger: Logger;
}

const FINAL = new Set<BroadcastStatus["state"]>(["done", "failed", "cancelled"]);

/**
 * The delivery's `onProgress`: edits the coordinator's status message in place (sent, failed,
 * blocked, remaining, time left) in the coordinator's language, and at the end turns it into the
 * final report, with a short message so the coordinator is notified (edits are silent).
 */
export function progressHook(deps: ProgressDeps): NonNullable<DeliveryHooks["onProgress"]> {
  return async (status, target) => {
    const lang = await languageOf(deps, status.createdBy);
    const t = deps.i18n.getFixedT(lang);
    const text = renderProgress(status, t, lang);
    try {
      await deps.api.editMessageText(target.chatId, target.messageId, text, {
        reply_markup: progressKeyboard(t, status),
      });
    } catch (error) {
      if (!(error instanceof GrammyError && error.description.includes("message is not modified"))) {
        deps.logger.warn({ id: status.id, message: (error as Error).message }, "broadcast status message not updated");
      }
    }
    if (FINAL.has(status.state) && status.state !== "cancelled") {
      try {
        await deps.api.sendMessage(target.chatId, t(`broadcast:report.notice.${status.state}`, { id: status.id }), {
          reply_parameters: { message_id: target.messageId, allow_sending_without_reply: true },
        });
      } catch (error) {
        deps.logger.warn({ id: status.id, message: (error as Error).message }, "broadcast report not sent");
      }
    }
  };
}

async function languageOf(deps: ProgressDeps, userId: number): Promise<Language> {
  try {
    return (await deps.sessions.read(`user:${userId}`))?.lang ?? "en";
  } catch {
    return "en";
  }
}
