import type { Message } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import type { BroadcastSettings } from "../../../../src/broadcast/config.js";
import type { BroadcastStatus } from "../../../../src/broadcast/types.js";
import type { BotDeps } from "../../../../src/bot/context.js";
import { renderConfirm, renderProgress } from "../../../../src/bot/features/broadcast/views.js";
import { newDraft } from "../../../../src/bot/features/broadcast/draft.js";
import { LANGUAGES } from "../../../../src/catalog/schema.js";
import { createI18n, translator } from "../../../../src/i18n.js";
import { chatWith, useFakeBotApi, type Chat } from "../../../helpers/chat.js";
import { HARNESS_TOKEN, telegramRateLimits, type TelegramRateLimitPolicy } from "../../../helpers/fake-bot-api.js";
import { eventually } from "../../../helpers/until.js";

/**
 * Paid broadcasting end to end against the fake Bot API enforcing Telegram's limits (30 a second without
 * allow_paid_broadcast, 1000 with it): the coordinator's confirmation says the most it can cost, every
 * message goes out with the flag, and the report gives the cost in Stars.
 */

const COORDINATOR = 5101;
const SUBSCRIBERS = 60;

const my = useFakeBotApi({ token: HARNESS_TOKEN });
let chat: Chat;
let deps: BotDeps;
let limits: TelegramRateLimitPolicy;

afterEach(async () => {
  await chat?.close();
});

async function setUp(settings: Partial<BroadcastSettings>): Promise<void> {
  my.api.reset({ state: true });
  limits = telegramRateLimits({ globalPerSecond: 30, paidPerSecond: 1000 });
  // Telegram's limits on the broadcast's messages; the bot's conversation with the coordinator is not a broadcast.
  my.api.setSendPolicy((attempt) => (Number(attempt.chatId) >= 7000 ? limits(attempt) : undefined));
  chat = await chatWith(my.api, { broadcasting: { maxAttempts: 2, ...settings } });
  deps = chat.deps;
  await deps.state.roles.grant(COORDINATOR);
  for (let i = 0; i < SUBSCRIBERS; i++) {
    await deps.state.subscriptions.set(7000 + i, { topics: [], kinds: [], countries: [], lang: LANGUAGES[i % 4]! });
  }
}

const say = (text: string) => chat.say(COORDINATOR, text);
const press = (data: string) => chat.press(COORDINATOR, data, { force: true });
const last = (): Message => chat.botMessages(COORDINATOR).at(-1)!;
const broadcastSends = () =>
  my.api.calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) >= 7000);

/** Composes a broadcast to everyone, previews it and returns the confirmation panel and the draft's id. */
async function composeToEveryone(): Promise<{ confirmation: Message; id: string }> {
  await say("/broadcast");
  await say("Paid announcement for every subscriber");
  await press("bc:e");
  await press("bc:p");
  const id = (await deps.state.sessions.read(`user:${COORDINATOR}`))!.broadcast!.id;
  return { confirmation: last(), id };
}

describe("paid broadcasting in the bot", () => {
  it("the confirmation gives the most it can cost, every message carries allow_paid_broadcast, and the report gives the cost", async () => {
    // 200 a second: 60 messages can be billed for at most 30 (the free 30 of the first second).
    await setUp({ paid: true, ratePerSecond: 200 });
    expect(deps.delivery?.pacing).toEqual({ ratePerSecond: 200, paid: true });
    const { confirmation, id } = await composeToEveryone();
    expect(confirmation.text).toContain(
      "💫 Paid broadcast: at most 3 Stars from the bot’s balance — 0.1 Star for each message over Telegram’s free 30 a second (30 of 60 at most).",
    );
    const statusMessage = confirmation.message_id;

    await press("bc:ok");
    const status = await eventually(async () => {
      const s = await deps.delivery!.status(id);
      return s?.state === "done" ? s : undefined;
    }, "the broadcast to finish");
    expect(status).toMatchObject({ total: SUBSCRIBERS, sent: SUBSCRIBERS });
    expect(status.paid?.estimate).toBe(30);

    const sends = broadcastSends();
    expect(sends).toHaveLength(SUBSCRIBERS);
    expect(sends.every((c) => c.payload.allow_paid_broadcast === true && c.response?.ok === true)).toBe(true);
    expect(limits.stats.rejections).toEqual([]);
    expect(limits.stats.paid).toBe(SUBSCRIBERS);
    // Messages to the coordinator are not broadcasts: no flag.
    expect(
      my.api.calls
        .filter((c) => Number(c.payload.chat_id) === COORDINATOR)
        .some((c) => "allow_paid_broadcast" in c.payload),
    ).toBe(false);

    const billed = status.paid!.billed;
    const stars = (billed / 10).toLocaleString("en", { maximumFractionDigits: 1 });
    const report = await eventually(() => {
      const m = my.api.chatHistory(COORDINATOR).find((x) => x.message_id === statusMessage);
      return m?.text?.includes("finished") ? m : undefined;
    }, "the final report");
    expect(report.text).toContain(
      `💫 Paid broadcast: ${stars} ${billed === 10 ? "Star" : "Stars"} (messages over the free 30 a second: ${billed}; estimated before sending: at most 3).`,
    );
  });

  it("without it, nothing is said of a cost and no message carries the flag", async () => {
    await setUp({ ratePerSecond: 25 });
    expect(deps.delivery?.pacing).toEqual({ ratePerSecond: 25, paid: false });
    const { confirmation, id } = await composeToEveryone();
    expect(confirmation.text).not.toContain("💫");
    await press("bc:ok");
    await eventually(
      async () => (await deps.delivery!.status(id))?.state === "done",
      "the broadcast to finish",
      15_000,
    );
    expect(broadcastSends().some((c) => "allow_paid_broadcast" in c.payload)).toBe(false);
    const report = await eventually(() => {
      const m = my.api.chatHistory(COORDINATOR).find((x) => x.message_id === confirmation.message_id);
      return m?.text?.includes("finished") ? m : undefined;
    }, "the final report");
    expect(report.text).not.toContain("💫");
  });
});

describe("paid broadcasting in the coordinator's language", () => {
  const catalogStub = { sectors: {}, records: [] } as never;
  const paidRun: BroadcastStatus = {
    id: "b1",
    createdBy: 1,
    state: "running",
    total: 10_000,
    sent: 2_000,
    failed: 0,
    blocked: 0,
    remaining: 8_000,
    createdAt: "2026-12-01T09:00:00.000Z",
    startedAt: "2026-12-01T09:00:00.000Z",
    etaSeconds: 9,
    paid: { billed: 1_845, estimate: 9_670 },
  };
  const paidDone: BroadcastStatus = {
    ...paidRun,
    state: "done",
    sent: 9_990,
    blocked: 10,
    remaining: 0,
    finishedAt: "2026-12-01T09:00:11.000Z",
    paid: { billed: 9_655, estimate: 9_670 },
  };
  const expected = {
    en: {
      confirm: "at most <b>967</b> Stars",
      running: "184.5 Stars so far",
      report: "<b>965.5</b> Stars (messages over the free 30 a second: 9,655; estimated before sending: at most 967)",
    },
    fr: { confirm: "au plus <b>967</b> étoiles", running: "184,5 étoiles jusqu’ici", report: "<b>965,5</b> étoiles" },
    ru: { confirm: "до <b>967</b> звёзд", running: "пока потрачено 184,5 звезды", report: "<b>965,5</b> звезды" },
    zh: { confirm: "扣除<b>967</b>颗星星", running: "已花费184.5颗星星", report: "花费<b>965.5</b>颗星星" },
  };

  it.each(LANGUAGES)("%s: the estimate at the confirmation, the cost so far, the cost in the report", async (lang) => {
    const i18n = await createI18n();
    const t = translator(i18n, lang);
    const draft = { ...newDraft(lang), audience: { everyone: true } };
    const confirm = renderConfirm(draft, 10_000, {
      t,
      lang,
      catalog: catalogStub,
      pacing: { ratePerSecond: 950, paid: true },
    });
    expect(confirm).toContain(expected[lang].confirm);
    expect(
      renderConfirm(draft, 10_000, { t, lang, catalog: catalogStub, pacing: { ratePerSecond: 28, paid: false } }),
    ).not.toContain("💫");
    expect(
      renderConfirm(draft, 20, { t, lang, catalog: catalogStub, pacing: { ratePerSecond: 950, paid: true } }),
    ).toContain(t("broadcast:paid.free"));
    expect(renderProgress(paidRun, t, lang)).toContain(expected[lang].running);
    expect(renderProgress(paidDone, t, lang)).toContain(expected[lang].report);
    const { paid: _paid, ...free } = paidDone;
    expect(renderProgress(free, t, lang)).not.toContain("💫");
  });
});
