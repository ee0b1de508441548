// /unanswered triage: answering a group (reply or record card), dismissing it, calling it spam; the
// decision is stored, so the group leaves the list of every coordinator on every process.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeCallback, encodeCallback } from "../../../src/bot/callback-data/index.js";
import { answeredGroups, groupQuestions } from "../../../src/bot/features/unanswered-groups.js";
import type { UnansweredQuestion } from "../../../src/state/types.js";
import { calls, chatWith, data, plain, shown, toast, useChat, type Chat } from "../../helpers/chat.js";

const COORDINATOR = 9002;
const OTHER_COORDINATOR = 9004;
const STRANGER = 9003;

const my = useChat({ resetState: true, chat: { settings: { adminIds: [] } } });
beforeEach(async () => {
  await my.chat.deps.state.roles.grant(COORDINATOR);
  await my.chat.deps.state.roles.grant(OTHER_COORDINATOR);
});

const PAST = Date.UTC(2025, 4, 1, 10);

function question(text: string, chatId: number, overrides: Partial<UnansweredQuestion> = {}): UnansweredQuestion {
  return {
    text,
    lang: "en",
    userId: chatId,
    chatId,
    at: new Date(PAST + chatId * 1000).toISOString(),
    reason: "no-match",
    score: 0.1,
    ...overrides,
  };
}

async function asked(...questions: UnansweredQuestion[]): Promise<void> {
  for (const q of questions) await my.chat.deps.state.questions.add(q);
}

/** A question asked after any decision taken in the test. */
function later(text: string, chatId: number): UnansweredQuestion {
  return question(text, chatId, { at: new Date(Date.now() + 60_000 + chatId).toISOString() });
}

describe("callback data", () => {
  it("round-trips every /unanswered action within 64 bytes", () => {
    const actions = [
      { type: "unanswered", op: "page", page: 3 },
      { type: "unanswered", op: "group", group: 7 },
      { type: "unanswered", op: "reply", group: 7 },
      { type: "unanswered", op: "dismiss", group: 59 },
      { type: "unanswered", op: "spam", group: 0 },
      { type: "unanswered", op: "pick", group: 4 },
      { type: "unanswered", op: "record", group: 12, id: "astana-hub" },
      { type: "unanswered", op: "cancel" },
    ] as const;
    for (const action of actions) {
      const encoded = encodeCallback(action);
      expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
      expect(decodeCallback(encoded)).toEqual(action);
    }
    expect(() => encodeCallback({ type: "unanswered", op: "record", group: 1, id: "a".repeat(60) })).toThrow(
      /64 bytes/,
    );
  });

  it("refuses malformed payloads", () => {
    for (const forged of [
      "q:d",
      "q:d:x",
      "q:d:1:2",
      "q:z:1",
      "q:c:1",
      "q:c:1:Bad_Id",
      "q:c:x:astana-hub",
      "q:s:-1",
      "q:g:99999",
      "q:c:1:../etc",
    ]) {
      expect(decodeCallback(forged), forged).toBeUndefined();
    }
  });
});

describe("/unanswered triage", () => {
  it("opens a group with its actions and the closest records", async () => {
    await asked(question("incubators in Kazakhstan", 101), question("Kazakhstan incubator?", 102));
    const list = shown(await my.chat.say(COORDINATOR, "/unanswered"));
    expect(data(list)).toEqual(["q:g:0"]);
    const group = shown(await my.chat.press(COORDINATOR, "q:g:0"));
    expect(plain(group)).toContain("1. “Kazakhstan incubator?”");
    expect(plain(group)).toContain("asked 2 times");
    const payloads = data(group);
    expect(payloads).toContain("q:r:0");
    expect(payloads).toContain("q:d:0");
    expect(payloads).toContain("q:s:0");
    expect(payloads).toContain("q:p:0");
    expect(payloads.some((d) => /^q:c:0:[a-z0-9-]+$/.test(d))).toBe(true);
  });

  it("dismiss: the group leaves the list for every coordinator and process, is audited, and comes back only when asked again", async () => {
    await asked(
      question("quantum gravity pizza", 101),
      question("incubators in Kazakhstan", 102),
      question("quantum pizza gravity", 103),
    );
    await my.chat.say(COORDINATOR, "/unanswered");
    await my.chat.press(COORDINATOR, "q:g:0");
    const after = shown(await my.chat.press(COORDINATOR, "q:d:0"));
    expect(plain(after)).toContain("Dismissed: “quantum pizza gravity”");
    expect(plain(after)).toContain("1 question in 1 group");
    expect(plain(after)).not.toContain("1. “quantum");

    // Another bot process on the same state, another coordinator.
    const other = await chatWith(my.api, { settings: { adminIds: [] }, deps: { state: my.chat.deps.state } });
    const theirs = plain(shown(await other.say(OTHER_COORDINATOR, "/unanswered")));
    expect(theirs).toContain("“incubators in Kazakhstan”");
    expect(theirs).not.toContain("quantum");

    const [entry] = await my.chat.deps.state.audit.recent(1);
    expect(entry).toMatchObject({
      actor: COORDINATOR,
      action: "unanswered-dismiss",
      details: { question: "quantum pizza gravity", count: 2 },
    });

    // Asked again after the decision: back, counting only the new question.
    await asked(later("quantum gravity pizza?", 104));
    const back = plain(shown(await my.chat.say(COORDINATOR, "/unanswered")));
    expect(back).toMatch(/“quantum gravity pizza\?”\nasked once/);
  });

  it("spam: similar questions never come back", async () => {
    await asked(question("buy cheap followers now", 101), question("cheap followers buy", 102));
    await my.chat.say(COORDINATOR, "/unanswered");
    await my.chat.press(COORDINATOR, "q:g:0");
    expect(plain(shown(await my.chat.press(COORDINATOR, "q:s:0")))).toContain("Marked as spam");
    await asked(later("buy cheap followers now!!", 103));
    expect(plain(shown(await my.chat.say(COORDINATOR, "/unanswered")))).toContain("No unanswered questions");
    expect((await my.chat.deps.state.audit.recent(1))[0]).toMatchObject({ action: "unanswered-spam" });
  });

  it("answered with a record: each asker gets the card in their language, the group leaves the list, audited", async () => {
    await asked(
      question("incubators in Kazakhstan", 101),
      question("инкубаторы Казахстан", 102, { lang: "ru" }),
      question("Kazakhstan incubators", 103),
    );
    await my.chat.say(COORDINATOR, "/unanswered");
    const group = shown(await my.chat.press(COORDINATOR, "q:g:0"));
    const choice = data(group).find((d) => d.startsWith("q:c:0:"))!;
    const id = choice.split(":")[3]!;
    const record = my.chat.deps.search.get(id)!;
    const result = await my.chat.press(COORDINATOR, choice);
    const sent = calls(result, "sendMessage").filter((m) => m.chat_id !== COORDINATOR);
    expect(sent.map((m) => m.chat_id).sort()).toEqual([101, 103]);
    for (const m of sent) {
      expect(plain(m)).toContain("A coordinator answered your question");
      expect(plain(m)).toContain(record.title.en.slice(0, 20));
      expect(data(m)).toContain(`r:d:${id}`);
    }
    const list = plain(
      shown(
        result.filter((c) => c.method !== "sendMessage" || (c.payload as { chat_id: number }).chat_id === COORDINATOR),
      ),
    );
    expect(list).toContain("Your answer was sent to 2 chats");
    expect(list).toContain("“инкубаторы Казахстан”");
    expect(list).not.toContain("Kazakhstan incubators");
    expect((await my.chat.deps.state.triage.list())[0]).toMatchObject({
      status: "answered",
      recordId: id,
      actor: COORDINATOR,
    });
    expect((await my.chat.deps.state.audit.recent(1))[0]).toMatchObject({
      action: "unanswered-record",
      details: { record: id, chats: 2, failed: 0 },
    });
  });

  it("answered by reply: the group leaves the list; a second coordinator with a stale list sends nothing", async () => {
    await asked(question("quantum gravity pizza", 101), question("incubators in Kazakhstan", 102));
    await my.chat.say(COORDINATOR, "/unanswered");
    await my.chat.say(OTHER_COORDINATOR, "/unanswered");
    await my.chat.press(OTHER_COORDINATOR, "q:g:1");
    await my.chat.press(COORDINATOR, "q:g:1");
    await my.chat.press(COORDINATOR, "q:r:1");
    const sent = await my.chat.say(COORDINATOR, "We have no such record yet.");
    expect(calls(sent, "sendMessage").map((m) => m.chat_id)).toContain(101);
    expect(plain(shown(await my.chat.say(COORDINATOR, "/unanswered")))).not.toContain("quantum");

    // The other coordinator's list still shows it: their press is refused and their list refreshed.
    const stale = await my.chat.press(OTHER_COORDINATOR, "q:d:1");
    expect(toast(stale)).toBe("Another coordinator has already handled this group: nothing was sent.");
    expect(plain(shown(stale))).not.toContain("quantum");
    expect((await my.chat.deps.state.triage.list()).map((e) => e.status)).toEqual(["answered"]);
  });

  it("answered with any record typed by its id: an unknown id is said so and asked again, a known one is confirmed on its card, then sent", async () => {
    await asked(
      question("zeolite membrane fellowship", 101),
      question("zeolite membrane fellowships", 102, { lang: "fr" }),
    );
    await my.chat.say(COORDINATOR, "/unanswered");
    const group = shown(await my.chat.press(COORDINATOR, "q:g:0"));
    expect(data(group)).toContain("q:i:0");
    const offered = data(group)
      .filter((d) => d.startsWith("q:c:0:"))
      .map((d) => d.split(":")[3]);
    // A record the engine did not offer for this question.
    const chosen = my.chat.deps.search.catalog.records.find(
      (r) => !offered.includes(r.id) && r.kind !== "announcement",
    )!;

    const prompt = shown(await my.chat.press(COORDINATOR, "q:i:0"));
    expect(plain(prompt)).toContain(
      "Send the id of the record whose card goes to the askers of “zeolite membrane fellowships” (2 chats)",
    );
    expect(data(prompt)).toEqual(["q:x"]);
    expect((await my.chat.deps.state.sessions.read(`user:${COORDINATOR}`))?.step).toBe("unanswered:record");

    const unknown = shown(await my.chat.say(COORDINATOR, "no-such-record-anywhere"));
    expect(plain(unknown)).toBe(
      "❓ The catalog has no record with the id no-such-record-anywhere. Check it and send it again, or cancel.",
    );
    expect(data(unknown)).toEqual(["q:x"]);
    expect(plain(shown(await my.chat.say(COORDINATOR, "this is not an id at all")))).toContain(
      "no record with the id this is not an id at all",
    );
    expect(await my.chat.deps.state.triage.list()).toEqual([]);

    // The id as typed: any case, quoted, or the record's link.
    const confirm = shown(await my.chat.say(COORDINATOR, `“${chosen.id.toUpperCase()}”`));
    expect(plain(confirm)).toContain("Send this card to 2 chats that asked “zeolite membrane fellowships”?");
    expect(plain(confirm)).toContain(chosen.title.en);
    expect(data(confirm)).toEqual([`q:c:0:${chosen.id}`, "q:x"]);
    expect((await my.chat.deps.state.sessions.read(`user:${COORDINATOR}`))?.step).toBeUndefined();

    const sent = await my.chat.press(COORDINATOR, `q:c:0:${chosen.id}`);
    const toAskers = calls(sent, "sendMessage").filter((m) => m.chat_id !== COORDINATOR);
    expect(toAskers.map((m) => m.chat_id).sort()).toEqual([101, 102]);
    expect(plain(toAskers.find((m) => m.chat_id === 102)!)).toContain(chosen.title.fr);
    expect(
      plain(
        shown(
          sent.filter((c) => c.method !== "sendMessage" || (c.payload as { chat_id: number }).chat_id === COORDINATOR),
        ),
      ),
    ).toContain("Your answer was sent to 2 chats");
    expect((await my.chat.deps.state.triage.list())[0]).toMatchObject({ status: "answered", recordId: chosen.id });
  });

  describe("with a live catalog", () => {
    let live: Chat;
    // A live catalog of its own is a search engine of its own: built here, in the hook's time, not the test's.
    beforeEach(async () => {
      live = await chatWith(my.api, { settings: { adminIds: [] }, live: {} });
    });
    afterEach(() => live.deps.live!.close());

    it("a typed id is checked against the live catalog: a record published in chat can be pointed at at once", async () => {
      await live.deps.state.roles.grant(COORDINATOR);
      await live.deps.state.questions.add(question("zeolite membrane fellowship", 101));
      const base = live.deps.search.get("asean")!;
      await live.deps.live!.put({ ...base, id: "zeolite-fellowship" });
      await live.say(COORDINATOR, "/unanswered");
      await live.press(COORDINATOR, "q:g:0");
      await live.press(COORDINATOR, "q:i:0");
      const link = `https://t.me/${my.api.botInfo.username}?start=r_zeolite-fellowship`;
      expect(data(shown(await live.say(COORDINATOR, link)))).toContain("q:c:0:zeolite-fellowship");
    });
  });

  it("cancelling a typed id ends the step: the next message is a question again", async () => {
    await asked(question("quantum gravity pizza", 101));
    await my.chat.say(COORDINATOR, "/unanswered");
    await my.chat.press(COORDINATOR, "q:g:0");
    await my.chat.press(COORDINATOR, "q:i:0");
    expect(plain(shown(await my.chat.press(COORDINATOR, "q:x")))).toContain("nothing was sent");
    expect((await my.chat.deps.state.sessions.read(`user:${COORDINATOR}`))?.step).toBeUndefined();
    expect(plain(shown(await my.chat.say(COORDINATOR, "asean")))).not.toContain("no record with the id");
  });

  it("refuses the actions to a non-coordinator, audited, and nothing is stored", async () => {
    await asked(question("quantum gravity pizza", 101));
    for (const forged of ["q:d:0", "q:s:0", "q:c:0:astana-hub", "q:g:0", "q:i:0"]) {
      expect(toast(await my.chat.press(STRANGER, forged, { force: true }))).toBe(
        "Only coordinators can use this button.",
      );
    }
    expect(await my.chat.deps.state.triage.list()).toEqual([]);
    expect((await my.chat.deps.state.audit.recent(1))[0]).toMatchObject({ actor: STRANGER, action: "refused" });
  });

  it("answers forged or stale payloads from a coordinator with 'expired', storing nothing", async () => {
    await asked(question("quantum gravity pizza", 101));
    await my.chat.say(COORDINATOR, "/unanswered");
    for (const forged of ["q:d:5", "q:c:0:no-such-record", "q:c:0:BAD", "q:z:0"]) {
      expect(toast(await my.chat.press(COORDINATOR, forged, { force: true }))).toContain("expired");
    }
    expect(await my.chat.deps.state.triage.list()).toEqual([]);
  });
});

describe("answeredGroups", () => {
  it("returns the groups the engine now answers, optionally only by given records", () => {
    const groups = groupQuestions([question("Astana Hub", 101), question("quantum gravity pizza", 102)]);
    const answered = answeredGroups(my.chat.deps.search, groups);
    expect(answered.map((a) => a.group.example)).toEqual(["Astana Hub"]);
    expect(answered[0]!.index).toBe(0);
    const id = answered[0]!.record.id;
    expect(answeredGroups(my.chat.deps.search, groups, { recordIds: new Set([id]) })).toHaveLength(1);
    expect(answeredGroups(my.chat.deps.search, groups, { recordIds: new Set(["some-other-record"]) })).toEqual([]);
  });
});
