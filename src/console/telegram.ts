import type { Transformer } from "grammy";
import type {
  CallbackQuery,
  Chat,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  InlineQueryResult,
  InlineQueryResultsButton,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { bad, BotApiError, NOT_MODIFIED, QUERY_TOO_OLD } from "../telegram-emulator/errors.js";
import { formatText } from "../telegram-emulator/html.js";
import { bold, dim, toTerminal, type TerminalStyle } from "./render.js";

/**
 * An in-process stand-in for the Telegram Bot API, installed as an API transformer in console mode:
 * every call the bot makes is answered here with a realistic result (messages get ids, edits change
 * stored messages, queries must be answered once) and whatever the user would see is written to the
 * terminal. It also builds the updates the user's input stands for (messages, button presses, inline
 * queries), with the objects Telegram would put in them.
 */

type Payload = Record<string, unknown>;
type ApiResult = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };

interface StoredMessage {
  message: Message;
  /** When the message was last shown with buttons (numbers press the newest one's buttons). */
  shownAt: number;
  /** The text as the bot sent it (HTML), to show it again after a keyboard-only edit. */
  html?: string;
  parseMode?: string;
}

interface InlineMessage {
  id: string;
  text: string;
  html?: string;
  parseMode?: string;
  markup?: InlineKeyboardMarkup;
  shownAt: number;
}

/**
 * Inline results just listed: numbers choose among them until a message with buttons is shown or the
 * user sends or presses something (the newest numbered list on screen wins).
 */
interface InlineChoice {
  kind: "inline";
  query: string;
  results: InlineQueryResult[];
  button?: InlineQueryResultsButton;
  nextOffset?: string;
}

/** What the user's input turned into. */
export type Action =
  { kind: "update"; update: Update; after?: () => void } | { kind: "say"; text: string } | { kind: "none" };

export interface ConsoleTelegramOptions {
  botInfo: UserFromGetMe;
  user: User;
  write: (text: string) => void;
  style: TerminalStyle;
}

export class ConsoleTelegram {
  private readonly botUser: User;
  private readonly chat: Chat.PrivateChat;
  private readonly messages = new Map<number, StoredMessage>();
  private readonly inlineMessages = new Map<string, InlineMessage>();
  private readonly pendingQueries = new Set<string>();
  private readonly commands = new Map<string, unknown>();
  private nextMessageId = 1;
  private nextUpdateId = 1;
  private nextQueryId = 1;
  private clock = 0;
  private choice: InlineChoice | undefined;
  private inlineAnswered = false;
  /** The query of the last inline update (for "+ for more"). */
  private lastInlineQuery = "";

  constructor(private readonly options: ConsoleTelegramOptions) {
    const { botInfo, user } = options;
    this.botUser = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };
    this.chat = {
      id: user.id,
      type: "private",
      first_name: user.first_name,
      ...(user.username ? { username: user.username } : {}),
    };
  }

  /** Answers every Bot API call in-process; nothing reaches the network. */
  readonly transformer: Transformer = async (_prev, method, payload) => {
    return this.call(method, (payload ?? {}) as Payload) as never;
  };

  // ---- input → updates ------------------------------------------------------

  /** Turns one line the user typed into what it stands for. */
  input(line: string): Action {
    const text = line.trim();
    if (text === "") return { kind: "none" };
    const mention = new RegExp(`^@${this.options.botInfo.username}(?:\\s+|$)`, "i").exec(text);
    if (mention) return this.inlineQuery(text.slice(mention[0].length).trim(), "");
    if (text === "+" && this.choice?.kind === "inline" && this.choice.nextOffset)
      return this.inlineQuery(this.choice.query, this.choice.nextOffset);
    if (/^\d{1,3}$/.test(text)) {
      const picked = this.choose(Number(text));
      if (picked) return picked;
    }
    return { kind: "update", update: this.userMessage(text) };
  }

  private userMessage(text: string): Update {
    this.choice = undefined;
    const message: Message.TextMessage = {
      message_id: this.nextMessageId++,
      from: this.options.user,
      chat: this.chat,
      date: unixNow(),
      text,
    };
    const command = /^\/[^\s@]+(?:@\w+)?/.exec(text);
    if (command) message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    this.messages.set(message.message_id, { message, shownAt: 0 });
    return { update_id: this.nextUpdateId++, message: message as NonNullable<Update["message"]> };
  }

  private inlineQuery(query: string, offset: string): Action {
    const id = this.queryId();
    this.pendingQueries.add(id);
    this.lastInlineQuery = query;
    this.inlineAnswered = false;
    const update: Update = {
      update_id: this.nextUpdateId++,
      inline_query: { id, from: this.options.user, query, offset, chat_type: "private" },
    };
    return {
      kind: "update",
      update,
      after: () => {
        if (!this.inlineAnswered) this.note(`(no answer to the inline query "${query}")`);
      },
    };
  }

  /** A number: a button of the newest message with buttons, or an inline result just listed. */
  private choose(n: number): Action | undefined {
    if (this.choice?.kind === "inline") {
      const { results, button } = this.choice;
      const total = results.length + (button ? 1 : 0);
      if (n < 1 || n > total) return { kind: "say", text: `No result ${n}: choose 1–${total}.` };
      const result = results[n - 1];
      if (!result) {
        this.choice = undefined;
        const start = (button as InlineQueryResultsButton).start_parameter;
        return { kind: "update", update: this.userMessage(start ? `/start ${start}` : "/start") };
      }
      this.choice = undefined;
      this.sendInlineResult(result);
      return { kind: "none" };
    }
    const target = this.buttonTarget();
    if (!target) return undefined;
    const buttons = target.markup.inline_keyboard.flat();
    const button = buttons[n - 1];
    if (!button) return { kind: "say", text: `No button ${n}: choose 1–${buttons.length}.` };
    return this.press(button, target);
  }

  private press(button: InlineKeyboardButton, target: ButtonTarget): Action {
    if ("callback_data" in button && button.callback_data !== undefined) {
      const id = this.queryId();
      this.pendingQueries.add(id);
      this.choice = undefined;
      const base = {
        id,
        from: this.options.user,
        chat_instance: String(this.chat.id * 7919 + 1),
        data: button.callback_data,
      };
      const query: CallbackQuery =
        target.kind === "message"
          ? { ...base, message: structuredClone(target.message) }
          : { ...base, inline_message_id: target.id };
      return { kind: "update", update: { update_id: this.nextUpdateId++, callback_query: query } };
    }
    if ("url" in button && button.url) {
      // A deep link to this bot opens the chat with "/start <parameter>", as in Telegram.
      const start = this.deepLinkStart(button.url);
      return start === undefined
        ? { kind: "say", text: `(opens ${button.url})` }
        : { kind: "update", update: this.userMessage(start) };
    }
    if ("switch_inline_query_current_chat" in button && button.switch_inline_query_current_chat !== undefined) {
      return this.inlineQuery(button.switch_inline_query_current_chat, "");
    }
    if ("switch_inline_query" in button && button.switch_inline_query !== undefined)
      return this.inlineQuery(button.switch_inline_query, "");
    if ("copy_text" in button && button.copy_text) return { kind: "say", text: `(copied: ${button.copy_text.text})` };
    return { kind: "say", text: `(the "${button.text}" button does nothing in the console)` };
  }

  private deepLinkStart(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const ours =
      /^(www\.)?(t|telegram)\.me$/i.test(parsed.hostname) &&
      parsed.pathname.replace(/\//g, "").toLowerCase() === this.options.botInfo.username.toLowerCase();
    if (!ours) return undefined;
    const param = parsed.searchParams.get("start");
    return param ? `/start ${param}` : "/start";
  }

  private buttonTarget(): ButtonTarget | undefined {
    let best: ButtonTarget | undefined;
    let bestAt = -1;
    for (const stored of this.messages.values()) {
      const markup = stored.message.reply_markup;
      if (markup && markup.inline_keyboard.flat().length > 0 && stored.shownAt > bestAt) {
        best = { kind: "message", message: stored.message, markup };
        bestAt = stored.shownAt;
      }
    }
    for (const inline of this.inlineMessages.values()) {
      if (inline.markup && inline.markup.inline_keyboard.flat().length > 0 && inline.shownAt > bestAt) {
        best = { kind: "inline", id: inline.id, markup: inline.markup };
        bestAt = inline.shownAt;
      }
    }
    return best;
  }

  /** Choosing an inline result sends it (to another chat, as in Telegram: the bot is not told). */
  private sendInlineResult(result: InlineQueryResult): void {
    const content =
      "input_message_content" in result ? (result.input_message_content as Payload | undefined) : undefined;
    const markup = normalizeMarkup(result.reply_markup);
    const id = `console-inline-${this.nextQueryId++}`;
    const text = typeof content?.message_text === "string" ? content.message_text : describeResult(result);
    const stored: InlineMessage = {
      id,
      text,
      parseMode: typeof content?.parse_mode === "string" ? content.parse_mode : undefined,
      markup,
      shownAt: 0,
    };
    if (markup) this.inlineMessages.set(id, stored);
    this.show(`you, via @${this.options.botInfo.username}`, stored, "sent to a chat");
  }

  // ---- Bot API ------------------------------------------------------------------

  call(method: string, p: Payload): ApiResult {
    try {
      return { ok: true, result: this.dispatch(method, p) };
    } catch (error) {
      if (error instanceof BotApiError) return error.toResponse();
      throw error;
    }
  }

  private dispatch(method: string, p: Payload): unknown {
    switch (method) {
      case "getMe":
        return { ...this.options.botInfo };
      case "getUpdates":
        return [];
      case "getChat":
        return { ...this.chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
      case "getChatMember":
        return { status: "member", user: this.options.user };
      case "setMyCommands":
        this.commands.set(commandsKey(p), p.commands);
        return true;
      case "getMyCommands":
        return this.commands.get(commandsKey(p)) ?? [];
      case "deleteMyCommands":
        this.commands.delete(commandsKey(p));
        return true;
      case "getWebhookInfo":
        return { url: "", has_custom_certificate: false, pending_update_count: 0 };
      case "sendMessage":
        return this.sendMessage(p);
      case "editMessageText":
        return this.editMessage(p, "text");
      case "editMessageCaption":
        return this.editMessage(p, "caption");
      case "editMessageReplyMarkup":
        return this.editMessage(p, "markup");
      case "deleteMessage":
        return this.deleteMessage(Number(p.message_id));
      case "deleteMessages":
        for (const id of Array.isArray(p.message_ids) ? p.message_ids : []) this.deleteMessage(Number(id), true);
        return true;
      case "answerCallbackQuery":
        return this.answerCallbackQuery(p);
      case "answerInlineQuery":
        return this.answerInlineQuery(p);
      case "sendChatAction":
        return true;
      case "sendPhoto":
      case "sendDocument":
      case "sendVideo":
      case "sendAudio":
      case "sendAnimation":
      case "sendVoice":
      case "sendSticker":
      case "sendLocation":
      case "sendContact":
      case "sendVenue":
        return this.sendOther(method, p);
      case "copyMessage":
        return { message_id: (this.sendOther(method, p) as Message).message_id };
      default:
        // setWebhook, setChatMenuButton, setMyDescription…: nothing to show in a console.
        return true;
    }
  }

  private sendMessage(p: Payload): Message {
    const html = String(p.text ?? "");
    const parseMode = typeof p.parse_mode === "string" ? p.parse_mode : undefined;
    const { text, entities } = formatText(html, parseMode, p.entities);
    if (text.trim() === "") throw bad("Bad Request: message text is empty");
    if (text.length > 4096) throw bad("Bad Request: message is too long");
    const markup = normalizeMarkup(p.reply_markup);
    const message: Message.TextMessage = {
      message_id: this.nextMessageId++,
      from: this.botUser,
      chat: this.chat,
      date: unixNow(),
      text,
      ...(entities.length ? { entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
      ...(p.link_preview_options
        ? { link_preview_options: p.link_preview_options as Message["link_preview_options"] }
        : {}),
    };
    const stored: StoredMessage = { message, shownAt: 0, html, parseMode };
    this.messages.set(message.message_id, stored);
    this.show(this.options.botInfo.first_name, {
      text: html,
      parseMode,
      markup,
      setShown: (t) => (stored.shownAt = t),
    });
    this.showReplyKeyboard(p.reply_markup);
    return structuredClone(message);
  }

  private sendOther(method: string, p: Payload): Message {
    const kind = method === "copyMessage" ? "copy" : method.replace(/^send/, "").toLowerCase();
    const caption = typeof p.caption === "string" ? p.caption : "";
    const parseMode = typeof p.parse_mode === "string" ? p.parse_mode : undefined;
    const markup = normalizeMarkup(p.reply_markup);
    const message = {
      message_id: this.nextMessageId++,
      from: this.botUser,
      chat: this.chat,
      date: unixNow(),
      ...(caption ? { caption: formatText(caption, parseMode, p.caption_entities).text } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    } as Message;
    const label = `[${kind}]`;
    const stored: StoredMessage = { message, shownAt: 0, html: caption ? `${label} ${caption}` : label, parseMode };
    this.messages.set(message.message_id, stored);
    this.show(this.options.botInfo.first_name, {
      text: caption ? `${label} ${caption}` : label,
      parseMode,
      markup,
      setShown: (t) => (stored.shownAt = t),
    });
    return structuredClone(message);
  }

  private editMessage(p: Payload, what: "text" | "caption" | "markup"): Message | true {
    const markup = normalizeMarkup(p.reply_markup);
    const parseMode = typeof p.parse_mode === "string" ? p.parse_mode : undefined;
    const raw = what === "text" ? String(p.text ?? "") : what === "caption" ? String(p.caption ?? "") : undefined;
    if (raw !== undefined && what === "text" && formatText(raw, parseMode, p.entities).text.trim() === "") {
      throw bad("Bad Request: text must be non-empty");
    }

    if (typeof p.inline_message_id === "string") {
      const inline = this.inlineMessages.get(p.inline_message_id) ?? { id: p.inline_message_id, text: "", shownAt: 0 };
      if (raw !== undefined) {
        inline.text = raw;
        inline.parseMode = parseMode;
      }
      inline.markup = markup;
      this.inlineMessages.set(inline.id, inline);
      this.show(`you, via @${this.options.botInfo.username}`, inline, "edited");
      return true;
    }

    const stored = this.messages.get(Number(p.message_id));
    if (!stored || Number(p.chat_id) !== this.chat.id) throw bad("Bad Request: message to edit not found");
    const message = stored.message as Message & { text?: string; entities?: MessageEntity[]; caption?: string };
    if (message.from?.id !== this.botUser.id) throw bad("Bad Request: message can't be edited");
    const before = JSON.stringify([message.text, message.entities, message.caption, message.reply_markup]);
    if (what === "text" && raw !== undefined) {
      if (message.text === undefined) throw bad("Bad Request: there is no text in the message to edit");
      const { text, entities } = formatText(raw, parseMode, p.entities);
      message.text = text;
      if (entities.length) message.entities = entities;
      else delete message.entities;
      stored.html = raw;
      stored.parseMode = parseMode;
    } else if (what === "caption" && raw !== undefined) {
      message.caption = formatText(raw, parseMode, p.caption_entities).text;
      stored.html = raw;
      stored.parseMode = parseMode;
    }
    if (markup) message.reply_markup = markup;
    else delete message.reply_markup;
    if (JSON.stringify([message.text, message.entities, message.caption, message.reply_markup]) === before)
      throw bad(NOT_MODIFIED);
    message.edit_date = unixNow();
    const shownText = stored.html ?? message.text ?? message.caption ?? "";
    const shownMode = stored.html !== undefined ? stored.parseMode : undefined;
    this.show(
      this.options.botInfo.first_name,
      { text: shownText, parseMode: shownMode, markup, setShown: (t) => (stored.shownAt = t) },
      `edited message`,
    );
    return structuredClone(message);
  }

  private deleteMessage(id: number, quiet = false): true {
    if (!this.messages.delete(id)) {
      if (quiet) return true;
      throw bad("Bad Request: message to delete not found");
    }
    this.note("(a message was deleted)");
    return true;
  }

  private answerCallbackQuery(p: Payload): true {
    const id = String(p.callback_query_id);
    if (!this.pendingQueries.delete(id)) throw bad(QUERY_TOO_OLD);
    if (typeof p.text === "string" && p.text !== "")
      this.note(p.show_alert === true ? `[alert] ${p.text}` : `(${p.text})`);
    if (typeof p.url === "string") this.note(`(opens ${p.url})`);
    return true;
  }

  private answerInlineQuery(p: Payload): true {
    const id = String(p.inline_query_id);
    if (!this.pendingQueries.delete(id)) throw bad(QUERY_TOO_OLD);
    const results = (Array.isArray(p.results) ? p.results : []) as InlineQueryResult[];
    const button = p.button as InlineQueryResultsButton | undefined;
    const nextOffset = typeof p.next_offset === "string" && p.next_offset !== "" ? p.next_offset : undefined;
    this.inlineAnswered = true;
    const { style } = this.options;
    const lines = [bold(`Inline results (@${this.options.botInfo.username})`, style)];
    if (results.length === 0) lines.push("  No results.");
    results.forEach((r, i) => {
      const title = "title" in r && typeof r.title === "string" ? r.title : describeResult(r);
      const description = "description" in r && typeof r.description === "string" ? r.description : "";
      lines.push(
        `  [${i + 1}] ${bold(title, style)}${description ? `\n      ${dim(description.replace(/\s+/g, " "), style)}` : ""}`,
      );
    });
    if (button) lines.push(`  [${results.length + 1}] ${button.text}`);
    if (nextOffset) lines.push(dim("  (+ for more results)", style));
    this.options.write(`${lines.join("\n")}\n\n`);
    const query = this.lastInlineQuery;
    this.choice = results.length || button ? { kind: "inline", query, results, button, nextOffset } : undefined;
    return true;
  }

  // ---- output ---------------------------------------------------------------

  private show(
    author: string,
    message: {
      text: string;
      html?: string;
      parseMode?: string;
      markup?: InlineKeyboardMarkup;
      setShown?: (t: number) => void;
      shownAt?: number;
    },
    marker?: string,
  ): void {
    const { style } = this.options;
    const body = toTerminal(formatText(message.text, message.parseMode, undefined), style);
    const header = bold(author, style) + (marker ? dim(` (${marker})`, style) : "");
    const lines = [header, ...body.split("\n").map((l) => `  ${l}`)];
    const buttons = message.markup?.inline_keyboard ?? [];
    if (buttons.flat().length > 0) {
      const at = ++this.clock;
      if (message.setShown) message.setShown(at);
      else message.shownAt = at;
      let n = 0;
      for (const row of buttons) {
        if (row.length === 0) continue;
        lines.push(`  ${row.map((b) => `[${++n}] ${buttonLabel(b)}`).join("  ")}`);
      }
      this.choice = undefined;
    }
    this.options.write(`${lines.join("\n")}\n\n`);
  }

  private showReplyKeyboard(markup: unknown): void {
    if (!isRecord(markup) || !Array.isArray(markup.keyboard)) return;
    const labels = (markup.keyboard as unknown[][])
      .flat()
      .map((b) => (typeof b === "string" ? b : isRecord(b) ? String(b.text) : ""));
    this.note(`(keyboard: ${labels.join(" | ")})`);
  }

  private note(text: string): void {
    this.options.write(`${dim(text, this.options.style)}\n\n`);
  }

  private queryId(): string {
    return `${this.options.user.id}${String(this.nextQueryId++).padStart(6, "0")}`;
  }
}

type ButtonTarget =
  | { kind: "message"; message: Message; markup: InlineKeyboardMarkup }
  | { kind: "inline"; id: string; markup: InlineKeyboardMarkup };

function buttonLabel(button: InlineKeyboardButton): string {
  if ("url" in button && button.url) return `${button.text} (${button.url})`;
  return button.text;
}

/** Inline keyboards as Telegram stores them (grammY's InlineKeyboard class → plain object, empty rows dropped). */
function normalizeMarkup(markup: unknown): InlineKeyboardMarkup | undefined {
  if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) return undefined;
  const rows = (markup.inline_keyboard as InlineKeyboardButton[][])
    .filter((r) => Array.isArray(r) && r.length > 0)
    .map((r) => r.map((b) => ({ ...b })));
  return rows.length ? { inline_keyboard: rows } : undefined;
}

function describeResult(result: InlineQueryResult): string {
  if ("title" in result && typeof result.title === "string") return result.title;
  if ("caption" in result && typeof result.caption === "string") return `[${result.type}] ${result.caption}`;
  return `[${result.type}]`;
}

function commandsKey(p: Payload): string {
  return `${JSON.stringify(p.scope ?? { type: "default" })}|${typeof p.language_code === "string" ? p.language_code : ""}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
