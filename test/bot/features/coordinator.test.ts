import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Update } from "grammy/types";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Api } from "grammy";
import { ADMIN_COMMANDS, COORDINATOR_COMMANDS, PRIVATE_COMMANDS, setRoleMenus } from "../../../src/bot/commands.js";
import { DEFAULT_DATA_DIR } from "../../../src/catalog/load.js";
import type { UnansweredQuestion } from "../../../src/state/types.js";
import { calls, chatWith, data, plain, shown, toast, useChat } from "../../helpers/chat.js";
import { addLunarGreenhouseRecord } from "../../helpers/catalog-dir.js";

const ADMIN = 9001;
const COORDINATOR = 9002;
const STRANGER = 9003;

const my = useChat({ resetState: true, chat: { settings: { adminIds: [ADMIN] } } });
beforeEach(async () => {
  await my.chat.deps.state.roles.grant(COORDINATOR);
});

function question(text: string, chatId: number, overrides: Partial<UnansweredQuestion> = {}): UnansweredQuestion {
  return {
    text,
    lang: "en",
    userId: chatId,
    chatId,
    at: new Date(Date.UTC(2025, 4, 1, 10, chatId % 60)).toISOString(),
    reason: "no-match",
    score: 0.1,
    ...overrides,
  };
}

/** Oldest first, as they were asked. */
async function asked(...questions: UnansweredQuestion[]): Promise<void> {
  for (const q of questions) await my.chat.deps.state.questions.add(q);
}

describe("who may do what", () => {
  it("refuses coordinator and admin commands to anyone else, with a short message and nothing done", async () => {
    for (const [command, who] of [
      ["/unanswered", "coordinators"],
      ["/grant 9003", "administrators"],
      ["/revoke 9002", "administrators"],
      ["/audit", "administrators"],
      ["/reload", "administrators"],
    ] as const) {
      const reply = shown(await my.chat.say(STRANGER, command));
      expect(plain(reply), command).toBe(`This command is for ${who}.`);
    }
    // A coordinator is not an administrator.
    expect(plain(shown(await my.chat.say(COORDINATOR, "/grant 9003")))).toBe("This command is for administrators.");
    expect(await my.chat.deps.state.roles.coordinators()).toEqual([COORDINATOR]);
    // Nothing was done: the audit log holds only the refusals (test/bot/features/refusals.test.ts).
    expect((await my.chat.deps.state.audit.recent(10)).map((e) => e.action)).toEqual(Array(6).fill("refused"));
  });

  it("refuses forged coordinator buttons with a toast, and does nothing", async () => {
    await asked(question("quantum pizza", 100));
    for (const forged of ["q:r:0", "q:p:0", "q:x"]) {
      const answer = await my.chat.press(STRANGER, forged, { force: true, languageCode: "fr" });
      expect(toast(answer), forged).toBe("Seuls les coordinateurs peuvent utiliser ce bouton.");
      expect(calls(answer, "sendMessage"), forged).toEqual([]);
      expect(calls(answer, "editMessageText"), forged).toEqual([]);
    }
    const session = await my.chat.deps.state.sessions.read(`user:${STRANGER}`);
    expect(session?.step).toBeUndefined();
    // And the stranger's next text is a question, not a reply to anyone.
    const next = await my.chat.say(STRANGER, "incubators in Kazakhstan");
    expect(calls(next, "sendMessage").map((m) => m.chat_id)).toEqual([STRANGER]);
  });

  it("works in private chats only", async () => {
    const reply = shown(await my.chat.say(COORDINATOR, "/unanswered", { chatId: 55, chatType: "supergroup" }));
    expect(plain(reply)).toBe("This command works in a private chat with me.");
  });
});

describe("/unanswered", () => {
  it("groups similar questions, newest first, with count, languages, downvotes and time", async () => {
    await asked(
      question("incubators in Kazakhstan", 101),
      question("quantum gravity pizza", 102),
      question("Kazakhstan incubator?", 103, {
        reason: "downvoted",
        recordId: "urumqi-offshore-incubators",
        score: 0.7,
      }),
      question("инкубаторы в Казахстане", 104, { lang: "ru" }),
      question("Incubators in Kazakhstan", 101),
    );
    const list = shown(await my.chat.say(COORDINATOR, "/unanswered"));
    const text = plain(list);
    expect(text).toContain("5 questions in 3 groups");
    const lines = text.split("\n");
    const first = lines.indexOf("1. “Incubators in Kazakhstan”");
    expect(first).toBeGreaterThan(0);
    expect(lines[first + 1]).toMatch(/^asked 3 times · EN · 👎 1 · last May 1, 2025/);
    expect(text).toContain("2. “инкубаторы в Казахстане”");
    expect(text).toContain("3. “quantum gravity pizza”");
    expect(text).toMatch(/3\. “quantum gravity pizza”\nasked once · EN · last/);
    expect(data(list)).toEqual(["q:g:0", "q:g:1", "q:g:2"]);
  });

  it("pages a long list", async () => {
    const words = [
      "alpha",
      "bravo",
      "charlie",
      "delta",
      "echo",
      "foxtrot",
      "golf",
      "hotel",
      "india",
      "juliet",
      "kilo",
      "lima",
    ];
    await asked(...words.map((w, i) => question(`${w} ${w}wort`, 200 + i)));
    const list = shown(await my.chat.say(COORDINATOR, "/unanswered"));
    expect(plain(list)).toContain("Page 1 of 2");
    expect(data(list)).toContain("q:p:1");
    const second = shown(await my.chat.press(COORDINATOR, "q:p:1"));
    expect(plain(second)).toContain("Page 2 of 2");
    expect(plain(second)).toContain("9. “delta deltawort”");
    expect(data(second)).toEqual(["q:g:8", "q:g:9", "q:g:10", "q:g:11", "q:p:0"]);
  });

  it("says so when nothing is unanswered", async () => {
    expect(plain(shown(await my.chat.say(COORDINATOR, "/unanswered")))).toContain("No unanswered questions");
  });

  it("'reply' sends the coordinator's next message to every asker of the group, escaped, in their language, and audits it", async () => {
    await asked(
      question("incubators in Kazakhstan <3", 301),
      question("инкубатор Казахстан", 302, { lang: "ru" }),
      question("quantum gravity pizza", 303),
      question("Kazakhstan incubators", 304),
    );
    // One asker has blocked the bot since.
    await my.chat.deps.state.subscriptions.set(304, { topics: [], kinds: [], countries: [], lang: "en" });
    await my.chat.deliver(my.api.myChatMember({ chatId: 304, userId: 304, status: "kicked" }));
    await my.chat.deps.state.subscriptions.setActive(304, true);

    const list = shown(await my.chat.say(COORDINATOR, "/unanswered"));
    expect(plain(list)).toContain("1. “Kazakhstan incubators”");
    await my.chat.press(COORDINATOR, "q:g:0");
    const prompt = await my.chat.press(COORDINATOR, "q:r:0");
    expect(plain(shown(prompt))).toContain("Write your answer to “Kazakhstan incubators” (2 chats)");
    expect((await my.chat.deps.state.sessions.read(`user:${COORDINATOR}`))?.step).toBe("reply");

    const sent = await my.chat.say(COORDINATOR, "Try <b>Astana Hub</b> & the offshore incubators");
    const toAskers = calls(sent, "sendMessage").filter((m) => m.chat_id !== COORDINATOR);
    expect(toAskers.map((m) => m.chat_id).sort()).toEqual([301, 304]);
    const to301 = toAskers.find((m) => m.chat_id === 301)!;
    expect(to301.text).toBe(
      "💬 <b>A coordinator answered your question</b> “incubators in Kazakhstan &lt;3”:\n\nTry &lt;b&gt;Astana Hub&lt;/b&gt; &amp; the offshore incubators",
    );
    const done = calls(sent, "sendMessage").find((m) => m.chat_id === COORDINATOR)!;
    expect(plain(done)).toBe("✅ Your answer was sent to 1 chat.\n⚠️ It could not be delivered to 1 chat.");
    // The blocked asker is inactive for broadcasts too.
    expect((await my.chat.deps.state.subscriptions.get(304))?.active).toBe(false);

    const [entry] = await my.chat.deps.state.audit.recent(1);
    expect(entry).toMatchObject({
      actor: COORDINATOR,
      action: "reply",
      details: { chats: 1, failed: 1, question: "Kazakhstan incubators" },
    });
    // The step is over: the next text is a question again.
    expect((await my.chat.deps.state.sessions.read(`user:${COORDINATOR}`))?.step).toBeUndefined();
    const next = await my.chat.say(COORDINATOR, "incubators in Kazakhstan");
    expect(calls(next, "sendMessage").map((m) => m.chat_id)).toEqual([COORDINATOR]);
  });

  it("the Russian asker of a Russian group gets the answer in Russian", async () => {
    await asked(question("инкубаторы в Казахстане", 401, { lang: "ru" }));
    await my.chat.say(COORDINATOR, "/unanswered");
    await my.chat.press(COORDINATOR, "q:g:0");
    await my.chat.press(COORDINATOR, "q:r:0");
    const sent = await my.chat.say(COORDINATOR, "Astana Hub");
    const to401 = calls(sent, "sendMessage").find((m) => m.chat_id === 401)!;
    expect(to401.text).toBe("💬 <b>Координатор ответил на ваш вопрос</b> «инкубаторы в Казахстане»:\n\nAstana Hub");
  });

  it("cancel ends the step without sending anything", async () => {
    await asked(question("quantum gravity pizza", 501));
    await my.chat.say(COORDINATOR, "/unanswered");
    await my.chat.press(COORDINATOR, "q:g:0");
    await my.chat.press(COORDINATOR, "q:r:0");
    expect(plain(shown(await my.chat.press(COORDINATOR, "q:x")))).toBe("Reply cancelled: nothing was sent.");
    const next = await my.chat.say(COORDINATOR, "incubators in Kazakhstan");
    expect(calls(next, "sendMessage").map((m) => m.chat_id)).toEqual([COORDINATOR]);
  });

  it("a coordinator revoked after pressing 'reply' sends nothing", async () => {
    await asked(question("quantum gravity pizza", 601));
    await my.chat.say(COORDINATOR, "/unanswered");
    await my.chat.press(COORDINATOR, "q:g:0");
    await my.chat.press(COORDINATOR, "q:r:0");
    await my.chat.say(ADMIN, `/revoke ${COORDINATOR}`);
    const sent = await my.chat.say(COORDINATOR, "Here is the answer");
    expect(calls(sent, "sendMessage").map((m) => [m.chat_id, plain(m)])).toEqual([
      [COORDINATOR, "This command is for coordinators."],
    ]);
    expect((await my.chat.deps.state.audit.recent(5)).map((e) => e.action)).toEqual(["refused", "revoke"]);
  });

  it("a reply step left open too long lapses", async () => {
    await asked(question("quantum gravity pizza", 701));
    await my.chat.say(COORDINATOR, "/unanswered");
    const now = Date.now();
    await my.chat.press(COORDINATOR, "q:g:0");
    await my.chat.press(COORDINATOR, "q:r:0");
    const spy = vi.spyOn(Date, "now").mockReturnValue(now + 31 * 60 * 1000);
    try {
      const sent = await my.chat.say(COORDINATOR, "Late answer");
      expect(calls(sent, "sendMessage").map((m) => m.chat_id)).toEqual([COORDINATOR]);
      expect(plain(shown(sent))).toContain("That reply has lapsed");
    } finally {
      spy.mockRestore();
    }
  });
});

describe("/grant, /revoke and /audit", () => {
  it("an administrator grants and revokes the coordinator role, each audited", async () => {
    const granted = await my.chat.say(ADMIN, `/grant ${STRANGER}`);
    expect(plain(shown(granted))).toBe(`✅ ${STRANGER} is now a coordinator.`);
    expect(await my.chat.deps.state.roles.isCoordinator(STRANGER)).toBe(true);
    // Their own menu gets the coordinator commands.
    const menus = calls(granted, "setMyCommands");
    expect(menus).toHaveLength(5);
    expect(menus.every((m) => (m.scope as { type: string; chat_id: number }).chat_id === STRANGER)).toBe(true);
    expect((menus[0]!.commands as { command: string }[]).map((c) => c.command)).toContain("unanswered");

    // Now the stranger may list unanswered questions.
    expect(plain(shown(await my.chat.say(STRANGER, "/unanswered")))).toContain("No unanswered questions");

    expect(plain(shown(await my.chat.say(ADMIN, `/grant ${STRANGER}`)))).toBe(`${STRANGER} is already a coordinator.`);
    const revoked = await my.chat.say(ADMIN, `/revoke ${STRANGER}`);
    expect(plain(shown(revoked))).toBe(`✅ ${STRANGER} is no longer a coordinator.`);
    expect(calls(revoked, "deleteMyCommands")).toHaveLength(5);
    expect(plain(shown(await my.chat.say(ADMIN, `/revoke ${STRANGER}`)))).toBe(`${STRANGER} was not a coordinator.`);
    expect(plain(shown(await my.chat.say(STRANGER, "/unanswered")))).toBe("This command is for coordinators.");

    const audit = await my.chat.deps.state.audit.recent(10);
    expect(audit.map((e) => [e.action, e.actor, e.details?.target])).toEqual([
      ["refused", STRANGER, undefined],
      ["revoke", ADMIN, STRANGER],
      ["grant", ADMIN, STRANGER],
    ]);
  });

  it("explains the usage, and refuses to change an administrator", async () => {
    for (const text of ["/grant", "/grant abc", "/grant -5", "/grant 12345678901234567890"]) {
      expect(plain(shown(await my.chat.say(ADMIN, text))), text).toContain("/grant 123456789");
    }
    expect(plain(shown(await my.chat.say(ADMIN, `/revoke ${ADMIN}`)))).toContain("is an administrator");
    expect(await my.chat.deps.state.audit.recent(10)).toEqual([]);
  });

  it("grants the author of a forwarded message the command replies to", async () => {
    const forwarded = my.api.textMessage({ chatId: ADMIN, userId: ADMIN, text: "hello from a colleague" });
    const message = forwarded.message as NonNullable<Update["message"]>;
    const origin = {
      type: "user" as const,
      date: 1,
      sender_user: { id: 4242, is_bot: false, first_name: "Colleague" },
    };
    const command = my.api.textMessage({ chatId: ADMIN, userId: ADMIN, text: "/grant" });
    (command.message as NonNullable<Update["message"]>).reply_to_message = {
      ...message,
      forward_origin: origin,
    } as never;
    expect(plain(shown(await my.chat.deliver(command)))).toBe("✅ 4242 is now a coordinator.");
    expect(await my.chat.deps.state.roles.isCoordinator(4242)).toBe(true);
  });

  it("/audit lists the newest entries in the reader's language", async () => {
    await my.chat.deps.state.audit.append({ actor: ADMIN, action: "grant", details: { target: 5 } });
    await my.chat.deps.state.audit.append({ actor: ADMIN, action: "reload", details: { ok: true, records: 57 } });
    await my.chat.deps.state.audit.append({
      actor: COORDINATOR,
      action: "broadcast",
      details: { id: "b1<x>", scheduledAt: "now" },
    });
    await my.chat.deps.state.audit.append({
      actor: COORDINATOR,
      action: "broadcast",
      details: { id: "b2", scheduledAt: "2030-06-01T09:00:00.000Z" },
    });
    await my.chat.deps.state.audit.append({
      actor: ADMIN,
      action: "record",
      details: { op: "approve", edit: 3, record: "asean", fields: "title.fr" },
    });
    const en = plain(shown(await my.chat.say(ADMIN, "/audit")));
    const lines = en.split("\n");
    expect(lines[0]).toBe("🗒 Audit log, newest first");
    expect(lines[2]).toMatch(/^\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC · /);
    expect(lines[2]).toMatch(new RegExp(`· ${ADMIN} approved change 3: record asean is live \\(title.fr\\)$`));
    // A scheduled broadcast is not reported as sent.
    expect(lines[3]).toMatch(new RegExp(`· ${COORDINATOR} scheduled broadcast b2 for Jun 1, 2030, 9:00 AM UTC$`));
    expect(lines[4]).toMatch(new RegExp(`· ${COORDINATOR} sent broadcast b1<x>$`));
    expect(lines[5]).toMatch(new RegExp(`· ${ADMIN} reloaded the catalog \\(57 records\\)$`));
    expect(lines[6]).toMatch(new RegExp(`· ${ADMIN} made 5 a coordinator$`));
    await my.chat.deps.state.sessions.write(`user:${ADMIN}`, { lang: "ru", langChosen: true });
    const ru = plain(shown(await my.chat.say(ADMIN, "/audit")));
    expect(ru).toContain("перезагрузил каталог (57 записей)");
  });

  it("/audit says when the log is empty", async () => {
    expect(plain(shown(await my.chat.say(ADMIN, "/audit")))).toBe("The audit log is empty.");
  });
});

describe("role command menus", () => {
  it("at start, administrators and coordinators get their commands in their own chat's menu, in each language", async () => {
    const client = new Api(my.api.token, { apiRoot: my.api.apiRoot });
    const result = await setRoleMenus(client, my.chat.deps.i18n, [ADMIN], [COORDINATOR, ADMIN], my.chat.deps.logger);
    expect(result).toEqual({ chats: 2 });
    expect(my.api.callsOf("setMyCommands")).toHaveLength(10);
    const admin = my.api.commandsFor({ type: "chat", chat_id: ADMIN }, "fr")!;
    expect(admin.map((c) => c.command)).toEqual([...PRIVATE_COMMANDS, ...COORDINATOR_COMMANDS, ...ADMIN_COMMANDS]);
    expect(admin.find((c) => c.command === "reload")?.description).toBe("Recharger le catalogue depuis ses fichiers");
    const coordinator = my.api.commandsFor({ type: "chat", chat_id: COORDINATOR })!;
    expect(coordinator.map((c) => c.command)).toEqual([...PRIVATE_COMMANDS, ...COORDINATOR_COMMANDS]);
  });
});

describe("/reload", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "coopdesk-reload-"));
    await cp(DEFAULT_DATA_DIR, dir, { recursive: true });
    await my.chat.deps.live?.close();
    my.chat = await chatWith(my.api, { settings: { adminIds: [ADMIN] }, live: { dir } });
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a valid catalog is searched at once without a restart, and is audited", async () => {
    const before = { size: my.chat.deps.search.size };
    expect(plain(shown(await my.chat.say(ADMIN, "lunar greenhouse programme")))).toContain(
      "couldn't find a good answer",
    );
    await addLunarGreenhouseRecord(dir);

    const reply = shown(await my.chat.say(ADMIN, "/reload"));
    expect(plain(reply)).toBe(`✅ Catalog reloaded: ${before.size + 1} records. Questions are answered from it now.`);
    const card = shown(await my.chat.say(STRANGER, "lunar greenhouse programme"));
    expect(data(card)).toContain("r:d:zz-lunar-greenhouse-programme");
    expect((await my.chat.deps.state.audit.recent(1))[0]).toMatchObject({
      actor: ADMIN,
      action: "reload",
      details: { ok: true, records: before.size + 1 },
    });
  });

  it("an invalid catalog is refused with its problems, and the old engine keeps answering", async () => {
    await addLunarGreenhouseRecord(dir);
    shown(await my.chat.say(ADMIN, "/reload"));
    const serving = my.chat.deps.search.size;
    await writeFile(
      path.join(dir, "records", "zz-broken.yaml"),
      "id: zz-broken\nkind: spaceship\ntitle: {en: <Broken>}\n",
    );
    await writeFile(path.join(dir, "records", "zz-bad-yaml.yaml"), "id: [unclosed\n");

    const reply = shown(await my.chat.say(ADMIN, "/reload"));
    const text = plain(reply);
    expect(text).toMatch(
      /^❌ The catalog on disk has \d+ problems, so it was not loaded; the current catalog keeps serving\./,
    );
    expect(text).toContain("records/zz-broken.yaml");
    expect(text).toContain("records/zz-bad-yaml.yaml");
    expect(my.chat.deps.search.size).toBe(serving);
    expect(data(shown(await my.chat.say(STRANGER, "lunar greenhouse programme")))).toContain(
      "r:d:zz-lunar-greenhouse-programme",
    );
    expect((await my.chat.deps.state.audit.recent(1))[0]).toMatchObject({ action: "reload", details: { ok: false } });
  });

  it("a long list of problems is cut to fit one message", async () => {
    for (let i = 0; i < 40; i++)
      await writeFile(path.join(dir, "records", `zz-broken-${i}.yaml`), `id: zz-broken-${i}\nkind: spaceship\n`);
    const reply = shown(await my.chat.say(ADMIN, "/reload"));
    expect(String(reply.text).length).toBeLessThanOrEqual(4096);
    expect(plain(reply)).toMatch(/…and \d+ more$/);
  });
});

// Apart from the tests above: they copy the catalog and build a live one, which this one does not need.
describe("/reload without a live catalog", () => {
  it("says so when reloading is not wired", async () => {
    const fixed = await chatWith(my.api, { settings: { adminIds: [ADMIN] } });
    expect(plain(shown(await fixed.say(ADMIN, "/reload")))).toBe("Reloading the catalog is not available here.");
  });
});
