import { describe, expect, it } from "vitest";
import { buttons, calls, data, shown, useChat } from "../../helpers/chat.js";

const my = useChat();

async function start(languageCode: string, userId = 101) {
  return shown(await my.chat.say(userId, "/start", { languageCode, firstName: "Ana" }));
}

describe("/start", () => {
  it.each([
    ["en", "I help students, entrepreneurs and coordinators", "incubators in Kazakhstan", "🎓 Exchange programmes"],
    ["fr", "J'aide les étudiants", "incubateurs au Kazakhstan", "🎓 Programmes d'échange"],
    ["ru", "Помогаю студентам", "инкубаторы в Казахстане", "🎓 Программы обмена"],
    ["zh", "我帮助学生", "哈萨克斯坦的孵化器", "🎓 交流项目"],
  ])(
    "greets in the user's language (%s) with example questions and quick-start buttons",
    async (code, intro, example, programmes) => {
      const payload = await start(code);
      const text = payload.text as string;
      expect(payload.parse_mode).toBe("HTML");
      expect(text).toContain(intro);
      expect(text).toContain(example);
      expect(text).toContain("Ana");
      expect(buttons(payload)[0]).toEqual({ text: programmes, callback_data: "b:p:-:-:0" });
    },
  );

  it("falls back to English for an unsupported Telegram language", async () => {
    const payload = await start("de");
    expect(payload.text).toContain("I help students");
  });

  it("escapes the user's name", async () => {
    await my.chat.say(102, "/start", { firstName: "<b>Bob</b>" });
    const history = my.api.chatHistory(102);
    expect(history.at(-1)?.text).toContain("Hello, <b>Bob</b>!");
  });

  it("offers the four lists: programmes, incubators, initiatives, events", async () => {
    const payload = await start("en");
    expect(data(payload)).toEqual(["b:p:-:-:0", "b:n:-:-:0", "b:i:-:-:0", "b:e:-:-:0"]);
  });

  it("a quick-start button opens the list in place of the greeting", async () => {
    await start("en", 103);
    const greeting = my.api.chatHistory(103).at(-1)!;
    const pressed = await my.chat.press(103, "b:n:-:-:0");
    expect(calls(pressed, "sendMessage")).toHaveLength(0);
    const edit = shown(pressed);
    expect(edit.message_id).toBe(greeting.message_id);
    expect(edit.text).toContain("Incubators");
    expect(data(edit).some((d) => d.startsWith("r:c:incubator-"))).toBe(true);
    expect(calls(pressed, "answerCallbackQuery")).toHaveLength(1);
  });

  it("in a group, explains how to address the bot", async () => {
    const text = shown(await my.chat.say(104, `/start@${my.api.botInfo.username}`, { chatId: 500, chatType: "group" }))
      .text as string;
    expect(text).toContain(`@${my.api.botInfo.username} incubators in Kazakhstan`);
    expect(text).not.toContain("Just type a question");
  });
});
