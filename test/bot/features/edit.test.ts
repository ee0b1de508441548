import { beforeEach, describe, expect, it } from "vitest";
import { calls, data, plain, useChat, type Chat } from "../../helpers/chat.js";

const ADMIN = 9101;
const COORDINATOR = 9102;
const STRANGER = 9103;
const ID = "asean";

const my = useChat({ resetState: true, chat: { settings: { adminIds: [ADMIN] }, live: {} } });
beforeEach(async () => {
  await my.chat.deps.state.roles.grant(COORDINATOR);
});

const texts = (all: Awaited<ReturnType<Chat["say"]>>) => calls(all, "sendMessage").map(plain);
const buttonData = (all: Awaited<ReturnType<Chat["say"]>>) => calls(all, "sendMessage").flatMap(data);

describe("records edited in chat", () => {
  it("edits the French title, refuses an unknown country at its step, previews four cards, and goes live once approved", async () => {
    expect(texts(await my.chat.say(STRANGER, `/edit ${ID}`)).join()).not.toContain("asean");
    // Coordinator screens in the chosen language, whatever language the values are written in.
    await my.chat.deps.state.sessions.write(`user:${COORDINATOR}`, { lang: "en", langChosen: true });
    const menu = await my.chat.say(COORDINATOR, `/edit ${ID}`);
    expect(buttonData(menu)).toContain("ed:f:title");

    await my.chat.press(COORDINATOR, "ed:f:title");
    await my.chat.press(COORDINATOR, "ed:n"); // keeps English
    await my.chat.say(COORDINATOR, "ANASE — titre revu");
    await my.chat.press(COORDINATOR, "ed:n");
    const last = await my.chat.press(COORDINATOR, "ed:n");
    expect(texts(last).join("\n")).toContain("✓");

    await my.chat.press(COORDINATOR, "ed:f:countries");
    const refused = await my.chat.say(COORDINATOR, "KZ, XX");
    // The rule in words, for the step's field, never the validator's text.
    expect(texts(refused)[0]).toMatch(/XX.*ISO/);
    expect(texts(refused)[0]).not.toContain("3166");
    await my.chat.say(COORDINATOR, "KZ, CN");

    const preview = await my.chat.press(COORDINATOR, "ed:v");
    const shownTexts = texts(preview);
    expect(shownTexts).toHaveLength(5);
    expect(shownTexts[1]).toContain("ANASE — titre revu");
    expect(shownTexts[4]).toContain("title.fr");
    expect(buttonData(preview)).toContain("ed:s");
    expect(buttonData(preview)).not.toContain("ed:p"); // only administrators publish directly

    const submitted = await my.chat.press(COORDINATOR, "ed:s");
    expect(texts(submitted)[0]).toContain("#1");
    const toAdmin = calls(submitted, "sendMessage").find((m) => m.chat_id === ADMIN)!;
    expect(data(toAdmin)).toEqual(["ed:a:1", "ed:r:1"]);
    expect(my.chat.deps.search.get(ID)?.title.fr).not.toBe("ANASE — titre revu");

    expect(calls(await my.chat.press(COORDINATOR, "ed:a:1", { force: true }), "answerCallbackQuery")[0]?.text).toBe(
      "Only coordinators can use this button.",
    );
    expect(my.chat.deps.search.get(ID)?.title.fr).not.toBe("ANASE — titre revu");

    const approved = await my.chat.press(ADMIN, "ed:a:1", { force: true });
    expect(my.chat.deps.search.get(ID)?.title.fr).toBe("ANASE — titre revu");
    expect(my.chat.deps.search.get(ID)?.countries).toEqual(["KZ", "CN"]);
    expect(calls(approved, "sendMessage").some((m) => m.chat_id === COORDINATOR && plain(m).includes("approved"))).toBe(
      true,
    );
    const audit = await my.chat.deps.state.audit.recent(5);
    const entry = audit.find((e) => e.action === "record" && e.details?.op === "approve")!;
    expect(entry.details?.fields).toContain("title.fr");
    expect(String(entry.details?.diff)).toContain("ANASE — titre revu");
    // A second press finds it decided.
    await my.chat.press(ADMIN, "ed:a:1", { force: true });
    expect((await my.chat.deps.state.audit.recent(10)).filter((e) => e.details?.op === "approve")).toHaveLength(1);
  });

  it("sends a rejection's comment back to the author, in the author's language", async () => {
    await my.chat.deps.state.sessions.write(`user:${COORDINATOR}`, { lang: "fr", langChosen: true });
    await my.chat.say(COORDINATOR, `/edit ${ID}`, { languageCode: "fr" });
    await my.chat.press(COORDINATOR, "ed:f:summary", { languageCode: "fr" });
    await my.chat.say(COORDINATOR, "A new English summary.", { languageCode: "fr" });
    await my.chat.press(COORDINATOR, "ed:n", { languageCode: "fr" });
    await my.chat.press(COORDINATOR, "ed:n", { languageCode: "fr" });
    await my.chat.press(COORDINATOR, "ed:n", { languageCode: "fr" });
    await my.chat.press(COORDINATOR, "ed:v", { languageCode: "fr" });
    await my.chat.press(COORDINATOR, "ed:s", { languageCode: "fr" });
    await my.chat.press(ADMIN, "ed:r:1", { force: true });
    const rejected = await my.chat.say(ADMIN, "Which source says so?");
    const toAuthor = calls(rejected, "sendMessage").find((m) => m.chat_id === COORDINATOR)!;
    expect(plain(toAuthor)).toContain("refusée");
    expect(plain(toAuthor)).toContain("Which source says so?");
    expect(my.chat.deps.search.get(ID)?.summary.en).not.toBe("A new English summary.");
  });

  it("creates a record field by field, asking for every translation, and an administrator publishes it directly", async () => {
    await my.chat.say(ADMIN, "/new");
    expect(texts(await my.chat.say(ADMIN, ID)).join()).toContain("already has the id");
    await my.chat.say(ADMIN, "test-new-record");
    const kinds = await my.chat.say(ADMIN, "not a kind");
    expect(buttonData(kinds)).toContain("ed:k:incubator");
    const askTitle = await my.chat.press(ADMIN, "ed:k:incubator");
    expect(buttonData(askTitle)).not.toContain("ed:n"); // nothing to keep: a missing translation is asked for
    for (const t of ["Test incubator", "Incubateur de test", "Тестовый инкубатор", "测试孵化器"])
      await my.chat.say(ADMIN, t);
    for (const t of ["A test.", "Un essai.", "Проверка.", "测试。"]) await my.chat.say(ADMIN, t);
    await my.chat.say(ADMIN, "KZ");
    expect(texts(await my.chat.say(ADMIN, "no-such-sector")).join()).toContain("no sector “no-such-sector”");
    await my.chat.say(ADMIN, "digital-economy");
    await my.chat.say(ADMIN, "students");
    await my.chat.say(ADMIN, "002_9f5c994f7650918c.txt");
    expect(texts(await my.chat.say(ADMIN, "2024-02-30")).join()).toContain("not a date");
    const menu = await my.chat.say(ADMIN, "2024-02-01");
    expect(buttonData(menu)).toContain("ed:v");
    const preview = await my.chat.press(ADMIN, "ed:v");
    expect(buttonData(preview)).toContain("ed:p");
    await my.chat.press(ADMIN, "ed:p");
    expect(my.chat.deps.search.get("test-new-record")?.title.zh).toBe("测试孵化器");
    expect((await my.chat.deps.state.audit.recent(1))[0]).toMatchObject({
      action: "record",
      details: { op: "publish", created: true },
    });
  });

  it("shows ✏️ under a card to coordinators only", async () => {
    const forStranger = await my.chat.say(STRANGER, `/start r_${ID}`);
    expect(buttonData(forStranger)).not.toContain(`ed:o:${ID}`);
    const forCoordinator = await my.chat.say(COORDINATOR, `/start r_${ID}`);
    expect(buttonData(forCoordinator)).toContain(`ed:o:${ID}`);
  });

  it("puts ✏️ under an answer card for coordinators and administrators only; pressing it opens the editor in a new message", async () => {
    const question = "ASEAN";
    const forStranger = await my.chat.say(STRANGER, question);
    const answered = data(calls(forStranger, "sendMessage")[0]!)
      .find((d) => d.startsWith("r:d:"))!
      .slice(4);
    expect(buttonData(forStranger).filter((d) => d.startsWith("ed:"))).toEqual([]);
    for (const user of [COORDINATOR, ADMIN]) {
      const card = await my.chat.say(user, question);
      expect(buttonData(card)).toContain(`ed:o:${answered}`);
      const opened = await my.chat.press(user, `ed:o:${answered}`);
      // The card stays as it is; the editor comes as a message of its own.
      expect(calls(opened, "editMessageText")).toEqual([]);
      expect(texts(opened)[0]).toContain(`Editing ${answered}`);
      expect(buttonData(opened)).toContain("ed:f:title");
    }
    // Not in a group, where everyone would see it.
    const inGroup = await my.chat.say(COORDINATOR, `@${my.api.botInfo.username} ${question}`, {
      chatId: -700,
      chatType: "supergroup",
    });
    expect(calls(inGroup, "sendMessage")).toHaveLength(1);
    expect(buttonData(inGroup).filter((d) => d.startsWith("ed:"))).toEqual([]);
  });

  it("refuses a forged ✏️ from anyone else politely, audited, and opens nothing", async () => {
    const forged = await my.chat.press(STRANGER, `ed:o:${ID}`, { force: true });
    expect(calls(forged, "answerCallbackQuery").map((a) => a.text)).toEqual(["Only coordinators can use this button."]);
    expect(forged.filter((c) => c.method !== "answerCallbackQuery")).toEqual([]);
    expect((await my.chat.deps.state.sessions.read(`user:${STRANGER}`))?.recordDraft).toBeUndefined();
    expect((await my.chat.deps.state.audit.recent(1))[0]).toMatchObject({
      actor: STRANGER,
      action: "refused",
      details: { role: "coordinator", button: `ed:o:${ID}` },
    });
    // A coordinator's press in a group opens nothing there either.
    const inGroup = await my.chat.press(COORDINATOR, `ed:o:${ID}`, {
      force: true,
      chatId: -700,
      chatType: "supergroup",
    });
    expect(calls(inGroup, "answerCallbackQuery")[0]?.text).toContain("private chat");
    expect(inGroup.filter((c) => c.method !== "answerCallbackQuery")).toEqual([]);
  });

  it("once a record goes live, the unanswered questions it now answers are offered, and one press sends it to their askers", async () => {
    const question = "zeolite membrane fellowship";
    expect(texts(await my.chat.say(STRANGER, question)).join()).toContain("couldn't find a good answer");
    await my.chat.deps.state.sessions.write(`user:${ADMIN}`, { lang: "en", langChosen: true });
    await my.chat.say(ADMIN, `/edit ${ID}`);
    await my.chat.press(ADMIN, "ed:f:summary");
    await my.chat.say(ADMIN, "ASEAN offers a zeolite membrane fellowship to researchers of its member states.");
    for (let i = 0; i < 3; i++) await my.chat.press(ADMIN, "ed:n");
    await my.chat.press(ADMIN, "ed:v");
    const published = await my.chat.press(ADMIN, "ed:p");
    const offer = calls(published, "sendMessage").find((m) => plain(m).includes("now answers 1 group"));
    expect(offer, texts(published).join("\n")).toBeDefined();
    expect(data(offer!)).toEqual(["q:c:0:asean"]);

    const sent = await my.chat.press(ADMIN, "q:c:0:asean");
    const toAsker = calls(sent, "sendMessage").filter((m) => m.chat_id === STRANGER);
    expect(toAsker.map(plain).join("\n")).toContain("zeolite membrane fellowship");
    // Answered: the group left the list.
    expect(texts(await my.chat.say(ADMIN, "/unanswered")).join()).not.toContain(question);
  });
});
