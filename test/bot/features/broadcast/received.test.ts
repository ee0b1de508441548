import type { InlineKeyboardMarkup, Message, Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeCallback, encodeCallback } from "../../../../src/bot/callback-data/index.js";
import type { BotDeps } from "../../../../src/bot/context.js";
import { receivedKeyboard, renderReceived } from "../../../../src/bot/views/announcement.js";
import type { BroadcastStatus } from "../../../../src/broadcast/types.js";
import type { Language } from "../../../../src/catalog/schema.js";
import { translator } from "../../../../src/i18n.js";
import { chatWith, useFakeBotApi, type Chat } from "../../../helpers/chat.js";
import { HARNESS_TOKEN, type RecordedCall } from "../../../helpers/fake-bot-api.js";
import { eventually } from "../../../helpers/until.js";

/**
 * A broadcast as its recipients get it, end to end against the fake Bot API: the real bot, the app's
 * broadcast wiring (in-memory delivery over HTTP) and a live catalog. The header names the bot in the
 * recipient's language, the linked record's buttons and the subscription's buttons follow, the preview
 * shows exactly that, and no button under an announcement overwrites it.
 */

const COORDINATOR = 7001;
const EN = 7101;
const FR = 7102;
const ZH = 7103;

const my = useFakeBotApi({ token: HARNESS_TOKEN });
let chat: Chat;
let deps: BotDeps;

beforeAll(async () => {
  chat = await chatWith(my.api, { live: {}, broadcasting: { ratePerSecond: 200, maxAttempts: 2 } });
  deps = chat.deps;
  await deps.state.roles.grant(COORDINATOR);
});
afterAll(async () => {
  await chat.close();
});
beforeEach(async () => {
  await subscribe(EN, "en", { topics: ["energy"] });
  await subscribe(FR, "fr");
  await subscribe(ZH, "zh", { countries: ["KZ", "CN"] });
});
afterEach(async () => {
  for (const chatId of [EN, FR, ZH]) await deps.state.subscriptions.remove(chatId);
});

async function subscribe(
  chatId: number,
  lang: Language,
  facets: { topics?: string[]; kinds?: string[]; countries?: string[] } = {},
): Promise<void> {
  await deps.state.subscriptions.set(chatId, { topics: [], kinds: [], countries: [], ...facets, lang });
}

const feed = (update: Omit<Update, "update_id">): Promise<RecordedCall[]> => chat.deliver(update);
/** Each user's Telegram language. */
const LANGUAGE_CODE: Record<number, string> = { [COORDINATOR]: "en", [EN]: "en", [FR]: "fr", [ZH]: "zh" };
const say = (text: string, userId = COORDINATOR) =>
  feed(my.api.textMessage({ chatId: userId, userId, text, languageCode: LANGUAGE_CODE[userId] }));
const press = (data: string, userId = COORDINATOR, messageId?: number) =>
  feed(
    my.api.callbackQuery({
      chatId: userId,
      userId,
      data,
      languageCode: LANGUAGE_CODE[userId],
      allowUnknownData: true,
      ...(messageId !== undefined ? { messageId } : {}),
    }),
  );

const sent = (calls: RecordedCall[], chatId: number) =>
  calls.filter(
    (c) => ["sendMessage", "sendPhoto", "sendDocument"].includes(c.method) && Number(c.payload.chat_id) === chatId,
  );
const toast = (calls: RecordedCall[]) => calls.find((c) => c.method === "answerCallbackQuery")?.payload.text;
const markup = (call: RecordedCall | Message | undefined) =>
  ((call && "payload" in call ? call.payload.reply_markup : call?.reply_markup) as InlineKeyboardMarkup | undefined)
    ?.inline_keyboard;

/** The bot's messages in a chat as they stand now. */
const history = (chatId: number) => chat.botMessages(chatId);

async function finished(id: string): Promise<BroadcastStatus> {
  return eventually(async () => {
    const status = await deps.delivery!.status(id);
    return status && ["done", "cancelled", "failed"].includes(status.state) ? status : undefined;
  }, `broadcast ${id} to finish`);
}

const TEXT = "Hydrogen valley call\nApplications from Kazakhstan and China close on 30 June.";
const TEXT_FR = "Appel de la vallée de l’hydrogène\nCandidatures jusqu’au 30 juin.";

/** The buttons under an announcement with `asean` linked, in a language, as the test expects them. */
function expectedButtons(lang: Language, short: string) {
  const t = translator(deps.i18n, lang);
  const manage = { en: "⚙️ My subscription", fr: "⚙️ Mon abonnement", ru: "⚙️ Моя подписка", zh: "⚙️ 我的订阅" }[lang];
  const stop = {
    en: "🔕 Stop announcements",
    fr: "🔕 Ne plus recevoir d’annonces",
    ru: "🔕 Отписаться от объявлений",
    zh: "🔕 不再接收公告",
  }[lang];
  return [
    [{ text: `🗂 ${short}`, callback_data: "r:C:asean" }],
    [
      { text: t("record:button.details"), callback_data: "r:D:asean" },
      { text: t("record:button.contacts"), callback_data: "r:K:asean" },
    ],
    [
      { text: manage, callback_data: "a:m" },
      { text: stop, callback_data: "a:s" },
    ],
  ];
}

/** Composes a broadcast to everyone with a French variant and `asean` linked, previews it and sends it. */
async function broadcastWithRecord(): Promise<{ id: string; previews: RecordedCall[] }> {
  await say("/broadcast");
  await say(TEXT);
  await press("bc:v:fr");
  await say(TEXT_FR);
  await press("bc:r");
  const unknown = await say("no-such-record");
  expect(sent(unknown, COORDINATOR).map((c) => c.payload.text)).toEqual([
    "❓ The catalog has no record with the id <code>no-such-record</code> to link. Check it and send it again, or go back.",
  ]);
  const linked = await say("ASEAN");
  expect(String(sent(linked, COORDINATOR)[0]?.payload.text)).toContain(
    "Record: ASEAN (<code>asean</code>), its buttons under the message",
  );
  await press("bc:a");
  await press("bc:e");
  const previews = sent(await press("bc:p"), COORDINATOR);
  const id = (await deps.state.sessions.read(`user:${COORDINATOR}`))!.broadcast!.id;
  await press("bc:ok");
  expect(await finished(id)).toMatchObject({ state: "done", sent: 3 });
  return { id, previews };
}

describe("a received announcement", () => {
  it("has the bot's header in the recipient's language, the message, the linked record's buttons and the subscription's — exactly as previewed", async () => {
    const { id, previews } = await broadcastWithRecord();
    const short = (lang: Language) => deps.search.get("asean")!.short![lang];
    const en = renderReceived(translator(deps.i18n, "en"), { text: TEXT });
    expect(previews.map((c) => c.payload.text)).toEqual([
      "👁 <b>Preview</b> — what subscribers who read <b>English</b> will receive:",
      "📣 Announcement from Cooperation Desk\n\nHydrogen valley call\nApplications from Kazakhstan and China close on 30 June.",
      "👁 <b>Preview</b> — what subscribers who read <b>French</b> will receive:",
      "📣 Annonce de Cooperation Desk\n\nAppel de la vallée de l’hydrogène\nCandidatures jusqu’au 30 juin.",
      "👁 <b>Preview</b> — what subscribers who read <b>Russian</b> will receive:",
      "📣 Объявление от Cooperation Desk\n\nHydrogen valley call\nApplications from Kazakhstan and China close on 30 June.",
      "👁 <b>Preview</b> — what subscribers who read <b>Chinese</b> will receive:",
      "📣 Cooperation Desk 公告\n\nHydrogen valley call\nApplications from Kazakhstan and China close on 30 June.",
      expect.stringContaining("Ready to send"),
    ]);
    // The header in bold, as entities: the message has no parse mode.
    expect(previews[1]!.payload).toMatchObject({ text: en.text, entities: [{ type: "bold", offset: 0, length: 37 }] });
    expect(previews[1]!.payload).not.toHaveProperty("parse_mode");
    expect(previews[7]!.payload.entities).toEqual([
      { type: "bold", offset: 0, length: "📣 Cooperation Desk 公告".length },
    ]);
    (["en", "fr", "ru", "zh"] as const).forEach((lang, i) =>
      expect(markup(previews[2 * i + 1]), lang).toEqual(expectedButtons(lang, short(lang))),
    );

    // Each subscriber got the preview of their language, buttons included.
    for (const [chat, preview] of [
      [EN, previews[1]!],
      [FR, previews[3]!],
      [ZH, previews[7]!],
    ] as const) {
      const [delivery] = sent(my.api.calls, chat);
      expect(delivery?.payload.text, String(chat)).toBe(preview.payload.text);
      expect(delivery?.payload.entities, String(chat)).toEqual(preview.payload.entities);
      expect(markup(delivery), String(chat)).toEqual(markup(preview));
    }
    // The announcement in the catalog points at the linked record.
    expect(deps.search.get(`announcement-${id}`)?.related).toEqual(["asean"]);
  });

  it("a record's button opens it in a new message; the announcement stays as it is", async () => {
    await broadcastWithRecord();
    const announcement = history(FR).at(-1)!;
    const opened = await press("r:C:asean", FR, announcement.message_id);
    expect(opened.filter((c) => c.method.startsWith("edit") && Number(c.payload.chat_id) === FR)).toEqual([]);
    const card = sent(opened, FR);
    expect(card).toHaveLength(1);
    expect(String(card[0]!.payload.text)).toContain(deps.search.get("asean")!.title.fr);
    expect(history(FR).find((m) => m.message_id === announcement.message_id)).toEqual(announcement);
  });

  it("“my subscription” opens the subscription menu in a new message, whose buttons then change that message only", async () => {
    await broadcastWithRecord();
    const announcement = history(EN).at(-1)!;
    const opened = await press("a:m", EN, announcement.message_id);
    expect(opened.filter((c) => c.method.startsWith("edit") && Number(c.payload.chat_id) === EN)).toEqual([]);
    const [menu] = sent(opened, EN);
    expect(String(menu?.payload.text)).toContain("Your subscription");
    expect(
      markup(menu)
        ?.flat()
        .map((b) => ("callback_data" in b ? b.callback_data : "")),
    ).toEqual(["s:f:t:0", "s:f:k:0", "s:f:c:0", "s:s", "s:x"]);
    const menuMessage = history(EN).at(-1)!;
    const facet = await press("s:f:t:0", EN, menuMessage.message_id);
    expect(
      facet
        .filter((c) => c.method === "editMessageText" && Number(c.payload.chat_id) === EN)
        .map((c) => c.payload.message_id),
    ).toEqual([menuMessage.message_id]);
    expect(history(EN).find((m) => m.message_id === announcement.message_id)).toEqual(announcement);
  });

  it("“stop” ends the subscription and says so in a new message; undo brings it back as it was", async () => {
    await broadcastWithRecord();
    const before = await deps.state.subscriptions.get(EN);
    const announcement = history(EN).at(-1)!;
    const stopped = await press("a:s", EN, announcement.message_id);
    expect(toast(stopped)).toBe("Announcements stopped");
    expect(await deps.state.subscriptions.get(EN)).toBeUndefined();
    const [notice] = sent(stopped, EN);
    expect(notice?.payload.text).toBe(
      "🔕 You will no longer receive announcements. Changed your mind? “Undo” brings your subscription back as it was.",
    );
    expect(markup(notice)).toEqual([[{ text: "↩ Undo", callback_data: "a:u" }]]);
    expect(history(EN).find((m) => m.message_id === announcement.message_id)).toEqual(announcement);
    // Stopping again: nothing to stop.
    expect(toast(await press("a:s", EN, announcement.message_id))).toBe("You are not subscribed to announcements.");

    const noticeMessage = history(EN).at(-1)!;
    const undone = await press("a:u", EN, noticeMessage.message_id);
    expect(toast(undone)).toBe("Subscription restored");
    expect(
      undone.find((c) => c.method === "editMessageText" && Number(c.payload.chat_id) === EN)?.payload,
    ).toMatchObject({ message_id: noticeMessage.message_id, text: "🔔 Your subscription is back, as it was." });
    expect(await deps.state.subscriptions.get(EN)).toEqual(before);
    // Undo once only.
    expect(toast(await press("a:u", EN, noticeMessage.message_id))).toContain("expired");
  });

  it("undo keeps a subscription made since, and the buttons do nothing outside a private chat or when forged", async () => {
    await press("a:s", FR);
    await subscribe(FR, "fr", { kinds: ["event"] });
    const undone = await press("a:u", FR);
    expect(undone.find((c) => c.method === "editMessageText" && Number(c.payload.chat_id) === FR)?.payload.text).toBe(
      "🔔 Vous vous êtes abonné de nouveau entre-temps\u00a0: cet abonnement reste tel quel.",
    );
    expect((await deps.state.subscriptions.get(FR))?.kinds).toEqual(["event"]);

    const inGroup = await feed(
      my.api.callbackQuery({ chatId: -9001, userId: FR, data: "a:s", chatType: "supergroup", allowUnknownData: true }),
    );
    expect(toast(inGroup)).toContain("expiré");
    for (const forged of ["a:x", "a:s:1", "a:"]) expect(toast(await press(forged, FR)), forged).toContain("expiré");
    expect((await deps.state.subscriptions.get(FR))?.kinds).toEqual(["event"]);
  });
});

describe("composing for recipients", () => {
  it("keeps room for the header: a caption or a text that would not fit with it is refused, with the limits", async () => {
    await say("/broadcast");
    // The longest header, "📣 Announcement from Cooperation Desk" and a blank line, takes 39 of Telegram's 4,096 and 1,024.
    const refused = sent(await say("x".repeat(4058)), COORDINATOR);
    expect(refused.map((c) => c.payload.text)).toEqual([
      "That is too long: at most 4,057 characters for a text, 985 for a caption (the rest is the header recipients see).",
    ]);
    await say("x".repeat(4057));
    expect((await deps.state.sessions.read(`user:${COORDINATOR}`))?.broadcast?.default?.text).toHaveLength(4057);
  });

  it("without a linked record, only the subscription's buttons; an unlinked record leaves none of its own", async () => {
    const t = translator(deps.i18n, "ru");
    expect(receivedKeyboard(t).inline_keyboard).toEqual([
      [
        { text: "⚙️ Моя подписка", callback_data: "a:m" },
        { text: "🔕 Отписаться от объявлений", callback_data: "a:s" },
      ],
    ]);
    await say("/broadcast");
    await say("Short notice");
    await press("bc:r");
    await say("asean");
    expect(
      markup(history(COORDINATOR).at(-1))
        ?.flat()
        .map((b) => ("callback_data" in b ? b.callback_data : "")),
    ).toContain("bc:ru");
    await press("bc:ru");
    expect(history(COORDINATOR).at(-1)?.text).toContain("Record: none");
    await press("bc:a");
    await press("bc:e");
    const previews = sent(await press("bc:p"), COORDINATOR);
    expect(markup(previews[1])).toEqual(receivedKeyboard(translator(deps.i18n, "en")).inline_keyboard);
  });
});

describe("payloads", () => {
  it("round-trip: records opened in a new message, the announcement's buttons", () => {
    for (const action of [
      { type: "record", view: "card", id: "asean", fresh: true },
      { type: "record", view: "contacts", id: "asean", fresh: true },
      { type: "record", view: "details", id: "asean" },
      { type: "announcement", op: "manage" },
      { type: "announcement", op: "stop" },
      { type: "announcement", op: "undo" },
    ] as const) {
      expect(decodeCallback(encodeCallback(action))).toEqual(action);
    }
    expect(encodeCallback({ type: "record", view: "details", id: "asean", fresh: true })).toBe("r:D:asean");
    for (const forged of ["r:X:asean", "r:Dd:asean", "a:m:1", "a:z", "A:m"])
      expect(decodeCallback(forged), forged).toBeUndefined();
  });
});
