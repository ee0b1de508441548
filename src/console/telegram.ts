import type { Transformer } from "grammy";
import type {
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  InlineQueryResult,
  InlineQueryResultsButton,
  Message,
  MessageId,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { EDIT_METHODS, TelegramEmulator, type InlineMessage, type Payload } from "../telegram-emulator/emulator.js";
import { isRecord } from "../telegram-emulator/fields.js";
import { bold, dim, toTerminal, type TerminalStyle } from "./render.js";

/**
 * The console's Telegram: the Telegram emulator (src/telegram-emulator/) answers every call the bot makes,
 * as an API transformer, and whatever the user would see is written to the terminal. It also turns what
 * the user types into the updates it stands for (messages, button presses, inline queries).
 */

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

/** A message shown: one in a chat, or an inline message. */
type Shown = { chatId: number; messageId: number } | { inlineId: string };

type ButtonTarget =
  | { kind: "message"; message: Message; markup: InlineKeyboardMarkup }
  | { kind: "inline"; id: string; markup: InlineKeyboardMarkup };

/** What a message without text shows: its kind, then its caption. */
const MEDIA_KINDS = [
  "photo",
  "document",
  "video",
  "audio",
  "animation",
  "voice",
  "video_note",
  "sticker",
  "venue",
  "location",
  "contact",
  "poll",
  "dice",
] as const;

export class ConsoleTelegram {
  private readonly telegram: TelegramEmulator;
  /** When each message was last shown with buttons (numbers press the newest one's buttons). */
  private readonly shownAt = new Map<string, { at: number; shown: Shown }>();
  private clock = 0;
  private choice: InlineChoice | undefined;
  private inlineAnswered = false;
  /** The query of the last inline update (for "+ for more"). */
  private lastInlineQuery = "";

  constructor(private readonly options: ConsoleTelegramOptions) {
    this.telegram = new TelegramEmulator({ botInfo: options.botInfo });
  }

  /** Answers every Bot API call in-process (nothing reaches the network) and shows what the user would see. */
  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const p = (payload ?? {}) as Payload;
    const deleting = method === "deleteMessages" ? this.existing(Number(p.chat_id), p.message_ids) : 0;
    const answer = await this.telegram.transformer(prev, method, payload, signal);
    if (answer.ok) this.shown(method, p, answer.result, deleting);
    return answer;
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
    return this.userMessage(text);
  }

  private get user() {
    const { id, first_name, username, language_code } = this.options.user;
    return { userId: id, firstName: first_name, username, languageCode: language_code };
  }

  /** An update the emulator has taken note of, as the bot gets it (a copy: later edits do not change it). */
  private update(update: Update, after?: () => void): Action {
    return { kind: "update", update: structuredClone(this.telegram.ingest(update)), after };
  }

  private userMessage(text: string): Action {
    this.choice = undefined;
    return this.update(this.telegram.textMessage({ ...this.user, chatId: this.options.user.id, text }));
  }

  private inlineQuery(query: string, offset: string): Action {
    this.lastInlineQuery = query;
    this.inlineAnswered = false;
    return this.update(this.telegram.inlineQuery({ ...this.user, query, offset, chatType: "private" }), () => {
      if (!this.inlineAnswered) this.note(`(no answer to the inline query "${query}")`);
    });
  }

  /** A number: a button of the newest message with buttons, or an inline result just listed. */
  private choose(n: number): Action | undefined {
    if (this.choice?.kind === "inline") {
      const { results, button } = this.choice;
      const total = results.length + (button ? 1 : 0);
      if (n < 1 || n > total) return { kind: "say", text: `No result ${n}: choose 1–${total}.` };
      const result = results[n - 1];
      if (!result) {
        const start = (button as InlineQueryResultsButton).start_parameter;
        return this.userMessage(start ? `/start ${start}` : "/start");
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
      this.choice = undefined;
      const data = button.callback_data;
      return this.update(
        target.kind === "message"
          ? this.telegram.callbackQuery({
              ...this.user,
              chatId: target.message.chat.id,
              chatType: target.message.chat.type,
              messageId: target.message.message_id,
              data,
            })
          : this.telegram.callbackQuery({
              ...this.user,
              chatId: this.options.user.id,
              inlineMessageId: target.id,
              data,
            }),
      );
    }
    if ("url" in button && button.url) {
      // A deep link to this bot opens the chat with "/start <parameter>", as in Telegram.
      const start = this.deepLinkStart(button.url);
      return start === undefined ? { kind: "say", text: `(opens ${button.url})` } : this.userMessage(start);
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

  /** The message shown last with buttons that still has them (edits and deletions are the emulator's). */
  private buttonTarget(): ButtonTarget | undefined {
    let best: ButtonTarget | undefined;
    let bestAt = -1;
    for (const { at, shown } of this.shownAt.values()) {
      const target = at > bestAt ? this.target(shown) : undefined;
      if (target && target.markup.inline_keyboard.flat().length > 0) [best, bestAt] = [target, at];
    }
    return best;
  }

  private target(shown: Shown): ButtonTarget | undefined {
    if ("inlineId" in shown) {
      const markup = this.telegram.inlineMessage(shown.inlineId)?.reply_markup;
      return markup && { kind: "inline", id: shown.inlineId, markup };
    }
    const message = this.telegram.getMessage(shown.chatId, shown.messageId);
    return message?.reply_markup && { kind: "message", message, markup: message.reply_markup };
  }

  /** Choosing an inline result sends it (to another chat, as in Telegram: the bot is not told). */
  private sendInlineResult(result: InlineQueryResult): void {
    const sent = this.telegram.chooseInlineResult(result);
    this.showMessage(this.viaBot, sent, "sent to a chat", describeResult(result));
  }

  // ---- output ---------------------------------------------------------------

  private get viaBot(): string {
    return `you, via @${this.options.botInfo.username}`;
  }

  /** What the user sees of a call the emulator answered. */
  private shown(method: string, p: Payload, result: unknown, deleted: number): void {
    const author = this.options.botInfo.first_name;
    if (method === "copyMessage") {
      const copy = this.telegram.getMessage(Number(p.chat_id), (result as MessageId).message_id);
      if (copy) this.showMessage(author, copy);
    } else if ((method.startsWith("send") && method !== "sendChatAction") || method === "forwardMessage") {
      for (const message of [result].flat() as Message[]) this.showMessage(author, message);
      this.showReplyKeyboard(p.reply_markup);
    } else if (EDIT_METHODS.has(method)) {
      const inline = result === true ? this.telegram.inlineMessage(String(p.inline_message_id)) : undefined;
      if (inline) this.showMessage(this.viaBot, inline, "edited");
      else if (result !== true) this.showMessage(author, result as Message, "edited message");
    } else if (method === "deleteMessage" || method === "deleteMessages") {
      for (let i = 0; i < (method === "deleteMessage" ? 1 : deleted); i++) this.note("(a message was deleted)");
    } else if (method === "answerCallbackQuery") {
      if (typeof p.text === "string" && p.text !== "")
        this.note(p.show_alert === true ? `[alert] ${p.text}` : `(${p.text})`);
      if (typeof p.url === "string") this.note(`(opens ${p.url})`);
    } else if (method === "answerInlineQuery") {
      this.showInlineResults(p);
    }
  }

  private existing(chatId: number, ids: unknown): number {
    return (Array.isArray(ids) ? ids : []).filter((id) => this.telegram.getMessage(chatId, Number(id))).length;
  }

  private showInlineResults(p: Payload): void {
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
  }

  /** A message as Telegram shows it, with its buttons numbered (which makes them the ones numbers press). */
  private showMessage(author: string, message: Message | InlineMessage, marker?: string, fallback = ""): void {
    const { style } = this.options;
    const header = bold(author, style) + (marker ? dim(` (${marker})`, style) : "");
    const lines = [
      header,
      ...this.body(message, fallback)
        .split("\n")
        .map((l) => `  ${l}`),
    ];
    const buttons = message.reply_markup?.inline_keyboard ?? [];
    if (buttons.flat().length > 0) {
      const shown: Shown =
        "inline_message_id" in message
          ? { inlineId: message.inline_message_id }
          : { chatId: message.chat.id, messageId: message.message_id };
      this.shownAt.set(JSON.stringify(shown), { at: ++this.clock, shown });
      let n = 0;
      for (const row of buttons) {
        if (row.length === 0) continue;
        lines.push(`  ${row.map((b) => `[${++n}] ${buttonLabel(b)}`).join("  ")}`);
      }
      this.choice = undefined;
    }
    this.options.write(`${lines.join("\n")}\n\n`);
  }

  private body(message: Message | InlineMessage, fallback: string): string {
    const { style } = this.options;
    if (message.text !== undefined) return toTerminal({ text: message.text, entities: message.entities ?? [] }, style);
    const kind = MEDIA_KINDS.find((k) => k in message);
    const caption =
      message.caption !== undefined
        ? toTerminal({ text: message.caption, entities: message.caption_entities ?? [] }, style)
        : "";
    return [kind ? `[${kind}]` : fallback, caption].filter(Boolean).join(" ");
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
}

function buttonLabel(button: InlineKeyboardButton): string {
  if ("url" in button && button.url) return `${button.text} (${button.url})`;
  return button.text;
}

function describeResult(result: InlineQueryResult): string {
  if ("title" in result && typeof result.title === "string") return result.title;
  if ("caption" in result && typeof result.caption === "string") return `[${result.type}] ${result.caption}`;
  return `[${result.type}]`;
}
