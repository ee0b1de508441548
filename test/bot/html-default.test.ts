import type { ApiCallFn } from "grammy";
import { describe, expect, it } from "vitest";
import { htmlByDefault } from "../../src/bot/html-default.js";

/** Runs one call through the transformer and returns the payload that reaches the Bot API. */
async function sent(method: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> | undefined;
  const prev = (async (_method: string, p: Record<string, unknown>) => {
    seen = p;
    return { ok: true, result: true };
  }) as unknown as ApiCallFn;
  await htmlByDefault(prev, method as never, payload as never);
  return seen!;
}

describe("HTML by default", () => {
  it("parses the bot's texts and captions as HTML", async () => {
    expect(await sent("sendMessage", { chat_id: 1, text: "<b>hi</b>" })).toEqual({
      chat_id: 1,
      text: "<b>hi</b>",
      parse_mode: "HTML",
    });
    expect(await sent("editMessageText", { chat_id: 1, message_id: 2, text: "x" })).toMatchObject({
      parse_mode: "HTML",
    });
    expect(await sent("sendPhoto", { chat_id: 1, photo: "P", caption: "<i>c</i>" })).toMatchObject({
      parse_mode: "HTML",
    });
    expect(await sent("editMessageCaption", { chat_id: 1, message_id: 2, caption: "c" })).toMatchObject({
      parse_mode: "HTML",
    });
  });

  it("keeps a parse mode the call chose", async () => {
    expect(await sent("sendMessage", { chat_id: 1, text: "*a*", parse_mode: "MarkdownV2" })).toMatchObject({
      parse_mode: "MarkdownV2",
    });
  });

  it("leaves texts sent with entities as they are (the user's own formatting)", async () => {
    const entities = [{ type: "bold", offset: 0, length: 2 }];
    expect(await sent("sendMessage", { chat_id: 1, text: "<b> is text", entities })).toEqual({
      chat_id: 1,
      text: "<b> is text",
      entities,
    });
    const captioned = { chat_id: 1, photo: "P", caption: "a < b", caption_entities: entities };
    expect(await sent("sendPhoto", captioned)).toEqual(captioned);
  });

  it("adds nothing where there is no text to parse", async () => {
    expect(await sent("sendPhoto", { chat_id: 1, photo: "P" })).toEqual({ chat_id: 1, photo: "P" });
    expect(await sent("copyMessage", { chat_id: 1, from_chat_id: 2, message_id: 3 })).toEqual({
      chat_id: 1,
      from_chat_id: 2,
      message_id: 3,
    });
    expect(await sent("answerCallbackQuery", { callback_query_id: "q", text: "<b>" })).toEqual({
      callback_query_id: "q",
      text: "<b>",
    });
  });

  it("parses the messages of inline results as HTML", async () => {
    const payload = await sent("answerInlineQuery", {
      inline_query_id: "q",
      results: [
        { type: "article", id: "a", title: "A", input_message_content: { message_text: "<b>A</b>" } },
        { type: "article", id: "b", title: "B", input_message_content: { message_text: "B", entities: [] } },
      ],
    });
    const results = payload.results as { input_message_content: Record<string, unknown> }[];
    expect(results[0]!.input_message_content).toEqual({ message_text: "<b>A</b>", parse_mode: "HTML" });
    expect(results[1]!.input_message_content).toEqual({ message_text: "B", entities: [] });
  });
});
