import { describe, expect, it } from "vitest";
import { BotApiError } from "../../src/telegram-emulator/errors.js";
import { formatText, parseHtml } from "../../src/telegram-emulator/html.js";

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof BotApiError) return `${error.error_code} ${error.description}`;
    throw error;
  }
  throw new Error("expected a Bot API error");
}

describe("Telegram's HTML parse mode", () => {
  it("gives the text and entities Telegram would store (UTF-16 offsets)", () => {
    const { text, entities } = parseHtml(
      '🇰🇿 <b>Bold <i>both</i></b> <a href="https://e.org">link</a> <tg-spoiler>s</tg-spoiler> <pre><code class="language-ts">x</code></pre>',
    );
    expect(text).toBe("🇰🇿 Bold both link s x");
    expect(entities).toEqual([
      { type: "bold", offset: 5, length: 9 },
      { type: "italic", offset: 10, length: 4 },
      { type: "text_link", offset: 15, length: 4, url: "https://e.org" },
      { type: "spoiler", offset: 20, length: 1 },
      { type: "pre", offset: 22, length: 1, language: "ts" },
    ]);
  });

  it("unescapes named and numeric entities, and keeps a lone ampersand", () => {
    expect(parseHtml("&lt;3 &amp; &quot;ok&quot; &#8212; &#x1F600; R&D").text).toBe('<3 & "ok" — 😀 R&D');
  });

  it("reads the rarer tags: spoiler spans, expandable quotes, custom emoji, code outside pre", () => {
    expect(
      parseHtml(
        '<span class="tg-spoiler">a</span><blockquote expandable>b</blockquote><tg-emoji emoji-id="5">c</tg-emoji><code>d</code>',
      ).entities,
    ).toEqual([
      { type: "spoiler", offset: 0, length: 1 },
      { type: "expandable_blockquote", offset: 1, length: 1 },
      { type: "custom_emoji", offset: 2, length: 1, custom_emoji_id: "5" },
      { type: "code", offset: 3, length: 1 },
    ]);
  });

  it("drops empty entities and links without an address", () => {
    expect(parseHtml("<b></b><a>x</a>")).toEqual({ text: "x", entities: [] });
  });

  it("refuses malformed markup with Telegram's words and byte offsets", () => {
    expect(refusal(() => parseHtml("a<br>b"))).toBe(
      '400 Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 1',
    );
    expect(refusal(() => parseHtml("é<b>x</i>"))).toBe(
      '400 Bad Request: can\'t parse entities: Unmatched end tag at byte offset 6, expected "</b>", found "</i>"',
    );
    expect(refusal(() => parseHtml("<b>x"))).toBe(
      "400 Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
    );
    expect(refusal(() => parseHtml("x</b>"))).toBe(
      "400 Bad Request: can't parse entities: Unexpected end tag at byte offset 1",
    );
    expect(refusal(() => parseHtml("a <b"))).toBe(
      "400 Bad Request: can't parse entities: Unclosed start tag at byte offset 2",
    );
    expect(refusal(() => parseHtml('<span class="x">y</span>'))).toMatch(/Tag "span" must have class "tg-spoiler"/);
    expect(refusal(() => parseHtml("<tg-emoji>y</tg-emoji>"))).toMatch(/must have attribute "emoji-id"/);
  });
});

describe("formatText", () => {
  it("keeps a text without parse mode as it is, with the entities the call gave", () => {
    const entities = [{ type: "bold", offset: 0, length: 3 }];
    expect(formatText("<b> is text", undefined, entities)).toEqual({ text: "<b> is text", entities });
    expect(formatText("plain", "", undefined)).toEqual({ text: "plain", entities: [] });
  });

  it("parses HTML in any case of the mode's name", () => {
    expect(formatText("<i>x</i>", "html", undefined).entities).toEqual([{ type: "italic", offset: 0, length: 1 }]);
  });

  it("refuses Markdown, which the bot never sends", () => {
    expect(refusal(() => formatText("*a*", "MarkdownV2", undefined))).toBe(
      '400 Bad Request: unsupported parse_mode "MarkdownV2" (the emulator reads HTML only)',
    );
  });
});
