import type { MessageEntity } from "grammy/types";

/**
 * Telegram's HTML parse mode, read the way Telegram reads it, for the console chat: one parse gives
 * both what Telegram would store (plain text + entities, for realistic Message objects) and what the
 * terminal shows (ANSI styles when it is a TTY, links as "text (url)", entities unescaped).
 */

type Style =
  | "bold"
  | "italic"
  | "underline"
  | "strikethrough"
  | "spoiler"
  | "code"
  | "pre"
  | "blockquote"
  | "expandable_blockquote"
  | "text_link"
  | "custom_emoji";

interface ElementNode {
  style?: Style;
  attrs: Record<string, string>;
  children: Node[];
}
type Node = string | ElementNode;

const TAG_STYLE: Record<string, Style | undefined> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  a: "text_link",
  "tg-emoji": "custom_emoji",
};

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(\/?)>/g;
const ATTR = /([a-zA-Z_][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Telegram's HTML → a tree. Lenient where Telegram is strict: unknown tags are dropped, unclosed ones closed. */
export function parseHtml(html: string): Node[] {
  const root: ElementNode = { attrs: {}, children: [] };
  const stack: { tag: string; node: ElementNode }[] = [{ tag: "", node: root }];
  const top = () => (stack[stack.length - 1] as { node: ElementNode }).node;
  let last = 0;
  for (const match of html.matchAll(TAG)) {
    const [whole, closing, rawTag, rawAttrs = ""] = match;
    if (match.index > last) top().children.push(unescapeHtml(html.slice(last, match.index)));
    last = match.index + whole.length;
    const tag = (rawTag as string).toLowerCase();
    if (closing) {
      const at = stack.map((s) => s.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
      continue;
    }
    if (tag === "br") {
      top().children.push("\n");
      continue;
    }
    const attrs = parseAttrs(rawAttrs);
    let style = TAG_STYLE[tag];
    if (tag === "span" && /\btg-spoiler\b/.test(attrs.class ?? "")) style = "spoiler";
    if (style === "blockquote" && "expandable" in attrs) style = "expandable_blockquote";
    const node: ElementNode = { style, attrs, children: [] };
    top().children.push(node);
    if (!match[4]) stack.push({ tag, node });
  }
  if (last < html.length) top().children.push(unescapeHtml(html.slice(last)));
  return root.children;
}

function parseAttrs(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of raw.matchAll(ATTR)) attrs[(m[1] as string).toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? "");
  return attrs;
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

export function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("#x")) return safeCodePoint(parseInt(lower.slice(2), 16), whole);
    if (lower.startsWith("#")) return safeCodePoint(parseInt(lower.slice(1), 10), whole);
    return NAMED[lower] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

// ---------------------------------------------------------------------------
// What Telegram stores: plain text and entities (offsets in UTF-16 code units)

export function htmlToEntities(html: string): { text: string; entities: MessageEntity[] } {
  let text = "";
  const entities: MessageEntity[] = [];
  const walk = (nodes: Node[], inPre = false): void => {
    for (const node of nodes) {
      if (typeof node === "string") {
        text += node;
        continue;
      }
      const offset = text.length;
      walk(node.children, node.style === "pre");
      const length = text.length - offset;
      // <pre><code class="language-x"> is one pre entity with a language, as Telegram stores it.
      const entity = inPre && node.style === "code" ? undefined : toEntity(node, offset, length);
      if (entity && length > 0) entities.push(entity);
    }
  };
  walk(parseHtml(html));
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function toEntity(node: ElementNode, offset: number, length: number): MessageEntity | undefined {
  switch (node.style) {
    case undefined:
      return undefined;
    case "text_link":
      return node.attrs.href ? { type: "text_link", offset, length, url: node.attrs.href } : undefined;
    case "pre": {
      const inner = node.children.find((c): c is ElementNode => typeof c !== "string" && c.style === "code");
      const language = /language-(\S+)/.exec(inner?.attrs.class ?? "")?.[1];
      return language ? { type: "pre", offset, length, language } : { type: "pre", offset, length };
    }
    case "custom_emoji":
      return { type: "custom_emoji", offset, length, custom_emoji_id: node.attrs["emoji-id"] ?? "0" };
    default:
      return { type: node.style, offset, length } as MessageEntity;
  }
}

// ---------------------------------------------------------------------------
// What the terminal shows

const ANSI: Partial<Record<Style, [string, string]>> = {
  bold: ["\x1b[1m", "\x1b[22m"],
  italic: ["\x1b[3m", "\x1b[23m"],
  underline: ["\x1b[4m", "\x1b[24m"],
  strikethrough: ["\x1b[9m", "\x1b[29m"],
  spoiler: ["\x1b[2m", "\x1b[22m"],
  code: ["\x1b[36m", "\x1b[39m"],
  pre: ["\x1b[36m", "\x1b[39m"],
  text_link: ["\x1b[4m", "\x1b[24m"],
};

export interface TerminalStyle {
  /** ANSI styles (bold, italic, colours); off for pipes and files. */
  color: boolean;
}

/** HTML message text → readable terminal text. */
export function htmlToTerminal(html: string, style: TerminalStyle): string {
  return nodesToTerminal(parseHtml(html), style);
}

function nodesToTerminal(nodes: Node[], style: TerminalStyle): string {
  let out = "";
  for (const node of nodes) {
    if (typeof node === "string") {
      out += node;
      continue;
    }
    const inner = nodesToTerminal(node.children, style);
    const codes = style.color ? ANSI[node.style as Style] : undefined;
    const styled = codes ? `${codes[0]}${inner}${codes[1]}` : inner;
    switch (node.style) {
      case "text_link": {
        const href = node.attrs.href ?? "";
        const plain = stripAnsi(inner).trim();
        out += !href || plain === href || `${plain}/` === href ? styled : `${styled} (${href})`;
        break;
      }
      case "blockquote":
      case "expandable_blockquote":
        out += inner
          .split("\n")
          .map((line) => `│ ${line}`)
          .join("\n");
        break;
      default:
        out += styled;
    }
  }
  return out;
}

/** MarkdownV2 / Markdown text shown without its escapes (the console renders HTML fully, Markdown roughly). */
export function markdownToTerminal(text: string): string {
  return text.replace(/\\([_*[\]()~`>#+\-=|{}.!\\])/g, "$1");
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

export function bold(text: string, style: TerminalStyle): string {
  return style.color ? `\x1b[1m${text}\x1b[22m` : text;
}

export function dim(text: string, style: TerminalStyle): string {
  return style.color ? `\x1b[2m${text}\x1b[22m` : text;
}
