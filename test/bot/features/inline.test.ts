import type { InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent } from "grammy/types";
import { describe, expect, it } from "vitest";
import { MESSAGE_LIMIT } from "../../../src/bot/format.js";
import { shortTitle } from "../../../src/catalog/schema.js";
import { useChat } from "../../helpers/chat.js";
import type { Payload, RecordedCall } from "../../helpers/fake-bot-api.js";

const my = useChat({ firstUser: 3000 });

async function inline(
  query: string,
  options: { languageCode?: string; offset?: string } = {},
): Promise<{ call: RecordedCall; payload: Payload; results: InlineQueryResultArticle[] }> {
  const calls = await my.chat.inline(my.user, query, options);
  expect(calls.map((c) => c.method)).toEqual(["answerInlineQuery"]);
  const call = calls[0]!;
  expect(call.response?.ok).toBe(true);
  return { call, payload: call.payload, results: call.payload.results as InlineQueryResultArticle[] };
}

function content(result: InlineQueryResultArticle): InputTextMessageContent {
  return result.input_message_content as InputTextMessageContent;
}

describe("inline mode", () => {
  it("answers a question with articles in the query's language, each with a deep-link button", async () => {
    const { payload, results } = await inline("инкубаторы в Казахстане");
    expect(payload.cache_time).toBe(30);
    expect(payload.is_personal).toBe(true);
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(20);
    expect(results[0]!.id).toBe("urumqi-offshore-incubators");
    for (const result of results) {
      expect(result.type).toBe("article");
      expect(result.title).toBe(shortTitle(my.chat.deps.search.get(result.id)!, "ru"));
      expect(result.description!.length).toBeLessThanOrEqual(200);
      const message = content(result);
      expect(message.parse_mode).toBe("HTML");
      expect(message.message_text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(message.message_text).toContain("📍 ");
      const keyboard = (result.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat();
      expect(keyboard).toEqual([
        { text: "Открыть в Cooperation Desk", url: `https://t.me/${my.api.botInfo.username}?start=r_${result.id}` },
      ]);
    }
  });

  it("writes the cards in Chinese for a Chinese query", async () => {
    const { results } = await inline("哈萨克斯坦的孵化器");
    expect(content(results[0]!).message_text).toContain("<i>孵化器</i>");
    expect(results[0]!.title).toBe(shortTitle(my.chat.deps.search.get(results[0]!.id)!, "zh"));
  });

  it("reads a query with invisible characters in its words as the words", async () => {
    const plain = await inline("incubators in Kazakhstan");
    const pasted = await inline("incu\u200Bbators in Kaz\u00ADakhstan\uFEFF");
    expect(pasted.results.map((r) => r.id)).toEqual(plain.results.map((r) => r.id));
  });

  it("an empty query lists the newest records, page by page", async () => {
    const first = await inline("");
    expect(first.results).toHaveLength(20);
    expect(first.payload.next_offset).toBe("20");
    expect(first.results.map((r) => r.id)).toEqual(my.chat.deps.search.browse({}, { limit: 20 }).hits.map((h) => h.id));

    const second = await inline("", { offset: "20" });
    expect(second.results).toHaveLength(20);
    expect(second.payload.next_offset).toBe("40");
    expect(second.results.some((r) => first.results.some((f) => f.id === r.id))).toBe(false);

    const last = await inline("", { offset: "40" });
    expect(last.results.length).toBe(my.chat.deps.search.size - 40);
    expect(last.payload.next_offset).toBe("");
  });

  it("a card's share button asks for its record by id: that record alone, its card ready to send", async () => {
    const { payload, results } = await inline("incubator-harbin");
    expect(results.map((r) => r.id)).toEqual(["incubator-harbin"]);
    expect(results[0]!.title).toBe("Harbin — innovation cooperation centre");
    expect(content(results[0]!).message_text).toContain("Harbin");
    expect(payload.next_offset).toBe("");
  });

  it("a forged offset starts from the beginning", async () => {
    const { results } = await inline("", { offset: "abc" });
    expect(results).toHaveLength(20);
  });

  it("nothing found: no results and a button to open the bot", async () => {
    const { payload, results } = await inline("zzqxv wqpfk");
    expect(results).toEqual([]);
    expect(payload.button).toEqual({ text: "Nothing found: ask me in a chat", start_parameter: "inline" });
    expect(payload.next_offset).toBe("");
  });
});
