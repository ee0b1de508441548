import type { BotContext } from "../context.js";
import { encodeEdit } from "../callback-data/edit.js";
import { isPrivateChat } from "../filters/chat.js";
import { isCoordinator } from "../filters/roles.js";

/**
 * The ✏️ button under a record's card (an answer, a card opened from a list or a link), for coordinators
 * and administrators in their private chat; undefined for anyone else, in a group, without a live
 * catalog to edit, or for an id too long for a payload. Showing it is only a convenience: the press is
 * checked again (src/bot/features/edit.ts), so a forged one does nothing.
 */
export async function editButton(ctx: BotContext, id: string): Promise<{ text: string; data: string } | undefined> {
  if (!ctx.deps.live || !isPrivateChat(ctx) || !(await isCoordinator(ctx))) return undefined;
  try {
    return { text: ctx.t("edit:button.edit"), data: encodeEdit({ op: "open", id }) };
  } catch {
    return undefined;
  }
}
