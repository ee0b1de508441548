import type { MessageEntity } from "grammy/types";
import { bad, type BotApiError } from "./errors.js";

/**
 * Telegram's HTML parse mode, read as strictly as Telegram reads it: the text and entities it stores
 * (offsets in UTF-16 code units), or its "can't parse entities" error for malformed markup. HTML is the
 * one parse mode here: the bot sends nothing else, so a Markdown text is refused rather than half-read.
 */

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/** A text as Telegram stores it, from the call's `parse_mode` or its own entities. */
export function formatText(text: string, parseMode: unknown, entities: unknown): FormattedText {
  if (parseMode === undefined || parseMode === null || parseMode === "") {
    return { text, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  }
  if (String(parseMode).toLowerCase() === "html") return parseHtml(text);
  throw bad(`Bad Request: unsupported parse_mode ${JSON.stringify(parseMode)} (the emulator reads HTML only)`);
}

type LooseEntity = { type: string; offset: number; length: number; [k: string]: unknown };

const HTML_TAGS: Record<string, string> = {
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
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

const ENTITY = /^&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot);/;
const ATTR = /([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/g;

export function parseHtml(src: string): FormattedText {
  let out = "";
  const entities: LooseEntity[] = [];
  const stack: { tag: string; offset: number; entity: LooseEntity | undefined }[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "&") {
      const m = ENTITY.exec(src.slice(i, i + 16));
      out += m ? decodeHtmlEntities(m[0]) : ch;
      i += m ? m[0].length : 1;
      continue;
    }
    if (ch !== "<") {
      out += ch;
      i++;
      continue;
    }
    const at = byteOffset(src, i);
    const end = src.indexOf(">", i);
    if (end < 0) throw entityError(`Unclosed start tag at byte offset ${at}`);
    const inner = src.slice(i + 1, end);
    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw entityError(`Unexpected end tag at byte offset ${at}`);
      if (open.tag !== name) {
        throw entityError(`Unmatched end tag at byte offset ${at}, expected "</${open.tag}>", found "</${name}>"`);
      }
      if (open.entity) {
        open.entity.length = out.length - open.offset;
        entities.push(open.entity);
      }
    } else {
      const name = /^([a-zA-Z][a-zA-Z0-9-]*)/.exec(inner)?.[1]?.toLowerCase() ?? "";
      const type = HTML_TAGS[name];
      if (!type) throw entityError(`Unsupported start tag "${name}" at byte offset ${at}`);
      const attrs: Record<string, string> = {};
      for (const m of inner.slice(name.length).matchAll(ATTR)) {
        attrs[(m[1] ?? "").toLowerCase()] = decodeHtmlEntities(m[2] ?? m[3] ?? m[4] ?? "");
      }
      const created: LooseEntity = { type, offset: out.length, length: 0 };
      let entity: LooseEntity | undefined = created;
      if (name === "span" && attrs.class !== "tg-spoiler") {
        throw entityError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
      }
      if (name === "a") {
        if (attrs.href) created.url = attrs.href;
        else entity = undefined;
      }
      if (name === "tg-emoji") {
        if (!attrs["emoji-id"]) throw entityError(`Tag "tg-emoji" must have attribute "emoji-id" at byte offset ${at}`);
        created.custom_emoji_id = attrs["emoji-id"];
      }
      if (name === "blockquote" && "expandable" in attrs) created.type = "expandable_blockquote";
      if (name === "code") {
        const parent = stack[stack.length - 1];
        const lang = attrs.class?.startsWith("language-") ? attrs.class.slice("language-".length) : undefined;
        if (parent?.tag === "pre" && parent.entity && parent.offset === out.length) {
          if (lang) parent.entity.language = lang;
          entity = undefined; // <pre><code> is a single pre entity
        }
      }
      stack.push({ tag: name, offset: out.length, entity });
    }
    i = end + 1;
  }
  const open = stack[stack.length - 1];
  if (open) throw entityError(`Can't find end tag corresponding to start tag "${open.tag}"`);
  return {
    text: out,
    entities: entities
      .filter((e) => e.length > 0)
      .sort((a, b) => a.offset - b.offset || b.length - a.length) as unknown as MessageEntity[],
  };
}

function entityError(message: string): BotApiError {
  return bad(`Bad Request: can't parse entities: ${message}`);
}

function byteOffset(src: string, index: number): number {
  return Buffer.byteLength(src.slice(0, index), "utf8");
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function decodeHtmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot);/g, (whole, e: string) => {
    if (!e.startsWith("#")) return NAMED[e] ?? whole;
    const code = e.startsWith("#x") ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isInteger(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
