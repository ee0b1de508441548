import { describe, expect, it } from "vitest";
import { useChat } from "../../helpers/chat.js";

const my = useChat();

async function help(languageCode: string, chatType: "private" | "group" = "private"): Promise<string> {
  const text = chatType === "group" ? `/help@${my.api.botInfo.username}` : "/help";
  const sent = (await my.chat.say(301, text, { chatId: 300, languageCode, chatType })).filter(
    (c) => c.method === "sendMessage",
  );
  expect(sent).toHaveLength(1);
  expect(sent[0]!.response?.ok).toBe(true);
  return (sent[0]!.response as { result: { text: string } }).result.text;
}

describe("/help", () => {
  it("explains asking, browsing, inline mode, the language, links and groups", async () => {
    const text = await help("en");
    const username = my.api.botInfo.username;
    expect(text).toContain("Ask a question");
    for (const command of ["/programmes", "/incubators", "/initiatives", "/events", "/language"])
      expect(text).toContain(command);
    expect(text).toContain(`@${username} your question`);
    expect(text).toContain(`t.me/${username}?start=r_`);
    expect(text).toContain("In groups");
    expect(text).toContain("Mention me");
  });

  it("says exactly what each list holds, and how sharing works", async () => {
    const text = await help("en");
    const line = (command: string) => text.split("\n").find((l) => l.startsWith(`${command} — `)) ?? "";
    expect(line("/programmes")).toBe(
      "/programmes — for students and researchers: exchange and training programmes, contests, universities, and cooperation centres for education and research; the China–SCO higher education centre first, then the programmes",
    );
    expect(line("/incubators")).toContain("for entrepreneurs and start-ups: incubators and innovation centres first");
    expect(line("/initiatives")).toContain("newest first");
    expect(line("/events")).toContain("with their dates: upcoming ones first");
    expect(text).toContain("“🔗 Share” under a card lets you pick any chat and sends the card there");
  });

  it("tells everyone about announcements, and coordinators about their own commands", async () => {
    const text = await help("en");
    for (const command of ["/subscribe", "/subscriptions", "/unsubscribe"]) expect(text).toContain(command);
    expect(text).not.toContain("/broadcast");

    await my.remake({ settings: { adminIds: [301] } });
    const forCoordinator = await help("en");
    for (const command of ["/broadcast", "/broadcasts", "/unanswered"]) expect(forCoordinator).toContain(command);
  });

  it.each([
    ["fr", "Poser une question", "Dans les groupes"],
    ["ru", "Задайте вопрос", "В группах"],
    ["zh", "提问", "在群组中"],
  ])("speaks the user's language (%s)", async (code, ask, groups) => {
    const text = await help(code);
    expect(text).toContain(ask);
    expect(text).toContain(groups);
    expect(text).toContain(`@${my.api.botInfo.username}`);
  });

  it("answers a /help addressed to it in a group", async () => {
    expect(await help("en", "group")).toContain("In groups");
  });
});
