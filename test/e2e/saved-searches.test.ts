import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogRecord } from "../../src/catalog/schema.js";
import { buttonData, plainText, startTestBot, type TestBot } from "../helpers/bot-harness.js";

/**
 * Saved searches in polling mode, in one process. On webhook replicas sharing one Redis: in
 * edit-replicas.ts, on the replicas of replicas.test.ts.
 */

/** Starting the processes: a bound on a hang, above the replica set's own (240 s). */
const START_MS = 300_000;
const TEST_MS = 60_000;

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
