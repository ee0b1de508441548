import { afterEach, describe, expect, it } from "vitest";
import type { BroadcastStatus } from "../../../../src/broadcast/types.js";
import type { BotDeps } from "../../../../src/bot/context.js";
import { renderList } from "../../../../src/bot/features/broadcast/views.js";
import { LANGUAGES } from "../../../../src/catalog/schema.js";
import { createI18n, translator } from "../../../../src/i18n.js";
import { chatWith, data, plain, shown, useFakeBotApi, type Chat } from "../../../helpers/chat.js";
import { HARNESS_TOKEN, telegramRateLimits } from "../../../helpers/fake-bot-api.js";
import { eventually } from "../../../helpers/until.js";

/**
 * The cost of paid broadcasts where coordinators look back at them: each paid broadcast of /broadcasts
 * and each /audit line of a paid broadcast sent or cancelled says what it cost, in the reader's language.
 */

const ADMIN = 5201;
const SUBSCRIBERS = 60;

const my = useFakeBotApi({ token: HARNESS_TOKEN });
let chat: Chat;
let deps: BotDeps;

afterEach(async () => {
  await chat?.close();
});

async function setUp(paid: boolean): Promise<void> {
  my.api.reset({ state: true });
  const limits = telegramRateLimits({ globalPerSecond: 30, paidPerSecond: 1000 });
  my.api.setSendPolicy((attempt) => (Number(attempt.chatId) >= 7000 ? limits(attempt) : undefined));
  chat = await chatWith(my.api, {
    settings: { adminIds: [ADMIN] },
    broadcasting: { maxAttempts: 2, paid, ratePerSecond: 200 },
  });
  deps = chat.deps;
  for (let i = 0; i < SUBSCRIBERS; i++)
    await deps.state.subscriptions.set(7000 + i, { topics: [], kinds: [], countries: [], lang: "en" });
}

async function broadcastToEveryone(): Promise<BroadcastStatus> {
  await chat.say(ADMIN, "/broadcast");
  await chat.say(ADMIN, "Announcement for every subscriber");
  await chat.press(ADMIN, "bc:e", { force: true });
  await chat.press(ADMIN, "bc:p", { force: true });
  const id = (await deps.state.sessions.read(`user:${ADMIN}`))!.broadcast!.id;
  await chat.press(ADMIN, "bc:ok", { force: true });
  const status = await eventually(async () => {
    const s = await deps.delivery!.status(id);
    return s?.state === "done" ? s : undefined;
  }, "the broadcast to finish");
  // The coordinator is told it finished; what follows answers only the commands.
  await eventually(() => chat.botMessages(ADMIN).some((m) => m.text?.includes("is finished")), "the notice of the end");
  return status;
}

/** The bot's answer to a command (the broadcast's progress message may be edited meanwhile). */
async function ask(text: string): Promise<string> {
  const calls = await chat.say(ADMIN, text);
  const [answer] = calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === ADMIN);
  return plain(answer!.payload);
}

const starsText = (billed: number) =>
  `${(billed / 10).toLocaleString("en", { maximumFractionDigits: 1 })} ${billed === 10 ? "Star" : "Stars"}`;

describe("the cost of a paid broadcast afterwards", () => {
  it("/broadcasts and /audit give the cost the engine counted", async () => {
    await setUp(true);
    const status = await broadcastToEveryone();
    expect(status.paid).toMatchObject({ billed: expect.any(Number), estimate: expect.any(Number) });
    const cost = `💫 cost ${starsText(status.paid!.billed)}`;

    const list = await ask("/broadcasts");
    expect(list).toContain(`finished`);
    expect(list).toContain(`\n    ${cost}`);

    const audit = await ask("/audit");
    expect(audit).toMatch(new RegExp(`· ${ADMIN} sent broadcast ${status.id} · ${cost.replace(/[.]/g, "\\.")}$`, "m"));
  });

  it("a free broadcast says nothing of a cost in either", async () => {
    await setUp(false);
    const status = await broadcastToEveryone();
    expect(status.paid).toBeUndefined();
    expect(await ask("/broadcasts")).not.toContain("💫");
    const audit = await ask("/audit");
    expect(audit).toMatch(new RegExp(`· ${ADMIN} sent broadcast ${status.id}$`, "m"));
    expect(audit).not.toContain("💫");
  });

  it("/audit still says a broadcast was paid, and a cancel what it cost, when the engine no longer or still knows it", async () => {
    await setUp(true);
    await deps.state.audit.append({
      actor: ADMIN,
      action: "broadcast",
      details: { id: "forgotten", scheduledAt: "now", paid: true },
    });
    await deps.state.audit.append({
      actor: ADMIN,
      action: "broadcast",
      details: { id: "free-one", scheduledAt: "now" },
    });
    const lines = (await ask("/audit")).split("\n");
    expect(lines[2]).toMatch(new RegExp(`· ${ADMIN} sent broadcast free-one$`));
    expect(lines[3]).toMatch(new RegExp(`· ${ADMIN} sent broadcast forgotten · 💫 paid broadcast$`));

    // The coordinator cancels a paid broadcast scheduled for later: nothing was billed.
    const at = new Date(Date.now() + 3_600_000).toISOString();
    await deps.delivery!.schedule({
      id: "later",
      createdBy: ADMIN,
      content: { default: { text: "Later" } },
      audience: { everyone: true },
      scheduledAt: at,
    });
    await deps.state.audit.append({
      actor: ADMIN,
      action: "broadcast",
      details: { id: "later", scheduledAt: at, paid: true },
    });
    expect((await ask("/audit")).split("\n")[2]).toMatch(/scheduled broadcast later for .* UTC · 💫 paid broadcast$/);
    const list = shown(await chat.say(ADMIN, "/broadcasts"));
    const [stop] = data(list).filter((d) => d !== data(list).at(-1));
    expect(stop).toBeDefined();
    await chat.press(ADMIN, stop!);
    expect((await deps.delivery!.status("later"))?.state).toBe("cancelled");
    const [cancel] = await deps.state.audit.recent(1);
    expect(cancel).toMatchObject({ action: "broadcast-cancel", details: { id: "later", paid: true } });
    expect((await ask("/audit")).split("\n")[2]).toMatch(
      /cancelled broadcast later after 0 sent \(0 not sent\) · 💫 cost 0 Stars$/,
    );
  });
});

describe("/broadcasts gives a paid broadcast's cost in the reader's language", () => {
  const base: BroadcastStatus = {
    id: "b1",
    createdBy: 1,
    state: "done",
    total: 10_000,
    sent: 10_000,
    failed: 0,
    blocked: 0,
    remaining: 0,
    createdAt: "2026-12-01T09:00:00.000Z",
    finishedAt: "2026-12-01T09:00:11.000Z",
  };
  const statuses: BroadcastStatus[] = [
    {
      ...base,
      id: "s",
      state: "scheduled",
      total: 0,
      sent: 0,
      remaining: 0,
      scheduledAt: "2026-12-02T09:00:00.000Z",
      paid: { billed: 0, estimate: 0 },
    },
    { ...base, id: "r", state: "running", sent: 2_000, remaining: 8_000, paid: { billed: 1_845, estimate: 9_670 } },
    { ...base, id: "d", paid: { billed: 9_655, estimate: 9_670 } },
    { ...base, id: "f" },
  ];
  const expected = {
    en: ["💫 paid broadcast", "💫 184.5 Stars so far", "💫 cost 965.5 Stars"],
    fr: ["💫 diffusion payante", "💫 184,5 étoiles jusqu’ici", "💫 coût : 965,5 étoiles"],
    ru: ["💫 платная рассылка", "💫 пока потрачено 184,5 звезды", "💫 стоимость: 965,5 звезды"],
    zh: ["💫 付费广播", "💫 目前已花费184.5颗星星", "💫 花费965.5颗星星"],
  };

  it.each(LANGUAGES)("%s", async (lang) => {
    const t = translator(await createI18n(), lang);
    const text = renderList(statuses, t, lang);
    const paidLines = text
      .split("\n")
      .filter((l) => l.includes("💫"))
      .map((l) => l.trim());
    expect(paidLines).toEqual(expected[lang]);
    // The free broadcast, listed last, has no cost line.
    expect(text.trimEnd().split("\n").at(-1)).not.toContain("💫");
  });
});
