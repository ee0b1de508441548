import type { InlineKeyboardMarkup, Message, MessageEntity, Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BroadcastStatus } from "../../../../src/broadcast/types.js";
import type { Language } from "../../../../src/catalog/schema.js";
import { useChat } from "../../../helpers/chat.js";
import type { RecordedCall } from "../../../helpers/fake-bot-api.js";
import { eventually } from "../../../helpers/until.js";

/**
 * /broadcast end to end against the fake Bot API: the real bot (createBot), the app's broadcast wiring
 * (in-memory delivery sending over HTTP to the fake, progress edited into the coordinator's message,
 * announcements merged into the searched catalog) and the in-memory subscriptions, roles and audit log.
 */

const COORDINATOR = 5001;
const STRANGER = 5002;
const FR_SUBSCRIBER = 6001;
const EN_SUBSCRIBER = 6002;
const RU_SUBSCRIBER = 6003;

const BROADCASTING = { ratePerSecond: 200, maxAttempts: 2 };
// A bot with broadcasting wired, the coordinator and three subscribers.
const my = useChat({ resetState: true, chat: { broadcasting: BROADCASTING } });
beforeEach(() => seed());
afterEach(() => {
  vi.useRealTimers();
});

async function seed(): Promise<void> {
  await my.chat.deps.state.roles.grant(COORDINATOR);
  await subscribe(FR_SUBSCRIBER, "fr");
  await subscribe(EN_SUBSCRIBER, "en", { topics: ["energy"] });
  await subscribe(RU_SUBSCRIBER, "ru");
}

/** The bot again, with a live catalog of its own that announcements enter. */
async function withLiveCatalog(): Promise<void> {
  await my.remake({ live: {}, broadcasting: BROADCASTING });
  await seed();
}

async function subscribe(
  chatId: number,
  lang: Language,
  facets: { topics?: string[]; kinds?: string[]; countries?: string[] } = {},
): Promise<void> {
  await my.chat.deps.state.subscriptions.set(chatId, { topics: [], kinds: [], countries: [], ...facets, lang });
}

const feed = (update: Omit<Update, "update_id">) => my.chat.deliver(update);

/** A text from `userId` in their private chat, with formatting entities. */
async function say(
  text: string,
  opts: { userId?: number; entities?: MessageEntity[]; languageCode?: string } = {},
): Promise<void> {
  const userId = opts.userId ?? COORDINATOR;
  const update = my.api.textMessage({ chatId: userId, userId, text, languageCode: opts.languageCode ?? "en" });
  if (opts.entities)
    (update.message as Message).entities = [...((update.message as Message).entities ?? []), ...opts.entities];
  await feed(update);
}

/** A photo (three sizes) or a document with a caption from the coordinator. */
async function sendMedia(
  kind: "photo" | "document",
  caption: string,
  captionEntities: MessageEntity[] = [],
): Promise<void> {
  const update = my.api.textMessage({ chatId: COORDINATOR, userId: COORDINATOR, text: "x" });
  const message = update.message as Message & { text?: string };
  delete message.text;
  delete message.entities;
  if (kind === "photo") {
    message.photo = [
      { file_id: "PHOTO-small", file_unique_id: "s", width: 90, height: 60 },
      { file_id: "PHOTO-large", file_unique_id: "l", width: 1280, height: 853 },
      { file_id: "PHOTO-medium", file_unique_id: "m", width: 320, height: 213 },
    ];
  } else {
    message.document = { file_id: "DOC-programme-pdf", file_unique_id: "d", file_name: "programme.pdf" };
  }
  message.caption = caption;
  if (captionEntities.length) message.caption_entities = captionEntities;
  await feed(update);
}

async function press(data: string, userId = COORDINATOR): Promise<RecordedCall> {
  const mark = my.api.mark();
  await feed(my.api.callbackQuery({ chatId: userId, userId, data, languageCode: "en", allowUnknownData: true }));
  return my.api.calls.find((c) => c.index >= mark && c.method === "answerCallbackQuery")!;
}

/** The bot's newest message in a chat (as it stands after edits). */
function last(chatId = COORDINATOR): Message {
  return my.chat.botMessages(chatId).at(-1)!;
}

function buttons(message: Message | undefined): string[] {
  return ((message?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => ("callback_data" in b && b.callback_data ? [b.callback_data] : []));
}

/** Sends of the broadcast to a chat (messages, photos, documents). */
function deliveries(chatId: number): RecordedCall[] {
  return my.api.calls.filter(
    (c) => ["sendMessage", "sendPhoto", "sendDocument"].includes(c.method) && Number(c.payload.chat_id) === chatId,
  );
}

async function finished(id: string): Promise<BroadcastStatus> {
  return eventually(async () => {
    const status = await my.chat.deps.delivery!.status(id);
    return status && ["done", "cancelled", "failed"].includes(status.state) ? status : undefined;
  }, `broadcast ${id} to finish`);
}

async function draftId(): Promise<string> {
  return (await my.chat.deps.state.sessions.read(`user:${COORDINATOR}`))!.broadcast!.id;
}

/** The draft composed so far sent to everyone: audience, preview and confirmation; the broadcast's id. */
async function toEveryone(): Promise<string> {
  await press("bc:e");
  await press("bc:p");
  const id = await draftId();
  await press("bc:ok");
  return id;
}

/** A broadcast to everyone, scheduled 30 days ahead: its id. */
async function scheduledOne(): Promise<string> {
  await say("/broadcast");
  await say("Scheduled one");
  await press("bc:s");
  await say(inDays(30));
  return toEveryone();
}

const session = (userId = COORDINATOR) => my.chat.deps.state.sessions.read(`user:${userId}`);

/** A formatted message as Telegram delivers it: text and entities (offsets in UTF-16 units). */
const FORMATTED_TEXT = "Hydrogen forum in Almaty\nRegister by 5 March: <free> & open to startups. Details";
const at = (word: string) => FORMATTED_TEXT.indexOf(word);
const FORMATTED = {
  text: FORMATTED_TEXT,
  entities: [
    { type: "bold", offset: 0, length: "Hydrogen forum".length },
    { type: "italic", offset: at("forum"), length: "forum".length },
    { type: "underline", offset: at("<free>"), length: "<free>".length },
    { type: "text_link", offset: at("Details"), length: "Details".length, url: "https://example.org/forum?a=1&b=2" },
  ] as MessageEntity[],
};

/** What recipients of a language read first: the bot's header, bold, and a blank line before the message. */
const HEADER = {
  en: "📣 Announcement from Cooperation Desk",
  fr: "📣 Annonce de Cooperation Desk",
  ru: "📣 Объявление от Cooperation Desk",
  zh: "📣 Cooperation Desk 公告",
} as const;

/** A message as its readers of `lang` get it: the header, then the text, its entities moved past the header. */
function received(lang: Language, text: string, entities: MessageEntity[] = []) {
  const shift = HEADER[lang].length + 2;
  return {
    text: `${HEADER[lang]}\n\n${text}`,
    entities: [
      { type: "bold", offset: 0, length: HEADER[lang].length },
      ...entities.map((e) => ({ ...e, offset: e.offset + shift })),
    ],
  };
}

/** "YYYY-MM-DD 09:00 UTC", `days` from now (scheduling goes up to a year ahead). */
function inDays(days: number, zone = "UTC"): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)} 09:00 ${zone}`;
}

describe("/broadcast: compose, audience, preview, confirm", () => {
  it("sends each subscriber their language's variant, others the default — exactly what the preview showed", async () => {
    await say("/broadcast");
    expect(last().text).toContain("New broadcast");
    expect((await session())?.step).toBe("broadcast:compose");

    await say(FORMATTED.text, { entities: FORMATTED.entities });
    const panel = last();
    expect(panel.text).toContain("Broadcast draft");
    // Nobody by default: "Everyone" is chosen like any tag.
    expect(panel.text).toContain("Audience: not chosen yet");
    // Kept as Telegram gave it: the text and its entities.
    expect((await session())?.broadcast?.default).toEqual({ text: FORMATTED.text, entities: FORMATTED.entities });

    // A French variant: the next message is its text.
    await press("bc:v:fr");
    expect((await session())?.step).toBe("broadcast:variant:fr");
    await say("Forum sur l’hydrogène à Almaty\nInscription avant le 5 mars.", {
      entities: [{ type: "bold", offset: 0, length: 5 }],
    });
    expect(last().text).toContain("Language variants: FR");

    // Audience: everyone, then French and Russian readers only; the count follows each toggle.
    await press("bc:a");
    expect(buttons(last())[0]).toBe("bc:e");
    expect(JSON.stringify(last().reply_markup)).toContain("Everyone · 3");
    await press("bc:e");
    expect(last().text).toContain("all subscribers");
    expect(last().text).toContain("Recipients: 3 subscribers");
    await press("bc:f:l:0");
    expect(buttons(last())).toContain("bc:t:l:0:fr");
    await press("bc:f:l:0");
    await press("bc:t:l:0:zh");
    expect(last().text).toContain("Recipients: 0 subscribers");
    await press("bc:p");
    expect(last().text).toContain("Nobody is in this audience yet");
    await press("bc:a");
    await press("bc:f:l:0");
    await press("bc:t:l:0:zh");
    await press("bc:t:l:0:fr");
    expect(last().text).toContain("Recipients: 1 subscriber");
    await press("bc:t:l:0:ru");
    expect(last().text).toContain("Recipients: 2 subscribers");
    await press("bc:ed");
    expect(last().text).toMatch(/Languages: French and Russian/);

    // Preview: what the readers of each language of the audience get, sent the way the delivery sends it.
    const mark = my.api.mark();
    await press("bc:p");
    const previews = my.api.calls.filter(
      (c) => c.index >= mark && c.method === "sendMessage" && Number(c.payload.chat_id) === COORDINATOR,
    );
    const FR_TEXT = "Forum sur l’hydrogène à Almaty\nInscription avant le 5 mars.";
    expect(previews.map((c) => c.payload.text)).toEqual([
      "👁 <b>Preview</b> — what subscribers who read <b>French</b> will receive:",
      received("fr", FR_TEXT).text,
      "👁 <b>Preview</b> — what subscribers who read <b>Russian</b> will receive:",
      received("ru", FORMATTED.text).text,
      expect.stringContaining("Ready to send"),
    ]);
    // The previews are sent as the delivery sends: text and entities, no parse mode.
    expect(previews[1]!.payload).toEqual(
      expect.objectContaining(received("fr", FR_TEXT, [{ type: "bold", offset: 0, length: 5 }])),
    );
    expect(previews[3]!.payload).toEqual(expect.objectContaining(received("ru", FORMATTED.text, FORMATTED.entities)));
    for (const preview of [previews[1]!, previews[3]!]) expect(preview.payload).not.toHaveProperty("parse_mode");
    const confirmPanel = last();
    expect(buttons(confirmPanel)).toEqual(["bc:ok", "bc:ed", "bc:q"]);
    const id = await draftId();

    const answer = await press("bc:ok");
    expect(answer.payload.text).toContain("Sending");
    const status = await finished(id);
    expect(status).toMatchObject({ state: "done", total: 2, sent: 2, failed: 0, blocked: 0, remaining: 0 });

    const [fr] = deliveries(FR_SUBSCRIBER);
    const [ru] = deliveries(RU_SUBSCRIBER);
    expect(fr?.payload).toMatchObject({ text: previews[1]!.payload.text, entities: previews[1]!.payload.entities });
    expect(ru?.payload).toMatchObject({ text: previews[3]!.payload.text, entities: previews[3]!.payload.entities });
    expect(ru?.payload).not.toHaveProperty("parse_mode");
    expect(deliveries(EN_SUBSCRIBER)).toEqual([]);
    expect(fr?.payload.reply_markup).toEqual(previews[1]!.payload.reply_markup);
    // What Telegram shows them: the formatting as entities (the header's bold first).
    expect(last(RU_SUBSCRIBER).entities?.map((e) => e.type)).toEqual([
      "bold",
      "bold",
      "italic",
      "underline",
      "text_link",
    ]);

    // The draft is gone; the broadcast is audited.
    expect((await session())?.broadcast).toBeUndefined();
    expect((await session())?.step).toBeUndefined();
    const [entry] = await my.chat.deps.state.audit.recent(5);
    expect(entry).toMatchObject({ actor: COORDINATOR, action: "broadcast", details: expect.objectContaining({ id }) });
  });

  it("edits the status message while it runs and ends with the report, counting a subscriber who blocked the bot", async () => {
    my.api.pushUpdate(my.api.myChatMember({ chatId: RU_SUBSCRIBER, userId: RU_SUBSCRIBER, status: "kicked" }));
    await say("/broadcast");
    await say("Short notice for everyone");
    await press("bc:e");
    await press("bc:p");
    const statusMessage = last();
    const id = await draftId();
    await press("bc:ok");
    const status = await finished(id);
    expect(status).toMatchObject({ total: 3, sent: 2, blocked: 1 });

    const report = await eventually(() => {
      const m = my.api.chatHistory(COORDINATOR).find((x) => x.message_id === statusMessage.message_id);
      return m?.text?.includes("finished") ? m : undefined;
    }, "the final report");
    expect(report.text).toContain(`Broadcast ${id} finished.`);
    expect(report.text).toContain("Sent: 2 · failed: 0 · blocked the bot: 1 · not sent: 0 (of 3)");
    const edits = my.api
      .callsOf("editMessageText")
      .filter((c) => Number(c.payload.message_id) === statusMessage.message_id);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    // The notice that it is over (edits do not notify).
    await eventually(
      () => deliveries(COORDINATOR).some((c) => String(c.payload.text).includes("is finished")),
      "the notice",
    );
    expect((await my.chat.deps.state.subscriptions.get(RU_SUBSCRIBER))?.active).toBe(false);
  });

  it("a photo or a document goes out with its caption, as in the preview", async () => {
    await say("/broadcast");
    await sendMedia("photo", "Call for proposals\nDeadline 1 May", [{ type: "bold", offset: 0, length: 18 }]);
    expect(last().text).toContain("photo");
    const mark = my.api.mark();
    await press("bc:e");
    await press("bc:p");
    // One preview per language, the coordinator's first: the same photo, the header in each language.
    const photos = my.api.calls.filter((c) => c.index >= mark && c.method === "sendPhoto");
    const CAPTION = "Call for proposals\nDeadline 1 May";
    const captionBold: MessageEntity[] = [{ type: "bold", offset: 0, length: 18 }];
    expect(photos.map((c) => [c.payload.caption, c.payload.caption_entities])).toEqual(
      (["en", "fr", "ru", "zh"] as const).map((lang) => {
        const { text, entities } = received(lang, CAPTION, captionBold);
        return [text, entities];
      }),
    );
    for (const preview of photos) {
      expect(preview.payload).toMatchObject({ photo: "PHOTO-large" });
      expect(preview.payload).not.toHaveProperty("parse_mode");
    }
    const id = await draftId();
    await press("bc:ok");
    await finished(id);
    for (const [chat, preview] of [
      [EN_SUBSCRIBER, photos[0]!],
      [FR_SUBSCRIBER, photos[1]!],
      [RU_SUBSCRIBER, photos[2]!],
    ] as const) {
      const [sent] = deliveries(chat);
      expect(sent?.method).toBe("sendPhoto");
      expect(sent?.payload).toMatchObject({
        photo: preview.payload.photo,
        caption: preview.payload.caption,
        caption_entities: preview.payload.caption_entities,
        reply_markup: preview.payload.reply_markup,
      });
    }

    await say("/broadcast");
    await sendMedia("document", "Programme of the forum");
    await say("Programme du forum"); // replaces the text: a text alone keeps no document
    expect(last().text).toContain("Message: “Programme du forum”");
    await say("/broadcast");
    await sendMedia("document", "Programme of the forum");
    await press("bc:v:fr");
    await say("Programme du forum");
    const mark2 = my.api.mark();
    await press("bc:e");
    await press("bc:p");
    const docs = my.api.calls.filter((c) => c.index >= mark2 && c.method === "sendDocument");
    expect(docs.map((c) => [c.payload.document, c.payload.caption])).toEqual([
      ["DOC-programme-pdf", received("en", "Programme of the forum").text],
      ["DOC-programme-pdf", received("fr", "Programme du forum").text],
      ["DOC-programme-pdf", received("ru", "Programme of the forum").text],
      ["DOC-programme-pdf", received("zh", "Programme of the forum").text],
    ]);
  });

  it("refuses a photo without a caption and a message it cannot broadcast", async () => {
    await say("/broadcast");
    await sendMedia("photo", "");
    expect(last().text).toContain("Add a caption");
    expect((await session())?.broadcast?.default).toBeUndefined();
  });

  it("cancel before confirming sends nothing and ends the flow", async () => {
    await say("/broadcast");
    await say("Nothing to see here");
    await press("bc:e");
    await press("bc:p");
    await press("bc:q");
    expect(last().text).toContain("Broadcast cancelled");
    expect((await session())?.broadcast).toBeUndefined();
    expect((await session())?.step).toBeUndefined();
    expect((await my.chat.deps.delivery!.list()).length).toBe(0);
    for (const chat of [FR_SUBSCRIBER, EN_SUBSCRIBER, RU_SUBSCRIBER]) expect(deliveries(chat)).toEqual([]);
    // The buttons of the cancelled draft are dead.
    const answer = await press("bc:ok");
    expect(answer.payload.text).toContain("expired");
    // Text is a question again.
    await say("incubators in Kazakhstan");
    expect(last().text).not.toContain("Broadcast draft");
  });

  it("a draft is confirmed only after a preview of its latest version", async () => {
    await say("/broadcast");
    await say("First version");
    await press("bc:e");
    await press("bc:p");
    await say("Second version");
    const answer = await press("bc:ok");
    expect(answer.payload.text).toContain("expired");
    expect((await my.chat.deps.delivery!.list()).length).toBe(0);
  });
});

describe("formatting", () => {
  it("a text without entities goes out as typed: markup-like characters are text", async () => {
    await say("/broadcast");
    await say("Budget < 5 000 € & <b>no tags</b>");
    await press("bc:e");
    await press("bc:p");
    const id = await draftId();
    await press("bc:ok");
    await finished(id);
    const [sent] = deliveries(EN_SUBSCRIBER);
    expect(sent?.payload).toMatchObject(received("en", "Budget < 5 000 € & <b>no tags</b>"));
    expect(last(EN_SUBSCRIBER).text).toBe(received("en", "Budget < 5 000 € & <b>no tags</b>").text);
  });

  it("keeps the coordinator's formatting, not the entities Telegram finds on its own", async () => {
    await say("/broadcast");
    const text = "Join @desk #hydrogen https://example.org";
    await say(text, {
      entities: [
        { type: "bold", offset: 0, length: 4 },
        { type: "mention", offset: 5, length: 5 },
        { type: "hashtag", offset: 11, length: 9 },
        { type: "url", offset: 21, length: 19 },
        { type: "custom_emoji", offset: 0, length: 4, custom_emoji_id: "5368324170671202286" },
      ],
    });
    expect((await session())?.broadcast?.default).toEqual({ text, entities: [{ type: "bold", offset: 0, length: 4 }] });
  });
});

describe("drafts composed before the upgrade, with HTML", () => {
  /** Replaces the coordinator's draft in the session as the previous version kept it. */
  async function olderDraft(change: (draft: Record<string, unknown>) => void): Promise<void> {
    const data = (await session())!;
    change(data.broadcast as unknown as Record<string, unknown>);
    await my.chat.deps.state.sessions.write(`user:${COORDINATOR}`, data);
  }

  it("a draft kept as HTML is previewed and sent as HTML, the header with it", async () => {
    await say("/broadcast");
    await say("placeholder");
    await olderDraft((draft) => {
      draft.default = { html: "<b>Old</b> draft &lt;x&gt;", text: "Old draft <x>" };
      draft.variants = { fr: { html: "<i>Ancien</i> brouillon", text: "Ancien brouillon" } };
    });
    await press("bc:e");
    const mark = my.api.mark();
    await press("bc:p");
    const previews = my.api.calls.filter(
      (c) => c.index >= mark && c.method === "sendMessage" && Number(c.payload.chat_id) === COORDINATOR,
    );
    expect(previews[1]!.payload).toMatchObject({
      text: "<b>📣 Announcement from Cooperation Desk</b>\n\n<b>Old</b> draft &lt;x&gt;",
      parse_mode: "HTML",
    });
    const id = await draftId();
    await press("bc:ok");
    await finished(id);
    expect(deliveries(FR_SUBSCRIBER)[0]?.payload).toMatchObject({
      text: "<b>📣 Annonce de Cooperation Desk</b>\n\n<i>Ancien</i> brouillon",
      parse_mode: "HTML",
    });
    // What Telegram shows: the same as a draft of text and entities.
    expect(last(EN_SUBSCRIBER)).toMatchObject(
      received("en", "Old draft <x>", [{ type: "bold", offset: 0, length: 3 }]),
    );
  });

  it("a draft previewed as HTML sends what was previewed", async () => {
    await say("/broadcast");
    await say("placeholder");
    await press("bc:e");
    await press("bc:p");
    const keyboard = { inline_keyboard: [[{ text: "🔕 Stop announcements", callback_data: "a:s" }]] };
    await olderDraft((draft) => {
      draft.default = { html: "<b>Previewed</b> before", text: "Previewed before" };
      draft.rendered = {
        default: { html: "<b>📣 Announcement from Cooperation Desk</b>\n\n<b>Previewed</b> before", keyboard },
        variants: { ru: { html: "<b>📣 Объявление от Cooperation Desk</b>\n\n<b>Previewed</b> before", keyboard } },
      };
    });
    const id = await draftId();
    await press("bc:ok");
    expect(await finished(id)).toMatchObject({ state: "done", sent: 3, failed: 0 });
    expect(deliveries(RU_SUBSCRIBER)[0]?.payload).toMatchObject({
      text: "<b>📣 Объявление от Cooperation Desk</b>\n\n<b>Previewed</b> before",
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
    expect(deliveries(EN_SUBSCRIBER)[0]?.payload).toMatchObject({ parse_mode: "HTML" });
  });
});

describe("scheduling", () => {
  it("refuses a past time, a time without zone and nonsense, in the coordinator's words", async () => {
    await say("/broadcast");
    await say("Later");
    await press("bc:s");
    expect(last().text).toContain("2026-12-01 09:00 Europe/Berlin");
    await say("2020-01-01 09:00 Europe/Berlin");
    expect(last().text).toContain("already passed");
    await say(inDays(30).replace(" UTC", ""));
    expect(last().text).toContain("Add a time zone");
    await say("next tuesday");
    expect(last().text).toContain("could not read");
    await say("2027-02-30 09:00 UTC");
    expect(last().text).toContain("does not exist");
    await say(inDays(400));
    expect(last().text).toContain("more than a year ahead");
    await say("2027-02-28 25:00 UTC");
    expect(last().text).toContain("does not exist");
    expect((await session())?.broadcast?.scheduledAt).toBeUndefined();
  });

  it("delivers at the chosen time, shown back in the coordinator's locale and zone", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2030-06-01T08:59:57Z"));
    await say("/broadcast", { languageCode: "fr" });
    await say("Rappel : le forum commence", { languageCode: "fr" });
    await press("bc:s");
    await say("2030-06-01 11:00 Europe/Berlin", { languageCode: "fr" });
    const confirmation = my.chat.botMessages(COORDINATOR).at(-2)!;
    expect(confirmation.text).toBe("🕒 Programmé pour le samedi 1 juin 2030 à 11:00 (Europe/Berlin).");
    expect((await session())?.broadcast?.scheduledAt).toBe("2030-06-01T09:00:00.000Z");
    await press("bc:e");
    await press("bc:p");
    expect(buttons(last())[0]).toBe("bc:ok");
    const id = await draftId();
    const answer = await press("bc:ok");
    expect(answer.payload.text).toContain("Programmée");
    expect(last().text).toContain("samedi 1 juin 2030");
    expect((await my.chat.deps.delivery!.status(id))?.state).toBe("scheduled");
    expect(deliveries(FR_SUBSCRIBER)).toEqual([]);

    const status = await finished(id);
    expect(status.state).toBe("done");
    expect(Date.parse(status.startedAt!)).toBeGreaterThanOrEqual(Date.parse("2030-06-01T09:00:00Z"));
    expect(deliveries(FR_SUBSCRIBER)).toHaveLength(1);
  });

  it("accepts an offset and an expiry date for the announcement", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2030-01-15T12:00:00Z"));
    await say("/broadcast");
    await say("Later with offset");
    await press("bc:s");
    await say("2030-03-01 09:00 +03:00");
    expect((await session())?.broadcast?.scheduledAt).toBe("2030-03-01T06:00:00.000Z");
    expect(last().text).toContain("Sending: Friday, 1 March 2030 at 09:00 (UTC+03:00)");
    expect(last().text).toContain("Found in the catalog until: 31 March 2030");
    await press("bc:x");
    await say("2030-02-01");
    expect(last().text).toContain("Send a date between 1 March 2030 and");
    await say("2030-04-15");
    expect(last().text).toContain("Found in the catalog until: 15 April 2030");
    // Send now after all.
    await press("bc:n");
    expect((await session())?.broadcast?.scheduledAt).toBeUndefined();
  });
});

describe("/broadcasts", () => {
  it("lists recent broadcasts with their state and cancels a scheduled one", async () => {
    const id = await scheduledOne();

    await say("/broadcasts");
    const list = last();
    expect(list.text).toContain("Recent broadcasts");
    expect(list.text).toContain(`1. ${id} — 🕒 scheduled`);
    // A scheduled broadcast says when it starts, not "sent 0 of 0".
    expect(list.text).toMatch(/\n {4}starts \d/);
    expect(list.text).not.toContain("0 of 0");
    expect(buttons(list)).toEqual([`bc:c:${id}`, "bc:ls"]);

    const answer = await press(`bc:c:${id}`);
    expect(answer.payload.text).toContain("Broadcast cancelled");
    expect(last().text).toContain(`${id} — ✖ cancelled`);
    expect(last().text).toContain("cancelled");
    // Finished and cancelled ones have no cancel button.
    expect(buttons(last())).toEqual(["bc:ls"]);
    expect((await my.chat.deps.delivery!.status(id))?.state).toBe("cancelled");
    const [entry] = await my.chat.deps.state.audit.recent(1);
    expect(entry).toMatchObject({
      actor: COORDINATOR,
      action: "broadcast-cancel",
      details: expect.objectContaining({ id }),
    });

    // Cancelling again: nothing to cancel.
    expect((await press(`bc:c:${id}`)).payload.text).toContain("no longer running");
  });

  describe("with a live catalog", () => {
    // A live catalog of its own is a search engine of its own: built here, in the hook's time, not the test's.
    beforeEach(async () => {
      await withLiveCatalog();
    });

    it("names each broadcast by its announcement's title, in the reader's language", async () => {
      await say("/broadcast");
      await say("Hydrogen forum in Almaty\nRegistration until 5 March.");
      await press("bc:a");
      const id = await toEveryone();
      await finished(id);
      await say("/broadcasts");
      const list = my.api
        .chatHistory(COORDINATOR)
        .filter((m) => m.text?.includes("Recent broadcasts"))
        .at(-1)!;
      expect(list.text).toContain("1. Hydrogen forum in Almaty — ✅ done");
      expect(list.text).toMatch(/finished .*: sent 3 of 3/);
      expect(buttons(list)).toEqual(["bc:ls"]);
    });
  });

  it("says when there is none", async () => {
    await say("/broadcasts");
    expect(last().text).toContain("No broadcasts yet");
  });
});

describe("only coordinators", () => {
  it("refuses /broadcast and /broadcasts to anyone else", async () => {
    await say("/broadcast", { userId: STRANGER });
    expect(last(STRANGER).text).not.toContain("New broadcast");
    expect((await session(STRANGER))?.broadcast).toBeUndefined();
    await say("/broadcasts", { userId: STRANGER });
    expect(last(STRANGER).text).not.toContain("broadcasts");
  });

  it("refuses forged broadcast buttons, even with a scheduled broadcast to cancel", async () => {
    const id = await scheduledOne();

    for (const data of [`bc:c:${id}`, "bc:ok", "bc:p", "bc:a", "bc:t:l:0:fr", "bc:ls"]) {
      const mark = my.api.mark();
      const answer = await press(data, STRANGER);
      expect(answer.payload.text, data).toBe("Only coordinators can use this button.");
      expect(
        my.api.calls.filter((c) => c.index >= mark && c.method !== "answerCallbackQuery"),
        data,
      ).toEqual([]);
    }
    expect((await my.chat.deps.delivery!.status(id))?.state).toBe("scheduled");
    expect((await my.chat.deps.delivery!.list()).length).toBe(1);
  });

  it("a coordinator whose role is revoked mid-draft can no longer use it", async () => {
    await say("/broadcast");
    await say("Draft");
    await press("bc:e");
    await press("bc:p");
    await my.chat.deps.state.roles.revoke(COORDINATOR);
    const answer = await press("bc:ok");
    expect(answer.payload.text).not.toContain("Sending");
    await say("incubators in Kazakhstan");
    expect((await session())?.broadcast).toBeUndefined();
    expect((await my.chat.deps.delivery!.list()).length).toBe(0);
  });
});

describe("announcements", () => {
  beforeEach(async () => {
    await withLiveCatalog();
  });

  it("a subscriber's follow-up question finds the broadcast's announcement", async () => {
    await say("/broadcast");
    await say(
      "Aral Sea desalination grant opens\nThe Aral Sea desalination grant funds pilot plants in Karakalpakstan; applications close 30 June.",
    );
    await press("bc:v:ru");
    await say(
      "Открыт грант на опреснение Аральского моря\nГрант на опреснение воды Аральского моря финансирует пилотные установки в Каракалпакстане.",
    );
    const id = await toEveryone();
    await finished(id);

    const record = my.chat.deps.search.get(`announcement-${id}`);
    expect(record).toMatchObject({
      kind: "announcement",
      title: { en: "Aral Sea desalination grant opens", ru: "Открыт грант на опреснение Аральского моря" },
    });
    expect(record?.title.fr).toBe("Aral Sea desalination grant opens");
    expect(record?.expires).toBe(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    expect(record?.source.file).toBe(`broadcast-${id}.txt`);

    await say("desalination grant Aral Sea", { userId: EN_SUBSCRIBER });
    expect(last(EN_SUBSCRIBER).text).toContain("Aral Sea desalination grant opens");
    await say("грант на опреснение Аральского моря", { userId: RU_SUBSCRIBER, languageCode: "ru" });
    expect(last(RU_SUBSCRIBER).text).toContain("Открыт грант на опреснение Аральского моря");
  });

  it("a scheduled broadcast's announcement is not found before its time, and never once the broadcast is cancelled", async () => {
    await say("/broadcast");
    await say("Steppe hydrogen valley call\nThe steppe hydrogen valley takes pilot projects.");
    await press("bc:s");
    await say(new Date(Date.now() + 3_600_000).toISOString().slice(0, 16).replace("T", " ") + " UTC");
    const id = await toEveryone();
    expect((await my.chat.deps.delivery!.status(id))?.state).toBe("scheduled");
    const stored = await my.chat.deps.state.catalog.snapshot();
    expect(stored.records.map((c) => [c.op, c.op === "put" && c.record.id, c.op === "put" && c.from])).toEqual([
      ["put", `announcement-${id}`, expect.any(String)],
    ]);
    expect(my.chat.deps.search.get(`announcement-${id}`)).toBeUndefined();
    await say("steppe hydrogen valley", { userId: EN_SUBSCRIBER });
    expect(last(EN_SUBSCRIBER).text).not.toContain("Steppe hydrogen valley call");

    await say("/broadcasts");
    await press(`bc:c:${id}`);
    expect((await my.chat.deps.delivery!.status(id))?.state).toBe("cancelled");
    expect((await my.chat.deps.state.catalog.snapshot()).records.map((c) => c.op)).toEqual(["remove"]);
    expect(my.chat.deps.search.get(`announcement-${id}`)).toBeUndefined();
  });
});
