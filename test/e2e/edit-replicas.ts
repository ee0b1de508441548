import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Update } from "grammy/types";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load.js";
import { run as checkCatalog } from "../../src/cli/catalog-check.js";
import { run as exportCatalog } from "../../src/cli/catalog-export.js";
import type { StateBackend } from "../../src/state/types.js";
import { bundledCatalog } from "../helpers/saved-index.js";
import { buttonData, plainText } from "../helpers/bot-harness.js";
import { runCli } from "../helpers/cli.js";
import type { RecordedCall } from "../helpers/fake-bot-api.js";
import type { ReplicaSet } from "../helpers/replicas.js";
import { addLunarGreenhouseRecord, copyBundledCatalog } from "../helpers/catalog-dir.js";

/**
 * Records edited and created in chat on the replicas of test/e2e/replicas.test.ts (each its own
 * process, on one Redis, against the fake Bot API): a coordinator writes the change on one replica, an
 * administrator approves it on another, and from then on every replica answers with it; the audit keeps
 * the before/after difference, and `catalog:export` writes the change as a record file that loads and
 * passes the catalog check. Then saved searches on the same replicas: every replica applies every change
 * of the live catalog and checks the saved searches against it, and exactly one of them sends each
 * notification. Registered by replicas.test.ts on its replica set (a set costs three bot starts), before
 * its replicas are killed; the tests run in order and use replicas 0 and 1.
 */

export interface EditReplicas {
  set: ReplicaSet;
  /** The shared state, read the way the replicas read it. */
  state: StateBackend;
  /** The catalog folder the replicas read. */
  catalogDir: string;
  /** An administrator of the replicas (ADMIN_IDS). */
  admin: number;
}

const COORDINATOR = 910_002;
const TEST_MS = 90_000;

const EDITED = "asean";
const NEW_SUMMARY = "ASEAN offers a basalt fibre residency to engineers of its member states.";
const EDIT_QUESTION = "basalt fibre residency";

const NEW_ID = "zz-tundra-seed-bank-school";
const NEW_TITLES = [
  "Tundra seed bank summer school",
  "École d'été sur les semences de la toundra",
  "Летняя школа «Семенной банк тундры»",
  "苔原种子库暑期学校",
];
const NEW_SUMMARIES = [
  "A summer school on seed banks of tundra plants for students.",
  "Une école d'été sur les banques de semences des plantes de la toundra, pour étudiants.",
  "Летняя школа о семенных банках растений тундры для студентов.",
  "面向学生的苔原植物种子库暑期学校。",
];
const NEW_QUESTION = "tundra seed bank summer school";
const NEW_CONTACT = {
  name: {
    en: "Tundra seed bank school office",
    fr: "Bureau de l'école des semences de la toundra",
    ru: "Офис школы семенного банка тундры",
    zh: "苔原种子库学校办公室",
  },
  note: {
    en: "Ask the school office through its official channels.",
    fr: "S'adresser au bureau de l'école par ses canaux officiels.",
    ru: "Обращаться в офис школы через официальные каналы.",
    zh: "可通过官方渠道联系学校办公室。",
  },
};

export function describeEditsOnReplicas(shared: () => EditReplicas): void {
  describe("records edited in chat, and saved searches, on the replicas", () => {
    let set: ReplicaSet;
    let state: StateBackend;
    let catalogDir: string;
    let ADMIN: number;
    /** A copy of the bundled catalog folder, the export's target. */
    let exportDir: string;
    let englishSummaryBefore: string;

    beforeAll(async () => {
      ({ set, state, catalogDir, admin: ADMIN } = shared());
      englishSummaryBefore = (await bundledCatalog()).records.find((r) => r.id === EDITED)!.summary.en;
      exportDir = await copyBundledCatalog("coopdesk-edit-export-");
      await state.roles.grant(COORDINATOR);
    });

    afterAll(async () => {
      if (exportDir) await rm(exportDir, { recursive: true, force: true });
    });

    let nextUser = 911_000;

    /**
     * Delivers an update of `userId`'s private chat straight to replica `replica` and returns the bot's
     * messages to that chat made while handling it (the webhook answers once the update is handled).
     */
    async function on(replica: number, userId: number, update: Update): Promise<RecordedCall[]> {
      const after = set.api.mark();
      const delivery = await set.deliverTo(replica, update);
      expect(delivery.status, delivery.body.toString()).toBe(200);
      return set.api.calls.filter(
        (c) =>
          c.index >= after &&
          ["sendMessage", "editMessageText"].includes(c.method) &&
          Number(c.payload.chat_id) === userId &&
          c.response?.ok !== false,
      );
    }

    const say = (replica: number, userId: number, text: string) =>
      on(replica, userId, set.api.textMessage({ chatId: userId, userId, text }));
    const press = (replica: number, userId: number, data: string) =>
      on(replica, userId, set.api.callbackQuery({ chatId: userId, userId, data, allowUnknownData: true }));
    const texts = (calls: RecordedCall[]) => calls.map(plainText).join("\n---\n");
    const buttons = (calls: RecordedCall[]) => calls.flatMap(buttonData);

    /** Asks replica `replica` as a new user until its answer satisfies `done` (a change reaches the other replica through Redis). */
    async function askUntil(replica: number, question: string, done: (text: string) => boolean): Promise<string> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const text = plainText(await set.replyFrom(replica, question, { userId: nextUser++ }));
        if (done(text)) return text;
        if (Date.now() > deadline)
          throw new Error(`replica ${replica} still answers ${JSON.stringify(text.slice(0, 200))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    /** The administrator's /review on `replica`, then ✅ on the change submitted for `recordId`. */
    async function approveOn(replica: number, recordId: string): Promise<RecordedCall[]> {
      const review = await say(replica, ADMIN, "/review");
      const listed = review.find((c) => plainText(c).includes(recordId));
      expect(listed, texts(review)).toBeDefined();
      const approve = buttonData(listed!).find((d) => d.startsWith("ed:a:"));
      expect(approve, JSON.stringify(listed!.payload.reply_markup)).toBeDefined();
      return press(replica, ADMIN, approve!);
    }

    describe("a record edited on one replica and approved on another", () => {
      it(
        "is live on every replica once approved, not before, and audited with its before and after",
        async () => {
          const menu = await say(0, COORDINATOR, `/edit ${EDITED}`);
          expect(texts(menu)).toContain(`Editing ${EDITED}`);
          expect(buttons(menu)).toContain("ed:f:summary");

          const askEnglish = await press(0, COORDINATOR, "ed:f:summary");
          expect(texts(askEnglish)).toContain(englishSummaryBefore);
          await say(0, COORDINATOR, NEW_SUMMARY);
          // French, Russian and Chinese kept as they are.
          for (let i = 0; i < 3; i++) await press(0, COORDINATOR, "ed:n");
          const preview = await press(0, COORDINATOR, "ed:v");
          expect(texts(preview)).toContain(NEW_SUMMARY);
          expect(texts(preview)).toContain("summary.en");
          expect(buttons(preview)).toContain("ed:s");
          const submitted = await press(0, COORDINATOR, "ed:s");
          expect(texts(submitted)).toMatch(/#\d+/);

          // Submitted is not live: the other replica still answers with the record as it was.
          expect(plainText(await set.replyFrom(1, EDIT_QUESTION, { userId: nextUser++ }))).not.toContain(NEW_SUMMARY);

          const approved = await approveOn(1, EDITED);
          expect(texts(approved)).toContain("approved");
          for (const replica of [1, 0, 2]) await askUntil(replica, EDIT_QUESTION, (text) => text.includes(NEW_SUMMARY));

          const entry = (await state.audit.recent(50)).find(
            (e) => e.action === "record" && e.details?.op === "approve" && e.details?.record === EDITED,
          );
          expect(entry, "approval audited").toBeDefined();
          expect(entry!.actor).toBe(ADMIN);
          expect(entry!.details?.author).toBe(COORDINATOR);
          expect(entry!.details?.fields).toBe("summary.en");
          const diff = JSON.parse(String(entry!.details?.diff)) as Record<string, [string | null, string | null]>;
          expect(diff["summary.en"]).toEqual([englishSummaryBefore, NEW_SUMMARY]);
        },
        TEST_MS,
      );
    });

    describe("a record created on one replica and approved on another", () => {
      it(
        "is found by a question on every replica",
        async () => {
          expect(texts(await say(1, COORDINATOR, "/new"))).toMatch(/^A new record\. I will ask for each field in turn/);
          await say(1, COORDINATOR, NEW_ID);
          await press(1, COORDINATOR, "ed:k:programme");
          for (const title of NEW_TITLES) await say(1, COORDINATOR, title);
          for (const summary of NEW_SUMMARIES) await say(1, COORDINATOR, summary);
          await say(1, COORDINATOR, "KZ, RU");
          await say(1, COORDINATOR, "agriculture");
          await say(1, COORDINATOR, "students");
          // A source whose other records name no publisher: records of one source name it alike.
          await say(1, COORDINATOR, "000_a272ed8cbe79a218.txt");
          const menu = await say(1, COORDINATOR, "2025-09-01");
          expect(buttons(menu), texts(menu)).toContain("ed:f:contacts");
          // A contact, its sub-fields asked one by one: only a name and how to approach them, nothing made up.
          await press(1, COORDINATOR, "ed:f:contacts");
          await press(1, COORDINATOR, "ed:+:contacts");
          for (const name of Object.values(NEW_CONTACT.name)) await say(1, COORDINATOR, name);
          for (let i = 0; i < 4; i++) await say(1, COORDINATOR, "-"); // no e-mail, phone, web address or Telegram
          for (const note of Object.values(NEW_CONTACT.note)) await say(1, COORDINATOR, note);
          const list = await press(1, COORDINATOR, "ed:m");
          expect(buttons(list), texts(list)).toContain("ed:v");
          const preview = await press(1, COORDINATOR, "ed:v");
          expect(texts(preview)).toContain(NEW_TITLES[3]);
          const submitted = await press(1, COORDINATOR, "ed:s");
          expect(texts(submitted)).toMatch(/#\d+/);

          const approved = await approveOn(0, NEW_ID);
          expect(texts(approved)).toContain("approved");
          for (const replica of [0, 1, 2])
            await askUntil(replica, NEW_QUESTION, (text) => text.includes(NEW_TITLES[0]!));

          const entry = (await state.audit.recent(50)).find(
            (e) => e.action === "record" && e.details?.op === "approve" && e.details?.record === NEW_ID,
          );
          expect(entry?.details?.created).toBe(true);
        },
        TEST_MS,
      );
    });

    describe("catalog:export after the approvals", () => {
      it(
        "writes both records as files that load with the catalog and pass its check",
        async () => {
          const exported = await runCli(exportCatalog, [], {
            env: { REDIS_URL: set.redis.url, CATALOG_DIR: exportDir },
          });
          expect(exported.status, exported.stderr).toBe(0);
          expect(exported.stdout).toContain(`wrote records/${EDITED}.yaml`);
          expect(exported.stdout).toContain(`wrote records/${NEW_ID}.yaml`);

          const file = parse(await readFile(path.join(exportDir, "records", `${EDITED}.yaml`), "utf8")) as {
            summary: { en: string };
          };
          expect(file.summary.en).toBe(NEW_SUMMARY);
          const loaded = await loadCatalog(exportDir);
          expect(loaded.ok, loaded.ok ? "" : JSON.stringify(loaded.problems.slice(0, 5))).toBe(true);
          if (!loaded.ok) return;
          expect(loaded.catalog.records.find((r) => r.id === EDITED)?.summary.en).toBe(NEW_SUMMARY);
          // Only the edited field changed.
          const original = (await bundledCatalog()).records.find((r) => r.id === EDITED)!;
          expect({ ...loaded.catalog.records.find((r) => r.id === EDITED), summary: original.summary }).toEqual(
            original,
          );
          expect(loaded.catalog.records.find((r) => r.id === NEW_ID)?.title.zh).toBe(NEW_TITLES[3]);
          expect(loaded.catalog.records.find((r) => r.id === NEW_ID)?.contacts).toEqual([NEW_CONTACT]);

          const checked = await runCli(checkCatalog, [exportDir], { env: process.env });
          expect(checked.status, checked.stderr).toBe(0);
          expect(checked.stdout).toContain("catalog OK");
        },
        TEST_MS,
      );
    });

    // ---------------------------------------------------------------------------
    // Saved searches, on the same replicas after the edits

    /** Messages the bot sent to a chat from `after` on whose text contains `text`. */
    function sentTo(chatId: number, after: number, text: string): RecordedCall[] {
      return set.api.calls.filter(
        (c) =>
          c.index >= after &&
          c.method === "sendMessage" &&
          Number(c.payload.chat_id) === chatId &&
          c.response?.ok !== false &&
          plainText(c).includes(text),
      );
    }

    /** Asks `question` on replica 0 and presses its 🔔 through the proxy; the confirmation. */
    async function saveSearch(userId: number, question: string): Promise<void> {
      const reply = await set.replyFrom(0, question, { userId });
      const notify = buttonData(reply).find((d) => d.startsWith("n:s:"));
      expect(notify, plainText(reply)).toBeDefined();
      const after = set.api.mark();
      expect((await set.press(notify!, { userId })).delivered).toBe(true);
      const confirmation = await set.waitForChat(after, { userId });
      expect(plainText(confirmation)).toContain(`Search saved: “${question}”`);
    }

    /** Resolves once every replica logged that it checked the saved searches against `recordId` going live. */
    function allChecked(recordId: string): Promise<void> {
      return set.waitForLogs(
        (line) =>
          line.msg === "saved searches checked" && Array.isArray(line.records) && line.records.includes(recordId),
        set.replicas.length,
        30_000,
      );
    }

    describe("saved searches on the replicas", () => {
      it(
        "a record added by a /reload on one replica is in every replica's answers, and answers a saved search: the subscriber gets it exactly once",
        async () => {
          const user = 820_001;
          await saveSearch(user, "lunar greenhouse programme");
          const after = set.api.mark();
          const checked = allChecked("zz-lunar-greenhouse-programme");
          await addLunarGreenhouseRecord(catalogDir);
          expect(plainText(await set.replyFrom(1, "/reload", { userId: ADMIN }))).toMatch(
            /^✅ Catalog reloaded: \d+ records/,
          );
          await checked;
          for (const replica of [0, 1, 2])
            await askUntil(replica, "lunar greenhouse programme", (text) =>
              text.includes("Lunar greenhouse exchange programme"),
            );
          // Every replica found the search answered; one claimed it.
          const found = set.replicas.map(
            (r) =>
              r
                .logs()
                .find(
                  (l) =>
                    l.msg === "saved searches checked" &&
                    Array.isArray(l.records) &&
                    l.records.includes("zz-lunar-greenhouse-programme"),
                )?.notifications,
          );
          expect(found.sort()).toEqual([0, 0, 1]);
          const notified = sentTo(user, after, "New for your saved search “lunar greenhouse programme”");
          expect(notified).toHaveLength(1);
          expect(plainText(notified[0]!)).toContain("Lunar greenhouse exchange programme");
          const stop = buttonData(notified[0]!).find((d) => d.startsWith("n:d:"));
          expect(stop).toBeDefined();

          // The stop button works on another replica too; the search is gone for every one.
          const pressAfter = set.api.mark();
          expect(
            (
              await set.press(stop!, {
                userId: user,
                messageId: Number((notified[0]!.response as { result: { message_id: number } }).result.message_id),
              })
            ).delivered,
          ).toBe(true);
          expect(plainText(await set.waitForChat(pressAfter, { userId: user }))).toContain(
            "Saved search “lunar greenhouse programme” removed",
          );
          expect(plainText(await set.replyFrom(1, "/subscriptions", { userId: user }))).toContain("No saved searches");
        },
        TEST_MS,
      );

      it(
        "a broadcast's announcement that answers a saved search is sent to its subscriber once, besides the broadcast's own audience",
        async () => {
          const user = 820_002;
          const subscriber = 820_003;
          await set.reply("/subscribe", { userId: subscriber });
          expect((await set.press("s:s", { userId: subscriber })).delivered).toBe(true);
          await saveSearch(user, "perovskite solar school");

          const title = `Perovskite solar school ${Date.now()}`;
          const step = async (replica: number, update: Update) =>
            expect((await set.deliverTo(replica, update)).status).toBe(200);
          await step(0, set.api.textMessage({ chatId: ADMIN, userId: ADMIN, text: "/broadcast" }));
          await step(
            1,
            set.api.textMessage({
              chatId: ADMIN,
              userId: ADMIN,
              text: `${title}\nA summer school on perovskite solar cells for students of Central Asia.`,
            }),
          );
          await step(0, set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:e", allowUnknownData: true }));
          await step(1, set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:p", allowUnknownData: true }));
          const after = set.api.mark();
          await step(0, set.api.callbackQuery({ chatId: ADMIN, userId: ADMIN, data: "bc:ok", allowUnknownData: true }));
          await set.api.waitForCall(
            "sendMessage",
            (p) => Number(p.chat_id) === user && String(p.text).includes("perovskite solar school"),
            { after, timeoutMs: 30_000 },
          );
          // This broadcast's announcement (the replicas made others before), checked by every replica.
          const announcement = (await state.catalog.snapshot()).records.find(
            (c) => c.op === "put" && c.record.kind === "announcement" && JSON.stringify(c.record).includes(title),
          );
          expect(announcement).toBeDefined();
          await allChecked(announcement!.op === "put" ? announcement!.record.id : "");
          const notified = sentTo(user, after, "New for your saved search “perovskite solar school”");
          expect(notified).toHaveLength(1);
          expect(plainText(notified[0]!)).toContain(title);
        },
        TEST_MS,
      );
    });
  });
}
