import { beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_LIMIT } from "../../../src/bot/format.js";
import { SearchEngine } from "../../../src/search/engine.js";
import type { SessionData } from "../../../src/state/types.js";
import { bundledCatalog } from "../../helpers/saved-index.js";
import { buttons, calls as of, data as callbackData, useChat } from "../../helpers/chat.js";
import type { Payload, RecordedCall } from "../../helpers/fake-bot-api.js";

const my = useChat({ firstUser: 2000 });

const say = (text: string, languageCode = "en"): Promise<RecordedCall[]> =>
  my.chat.say(my.user, text, { languageCode });

/** Presses a button of a message (by default the last one the bot sent to the user). */
const press = (
  data: string,
  options: { messageId?: number; allowUnknownData?: boolean } = {},
): Promise<RecordedCall[]> =>
  my.chat.press(my.user, data, { messageId: options.messageId, force: options.allowUnknownData });

function urls(payload: Payload): string[] {
  return buttons(payload).flatMap((b) => ("url" in b ? [b.url] : []));
}

async function session(): Promise<SessionData> {
  return (await my.chat.deps.state.sessions.read(`user:${my.user}`)) ?? {};
}

/** Asks a question and returns the answer's message id. */
async function ask(text: string): Promise<number> {
  const calls = await say(text);
  const result = calls.find((c) => c.method === "sendMessage")?.response;
  if (!result?.ok) throw new Error("no answer");
  return (result.result as { message_id: number }).message_id;
}

function expectAnsweredQuietly(calls: RecordedCall[]): void {
  const answers = of(calls, "answerCallbackQuery");
  expect(answers).toHaveLength(1);
  expect(answers[0]!.text).toBeUndefined();
}

describe("card buttons", () => {
  it("details, contacts and card edit the answer in place", async () => {
    const messageId = await ask("Zhongya Hulian incubator in Kazakhstan");

    const details = await press("r:d:xinjiang-central-asia-incubator");
    const edit = of(details, "editMessageText")[0]!;
    expect(edit.message_id).toBe(messageId);
    expect(edit.parse_mode).toBe("HTML");
    expect(edit.text as string).toContain("🏷 Innovation and entrepreneurship · Industrial cooperation");
    expect(edit.text as string).toContain("👥 Start-ups · Entrepreneurs and innovators");
    expect(callbackData(edit)).toEqual(
      expect.arrayContaining(["r:c:xinjiang-central-asia-incubator", "r:k:xinjiang-central-asia-incubator"]),
    );
    expect(of(details, "sendMessage")).toHaveLength(0);
    expectAnsweredQuietly(details);

    const contacts = await press("r:k:xinjiang-central-asia-incubator");
    const contactsEdit = of(contacts, "editMessageText")[0]!;
    expect(contactsEdit.message_id).toBe(messageId);
    expect(contactsEdit.text as string).toContain("📇 <b>Contacts</b>");
    expect(contactsEdit.text as string).toContain("Urumqi Science and Technology Bureau");
    expectAnsweredQuietly(contacts);

    const card = await press("r:c:xinjiang-central-asia-incubator");
    const cardEdit = of(card, "editMessageText")[0]!;
    expect(cardEdit.text as string).toContain("📍 ");
    expect(callbackData(cardEdit)).toEqual(
      expect.arrayContaining(["r:d:xinjiang-central-asia-incubator", "r:k:xinjiang-central-asia-incubator"]),
    );
    expect((await session()).recordId).toBe("xinjiang-central-asia-incubator");
  });

  it("details offer the related records", async () => {
    await ask("Zhongya Hulian incubator in Kazakhstan");
    const details = of(
      await press("r:d:xinjiang-central-asia-incubator", { allowUnknownData: true }),
      "editMessageText",
    )[0]!;
    const related = my.chat.deps.search.get("xinjiang-central-asia-incubator")!.related.slice(0, 3);
    expect(
      callbackData(details).filter((d) => d.startsWith("r:c:") && d !== "r:c:xinjiang-central-asia-incubator"),
    ).toEqual(related.map((id) => `r:c:${id}`));
    const titles = buttons(details).map((b) => b.text);
    expect(titles.some((text) => text.startsWith("↪ ") && text.includes("Kazakh-British"))).toBe(true);
  });

  it("a card opened from a browsing list goes back to that list", async () => {
    await say("/incubators");
    const list = my.api.callsOf("sendMessage").at(-1)!.payload;
    const first = callbackData(list).find((d) => d.startsWith("r:c:"))!;
    const card = of(await press(first), "editMessageText")[0]!;
    const back = buttons(card).find((b) => b.text === "↩ Back to the list");
    expect(back && "callback_data" in back ? back.callback_data : undefined).toMatch(/^b:n:/);
  });

  it("share sends the card to another chat through inline mode, not a link back into this chat", async () => {
    await say("/start r_xinjiang-central-asia-incubator");
    const details = of(await press("r:d:xinjiang-central-asia-incubator"), "editMessageText")[0]!;
    expect(urls(details)).toEqual([]);
    expect(buttons(details).find((b) => b.text === "🔗 Share")).toEqual({
      text: "🔗 Share",
      switch_inline_query: "xinjiang-central-asia-incubator",
    });
  });

  it("pressing the button of what is already shown is not an error", async () => {
    await ask("Zhongya Hulian incubator in Kazakhstan");
    await press("r:d:xinjiang-central-asia-incubator");
    // A double tap: the second press comes from the keyboard the first one replaced.
    const again = await press("r:d:xinjiang-central-asia-incubator", { allowUnknownData: true });
    const edit = again.find((c) => c.method === "editMessageText")!;
    expect(edit.response?.ok).toBe(false);
    expect(edit.response && !edit.response.ok ? edit.response.description : "").toContain("message is not modified");
    expectAnsweredQuietly(again);
    expect(of(again, "sendMessage")).toHaveLength(0);
  });

  it("a message that can no longer be edited gets the view as a new message", async () => {
    await ask("Zhongya Hulian incubator in Kazakhstan");
    my.api.failNext("editMessageText", { error_code: 400, description: "Bad Request: message can't be edited" });
    const calls = await press("r:k:xinjiang-central-asia-incubator");
    expect(of(calls, "sendMessage")[0]!.text as string).toContain("📇 <b>Contacts</b>");
    expectAnsweredQuietly(calls);
  });
});

describe("results paging", () => {
  it("more results, a card from the list, back to the list — all in one message", async () => {
    const messageId = await ask("Zhongya Hulian incubator in Kazakhstan");
    const ids = (await session()).resultIds!;
    expect(ids.length).toBeGreaterThan(10);

    const page2 = await press("p:1");
    const list = of(page2, "editMessageText")[0]!;
    expect(list.message_id).toBe(messageId);
    expect(list.text as string).toContain("6–10");
    expect(list.text as string).toContain("page 2 of");
    // The page's records, paging, then 🔔 to save the question (src/bot/features/saved-searches.ts).
    expect(callbackData(list)).toEqual([
      ...ids.slice(5, 10).map((id) => `r:c:${id}`),
      "p:0",
      "p:2",
      expect.stringMatching(/^n:s:/),
    ]);
    expectAnsweredQuietly(page2);
    expect((await session()).page).toBe(1);

    const opened = await press(`r:c:${ids[6]}`);
    const card = of(opened, "editMessageText")[0]!;
    expect(card.message_id).toBe(messageId);
    expect(card.text as string).toContain(my.chat.deps.search.get(ids[6]!)!.title.en.slice(0, 20));
    // Back returns to the page the card was opened from.
    expect(callbackData(card)).toContain("p:1");

    const back = of(await press("p:1"), "editMessageText")[0]!;
    expect(back.message_id).toBe(messageId);
    expect(back.text as string).toContain("6–10");

    const first = of(await press("p:0"), "editMessageText")[0]!;
    expect(first.text as string).toContain("1–5");
    expect(callbackData(first)).toEqual([
      ...ids.slice(0, 5).map((id) => `r:c:${id}`),
      "p:1",
      expect.stringMatching(/^n:s:/),
    ]);
  });

  it("a card opened from the answer goes back to the first page", async () => {
    await ask("Zhongya Hulian incubator in Kazakhstan");
    const ids = (await session()).resultIds!;
    const card = of(await press(`r:c:${ids[2]}`), "editMessageText")[0]!;
    expect(callbackData(card)).toContain("p:0");
  });

  it("the paging buttons of an older answer have expired", async () => {
    const first = await ask("Zhongya Hulian incubator in Kazakhstan");
    await ask("SCO energy cooperation");
    const calls = await press("p:1", { messageId: first });
    expect(calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(calls[0]!.payload.text).toBe("This button has expired. Ask your question again for fresh results.");
    // A record button of the older answer still works: it names its record.
    const card = await press("r:d:xinjiang-central-asia-incubator", { messageId: first });
    expect(of(card, "editMessageText")).toHaveLength(1);
    // …but offers no way back to results that are gone.
    expect(callbackData(of(card, "editMessageText")[0]!).some((d) => d.startsWith("p:"))).toBe(false);
  });
});

describe("forged or stale buttons", () => {
  const forged = [
    "r:c:../../etc",
    "r:c:Unknown_Id",
    "r:x:urumqi-etdz",
    "p:99999",
    "p:-1",
    "p:9999",
    "r:c:no-such-record",
    "zzz",
    "\u0000\u00ff\u{1F600}:r:c",
    "b:q:-:-:0",
    "r:c:urumqi-etdz:extra",
  ];

  for (const data of forged) {
    it(`answers ${JSON.stringify(data)} as expired and does nothing else`, async () => {
      await ask("Zhongya Hulian incubator in Kazakhstan");
      const calls = await press(data, { allowUnknownData: true });
      expect(calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
      expect(calls[0]!.payload.text).toBe("This button has expired. Ask your question again for fresh results.");
      expect(calls[0]!.response?.ok).toBe(true);
    });
  }

  it("says it in the user's language", async () => {
    await ask("инкубаторы в Казахстане");
    const calls = await press("r:c:../../etc", { allowUnknownData: true });
    expect(calls[0]!.payload.text).toBe(
      "Эта кнопка устарела. Задайте вопрос ещё раз, чтобы получить свежие результаты.",
    );
  });

  it("a results page with no search behind it has expired", async () => {
    const calls = await press("p:0", { allowUnknownData: true });
    expect(calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
  });
});

describe("deep links", () => {
  it("/start r_<id> sends that record's card", async () => {
    const calls = await say("/start r_incubator-wuhan");
    const card = of(calls, "sendMessage");
    expect(card).toHaveLength(1);
    expect(card[0]!.text as string).toContain("📍 Wuhan, China");
    expect(card[0]!.text as string).toContain("Wuhan");
    expect(callbackData(card[0]!)).toEqual(["r:d:incubator-wuhan", "r:k:incubator-wuhan"]);
    expect(buttons(card[0]!).find((b) => "switch_inline_query" in b)).toEqual({
      text: "🔗 Share",
      switch_inline_query: "incubator-wuhan",
    });
    expect((await session()).recordId).toBe("incubator-wuhan");
  });

  it("follows the user's Telegram language", async () => {
    const card = of(await say("/start r_incubator-wuhan", "zh"), "sendMessage")[0]!;
    expect(card.text as string).toContain("武汉");
    expect(card.text as string).toContain("📍 中国武汉");
  });

  it("an unknown record gets a 'not found' and a hint", async () => {
    for (const payload of ["r_no-such-record", "r_../etc", "r_"]) {
      const reply = of(await say(`/start ${payload}`, "fr"), "sendMessage");
      expect(reply).toHaveLength(1);
      expect(reply[0]!.text as string).toContain("Je ne trouve pas cette fiche");
      expect(reply[0]!.text as string).toContain("<i>incubateurs au Kazakhstan</i>");
    }
  });

  it("leaves other /start payloads to the greeting", async () => {
    const calls = await say("/start hello");
    for (const message of of(calls, "sendMessage"))
      expect(message.text as string).not.toContain("I couldn't find that record");
  });
});

describe("long records", () => {
  let search: SearchEngine;
  // An engine of its own (the bundled catalog and one huge record): built here, in the hook's time, not the test's.
  beforeAll(async () => {
    const catalog = await bundledCatalog();
    const base = catalog.records.find((r) => r.id === "incubator-wuhan")!;
    const long = (word: string, n: number) => Array.from({ length: n }, (_, i) => `${word} ${i} <&>`).join(" ");
    const huge = {
      ...base,
      id: "zz-huge-record",
      title: { en: "Zyxxor giant record", fr: "Zyxxor fiche géante", ru: "Зиксор огромная запись", zh: "巨型条目" },
      summary: { en: long("summary", 900), fr: long("résumé", 900), ru: long("сводка", 900), zh: long("摘要", 900) },
      details: {
        en: long("Details", 1500).replace(/(\d+)0 /g, "$10.\n"),
        fr: long("détails", 1500),
        ru: long("подробности", 1500),
        zh: long("详情", 1500),
      },
    };
    search = SearchEngine.build({ ...catalog, records: [...catalog.records, huge] });
  });

  it("trims a card over 4096 characters and splits long details", async () => {
    await my.remake({ deps: { search } });
    const calls = await say("zyxxor");
    const card = of(calls, "sendMessage");
    expect(card).toHaveLength(1);
    const text = card[0]!.text as string;
    expect(text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(text.length).toBeGreaterThan(MESSAGE_LIMIT - 400);
    expect(text).toContain("…");
    expect(text).toContain("📍 ");
    expect(calls.find((c) => c.method === "sendMessage")?.response?.ok).toBe(true);

    const details = await press("r:d:zz-huge-record");
    const parts = of(details, "sendMessage");
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect((part.text as string).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    for (const call of details.filter((c) => c.method === "sendMessage")) expect(call.response?.ok).toBe(true);
    // The buttons go under the last part.
    expect(callbackData(parts.at(-1)!)).toContain("r:c:zz-huge-record");
    expect(parts.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
    expectAnsweredQuietly(details);
  });
});
