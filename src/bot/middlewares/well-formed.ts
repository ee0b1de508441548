import type { NextFunction } from "grammy";
import { z } from "zod";
import type { BotContext } from "../context.js";

/**
 * Drops an update whose fields the bot reads do not have the types the Bot API gives them (a `message`
 * without `from`, a `language_code` that is not a text, a text longer than Telegram allows, a lone
 * UTF-16 surrogate). Telegram never sends such an update; a forged one would otherwise fail deep in a
 * feature. Only the fields the features read are checked, and every object keeps its other fields, so
 * fields Telegram adds later pass through.
 */

/** Real Telegram text is UTF-8: it can never hold half of a surrogate pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), "lone UTF-16 surrogate");

/**
 * Telegram's own limits on what it delivers. Texts are at most 4096 characters; counted here in UTF-16
 * units with room to spare, so only what Telegram cannot have sent is dropped.
 */
const TEXT_MAX = 2 * 4096;
const NAME_MAX = 256;
const INLINE_QUERY_MAX = 256;
const CALLBACK_DATA_MAX = 64;

const user = z.looseObject({
  id: z.int().positive(),
  is_bot: z.boolean(),
  first_name: text(NAME_MAX),
  last_name: text(NAME_MAX).optional(),
  username: text(NAME_MAX).optional(),
  language_code: text(35).optional(),
});

const chat = z.looseObject({
  id: z.int(),
  type: z.enum(["private", "group", "supergroup", "channel"]),
  title: text(NAME_MAX).optional(),
  username: text(NAME_MAX).optional(),
  first_name: text(NAME_MAX).optional(),
});

const entity = z.looseObject({ type: z.string(), offset: z.int().nonnegative(), length: z.int().nonnegative() });

const inlineKeyboard = z.looseObject({
  inline_keyboard: z.array(z.array(z.looseObject({ text: z.string(), callback_data: z.string().optional() }))),
});

/** Entities point into a text: without the text (or caption) they name nothing, and grammY's command matching would fail on them. */
const entitiesHaveText = (m: { text?: string; caption?: string; entities?: unknown[]; caption_entities?: unknown[] }) =>
  (m.entities === undefined || m.text !== undefined) && (m.caption_entities === undefined || m.caption !== undefined);

/** What every message the bot looks at (its own, replied-to and pressed ones included) must have. */
const messageFields = {
  message_id: z.int(),
  date: z.int().nonnegative(),
  chat,
  from: user.optional(),
  text: text(TEXT_MAX).optional(),
  caption: text(TEXT_MAX).optional(),
  entities: z.array(entity).optional(),
  caption_entities: z.array(entity).optional(),
  reply_markup: inlineKeyboard.optional(),
  forward_origin: z.looseObject({ type: z.string(), sender_user: user.optional() }).optional(),
};
const messageBase = z.looseObject(messageFields).refine(entitiesHaveText, "entities-without-text");

/** A message sent to the bot: it always has a sender (Telegram puts a stand-in user for anonymous admins). */
const incoming = z
  .looseObject({
    ...messageFields,
    from: user,
    reply_to_message: messageBase.optional(),
    photo: z
      .array(z.looseObject({ file_id: z.string(), width: z.int().nonnegative(), height: z.int().nonnegative() }))
      .optional(),
    document: z
      .looseObject({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional() })
      .optional(),
  })
  .refine(entitiesHaveText, "entities-without-text");

const member = z.looseObject({ status: z.string(), user });

const update = z.looseObject({
  update_id: z.int().nonnegative(),
  message: incoming.optional(),
  edited_message: incoming.optional(),
  callback_query: z
    .looseObject({
      id: z.string().min(1),
      from: user,
      chat_instance: z.string(),
      data: text(CALLBACK_DATA_MAX).optional(),
      message: messageBase.optional(),
      inline_message_id: z.string().optional(),
    })
    // Telegram always says where the button was: a message of a chat, or a message sent in inline mode.
    .refine((q) => q.message !== undefined || q.inline_message_id !== undefined, "no-message-nor-inline-message-id")
    .optional(),
  inline_query: z
    .looseObject({
      id: z.string().min(1),
      from: user,
      query: text(INLINE_QUERY_MAX),
      offset: z.string(),
      chat_type: z.string().optional(),
    })
    .optional(),
  my_chat_member: z
    .looseObject({ chat, from: user, date: z.int().nonnegative(), old_chat_member: member, new_chat_member: member })
    .optional(),
});

/** Update types the check knows; an update carries exactly one of Telegram's types. */
const KNOWN = ["message", "edited_message", "callback_query", "inline_query", "my_chat_member"] as const;

/** Why an update is malformed ("message.from: …"), or undefined when the bot can handle it. */
export function malformation(value: unknown): string | undefined {
  const parsed = update.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return issue ? `${issue.path.join(".") || "update"}: ${issue.message}` : "invalid";
  }
  const types = KNOWN.filter((type) => parsed.data[type] !== undefined);
  return types.length > 1 ? `carries ${types.join(" and ")} at once` : undefined;
}

/**
 * Whether the update is of a type the bot handles. The others — a channel post, a reaction, a chosen
 * inline result, a type the Bot API adds later — are not asked for (ALLOWED_UPDATES), but a Bot API server
 * may deliver them all the same; nothing in the bot is for them, and a channel post, having no user, has
 * no conversation to run in.
 */
function handledType(update: object): boolean {
  return KNOWN.some((type) => (update as Record<string, unknown>)[type] !== undefined);
}

export async function wellFormedUpdate(ctx: BotContext, next: NextFunction): Promise<void> {
  if (!handledType(ctx.update)) {
    const types = Object.keys(ctx.update).filter((key) => key !== "update_id");
    ctx.deps.logger.debug(
      { update: ctx.update.update_id, types },
      "ignored an update of a type the bot does not handle",
    );
    return;
  }
  const problem = malformation(ctx.update);
  if (problem === undefined) return next();
  // Logged without the update's content: it is not Telegram's, and it may be anything.
  ctx.deps.logger.warn({ update: ctx.update.update_id, problem }, "dropped a malformed update");
}
