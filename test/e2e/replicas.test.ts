import { rm } from "node:fs/promises";
import type { Update } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Language } from "../../src/catalog/schema.js";
import { createState } from "../../src/state/index.js";
import type { StateBackend } from "../../src/state/types.js";
import { bundledCatalog } from "../helpers/saved-index.js";
import { buttonData, plainText } from "../helpers/bot-harness.js";
import { apiErrors, type RecordedCall } from "../helpers/fake-bot-api.js";
import { startReplicaSet, type DeliveryResult, type ReplicaSet } from "../helpers/replicas.js";
import { copyBundledCatalog } from "../helpers/catalog-dir.js";
import { describeEditsOnReplicas } from "./edit-replicas.js";

/**
 * One bot on three webhook replicas and a broadcast worker, each its own process, on one Redis, behind
 * a round-robin proxy, against the fake Bot API: what a user sees must not depend on which replica
 * handles an update, on Telegram delivering an update again to another replica, or on a replica dying.
 * The describes run in order on one set of processes (each bot's start costs more than most tests): the
 * records edited in chat and the saved searches of ./edit-replicas.ts run on it too, and the replica
 * kills come last.
 */

const ADMIN = 900_001;
/** Starting the processes: a bound on a hang, above the replica set's own (240 s). */
const START_MS = 300_000;
const TEST_MS = 60_000;

const QUESTIONS: Record<Language, string> = {
  en: "incubators in Kazakhstan",
  fr: "incubateurs au Kazakhstan",
  ru: "инкубаторы в Казахстане",
  zh: "哈萨克斯坦的孵化器",
};
const LANGUAGES = Object.keys(QUESTIONS) as Language[];

let set: ReplicaSet;
/** The catalog folder the replicas read (a copy of the bundled one, so /reload can be given a new record). */
let catalogDir: string;
/** The shared state, read the way the replicas read it. */
let state: StateBackend;
/** Titles, per language, of the records about Kazakhstan (any of them answers the questions above). */
const kazakhTitles: Record<Language, string[]> = { en: [], fr: [], ru: [], zh: [] };

beforeAll(async () => {
  const catalog = await bundledCatalog();
  for (const record of catalog.records.filter((r) => r.countries.includes("KZ")))
    for (const lang of LANGUAGES) kazakhTitles[lang].push(record.title[lang]);
  catalogDir = await copyBundledCatalog("coopdesk-replicas-catalog-");
  // Simulated users type faster than people; flood control is tested on its own. Broadcasts go out at
  // 2 messages a second, so one lasts long enough to be cancelled while it runs.
  set = await startReplicaSet({
    replicas: 3,
    env: { ADMIN_IDS: String(ADMIN), FLOOD_MAX_MESSAGES: "0", BROADCAST_RATE_PER_SECOND: "2", CATALOG_DIR: catalogDir },
  });
  state = createState({ redisUrl: set.redis.url, ttlSeconds: 3600 }, pino({ level: "silent" }));
}, START_MS);

afterAll(async () => {
  await state?.close();
  await set?.stop();
  if (catalogDir) await rm(catalogDir, { recursive: true, force: true });
}, START_MS);

let nextUser = 810_000;
const newUser = () => ({ userId: nextUser++ });

/** The bot's calls to a chat from `after` on (successful ones only). */
function callsTo(chatId: number, after: number, methods = ["sendMessage", "editMessageText"]): RecordedCall[] {
  return set.api.calls.filter(
    (c) =>
      c.index >= after &&
      methods.includes(c.method) &&
      Number(c.payload.chat_id) === chatId &&
      c.response?.ok !== false,
  );
}

/** Answers of a replica with a 5xx (a dead replica's missing answer is not one). */
function serverErrors() {
  return set.answers.filter((a) => a.status >= 500);
}

function messageId(call: RecordedCall): number {
  const result = (call.response as { result?: { message_id?: number } } | undefined)?.result;
  return Number(call.payload.message_id ?? result?.message_id);
}

describe("three webhook replicas and a broadcast worker on one Redis", () => {
  it(
    "questions in English, French, Russian and Chinese are answered in their language, whichever replica takes them",
    async () => {
      const mark = set.answers.length;
      const replies = await Promise.all(
        LANGUAGES.map((lang) => set.reply(QUESTIONS[lang], { ...newUser(), languageCode: "en" })),
      );
      replies.forEach((reply, i) => {
        const text = plainText(reply);
        const answered = kazakhTitles[LANGUAGES[i] as Language].some((t) => text.includes(t));
        // On a failure, the replicas' warnings and errors say why.
        const trouble = answered
          ? []
          : set.replicas.flatMap((r) => r.logs().filter((l) => Number(l.level) >= 40)).map((l) => JSON.stringify(l));
        expect(answered, [text, ...trouble].join("\n")).toBe(true);
      });
      // Four updates round-robin over three replicas: each replica answered at least one.
      expect(
        new Set(
          set.answers
            .slice(mark)
            .filter((a) => a.status === 200)
            .map((a) => a.replica),
        ),
      ).toEqual(new Set([0, 1, 2]));
    },
    TEST_MS,
  );

  it(
    "/start delivered to the three replicas at once greets once",
    async () => {
      const { userId } = newUser();
      const start = set.api.textMessage({ chatId: userId, userId, text: "/start" });
      const after = set.api.mark();
      const deliveries = await Promise.all([0, 1, 2].map((i) => set.deliverTo(i, start)));
      expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
      // Each webhook answers once the update is handled: nothing more can come.
      expect(callsTo(userId, after, ["sendMessage"])).toHaveLength(1);
      // The two others said why they did nothing.
      await set.waitForLogs(
        (l) => l.msg === "update delivered again; already handled, skipped" && l.update === start.update_id,
        2,
      );
    },
    TEST_MS,
  );

  it(
    "a 👎 vote delivered again to the two other replicas counts once",
    async () => {
      const from = newUser();
      const card = await set.reply(QUESTIONS.en, from);
      const down = buttonData(card).find((d) => d.startsWith("v:d:"));
      expect(down, JSON.stringify(card.payload.reply_markup)).toBeDefined();
      const vote = set.api.callbackQuery({
        chatId: from.userId,
        userId: from.userId,
        data: down as string,
        messageId: messageId(card),
      });
      const after = set.api.mark();
      for (const replica of [0, 1, 2]) expect((await set.deliverTo(replica, vote)).status).toBe(200);
      const downvotes = (await state.questions.recent(500)).filter(
        (q) => q.userId === from.userId && q.reason === "downvoted",
      );
      expect(downvotes).toHaveLength(1);
      const answered = set.api.calls.filter(
        (c) =>
          c.index >= after &&
          c.method === "answerCallbackQuery" &&
          c.payload.callback_query_id === vote.callback_query?.id,
      );
      expect(answered).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    "handled failures are never a 5xx: Telegram refusing a send (403, 400), failing it (502), malformed bodies",
    async () => {
      const mark = set.answers.length;
      const blocked = newUser();
      set.api.failChat(blocked.userId, apiErrors.blockedByUser());
      const missing = newUser();
      set.api.failChat(missing.userId, apiErrors.chatNotFound());
      try {
        const sent = await Promise.all([set.send(QUESTIONS.fr, blocked), set.send("/start", missing)]);
        for (const s of sent) expect(s.attempts).toEqual([{ status: 200 }]);
        const refused = set.api.calls.filter(
          (c) => c.method === "sendMessage" && [blocked.userId, missing.userId].includes(Number(c.payload.chat_id)),
        );
        expect(refused.map((c) => c.response?.ok === false && c.response.error_code).sort()).toEqual(
          expect.arrayContaining([400, 403]),
        );
      } finally {
        set.api.failChat(blocked.userId, undefined);
        set.api.failChat(missing.userId, undefined);
      }

      // A passing 502 is retried by the bot; the user gets the answer.
      set.api.failNext("sendMessage", apiErrors.badGateway());
      const from = newUser();
      expect(plainText(await set.reply(QUESTIONS.ru, from))).toMatch(/Казахстан|Синьцзян/);

      const id = () => set.api.textMessage({ chatId: 1, userId: 1, text: "x" }).update_id;
      expect(await set.postRaw("{ not json")).toBe(400);
      expect(await set.postRaw(JSON.stringify({ update_id: "seven" }))).toBe(400);
      expect(await set.postRaw(JSON.stringify([1, 2]))).toBe(400);
      // An update whose fields are not Telegram's is read, then dropped by the bot: 200, so it is not sent again.
      expect(await set.postRaw(JSON.stringify({ update_id: id(), message: { text: 5 } }))).toBe(200);
      expect(
        await set.postRaw(
          JSON.stringify({
            update_id: id(),
            callback_query: {
              id: "1",
              from: { id: 5, is_bot: false, first_name: "A" },
              chat_instance: "1",
              data: "v:d:x",
            },
          }),
        ),
      ).toBe(200);
      expect(
        await set.postRaw(
          JSON.stringify({
            update_id: id(),
            message: {
              message_id: 1,
              date: 0,
              chat: { id: 5, type: "private" },
              entities: [{ type: "bot_command", offset: 0, length: 6 }],
            },
          }),
        ),
      ).toBe(200);

      expect(set.answers.length).toBeGreaterThan(mark);
      expect(serverErrors()).toEqual([]);
    },
    TEST_MS,
  );

  it(
    "a coordinator granted by an administrator on one replica is one on every replica",
    async () => {
      const coordinator = newUser();
      const refused = await set.replyFrom(2, "/unanswered", coordinator);
      expect(plainText(refused)).toBe("This command is for coordinators.");

      const granted = await set.replyFrom(0, `/grant ${coordinator.userId}`, { userId: ADMIN });
      expect(plainText(granted)).toContain(String(coordinator.userId));
      expect(await state.roles.isCoordinator(coordinator.userId)).toBe(true);

      for (const replica of [0, 1, 2]) {
        const listing = plainText(await set.replyFrom(replica, "/unanswered", coordinator));
        expect(listing, `replica ${replica}`).toMatch(/Unanswered and downvoted questions|No unanswered questions/);
      }
      // Through the proxy too, whichever replica it picks.
      expect(plainText(await set.reply("/broadcasts", coordinator))).not.toBe("This command is for coordinators.");

      const revoked = await set.replyFrom(1, `/revoke ${coordinator.userId}`, { userId: ADMIN });
      expect(plainText(revoked)).toContain(String(coordinator.userId));
      for (const replica of [0, 2])
        expect(plainText(await set.replyFrom(replica, "/unanswered", coordinator))).toBe(
          "This command is for coordinators.",
        );
    },
    TEST_MS,
  );

  it(
    "a broadcast composed step by step on different replicas reaches each subscriber once",
    async () => {
      const subscribers = Array.from({ length: 6 }, newUser);
      for (const from of subscribers) {
        await set.reply("/subscribe", from);
        // "Done" straight away: every topic, kind and country.
        expect((await set.press("s:s", from)).delivered).toBe(true);
      }
      const text = `Forum on hydrogen in Almaty ${Date.now()}`;
      const admin = { userId: ADMIN };
      const step = async (replica: number, update: Update) =>
        expect((await set.deliverTo(replica, update)).status).toBe(200);
      await step(0, set.api.textMessage({ chatId: ADMIN, userId: ADMIN, text: "/broadcast" }));
      await step(1, set.api.textMessage({ chatId: ADMIN, userId: ADMIN, text }));
      await step(2, set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:e", allowUnknownData: true }));
      await step(2, set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:p", allowUnknownData: true }));
      const after = set.api.mark();
      expect((await set.press("bc:ok", { ...admin })).delivered).toBe(true);
      // The replica that started it tells the coordinator when the workers are done.
      await set.api.waitForCall("sendMessage", (p) => p.chat_id === ADMIN && String(p.text).includes("is finished"), {
        after,
        timeoutMs: 30_000,
      });
      for (const { userId } of subscribers)
        expect(
          callsTo(userId, after, ["sendMessage"]).filter(
            (c) => plainText(c) === `📣 Announcement from Cooperation Desk\n\n${text}`,
          ),
          `subscriber ${userId}`,
        ).toHaveLength(1);
    },
    TEST_MS,
  );
});

/**
 * The catalog every replica searches must be the same one. Checks of changes reaching every replica
 * (announcements of broadcasts, /reload) go here: `set.replyFrom(i, …)` asks replica i directly.
 */
describe("the catalog on every replica", () => {
  it(
    "the same question gets the same answer from each replica",
    async () => {
      const first = await Promise.all([0, 1, 2].map((replica) => set.replyFrom(replica, QUESTIONS.zh, newUser())));
      const titles = first.map((reply) => plainText(reply).split("\n")[0]);
      expect(new Set(titles).size, titles.join(" | ")).toBe(1);
    },
    TEST_MS,
  );

  /** Asks replica `replica` until `done` holds for its answer's text (a change reaches the others through Redis). */
  async function askUntil(replica: number, question: string, done: (text: string) => boolean): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const text = plainText(await set.replyFrom(replica, question, newUser()));
      if (done(text)) return text;
      if (Date.now() > deadline)
        throw new Error(`replica ${replica} still answers ${JSON.stringify(text.slice(0, 120))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it(
    "a broadcast's announcement is found by every replica, and gone from every one once the broadcast is cancelled",
    async () => {
      // Subscribers enough for the delivery to run for several seconds at 2 a second.
      for (const from of Array.from({ length: 12 }, newUser)) {
        await set.reply("/subscribe", from);
        expect((await set.press("s:s", from)).delivered).toBe(true);
      }
      const title = `Perovskite solar school ${Date.now()}`;
      const admin = { userId: ADMIN };
      const step = async (update: Update) => expect((await set.deliverTo(0, update)).status).toBe(200);
      await step(set.api.textMessage({ chatId: ADMIN, userId: ADMIN, text: "/broadcast" }));
      await step(
        set.api.textMessage({
          chatId: ADMIN,
          userId: ADMIN,
          text: `${title}\nA summer school on perovskite solar cells for students of Central Asia.`,
        }),
      );
      await step(set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:e", allowUnknownData: true }));
      await step(set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:p", allowUnknownData: true }));
      await step(set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:ok", allowUnknownData: true }));
      for (const replica of [0, 1, 2])
        await askUntil(replica, "perovskite solar school", (text) => text.includes(title));

      // Cancelled on another replica while it is being delivered.
      const list = await set.replyFrom(1, "/broadcasts", admin);
      const stop = buttonData(list).find((d) => d.startsWith("bc:c:"));
      expect(stop, plainText(list)).toBeDefined();
      expect(
        (
          await set.deliverTo(
            1,
            set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: stop as string, messageId: messageId(list) }),
          )
        ).status,
      ).toBe(200);
      for (const replica of [0, 1, 2])
        await askUntil(replica, "perovskite solar school", (text) => !text.includes(title));
    },
    TEST_MS,
  );
  // A /reload on one replica reaching every replica: in ./edit-replicas.ts, with the saved search it answers.
});

/**
 * grammY's session is read when an update starts and written when it ends; updates of one chat are
 * handled one after another within a process. Across replicas they must be too, or two replicas
 * handling the same user's updates at once overwrite each other's session writes.
 */
describe("one chat's updates spread over three replicas: updates handled one at a time across replicas", () => {
  it(
    "topics chosen in /subscribe with quick presses landing on all replicas are all saved",
    async () => {
      const from = newUser();
      const menu = await set.reply("/subscribe", from);
      const topicsFacet = buttonData(menu).find((d) => d.startsWith("s:f:t:"));
      expect(topicsFacet, JSON.stringify(menu.payload.reply_markup)).toBeDefined();
      const opened = await set.press(topicsFacet as string, { ...from, messageId: messageId(menu) });
      expect(opened.delivered).toBe(true);
      const facet = await set.waitForChat(opened.after, from, ["editMessageText"]);
      const toggles = buttonData(facet)
        .filter((d) => d.startsWith("s:t:"))
        .slice(0, 6);
      expect(toggles).toHaveLength(6);

      // Six presses at once, round-robin: two on each replica.
      const mark = set.answers.length;
      const presses: Update[] = toggles.map((data) =>
        set.api.callbackQuery({ chatId: from.userId, userId: from.userId, data, messageId: messageId(menu) }),
      );
      const results = await Promise.all(presses.map((update) => set.deliver(update)));
      expect(results.every((r) => r.delivered)).toBe(true);
      expect(new Set(set.answers.slice(mark).map((a) => a.replica)).size).toBe(3);

      const save = await set.press("s:s", { ...from, messageId: messageId(menu) });
      expect(save.delivered).toBe(true);
      const saved = await state.subscriptions.get(from.userId);
      const chosen = toggles.map((d) => d.split(":").slice(4).join(":"));
      expect([...(saved?.topics ?? [])].sort()).toEqual([...chosen].sort());
    },
    TEST_MS,
  );
});

describeEditsOnReplicas(() => ({ set, state, catalogDir, admin: ADMIN }));

describe("kill -9 of a replica mid-traffic", () => {
  it(
    "the proxy skips the dead replica, the others keep answering, and every update is answered in its language, delivered again when it was on the replica as it died",
    async () => {
      const users = Array.from({ length: 9 }, newUser);
      const rounds = 6;
      const mark = set.answers.length;
      const sent: {
        result: DeliveryResult;
        userId: number;
        lang: Language;
        answer?: RecordedCall;
        killedBefore: boolean;
      }[] = [];
      let answered = 0;
      let killed: Promise<void> | undefined;
      let dead = false;

      // Each user asks, waits for the answer, asks again; replica 2 dies once every user has had an answer.
      await Promise.all(
        users.map(async ({ userId }, u) => {
          for (let round = 0; round < rounds; round++) {
            const lang = LANGUAGES[(u + round) % LANGUAGES.length] as Language;
            const killedBefore = dead;
            const result = await set.deliver(
              set.api.textMessage({ chatId: userId, userId, text: QUESTIONS[lang], languageCode: "en" }),
              { attempts: 8 },
            );
            const entry: (typeof sent)[number] = { result, userId, lang, killedBefore };
            sent.push(entry);
            if (!result.delivered) return;
            // The webhook answered after handling, so the first message since is this update's answer.
            entry.answer = await set.waitForChat(result.after, { userId });
            if (++answered === users.length) killed = set.kill(2).then(() => void (dead = true));
          }
        }),
      );
      await killed;
      expect(set.replicas[2]?.alive).toBe(false);

      expect(sent).toHaveLength(users.length * rounds);
      expect(sent.filter((s) => !s.result.delivered)).toEqual([]);
      const after = set.answers.slice(mark);
      // The dead replica refused its turns and the proxy went on to the next one.
      expect(after.some((a) => a.replica === 2 && a.failure === "refused")).toBe(true);
      const lastOf2 = after.map((a) => a.replica === 2 && a.status === 200).lastIndexOf(true);
      expect(after.slice(lastOf2 + 1).filter((a) => a.status === 200).length).toBeGreaterThan(users.length);
      // An update on replica 2 as it died had its delivery fail (the proxy's 502) and made again.
      expect(sent.filter((s) => s.result.attempts.length > 1).every((s) => s.result.attempts[0]?.status === 502)).toBe(
        true,
      );
      for (const s of sent) {
        const text = plainText(s.answer as RecordedCall);
        expect(
          kazakhTitles[s.lang].some((t) => text.includes(t)),
          `update ${s.result.update.update_id}: ${text}`,
        ).toBe(true);
      }
      // Updates sent after the kill all went to the live replicas, once.
      expect(sent.filter((s) => s.killedBefore && s.result.attempts.length > 1)).toEqual([]);
      expect(sent.filter((s) => s.killedBefore).length).toBeGreaterThan(0);
      expect(serverErrors()).toEqual([]);
    },
    TEST_MS,
  );
});

/**
 * Telegram delivers again an update a replica took and never answered (it died). The update must then
 * have its effect on another replica, not be taken for one already handled; and the chat must not stay
 * held by the dead replica.
 */
describe("an update whose replica dies while handling it", () => {
  const user = newUser();
  let dying: Update;
  let after: number;

  beforeAll(async () => {
    const victim = set.replicas.findIndex((r) => r.alive);
    let release: (error: Error) => void = () => {};
    const held = new Promise<never>((_, reject) => (release = reject));
    held.catch(() => undefined);
    // The answer is held at Telegram until the replica that sent it is dead.
    set.api.setHandler("sendMessage", (p, ctx) => (Number(p.chat_id) === user.userId ? held : ctx.fallback()));
    try {
      dying = set.api.textMessage({ chatId: user.userId, userId: user.userId, text: QUESTIONS.en });
      after = set.api.mark();
      const first = set.deliverTo(victim, dying).then(
        () => "answered",
        () => "no answer",
      );
      await set.api.waitForCall("sendMessage", (p) => Number(p.chat_id) === user.userId, { after, timeoutMs: 15_000 });
      await set.kill(victim);
      expect(await first).toBe("no answer");
      release(new Error("the bot is gone"));
    } finally {
      set.api.setHandler("sendMessage", undefined);
    }
  }, TEST_MS);

  it(
    "is answered when Telegram delivers it again",
    async () => {
      const again = await set.deliver(dying);
      expect(again.delivered).toBe(true);
      const answers = callsTo(user.userId, after);
      expect(answers.length, "no answer after the redelivery").toBeGreaterThan(0);
      expect(
        kazakhTitles.en.some((t) => plainText(answers[0] as RecordedCall).includes(t)),
        plainText(answers[0] as RecordedCall),
      ).toBe(true);
    },
    TEST_MS,
  );

  it(
    "the user's next message is answered, not held up by the dead replica",
    async () => {
      const reply = plainText(await set.reply(QUESTIONS.en, user));
      expect(
        kazakhTitles.en.some((t) => reply.includes(t)),
        reply,
      ).toBe(true);
    },
    TEST_MS,
  );
});
