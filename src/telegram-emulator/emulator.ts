import type { Transformer } from "grammy";
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  ChatMember,
  InlineKeyboardMarkup,
  InlineQuery,
  InlineQueryResult,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { apiError, apiErrors, bad, BotApiError, NOT_MODIFIED, QUERY_TOO_OLD } from "./errors.js";
import { isRecord, optNumber, optString, unixNow } from "./fields.js";
import { formatText } from "./html.js";

/**
 * Telegram as a bot sees it through the Bot API, in process: users, chats with their own message ids,
 * messages that are sent, edited, copied, forwarded and deleted as Telegram allows (editing an unknown
 * message, "message is not modified", a keyboard removed by an edit without `reply_markup`, what only the
 * bot's own messages allow), callback and inline queries that must be answered once, commands and bot
 * texts per scope and language, chats that blocked the bot (403), and Telegram's limits (4096-character
 * texts, 1024-character captions, 64-byte callback data, command names, inline results). Every answer is
 * what Telegram would answer, or a `BotApiError` with its words.
 *
 * It builds the updates a user's actions stand for (messages, button presses, inline queries, blocking
 * the bot) and learns from every update it is given (`ingest`). How calls reach it and updates leave it
 * is up to its user: the console calls it as an API transformer (`transformer`), the tests' fake Bot API
 * serves it over HTTP with long polling and webhooks.
 */

export type Payload = Record<string, unknown>;
export type ChatType = "private" | "group" | "supergroup" | "channel";

/** A file sent with multipart/form-data, referenced in the payload as `attach://<field>`. */
export interface UploadedFile {
  field: string;
  filename: string;
  size: number;
}

export interface TelegramEmulatorOptions {
  botInfo: UserFromGetMe;
  /** Answer 400 "chat not found" for chats no update mentioned yet. Default false (chats are synthesized). */
  strictChats?: boolean;
  /**
   * Where the next update id is kept; default a counter of this emulator's own, from 1. Telegram's update ids
   * keep increasing for a bot across restarts: emulators that stand for the same Telegram share one.
   */
  updateIds?: { next: number };
}

/** An inline message: one sent by a user choosing an inline result, known to the bot by its id only. */
export type InlineMessage = Pick<Message, "text" | "entities" | "caption" | "caption_entities" | "reply_markup"> & {
  inline_message_id: string;
};

export interface TextMessageOptions {
  chatId: number;
  userId: number;
  text: string;
  languageCode?: string;
  /** Default "private". For groups a positive `chatId` is negated (supergroups: -100…). */
  chatType?: ChatType;
  username?: string;
  firstName?: string;
  chatTitle?: string;
  replyToMessageId?: number;
}

export interface CallbackQueryOptions {
  /** A button on an inline message (`chooseInlineResult`) rather than on a message in the chat. */
  inlineMessageId?: string;
  chatId: number;
  userId: number;
  data: string;
  /** Message carrying the button; default the last message the bot sent to the chat. */
  messageId?: number;
  languageCode?: string;
  chatType?: ChatType;
  username?: string;
  /** Text of the button message when the emulator has never seen it (it is then recorded as a bot message). */
  messageText?: string;
  /** Skip the check that `data` belongs to a button of the message's inline keyboard. */
  allowUnknownData?: boolean;
}

export interface InlineQueryOptions {
  userId: number;
  query: string;
  languageCode?: string;
  offset?: string;
  username?: string;
  chatType?: "sender" | ChatType;
}

export interface MyChatMemberOptions {
  chatId: number;
  userId: number;
  status: "kicked" | "member";
  chatType?: ChatType;
  languageCode?: string;
}

/** Methods that send a message into `chat_id` (checked for blocked chats and `strictChats`). */
export const CHAT_SEND_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendAudio",
  "sendVideo",
  "sendAnimation",
  "sendVoice",
  "sendVideoNote",
  "sendSticker",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "sendChatAction",
]);

/** Methods that change a message already sent: checked like sends for their chat, never for blocked chats. */
export const EDIT_METHODS: ReadonlySet<string> = new Set([
  "editMessageText",
  "editMessageCaption",
  "editMessageReplyMarkup",
  "editMessageMedia",
]);

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const INLINE_BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

const MEDIA_FIELD: Record<string, string> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendAudio: "audio",
  sendVideo: "video",
  sendAnimation: "animation",
  sendVoice: "voice",
  sendVideoNote: "video_note",
  sendSticker: "sticker",
};

interface QueryState {
  answered: boolean;
}

type StoredMessage = Message & { chat: Chat };

export class TelegramEmulator {
  readonly botInfo: UserFromGetMe;
  private readonly strictChats: boolean;
  private readonly updateIds: { next: number };

  private readonly commands = new Map<string, BotCommand[]>();
  private readonly botTexts = new Map<string, string>();
  private readonly menuButtons = new Map<string, unknown>();
  private readonly users = new Map<number, User>();
  private readonly chats = new Map<string, Chat>();
  private readonly messages = new Map<string, Map<number, StoredMessage>>();
  private readonly messageCounters = new Map<string, number>();
  private readonly memberStatus = new Map<string, "kicked" | "left">();
  private readonly callbackQueries = new Map<string, QueryState>();
  private readonly inlineQueries = new Map<string, QueryState>();
  private queryCounter = 1;
  private fileCounter = 1;
  private readonly inlineMessages = new Map<string, InlineMessage>();

  constructor(options: TelegramEmulatorOptions) {
    this.botInfo = options.botInfo;
    this.strictChats = options.strictChats ?? false;
    this.updateIds = options.updateIds ?? { next: 1 };
  }

  get botId(): number {
    return this.botInfo.id;
  }

  private get nextUpdateId(): number {
    return this.updateIds.next;
  }
  private set nextUpdateId(value: number) {
    this.updateIds.next = value;
  }

  /** Forgets users, chats, messages, queries, commands and bot texts (message ids keep increasing). */
  reset(): void {
    this.commands.clear();
    this.botTexts.clear();
    this.menuButtons.clear();
    this.users.clear();
    this.chats.clear();
    this.messages.clear();
    this.memberStatus.clear();
    this.callbackQueries.clear();
    this.inlineQueries.clear();
    this.inlineMessages.clear();
  }

  // ---- the Bot API --------------------------------------------------------

  /** Answers every call in process, as a grammY API transformer: nothing reaches the network. */
  readonly transformer: Transformer = async (_prev, method, payload) => {
    try {
      return { ok: true, result: structuredClone(this.call(method, (payload ?? {}) as Payload)) } as never;
    } catch (error) {
      if (error instanceof BotApiError) return error.toResponse() as never;
      throw error;
    }
  };

  /** One Bot API call: its result, or a thrown `BotApiError` with Telegram's answer. */
  call(method: string, payload: Payload, files: UploadedFile[] = []): unknown {
    this.checkTarget(method, payload);
    return this.run(method, payload, files);
  }

  /**
   * The chat a send or an edit goes to, once it is known to take it: 400 without a chat, 403 for a send to a
   * chat that blocked the bot or that it left. Nothing for other methods and for inline messages.
   */
  checkTarget(method: string, payload: Payload): Chat | undefined {
    if (!CHAT_SEND_METHODS.has(method) && !EDIT_METHODS.has(method)) return undefined;
    if (payload.chat_id === undefined) {
      if (payload.inline_message_id !== undefined) return undefined;
      throw bad("Bad Request: chat_id is empty");
    }
    const chat = this.resolveChat(payload.chat_id);
    const status = this.memberStatus.get(String(chat.id));
    if (status && CHAT_SEND_METHODS.has(method)) {
      if (chat.type === "private") throw apiError(apiErrors.blockedByUser());
      if (status === "kicked") throw new BotApiError(403, `Forbidden: bot was kicked from the ${chat.type} chat`);
      throw new BotApiError(403, `Forbidden: bot is not a member of the ${chat.type} chat`);
    }
    return chat;
  }

  /** Messages of a chat as Telegram holds them now (after edits and deletions), oldest first. */
  chatHistory(chatId: number | string): Message[] {
    return [...(this.messages.get(String(chatId))?.values() ?? [])].sort((a, b) => a.message_id - b.message_id);
  }

  /** Commands set for a scope (default `{type: "default"}`) and language (default ""). */
  commandsFor(scope?: unknown, languageCode?: string): BotCommand[] | undefined {
    return this.commands.get(commandsKey(scope, languageCode));
  }

  // ---- updates: what users do ----------------------------------------------

  /** A user's text message (a command and @usernames marked as Telegram marks them). */
  textMessage(opts: TextMessageOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const chat = this.ensureIncomingChat(opts.chatId, opts.chatType ?? "private", user, opts.chatTitle);
    const message: StoredMessage = {
      message_id: this.nextMessageId(chat.id),
      from: user,
      chat,
      date: unixNow(),
      text: opts.text,
    };
    const command = /^\/[^\s]+/.exec(opts.text);
    if (command) message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    // Telegram marks @usernames as mentions (how a bot is addressed in a group), except inside the command.
    for (const m of opts.text.matchAll(/@[A-Za-z0-9_]{5,32}\b/g)) {
      if (m.index >= (command?.[0].length ?? 0))
        (message.entities ??= []).push({ type: "mention", offset: m.index, length: m[0].length });
    }
    if (opts.replyToMessageId !== undefined) {
      const replied = this.getMessage(chat.id, opts.replyToMessageId);
      if (replied) message.reply_to_message = withoutReply(replied);
    }
    this.storeMessage(message);
    return { update_id: this.nextUpdateId++, message } as Update;
  }

  /** A press of the button with `data` (checked to be on the message unless `allowUnknownData`). */
  callbackQuery(opts: CallbackQueryOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const chat = this.ensureIncomingChat(opts.chatId, opts.chatType ?? "private", user);
    const base = {
      id: this.nextQueryId(opts.userId),
      from: user,
      chat_instance: String(-(BigInt(Math.abs(chat.id)) * 7919n + 1234567n)),
      data: opts.data,
    };
    if (opts.inlineMessageId !== undefined) {
      const inline = this.inlineMessages.get(opts.inlineMessageId);
      if (inline && !opts.allowUnknownData)
        checkButton(inline.reply_markup, opts.data, `inline message ${inline.inline_message_id}`);
      const query: CallbackQuery = { ...base, inline_message_id: opts.inlineMessageId };
      return { update_id: this.nextUpdateId++, callback_query: query } as Update;
    }
    let message =
      opts.messageId !== undefined ? this.getMessage(chat.id, opts.messageId) : this.lastBotMessage(chat.id);
    if (!message) {
      const messageId = opts.messageId ?? this.nextMessageId(chat.id);
      message = {
        message_id: messageId,
        from: this.botUser(),
        chat,
        date: unixNow() - 60,
        text: opts.messageText ?? "Earlier message",
      };
      this.storeMessage(message);
    } else if (!opts.allowUnknownData) {
      checkButton(message.reply_markup, opts.data, `message ${message.message_id} in chat ${chat.id}`);
    }
    const query: CallbackQuery = { ...base, message };
    return { update_id: this.nextUpdateId++, callback_query: query } as Update;
  }

  /** A user typing "@bot query" in a chat. */
  inlineQuery(opts: InlineQueryOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const query: InlineQuery = {
      id: this.nextQueryId(opts.userId),
      from: user,
      query: opts.query,
      offset: opts.offset ?? "",
      ...(opts.chatType ? { chat_type: opts.chatType } : {}),
    };
    return { update_id: this.nextUpdateId++, inline_query: query } as Update;
  }

  /** A user blocking the bot (`kicked`) or starting it again (`member`); groups likewise. */
  myChatMember(opts: MyChatMemberOptions): Update {
    const user = this.ensureUser(opts.userId, opts);
    const chatType = opts.chatType ?? "private";
    const chat = this.ensureIncomingChat(opts.chatId, chatType, user);
    const bot = this.botUser();
    const member: ChatMember = { status: "member", user: bot };
    const removed: ChatMember =
      chatType === "private" || opts.status === "kicked"
        ? { status: "kicked", user: bot, until_date: 0 }
        : { status: "left", user: bot };
    const [oldMember, newMember] = opts.status === "kicked" ? [member, removed] : [removed, member];
    return {
      update_id: this.nextUpdateId++,
      my_chat_member: { chat, from: user, date: unixNow(), old_chat_member: oldMember, new_chat_member: newMember },
    } as Update;
  }

  /**
   * A user choosing an inline result sends its message to a chat the bot is not told of: an inline
   * message, which the bot's buttons on it can edit by `inline_message_id`.
   */
  chooseInlineResult(result: InlineQueryResult): InlineMessage {
    const given = "input_message_content" in result ? result.input_message_content : undefined;
    const content: Record<string, unknown> = isRecord(given) ? given : {};
    const message: InlineMessage = { inline_message_id: `inline-${this.queryCounter++}` };
    if (typeof content.message_text === "string") {
      const { text, entities } = formatText(content.message_text, content.parse_mode, content.entities);
      message.text = text;
      if (entities.length) message.entities = entities;
    }
    const markup = inlineMarkup(result.reply_markup);
    if (markup) message.reply_markup = markup;
    this.inlineMessages.set(message.inline_message_id, message);
    return message;
  }

  inlineMessage(id: string): InlineMessage | undefined {
    return this.inlineMessages.get(id);
  }

  /**
   * A call's result without `checkTarget` (run it first). Updates go nowhere from here: `getUpdates` finds
   * none and there is no webhook; a transport in front answers these itself.
   */
  run(method: string, p: Payload, files: UploadedFile[] = []): unknown {
    switch (method) {
      case "getMe":
        return { ...this.botInfo };
      case "getUpdates":
        return [];
      case "getWebhookInfo":
        return { url: "", has_custom_certificate: false, pending_update_count: 0 };
      case "setMyCommands":
        return this.setMyCommands(p);
      case "getMyCommands":
        return this.commands.get(commandsKey(p.scope, optString(p.language_code))) ?? [];
      case "deleteMyCommands":
        this.commands.delete(commandsKey(p.scope, optString(p.language_code)));
        return true;
      case "setMyDescription":
        return this.setBotText("description", p, 512);
      case "getMyDescription":
        return { description: this.botTexts.get(`description|${optString(p.language_code) ?? ""}`) ?? "" };
      case "setMyShortDescription":
        return this.setBotText("short_description", p, 120);
      case "getMyShortDescription":
        return {
          short_description: this.botTexts.get(`short_description|${optString(p.language_code) ?? ""}`) ?? "",
        };
      case "setMyName":
        return this.setBotText("name", p, 64);
      case "getMyName":
        return { name: this.botTexts.get(`name|${optString(p.language_code) ?? ""}`) ?? this.botInfo.first_name };
      case "setChatMenuButton":
        this.menuButtons.set(
          p.chat_id === undefined ? "default" : String(p.chat_id),
          p.menu_button ?? { type: "default" },
        );
        return true;
      case "getChatMenuButton":
        return (
          this.menuButtons.get(p.chat_id === undefined ? "default" : String(p.chat_id)) ??
          this.menuButtons.get("default") ?? { type: "commands" }
        );
      case "getChat":
        return { ...this.resolveChat(p.chat_id), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
      case "getChatMember": {
        const id = Number(p.user_id);
        return { status: "member", user: this.users.get(id) ?? { id, is_bot: false, first_name: `User ${id}` } };
      }
      case "sendMessage":
        return this.sendMessage(p);
      case "sendChatAction":
        if (typeof p.action !== "string" || !CHAT_ACTIONS.has(p.action)) {
          throw bad("Bad Request: wrong parameter action in request");
        }
        return true;
      case "copyMessage":
        return this.copyMessage(p);
      case "forwardMessage":
        return this.forwardMessage(p);
      case "editMessageText":
        return this.editMessageText(p);
      case "editMessageCaption":
        return this.editMessageCaption(p);
      case "editMessageReplyMarkup":
        return this.editMessageReplyMarkup(p);
      case "deleteMessage":
        return this.deleteMessage(p);
      case "deleteMessages":
        for (const id of Array.isArray(p.message_ids) ? p.message_ids : []) {
          this.messages.get(String(p.chat_id))?.delete(Number(id));
        }
        return true;
      case "answerCallbackQuery":
        this.answerQuery(this.callbackQueries, p.callback_query_id);
        if (typeof p.text === "string" && p.text.length > 200) throw bad("Bad Request: MESSAGE_TOO_LONG");
        return true;
      case "answerInlineQuery":
        return this.answerInlineQuery(p);
      case "sendMediaGroup":
        return this.sendMediaGroup(p, files);
      case "sendLocation":
      case "sendVenue":
      case "sendContact":
      case "sendPoll":
      case "sendDice":
        return this.sendOther(method, p);
      default:
        if (MEDIA_FIELD[method]) return this.sendMedia(method, p, files);
        return true;
    }
  }

  private setMyCommands(p: Payload): true {
    const commands = p.commands;
    if (!Array.isArray(commands)) throw bad('Bad Request: field "commands" must be an Array');
    if (commands.length > 100) throw bad("Bad Request: BOT_COMMANDS_TOO_MUCH");
    const clean: BotCommand[] = [];
    for (const c of commands) {
      if (!isRecord(c) || typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        throw bad("Bad Request: BOT_COMMAND_INVALID");
      }
      if (typeof c.description !== "string" || c.description.trim().length === 0 || c.description.length > 256) {
        throw bad("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
      }
      clean.push({ command: c.command, description: c.description });
    }
    const key = commandsKey(p.scope, optString(p.language_code));
    if (clean.length) this.commands.set(key, clean);
    else this.commands.delete(key);
    return true;
  }

  private setBotText(kind: string, p: Payload, max: number): true {
    const value = optString(p[kind]) ?? "";
    if (value.length > max) throw bad(`Bad Request: ${kind.toUpperCase()}_INVALID`);
    const key = `${kind}|${optString(p.language_code) ?? ""}`;
    if (value) this.botTexts.set(key, value);
    else this.botTexts.delete(key);
    return true;
  }

  private sendMessage(p: Payload): Message {
    const chat = this.resolveChat(p.chat_id);
    if (typeof p.text !== "string") throw bad("Bad Request: message text is empty");
    const { text, entities } = formatText(p.text, p.parse_mode, p.entities);
    if (text.trim().length === 0) throw bad("Bad Request: message text is empty");
    if (text.length > 4096) throw bad("Bad Request: message is too long");
    const content: Partial<Message> = { text };
    if (entities.length) content.entities = entities;
    if (isRecord(p.link_preview_options)) content.link_preview_options = p.link_preview_options;
    return this.createBotMessage(chat, content, p);
  }

  private sendMedia(method: string, p: Payload, files: UploadedFile[]): Message {
    const field = MEDIA_FIELD[method] ?? "document";
    const chat = this.resolveChat(p.chat_id);
    const input = p[field];
    if (input === undefined || input === "") throw bad(`Bad Request: there is no ${field} in the request`);
    const content: Partial<Message> = { ...this.captionContent(p) };
    Object.assign(content, { [field]: this.fakeMedia(field, input, files) });
    return this.createBotMessage(chat, content, p);
  }

  private sendMediaGroup(p: Payload, files: UploadedFile[]): Message[] {
    const chat = this.resolveChat(p.chat_id);
    if (!Array.isArray(p.media) || p.media.length < 2 || p.media.length > 10) {
      throw bad("Bad Request: wrong number of messages in the media group");
    }
    const groupId = String(10_000_000_000 + this.fileCounter++);
    return p.media.map((item) => {
      const m = isRecord(item) ? item : {};
      const field = typeof m.type === "string" ? m.type : "document";
      const content: Partial<Message> = { media_group_id: groupId, ...this.captionContent(m) };
      Object.assign(content, { [field]: this.fakeMedia(field, m.media, files) });
      return this.createBotMessage(chat, content, p);
    });
  }

  private sendOther(method: string, p: Payload): Message {
    const chat = this.resolveChat(p.chat_id);
    const content: Record<string, unknown> = {};
    if (method === "sendLocation") content.location = { latitude: p.latitude, longitude: p.longitude };
    if (method === "sendVenue") {
      content.venue = {
        location: { latitude: p.latitude, longitude: p.longitude },
        title: p.title,
        address: p.address,
      };
    }
    if (method === "sendContact") {
      content.contact = { phone_number: p.phone_number, first_name: p.first_name, last_name: p.last_name };
    }
    if (method === "sendDice") content.dice = { emoji: optString(p.emoji) ?? "🎲", value: 3 };
    if (method === "sendPoll") {
      content.poll = {
        id: String(this.fileCounter++),
        question: p.question,
        options: (Array.isArray(p.options) ? p.options : []).map((o) => ({
          text: isRecord(o) ? o.text : String(o),
          voter_count: 0,
        })),
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: p.is_anonymous !== false,
        type: optString(p.type) ?? "regular",
        allows_multiple_answers: p.allows_multiple_answers === true,
      };
    }
    return this.createBotMessage(chat, content as Partial<Message>, p);
  }

  private copyMessage(p: Payload): { message_id: number } {
    const chat = this.resolveChat(p.chat_id);
    const source = this.getMessage(this.resolveChat(p.from_chat_id).id, Number(p.message_id));
    if (!source) throw bad("Bad Request: message to copy not found");
    const content: Partial<Message> = {};
    for (const key of [
      "text",
      "entities",
      "photo",
      "document",
      "audio",
      "video",
      "animation",
      "voice",
      "sticker",
      "caption",
      "caption_entities",
      "location",
      "contact",
      "poll",
      "dice",
    ] as const) {
      if (source[key] !== undefined) Object.assign(content, { [key]: source[key] });
    }
    if (p.caption !== undefined) Object.assign(content, this.captionContent(p));
    const message = this.createBotMessage(chat, content, { ...p, reply_markup: p.reply_markup });
    return { message_id: message.message_id };
  }

  private forwardMessage(p: Payload): Message {
    const chat = this.resolveChat(p.chat_id);
    const fromChat = this.resolveChat(p.from_chat_id);
    const source = this.getMessage(fromChat.id, Number(p.message_id));
    if (!source) throw bad("Bad Request: message to forward not found");
    const { message_id: _id, chat: _chat, from, date, reply_markup: _markup, ...content } = source;
    const origin =
      from && fromChat.type !== "channel"
        ? { type: "user" as const, sender_user: from, date }
        : { type: "chat" as const, sender_chat: fromChat, date };
    return this.createBotMessage(chat, { ...content, forward_origin: origin } as Partial<Message>, {
      ...p,
      reply_markup: undefined,
    });
  }

  private editMessageText(p: Payload): Message | true {
    if (typeof p.text !== "string") throw bad("Bad Request: text must be non-empty");
    const { text, entities } = formatText(p.text, p.parse_mode, p.entities);
    if (text.trim().length === 0) throw bad("Bad Request: text must be non-empty");
    if (text.length > 4096) throw bad("Bad Request: MESSAGE_TOO_LONG");
    const markup = inlineMarkup(p.reply_markup);
    const message = this.editTarget(p);
    if (!message) return true;
    if (message.text === undefined) throw bad("Bad Request: there is no text in the message to edit");
    if (
      message.text === text &&
      JSON.stringify(message.entities ?? []) === JSON.stringify(entities) &&
      JSON.stringify(message.reply_markup) === JSON.stringify(markup)
    ) {
      throw bad(NOT_MODIFIED);
    }
    message.text = text;
    setOrDelete(message, "entities", entities.length ? entities : undefined);
    return this.edited(message, markup);
  }

  private editMessageCaption(p: Payload): Message | true {
    const { caption, caption_entities } = this.captionContent(p);
    const markup = inlineMarkup(p.reply_markup);
    const message = this.editTarget(p);
    if (!message) return true;
    if (message.text !== undefined) throw bad("Bad Request: there is no caption in the message to edit");
    if (
      message.caption === caption &&
      JSON.stringify(message.caption_entities) === JSON.stringify(caption_entities) &&
      JSON.stringify(message.reply_markup) === JSON.stringify(markup)
    ) {
      throw bad(NOT_MODIFIED);
    }
    setOrDelete(message, "caption", caption);
    setOrDelete(message, "caption_entities", caption_entities);
    return this.edited(message, markup);
  }

  private editMessageReplyMarkup(p: Payload): Message | true {
    const markup = inlineMarkup(p.reply_markup);
    const message = this.editTarget(p);
    if (!message) return true;
    if (JSON.stringify(message.reply_markup) === JSON.stringify(markup)) throw bad(NOT_MODIFIED);
    return this.edited(message, markup);
  }

  /** The message an edit changes; nothing for an inline message sent before this emulator knew of it. */
  private editTarget(p: Payload): StoredMessage | InlineMessage | undefined {
    if (p.inline_message_id !== undefined) return this.inlineMessages.get(String(p.inline_message_id));
    return this.editableMessage(p, "edit");
  }

  /** An edit's end: the keyboard it gives (none without `reply_markup`); an inline message's edit answers true. */
  private edited(message: StoredMessage | InlineMessage, markup: InlineKeyboardMarkup | undefined): Message | true {
    setOrDelete(message, "reply_markup", markup);
    if ("inline_message_id" in message) return true;
    message.edit_date = unixNow();
    return message;
  }

  private deleteMessage(p: Payload): true {
    const message = this.editableMessage(p, "delete");
    this.messages.get(String(message.chat.id))?.delete(message.message_id);
    return true;
  }

  private editableMessage(p: Payload, action: "edit" | "delete"): StoredMessage {
    const chat = this.resolveChat(p.chat_id);
    const message = this.getMessage(chat.id, Number(p.message_id));
    if (!message) throw bad(`Bad Request: message to ${action} not found`);
    if (action === "edit" && message.from?.id !== this.botId) throw bad("Bad Request: message can't be edited");
    if (action === "delete" && message.from?.id !== this.botId && chat.type !== "private") {
      throw bad("Bad Request: message can't be deleted");
    }
    return message;
  }

  private answerInlineQuery(p: Payload): true {
    this.answerQuery(this.inlineQueries, p.inline_query_id);
    if (!Array.isArray(p.results)) throw bad("Bad Request: can't parse inline query results JSON object");
    if (p.results.length > 50) throw bad("Bad Request: RESULTS_TOO_MUCH");
    const ids = new Set<string>();
    for (const r of p.results) {
      if (!isRecord(r) || typeof r.type !== "string") throw bad("Bad Request: can't parse inline query result");
      const id = typeof r.id === "string" ? r.id : "";
      if (id.length === 0 || Buffer.byteLength(id) > 64) throw bad("Bad Request: RESULT_ID_INVALID");
      if (ids.has(id)) throw bad("Bad Request: RESULT_ID_DUPLICATE");
      ids.add(id);
      inlineMarkup(r.reply_markup);
      const content = r.input_message_content;
      if (isRecord(content) && typeof content.message_text === "string") {
        const { text } = formatText(content.message_text, content.parse_mode, content.entities);
        if (text.trim().length === 0) throw bad("Bad Request: MESSAGE_EMPTY");
        if (text.length > 4096) throw bad("Bad Request: MESSAGE_TOO_LONG");
      }
    }
    return true;
  }

  private answerQuery(store: Map<string, QueryState>, id: unknown): void {
    const state = store.get(String(id));
    if (!state || state.answered) throw bad(QUERY_TOO_OLD);
    state.answered = true;
  }

  // ---- state helpers -----------------------------------------------------------

  private captionContent(p: Payload): { caption?: string; caption_entities?: MessageEntity[] } {
    if (typeof p.caption !== "string" || p.caption === "") return {};
    const { text, entities } = formatText(p.caption, p.parse_mode, p.caption_entities);
    if (text.length > 1024) throw bad("Bad Request: message caption is too long");
    return entities.length ? { caption: text, caption_entities: entities } : { caption: text };
  }

  private fakeMedia(field: string, input: unknown, files: UploadedFile[]): unknown {
    let name: string | undefined;
    let size = 12_345;
    if (typeof input === "string" && input.startsWith("attach://")) {
      const file = files.find((f) => f.field === input.slice("attach://".length));
      if (!file) throw bad(`Bad Request: file must be non-empty`);
      name = file.filename;
      size = file.size;
    } else if (typeof input === "string" && /^https?:\/\//.test(input)) {
      name = decodeURIComponent(new URL(input).pathname.split("/").pop() ?? "") || undefined;
    } else if (typeof input !== "string" || input.length === 0) {
      throw bad(`Bad Request: there is no ${field} in the request`);
    }
    const n = this.fileCounter++;
    const ids = (suffix: string) => ({
      file_id: `${field.slice(0, 2).toUpperCase()}ACAgIAAxkBAAI${n}${suffix}`,
      file_unique_id: `AQAD${n}${suffix}`,
    });
    if (field === "photo") {
      return [
        { ...ids("s"), width: 90, height: 60, file_size: Math.ceil(size / 20) },
        { ...ids("m"), width: 320, height: 213, file_size: Math.ceil(size / 4) },
        { ...ids("x"), width: 800, height: 533, file_size: size },
      ];
    }
    const media: Record<string, unknown> = { ...ids(""), file_size: size };
    if (field === "document" || field === "audio" || field === "video" || field === "animation") {
      if (name) media.file_name = name;
      media.mime_type = guessMime(name);
    }
    if (field === "video" || field === "animation" || field === "sticker")
      Object.assign(media, { width: 640, height: 360 });
    if (field === "sticker") Object.assign(media, { type: "regular", is_animated: false, is_video: false });
    if (
      field === "video" ||
      field === "animation" ||
      field === "audio" ||
      field === "voice" ||
      field === "video_note"
    ) {
      media.duration = 1;
    }
    if (field === "video_note") media.length = 240;
    return media;
  }

  private createBotMessage(chat: Chat, content: Partial<Message>, p: Payload): StoredMessage {
    const message: StoredMessage = {
      message_id: this.nextMessageId(chat.id),
      ...(chat.type === "channel" ? { sender_chat: chat } : { from: this.botUser() }),
      chat,
      date: unixNow(),
      ...content,
    };
    const threadId = optNumber(p.message_thread_id);
    if (threadId !== undefined) message.message_thread_id = threadId;
    const replyParams = isRecord(p.reply_parameters) ? p.reply_parameters : undefined;
    const replyTo = optNumber(replyParams?.message_id) ?? optNumber(p.reply_to_message_id);
    if (replyTo !== undefined) {
      const replyChat = replyParams?.chat_id !== undefined ? this.resolveChat(replyParams.chat_id) : chat;
      const replied = this.getMessage(replyChat.id, replyTo);
      const allowWithout = replyParams?.allow_sending_without_reply === true || p.allow_sending_without_reply === true;
      if (!replied && !allowWithout) throw bad("Bad Request: message to be replied not found");
      if (replied) message.reply_to_message = withoutReply(replied);
    }
    const markup = inlineMarkup(p.reply_markup);
    if (markup) message.reply_markup = markup;
    if (p.protect_content === true) message.has_protected_content = true;
    this.storeMessage(message);
    return message;
  }

  /** What Telegram knows once an update happened: its users, chats, messages, pending queries, blocked chats. */
  ingest(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update;
    if (full.update_id >= this.nextUpdateId) this.nextUpdateId = full.update_id + 1;
    const msg = full.message ?? full.edited_message ?? full.channel_post;
    if (msg) {
      this.rememberChat(msg.chat);
      if (msg.from) this.users.set(msg.from.id, msg.from);
      if (!this.getMessage(msg.chat.id, msg.message_id)) this.storeMessage(msg as StoredMessage);
    }
    if (full.callback_query) {
      this.callbackQueries.set(full.callback_query.id, { answered: false });
      this.users.set(full.callback_query.from.id, full.callback_query.from);
    }
    if (full.inline_query) this.inlineQueries.set(full.inline_query.id, { answered: false });
    const member = full.my_chat_member;
    if (member) {
      this.rememberChat(member.chat);
      const key = String(member.chat.id);
      const status = member.new_chat_member.status;
      if (status === "kicked" || status === "left") this.memberStatus.set(key, status);
      else this.memberStatus.delete(key);
    }
    return full;
  }

  private ensureUser(userId: number, opts: { languageCode?: string; username?: string; firstName?: string }): User {
    const prev = this.users.get(userId);
    const user: User = {
      id: userId,
      is_bot: false,
      first_name: opts.firstName ?? prev?.first_name ?? `User ${userId}`,
    };
    const username = opts.username ?? prev?.username;
    if (username) user.username = username;
    const lang = opts.languageCode ?? prev?.language_code;
    if (lang) user.language_code = lang;
    this.users.set(userId, user);
    return user;
  }

  private ensureIncomingChat(chatId: number, type: ChatType, user: User, title?: string): Chat {
    let id = chatId;
    if (type === "group" && id > 0) id = -id;
    if ((type === "supergroup" || type === "channel") && id > 0) id = -(1_000_000_000_000 + id);
    let chat: Chat;
    if (type === "private") {
      chat = { id, type, first_name: user.first_name };
      if (user.username) chat.username = user.username;
    } else {
      const known = this.chats.get(String(id));
      chat = {
        id,
        type,
        title: title ?? (known && "title" in known ? known.title : undefined) ?? `Test ${type} ${Math.abs(chatId)}`,
      } as Chat;
    }
    this.rememberChat(chat);
    return chat;
  }

  private rememberChat(chat: Chat): void {
    this.chats.set(String(chat.id), chat);
    if (chat.type !== "private" && chat.username) this.chats.set(`@${chat.username}`, chat);
  }

  private resolveChat(chatId: unknown): Chat {
    if (chatId === undefined || chatId === null || chatId === "") throw bad("Bad Request: chat_id is empty");
    const known = this.chats.get(String(chatId));
    if (known) return known;
    if (this.strictChats) throw apiError(apiErrors.chatNotFound());
    let chat: Chat;
    if (typeof chatId === "string" && chatId.startsWith("@")) {
      chat = {
        id: -1_000_000_000_000 - (hash(chatId) % 1_000_000_000),
        type: "channel",
        title: chatId.slice(1),
        username: chatId.slice(1),
      };
    } else {
      const id = Number(chatId);
      if (!Number.isSafeInteger(id) || id === 0) throw apiError(apiErrors.chatNotFound());
      if (id > 0) {
        const user = this.users.get(id);
        chat = { id, type: "private", first_name: user?.first_name ?? `User ${id}` };
        if (user?.username) chat.username = user.username;
      } else if (id <= -1_000_000_000_000) chat = { id, type: "supergroup", title: `Test supergroup ${-id}` };
      else chat = { id, type: "group", title: `Test group ${-id}` };
    }
    this.rememberChat(chat);
    return chat;
  }

  private botUser(): User {
    return { id: this.botId, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username };
  }

  private nextMessageId(chatId: number): number {
    const key = String(chatId);
    const next = (this.messageCounters.get(key) ?? 0) + 1;
    this.messageCounters.set(key, next);
    return next;
  }

  private nextQueryId(userId: number): string {
    return String(BigInt(userId) * 4_294_967_296n + BigInt(this.queryCounter++));
  }

  private storeMessage(message: StoredMessage): void {
    const key = String(message.chat.id);
    let chatMessages = this.messages.get(key);
    if (!chatMessages) {
      chatMessages = new Map();
      this.messages.set(key, chatMessages);
    }
    chatMessages.set(message.message_id, message);
    if ((this.messageCounters.get(key) ?? 0) < message.message_id) this.messageCounters.set(key, message.message_id);
  }

  getMessage(chatId: number, messageId: number): StoredMessage | undefined {
    return this.messages.get(String(chatId))?.get(messageId);
  }

  private lastBotMessage(chatId: number): StoredMessage | undefined {
    const all = [...(this.messages.get(String(chatId))?.values() ?? [])].filter((m) => m.from?.id === this.botId);
    return all.sort((a, b) => b.message_id - a.message_id)[0];
  }
}

/** Validates an inline keyboard like Telegram; returns it when it should appear on the message. */
function inlineMarkup(markup: unknown): InlineKeyboardMarkup | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (!isRecord(markup)) throw bad("Bad Request: can't parse reply keyboard markup JSON object");
  if (!("inline_keyboard" in markup)) return undefined; // reply keyboards are not echoed in messages
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw bad('Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (!isRecord(button) || typeof button.text !== "string") {
        throw bad('Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String');
      }
      const actions = INLINE_BUTTON_ACTIONS.filter((a) => button[a] !== undefined);
      if (actions.length === 0) {
        throw bad("Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
      if (button.callback_data !== undefined) {
        const data = button.callback_data;
        if (typeof data !== "string" || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) {
          throw bad("Bad Request: BUTTON_DATA_INVALID");
        }
      }
      if (button.url !== undefined) {
        const ok = typeof button.url === "string" && /^(https?|tg):/i.test(button.url) && URL.canParse(button.url);
        if (!ok)
          throw bad(`Bad Request: inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
      }
    }
  }
  const nonEmpty = (rows as unknown[][]).filter((r) => r.length > 0);
  return nonEmpty.length ? ({ inline_keyboard: nonEmpty } as InlineKeyboardMarkup) : undefined;
}

function commandsKey(scope: unknown, languageCode: string | undefined): string {
  const s = isRecord(scope) ? scope : { type: "default" };
  const normalized = Object.keys(s)
    .sort()
    .map((k) => `${k}=${String(s[k])}`)
    .join(",");
  return `${normalized}|${languageCode ?? ""}`;
}

function checkButton(markup: InlineKeyboardMarkup | undefined, data: string, where: string): void {
  const keyboard = markup?.inline_keyboard;
  if (keyboard && !keyboard.some((row) => row.some((b) => "callback_data" in b && b.callback_data === data))) {
    throw new Error(
      `callbackQuery: ${where} has no button with callback_data ${JSON.stringify(data)} ` +
        `(buttons: ${JSON.stringify(keyboard.flat().map((b) => ("callback_data" in b ? b.callback_data : b.text)))}); pass allowUnknownData to force`,
    );
  }
}

function withoutReply(message: StoredMessage): NonNullable<Message["reply_to_message"]> {
  const { reply_to_message: _reply, ...rest } = message;
  return rest as NonNullable<Message["reply_to_message"]>;
}

function setOrDelete<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function guessMime(name: string | undefined): string {
  const ext = name?.split(".").pop()?.toLowerCase();
  const table: Record<string, string> = {
    pdf: "application/pdf",
    txt: "text/plain",
    csv: "text/csv",
    json: "application/json",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    mp4: "video/mp4",
    mp3: "audio/mpeg",
    ogg: "audio/ogg",
    zip: "application/zip",
  };
  return (ext && table[ext]) || "application/octet-stream";
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
