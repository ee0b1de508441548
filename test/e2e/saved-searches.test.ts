import { rm } from "node:fs/promises";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogRecord } from "../../src/catalog/schema.js";
import { buttonData, plainText, startTestBot, type TestBot } from "../helpers/bot-harness.js";
import type { RecordedCall } from "../helpers/fake-bot-api.js";
import { startReplicaSet, type ReplicaSet } from "../helpers/replicas.js";
import { addLunarGreenhouseRecord, copyBundledCatalog } from "../helpers/catalog-dir.js";

/**
 * Saved searches on two webhook replicas sharing one Redis, against the fake Bot API: every replica
 * applies every change of the live catalog and checks the saved searches against it, and exactly one
 * of them sends each notification.
 */

const ADMIN = 900_101;
const START_MS = 120_000;
const TEST_MS = 60_000;

let set: ReplicaSet;
let catalogDir: string;

beforeAll(async () => {
  catalogDir = await copyBundledCatalog("coopdesk-saved-catalog-");
  set = await startReplicaSet({
    replicas: 2,
    worker: false,
    env: { ADMIN_IDS: String(ADMIN), FLOOD_MAX_MESSAGES: "0", CATALOG_DIR: catalogDir },
  });
}, START_MS);

afterAll(async () => {
  await set?.stop();
  if (catalogDir) await rm(catalogDir, { recursive: true, force: true });
}, START_MS);

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

/** Resolves once both replicas logged that they checked the saved searches against `recordId` going live. */
function bothChecked(recordId: string): Promise<void> {
  return set.waitForLogs(
    (line) => line.msg === "saved searches checked" && Array.isArray(line.records) && line.records.includes(recordId),
    2,
    30_000,
  );
}

describe("saved searches on two replicas", () => {
  it(
    "a record added by a /reload on one replica answers a saved search: the subscriber gets it exactly once",
    async () => {
      const user = 820_001;
      await saveSearch(user, "lunar greenhouse programme");
      const after = set.api.mark();
      const checked = bothChecked("zz-lunar-greenhouse-programme");
      await addLunarGreenhouseRecord(catalogDir);
      expect(plainText(await set.replyFrom(1, "/reload", { userId: ADMIN }))).toMatch(/^✅ Catalog reloaded/);
      await checked;
      // Both replicas found the search answered; one claimed it.
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
      expect(found.sort()).toEqual([0, 1]);
      const notified = sentTo(user, after, "New for your saved search “lunar greenhouse programme”");
      expect(notified).toHaveLength(1);
      expect(plainText(notified[0]!)).toContain("Lunar greenhouse exchange programme");
      const stop = buttonData(notified[0]!).find((d) => d.startsWith("n:d:"));
      expect(stop).toBeDefined();

      // The stop button works on the other replica too; the search is gone for both.
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
      await set.waitForLogs(
        (line) =>
          line.msg === "saved searches checked" &&
          Array.isArray(line.records) &&
          line.records.some((id: unknown) => String(id).startsWith("announcement")),
        2,
        30_000,
      );
      const notified = sentTo(user, after, "New for your saved search “perovskite solar school”");
      expect(notified).toHaveLength(1);
      expect(plainText(notified[0]!)).toContain(title);
    },
    TEST_MS,
  );
});

describe("saved searches in polling mode (one process, in-memory state)", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ mode: "polling" });
  }, START_MS);
  afterAll(() => bot?.stop());

  it(
    "a record put live is sent to the chat that saved the question it answers",
    async () => {
      const from = { userId: 830_001 };
      const reply = await bot.reply("lunar greenhouse programme", from);
      const notify = buttonData(reply).find((d) => d.startsWith("n:s:"));
      expect(notify, plainText(reply)).toBeDefined();
      const { answer } = await bot.pressAndWait(notify!, from);
      expect(answer.payload.text).toBe("Saved: you will be notified");

      const live = bot.app.deps.live!;
      const base = structuredClone(live.search.catalog.records.find((r) => r.kind === "programme")!);
      const title = {
        en: "Lunar greenhouse exchange programme",
        fr: "Programme d'échange serres lunaires",
        ru: "Программа обмена «Лунные теплицы»",
        zh: "月球温室交流项目",
      };
      const record = {
        ...base,
        id: "zz-lunar-polling",
        title,
        short: undefined,
        summary: title,
        details: undefined,
        related: [],
      } as CatalogRecord;
      const after = bot.api.mark();
      await live.put(record);
      const notification = await bot.api.waitForCall(
        "sendMessage",
        (p) => Number(p.chat_id) === from.userId && String(p.text).includes("New for your saved search"),
        { after, timeoutMs: 15_000 },
      );
      expect(plainText(notification)).toContain("Lunar greenhouse exchange programme");
    },
    TEST_MS,
  );
});
