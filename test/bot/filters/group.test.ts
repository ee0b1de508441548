import type { InlineKeyboardMarkup, Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { answerLanguage, useChat } from "../../helpers/chat.js";

const my = useChat();
const GROUP = 777;

/** A group message (the fake marks `@username` occurrences as mentions, as Telegram does). */
function groupMessage(
  text: string,
  opts: { replyToMessageId?: number; chatType?: "group" | "supergroup" } = {},
): Update {
  return my.api.textMessage({
    chatId: GROUP,
    userId: 51,
    text,
    languageCode: "en",
    chatType: opts.chatType ?? "group",
    replyToMessageId: opts.replyToMessageId,
  });
}

const feed = (update: Update) => my.chat.deliver(update);
const sent = () => my.api.callsOf("sendMessage").map((c) => c.payload.text as string);
/** The language of each answer to a question the bot sent (undefined for other messages): what it answers is question.test.ts's business. */
const answers = () => my.api.callsOf("sendMessage").map((c) => answerLanguage(c.payload, my.chat.deps.i18n));

describe("in a group", () => {
  it("ignores a message that is not addressed to the bot", async () => {
    await feed(groupMessage("Has anyone been to the incubator in Harbin?"));
    await feed(groupMessage("русский"));
    await feed(groupMessage("@someone_else incubators in Kazakhstan"));
    expect(my.api.calls.filter((c) => c.method !== "getUpdates")).toEqual([]);
  });

  it("answers a message that mentions it", async () => {
    await feed(groupMessage(`@${my.api.botInfo.username} incubators in Kazakhstan`));
    expect(answers()).toEqual(["en"]);
  });

  it("answers a mention in any case, anywhere in the message", async () => {
    await feed(
      groupMessage(`incubators in Kazakhstan? @${my.api.botInfo.username.toUpperCase()}`, { chatType: "supergroup" }),
    );
    expect(answers()).toEqual(["en"]);
  });

  it("answers a reply to one of its messages", async () => {
    await feed(groupMessage(`/help@${my.api.botInfo.username}`));
    const help = my.api.chatHistory(-GROUP).at(-1)!;
    my.api.reset();
    await feed(groupMessage("and in Uzbekistan?", { replyToMessageId: help.message_id }));
    expect(answers()).toEqual(["en"]);
  });

  it("ignores a command addressed to another bot", async () => {
    await feed(groupMessage("/help@other_bot"));
    await feed(groupMessage("/programmes@other_bot"));
    await feed(groupMessage("/start@other_bot"));
    expect(my.api.calls.filter((c) => c.method !== "getUpdates")).toEqual([]);
  });

  it("answers commands addressed to it, or to no bot in particular", async () => {
    await feed(groupMessage(`/help@${my.api.botInfo.username}`));
    await feed(groupMessage("/help"));
    expect(sent()).toHaveLength(2);
    expect(sent()[0]).toContain("In groups");
  });

  it("browses in place in the group", async () => {
    await feed(groupMessage(`/incubators@${my.api.botInfo.username}`));
    const list = my.chat.botMessages(-GROUP).at(-1)!;
    expect(list.text).toContain("Incubators");
    await feed(my.api.callbackQuery({ chatId: GROUP, userId: 52, data: "b:n:-:-:1", chatType: "group" }));
    const edited = my.api.chatHistory(-GROUP).find((m) => m.message_id === list.message_id)!;
    expect(edited.text).toContain("Page 2 of 3");
    expect(
      ((edited.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat()[0] as { callback_data?: string })
        .callback_data,
    ).toMatch(/^r:c:/);
    expect(my.api.callsOf("answerCallbackQuery")).toHaveLength(1);
  });
});
