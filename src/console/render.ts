import type { MessageEntity } from "grammy/types";
import type { FormattedText } from "../telegram-emulator/html.js";

/**
 * A message as the terminal shows it: its text as Telegram stores it, with the entities drawn as ANSI
 * styles when the terminal takes them, links as "text (url)" and quotes marked "│ ".
 */

export interface TerminalStyle {
  /** ANSI styles (bold, italic, colours); off for pipes and files. */
  color: boolean;
}

const ANSI: Partial<Record<MessageEntity["type"], [string, string]>> = {
  bold: ["\x1b[1m", "\x1b[22m"],
  italic: ["\x1b[3m", "\x1b[23m"],
  underline: ["\x1b[4m", "\x1b[24m"],
  strikethrough: ["\x1b[9m", "\x1b[29m"],
  spoiler: ["\x1b[2m", "\x1b[22m"],
  code: ["\x1b[36m", "\x1b[39m"],
  pre: ["\x1b[36m", "\x1b[39m"],
  text_link: ["\x1b[4m", "\x1b[24m"],
};

export function toTerminal({ text, entities }: FormattedText, style: TerminalStyle): string {
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  return span(text, sorted, 0, text.length, style);
}

/** text[from, to) with its entities, each drawn around the ones nested in it (overlapping ones are left out). */
function span(text: string, entities: MessageEntity[], from: number, to: number, style: TerminalStyle): string {
  let out = "";
  let at = from;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i] as MessageEntity;
    const end = entity.offset + entity.length;
    let next = i + 1;
    while (next < entities.length && (entities[next] as MessageEntity).offset < end) next++;
    if (entity.offset >= at && end <= to) {
      const inner = entities.slice(i + 1, next).filter((e) => e.offset + e.length <= end);
      out += text.slice(at, entity.offset) + draw(entity, span(text, inner, entity.offset, end, style), style);
      at = end;
    }
    i = next;
  }
  return out + text.slice(at, to);
}

function draw(entity: MessageEntity, inner: string, style: TerminalStyle): string {
  const codes = style.color ? ANSI[entity.type] : undefined;
  const styled = codes ? `${codes[0]}${inner}${codes[1]}` : inner;
  switch (entity.type) {
    case "text_link": {
      const plain = stripAnsi(inner).trim();
      return plain === entity.url || `${plain}/` === entity.url ? styled : `${styled} (${entity.url})`;
    }
    case "blockquote":
    case "expandable_blockquote":
      return inner
        .split("\n")
        .map((line) => `│ ${line}`)
        .join("\n");
    default:
      return styled;
  }
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

export function bold(text: string, style: TerminalStyle): string {
  return style.color ? `\x1b[1m${text}\x1b[22m` : text;
}

export function dim(text: string, style: TerminalStyle): string {
  return style.color ? `\x1b[2m${text}\x1b[22m` : text;
}
