import { beforeEach, describe, expect, it } from "vitest";
import { calls, plain, shown, toast, useChat } from "../../helpers/chat.js";
import { type RecordedCall } from "../../helpers/fake-bot-api.js";

/**
 * Refused coordinator and administrator commands and buttons are written to the audit log with the
 * user's id; and only the asker's press on 👍/👎 changes an answer card.
 */

const ADMIN = 9101;
const COORDINATOR = 9102;
const STRANGER = 9103;

const my = useChat({ resetState: true, chat: { settings: { adminIds: [ADMIN] } } });
beforeEach(async () => {
  await my.chat.deps.state.roles.grant(COORDINATOR);
});

describe("refusals in the audit log", () => {
  it("a refused command or button is audited with the user id and what was tried", async () => {
    await my.chat.say(STRANGER, "/grant 9103");
    await my.chat.say(COORDINATOR, "/reload");
    await my.chat.say(STRANGER, "/broadcast");
    await my.chat.press(STRANGER, "q:x", { force: true });
    await my.chat.press(STRANGER, "bc:ok", { force: true });
    const entries = (await my.chat.deps.state.audit.recent(10)).reverse();
    expect(entries.map(({ actor, action, details }) => ({ actor, action, details }))).toEqual([
      { actor: STRANGER, action: "refused", details: { role: "admin", command: "/grant" } },
      { actor: COORDINATOR, action: "refused", details: { role: "admin", command: "/reload" } },
      { actor: STRANGER, action: "refused", details: { role: "coordinator", command: "/broadcast" } },
      { actor: STRANGER, action: "refused", details: { role: "coordinator", button: "q:x" } },
      { actor: STRANGER, action: "refused", details: { role: "coordinator", button: "bc:ok" } },
    ]);
    expect(await my.chat.deps.state.roles.coordinators()).toEqual([COORDINATOR]);
  });

  it("/audit shows them in the administrator's language", async () => {
    await my.chat.say(STRANGER, "/grant 9103");
    await my.chat.press(STRANGER, "q:x", { force: true });
    const log = plain(shown(await my.chat.say(ADMIN, "/audit", { languageCode: "fr" })));
    expect(log).toContain(`${STRANGER} s’est vu refuser /grant (réservé aux administrateurs)`);
    expect(log).toContain(`${STRANGER} s’est vu refuser q:x (réservé aux coordinateurs)`);
  });

  it("a user pressing forged buttons over and over cannot flush the log: a few refusals per user are audited, all are refused", async () => {
    for (let i = 0; i < 12; i++)
      expect(toast(await my.chat.press(STRANGER, "q:x", { force: true }))).toBe(
        "Only coordinators can use this button.",
      );
    const refused = (await my.chat.deps.state.audit.recent(100)).filter((e) => e.actor === STRANGER);
    expect(refused).toHaveLength(5);
  });
});

describe("👍/👎 in a group", () => {
  const GROUP = 9150;
  const ASKER = 9151;
  const OTHER = 9152;
  const ID = "urumqi-offshore-incubators";

  async function askInGroup(): Promise<RecordedCall[]> {
    const username = my.api.botInfo.username;
    return my.chat.say(ASKER, `@${username} incubators in Kazakhstan`, { chatId: GROUP, chatType: "supergroup" });
  }

  it("someone else's press gets a short answer and changes nothing; the asker's press counts", async () => {
    const card = calls(await askInGroup(), "sendMessage").at(-1)!;
    expect(JSON.stringify(card.reply_markup)).toContain(`v:d:${ID}`);
    const other = await my.chat.press(OTHER, `v:d:${ID}`, { chatId: GROUP, chatType: "supergroup" });
    expect(toast(other)).toBe("Only the person who asked can rate this answer.");
    expect(calls(other, "editMessageReplyMarkup")).toEqual([]);
    expect(await my.chat.deps.state.questions.recent(5)).toEqual([]);

    const asker = await my.chat.press(ASKER, `v:d:${ID}`, { chatId: GROUP, chatType: "supergroup" });
    expect(toast(asker)).toContain("Thank you");
    expect(calls(asker, "editMessageReplyMarkup")).toHaveLength(1);
    expect(await my.chat.deps.state.questions.recent(5)).toMatchObject([
      { userId: ASKER, reason: "downvoted", recordId: ID },
    ]);
  });

  it("the asker pressing an older card in the group is thanked as before", async () => {
    await askInGroup();
    const olderCard = my.chat.botMessages(-(1_000_000_000_000 + GROUP)).at(-1)!;
    await askInGroup();
    const old = await my.chat.press(ASKER, `v:d:${ID}`, {
      chatId: GROUP,
      chatType: "supergroup",
      messageId: olderCard.message_id,
    });
    expect(toast(old)).toContain("Only the latest answer");
  });
});
