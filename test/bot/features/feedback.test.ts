import { describe, expect, it } from "vitest";
import { calls, data, shown, toast, useChat } from "../../helpers/chat.js";

const my = useChat({ firstUser: 6000 });

// The Kazakhstan incubators: the answer to "incubators in Kazakhstan".
const ID = "urumqi-offshore-incubators";

describe("👍/👎 under an answer", () => {
  it("the answer card carries the two buttons in a row of their own, after the card's buttons", async () => {
    const card = shown(await my.chat.say(my.user, "incubators in Kazakhstan"));
    const rows = (card.reply_markup as { inline_keyboard: { text: string; callback_data?: string }[][] })
      .inline_keyboard;
    const votes = rows.findIndex((row) => row.some((b) => b.callback_data?.startsWith("v:")));
    expect(rows[votes]!.map((b) => [b.text, b.callback_data])).toEqual([
      ["👍", `v:u:${ID}`],
      ["👎", `v:d:${ID}`],
    ]);
    expect(
      rows
        .slice(0, votes)
        .flat()
        .map((b) => b.callback_data)
        .filter(Boolean),
    ).toEqual([`r:d:${ID}`, `r:k:${ID}`]);
    // No vote under a record opened from a list or a deep link, nor under a weak answer.
    expect(data(shown(await my.chat.say(my.user, "/start r_incubator-wuhan")))).not.toContain("v:u:incubator-wuhan");
    expect(data(shown(await my.chat.say(my.user, "quantum gravity pizza"))).some((d) => d.startsWith("v:"))).toBe(
      false,
    );
  });

  it("👎 logs the question as downvoted with the record and its score, thanks, and removes the buttons", async () => {
    await my.chat.say(my.user, "incubators in Kazakhstan");
    const answer = await my.chat.press(my.user, `v:d:${ID}`);
    expect(toast(answer)).toContain("Thank you");
    const edit = calls(answer, "editMessageReplyMarkup");
    expect(edit).toHaveLength(1);
    const left = (edit[0]!.reply_markup as { inline_keyboard: { callback_data?: string }[][] }).inline_keyboard
      .flat()
      .map((b) => b.callback_data);
    expect(left).toContain(`r:d:${ID}`);
    expect(left.some((d) => d?.startsWith("v:"))).toBe(false);

    const logged = await my.chat.deps.state.questions.recent(5);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      text: "incubators in Kazakhstan",
      lang: "en",
      userId: my.user,
      chatId: my.user,
      reason: "downvoted",
      recordId: ID,
    });
    expect(logged[0]!.score).toBeGreaterThan(0.5);
    expect(logged[0]!.score).toBeLessThanOrEqual(1);
  });

  it("👍 is thanked and not logged as a problem", async () => {
    await my.chat.say(my.user, "инкубаторы в Казахстане", { languageCode: "ru" });
    const answer = await my.chat.press(my.user, `v:u:${ID}`, { languageCode: "ru" });
    expect(toast(answer)).toBe("Спасибо! Рад, что помог.");
    expect(calls(answer, "editMessageReplyMarkup")).toHaveLength(1);
    expect(await my.chat.deps.state.questions.recent(5)).toEqual([]);
  });

  it("a vote counts once, and only on the latest answer", async () => {
    const first = shown(await my.chat.say(my.user, "incubators in Kazakhstan"));
    const firstId = (await my.chat.deps.state.sessions.read(`user:${my.user}`))?.answer?.messageId;
    await my.chat.say(my.user, "SCO digital economy forum");
    // The older card is thanked but not counted.
    const old = await my.chat.press(my.user, `v:d:${ID}`, { messageId: firstId });
    expect(toast(old)).toContain("Only the latest answer");
    expect(await my.chat.deps.state.questions.recent(5)).toEqual([]);
    // The older card loses its vote row and keeps its other buttons.
    const edited = calls(old, "editMessageReplyMarkup");
    expect(edited.map((e) => e.message_id)).toEqual([firstId]);
    expect(data(first)).toContain(`v:d:${ID}`);
    expect(data(edited[0]!)).toEqual(data(first).filter((d) => !d.startsWith("v:")));

    const latest = (await my.chat.deps.state.sessions.read(`user:${my.user}`))!.answer!;
    await my.chat.press(my.user, `v:d:${latest.recordId}`);
    const again = await my.chat.press(my.user, `v:d:${latest.recordId}`, { force: true });
    expect(toast(again)).toContain("Only the latest answer");
    expect(await my.chat.deps.state.questions.recent(5)).toHaveLength(1);
  });

  it("a forged vote for another record is not counted", async () => {
    await my.chat.say(my.user, "incubators in Kazakhstan");
    const forged = await my.chat.press(my.user, "v:d:incubator-wuhan", { force: true });
    expect(toast(forged)).toContain("Only the latest answer");
    const broken = await my.chat.press(my.user, "v:x:incubator-wuhan", { force: true });
    expect(toast(broken)).toMatch(/expired/);
    expect(await my.chat.deps.state.questions.recent(5)).toEqual([]);
  });
});
