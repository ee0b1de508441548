import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CatalogRecord } from "../../../src/catalog/schema.js";
import { wireSavedSearches } from "../../../src/app/saved-searches.js";
import { claimNotifications } from "../../../src/bot/features/saved-search-notifier.js";
import { encodeSavedSearch } from "../../../src/bot/callback-data/saved-search.js";
import { createMemoryState } from "../../../src/state/memory.js";
import type { SavedSearchInput } from "../../../src/state/saved-searches.js";
import { calls, chatWith, data, plain, toast, useFakeBotApi, type Chat } from "../../helpers/chat.js";
import { apiErrors, type Payload } from "../../helpers/fake-bot-api.js";
import { until } from "../../helpers/until.js";

const my = useFakeBotApi();
let chat: Chat;
let notifier: ReturnType<typeof wireSavedSearches>;

// One bot and live catalog for the file (building the engine is the slow part); each test has users of
// its own, and what a test put live is taken back after it.
let USER = 0;
let OTHER = 0;
let RU_USER = 0;
let nextUser = 7300;
const putLive = new Map<string, CatalogRecord | undefined>();
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  chat = await chatWith(my.api, { live: {} });
  notifier = wireSavedSearches({ api: chat.bot.api, deps: chat.deps });
}, 60_000);
afterAll(async () => {
  await notifier.close();
  await chat.deps.live?.close();
});
beforeEach(() => {
  [USER, OTHER, RU_USER] = [nextUser++, nextUser++, nextUser++];
});
afterEach(async () => {
  for (const chatId of [USER, OTHER, RU_USER]) await chat.deps.state.savedSearches.removeChat(chatId);
  for (const [id, before] of putLive) {
    if (before) await chat.deps.live!.put(before);
    else await chat.deps.live!.remove(id);
  }
  putLive.clear();
  await notifier.notifier.idle();
});

/** A new record of the catalog, made from an existing one with new titles (and what `extra` changes). */
function newRecord(
  id: string,
  title: Record<"en" | "fr" | "ru" | "zh", string>,
  extra: Partial<CatalogRecord> = {},
): CatalogRecord {
  const base = structuredClone(chat.deps.search.catalog.records.find((r) => r.kind === "programme")!);
  return {
    ...base,
    id,
    title,
    short: undefined,
    related: [],
    summary: title,
    details: undefined,
    ...extra,
  } as CatalogRecord;
}

const LUNAR = {
  en: "Lunar greenhouse exchange programme",
  fr: "Programme d'échange serres lunaires",
  ru: "Программа обмена «Лунные теплицы»",
  zh: "月球温室交流项目",
};

/** Puts a record live and waits for the notifications it makes; the calls made meanwhile. */
async function goLive(record: CatalogRecord) {
  const mark = my.api.mark();
  if (!putLive.has(record.id)) putLive.set(record.id, chat.deps.search.get(record.id));
  await chat.deps.live!.put(record);
  await notifier.notifier.idle();
  return my.api.calls.slice(mark);
}

const sentTo = (all: ReturnType<typeof my.api.calls.slice>, chatId: number): Payload[] =>
  calls(all, "sendMessage").filter((p) => Number(p.chat_id) === chatId);

/** Asks `question` and presses the 🔔 of the reply; the calls of the press. */
async function askAndSave(user: number, question: string, languageCode = "en") {
  const reply = await chat.say(user, question, { languageCode });
  const notify = calls(reply, "sendMessage")
    .flatMap(data)
    .find((d) => d.startsWith("n:s:"));
  expect(notify, `no 🔔 under the reply to ${question}`).toBeDefined();
  return chat.press(user, notify!, { languageCode });
}

describe("🔔 under a result list", () => {
  it("is under an answer, under a declined question and under a page of results, but not in a group", async () => {
    const answered = await chat.say(USER, "incubators in Kazakhstan");
    expect(
      calls(answered, "sendMessage")
        .flatMap(data)
        .some((d) => d.startsWith("n:s:")),
    ).toBe(true);
    const more = await chat.say(USER, "more");
    expect(
      calls(more, "sendMessage")
        .flatMap(data)
        .some((d) => d.startsWith("n:s:")),
    ).toBe(true);
    const declined = await chat.say(USER, "lunar greenhouse programme");
    expect(plain(calls(declined, "sendMessage")[0]!)).toContain("lunar greenhouse programme");
    expect(
      calls(declined, "sendMessage")
        .flatMap(data)
        .some((d) => d.startsWith("n:s:")),
    ).toBe(true);
    const inGroup = await chat.say(USER, "/start@coopdesk_test_bot", { chatId: -4401, chatType: "group" });
    expect(
      calls(inGroup, "sendMessage")
        .flatMap(data)
        .some((d) => d.startsWith("n:s:")),
    ).toBe(false);
  });

  it("saves the question once, with its filters and language; a second press says it is saved already", async () => {
    const pressed = await askAndSave(USER, "lunar greenhouse programme");
    expect(toast(pressed)).toBe("Saved: you will be notified");
    expect(plain(sentTo(pressed, USER)[0]!)).toContain("Search saved: “lunar greenhouse programme”");
    const saved = await chat.deps.state.savedSearches.list(USER);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ query: "lunar greenhouse programme", lang: "en", filters: {}, shown: [] });

    // The same question, written otherwise, is the same search.
    const again = await askAndSave(USER, "Lunar  greenhouse programme!");
    expect(toast(again)).toBe("You have already saved this search.");
    expect(await chat.deps.state.savedSearches.list(USER)).toHaveLength(1);
  });

  it("a follow-up's country is saved as the search's filter, and the answered list's records as already shown", async () => {
    await chat.say(USER, "incubators in Kazakhstan");
    await askAndSave(USER, "and in China?");
    const [search] = await chat.deps.state.savedSearches.list(USER);
    expect(search?.filters).toEqual({ countries: ["CN"] });
    expect(search?.shown.length).toBeGreaterThan(0);
  });

  it("a button of an older list, a forged hash and a button pressed in a group save nothing", async () => {
    const first = await chat.say(USER, "lunar greenhouse programme");
    const oldButton = calls(first, "sendMessage")
      .flatMap(data)
      .find((d) => d.startsWith("n:s:"))!;
    await chat.say(USER, "incubators in Kazakhstan");
    expect(toast(await chat.press(USER, oldButton, { force: true }))).toBe(
      "This list is no longer your last question: ask it again to save it.",
    );
    expect(toast(await chat.press(USER, "n:s:AAAAAAAAAA", { force: true }))).toContain("no longer your last question");
    expect(toast(await chat.press(USER, "n:s:short", { force: true }))).toBe(
      "This button has expired. Please send the command again.",
    );
    expect(toast(await chat.press(USER, "n:zz", { force: true }))).toBe(
      "This button has expired. Please send the command again.",
    );
    expect(toast(await chat.press(USER, oldButton, { force: true, chatId: -4402, chatType: "group" }))).toBe(
      "Saved searches are kept in a private chat with me.",
    );
    expect(await chat.deps.state.savedSearches.list(USER)).toEqual([]);
  });

  it("refuses a search over the limit with a clear message", async () => {
    const input = (i: number): SavedSearchInput => ({
      chatId: USER,
      query: `question ${i}`,
      lang: "en",
      filters: {},
      key: `q${i}`,
      shown: [],
      version: 0,
    });
    for (let i = 0; i < 20; i++) await chat.deps.state.savedSearches.save(input(i), 20);
    const pressed = await askAndSave(USER, "lunar greenhouse programme");
    expect(toast(pressed)).toBe(
      "You already have 20 saved searches, the most there can be. Remove one in /subscriptions, then try again.",
    );
    expect(await chat.deps.state.savedSearches.list(USER)).toHaveLength(20);
  });
});

describe("notifications", () => {
  it("a new record that answers a saved search is sent once, in the subscriber's language, with its card, its buttons and a stop button", async () => {
    await askAndSave(USER, "lunar greenhouse programme");
    await askAndSave(RU_USER, "программа лунные теплицы", "ru");
    await askAndSave(OTHER, "hydrogen valley in Patagonia");
    const record = newRecord("zz-lunar-greenhouse", LUNAR);
    const made = await goLive(record);

    const [toUser] = sentTo(made, USER);
    expect(plain(toUser!)).toContain("New for your saved search “lunar greenhouse programme”:");
    expect(plain(toUser!)).toContain("Lunar greenhouse exchange programme");
    const [search] = await chat.deps.state.savedSearches.list(USER);
    expect(data(toUser!)).toEqual(
      expect.arrayContaining(["r:d:zz-lunar-greenhouse", "r:k:zz-lunar-greenhouse", `n:d:${search!.id}:m`]),
    );
    const [toRu] = sentTo(made, RU_USER);
    expect(plain(toRu!)).toContain("Новое по сохранённому запросу «программа лунные теплицы»");
    expect(plain(toRu!)).toContain("Программа обмена «Лунные теплицы»");
    // A search the record does not answer gets nothing.
    expect(sentTo(made, OTHER)).toEqual([]);

    // The same record edited, and put again: already notified.
    const edited = await goLive({
      ...record,
      summary: { ...record.summary, en: "A student exchange on lunar greenhouses, every summer." },
    });
    expect(sentTo(edited, USER)).toEqual([]);
    expect(sentTo(edited, RU_USER)).toEqual([]);
  });

  it("records the user was shown when saving are not notified, even when edited; a new one that answers is", async () => {
    await chat.say(USER, "incubators in Kazakhstan");
    await askAndSave(USER, "incubators in Kazakhstan");
    const [search] = await chat.deps.state.savedSearches.list(USER);
    const shown = chat.deps.search.get(search!.shown[0]!)!;
    const edited = await goLive({
      ...shown,
      summary: { ...shown.summary, en: `${shown.summary.en} Applications are open.` },
    });
    expect(sentTo(edited, USER)).toEqual([]);

    const incubator = newRecord(
      "zz-steppe-incubator",
      {
        en: "Steppe business incubator in Kazakhstan",
        fr: "Incubateur d'entreprises de la steppe au Kazakhstan",
        ru: "Бизнес-инкубатор «Степь» в Казахстане",
        zh: "哈萨克斯坦草原企业孵化器",
      },
      { kind: "incubator", countries: ["KZ"] },
    );
    const made = await goLive(incubator);
    expect(plain(sentTo(made, USER)[0]!)).toContain("Steppe business incubator in Kazakhstan");
  });

  it("an edit that makes a record answer a saved search notifies it; records live before the search was saved do not", async () => {
    const existing = newRecord("zz-orbital-school", {
      en: "Orbital mechanics summer school",
      fr: "École d'été de mécanique orbitale",
      ru: "Летняя школа орбитальной механики",
      zh: "轨道力学暑期学校",
    });
    await goLive(existing);
    await askAndSave(USER, "lunar greenhouse programme");
    // Not about lunar greenhouses yet: nothing.
    expect(
      sentTo(await goLive({ ...existing, summary: { ...existing.summary, en: "Orbits and satellites." } }), USER),
    ).toEqual([]);
    const now = await goLive({ ...existing, title: LUNAR, summary: LUNAR });
    expect(sentTo(now, USER)).toHaveLength(1);
  });

  it("two saved searches of a chat answered by one record make one message naming both, with a stop button for each", async () => {
    await askAndSave(USER, "lunar greenhouse programme");
    await askAndSave(USER, "lunar greenhouse exchange");
    const made = await goLive(newRecord("zz-lunar-greenhouse", LUNAR));
    const messages = sentTo(made, USER);
    expect(messages).toHaveLength(1);
    expect(plain(messages[0]!)).toContain(
      "New for your saved searches “lunar greenhouse programme”, “lunar greenhouse exchange”:",
    );
    expect(data(messages[0]!).filter((d) => d.startsWith("n:d:"))).toHaveLength(2);
  });

  it("a chat that blocked the bot loses its saved searches and is not tried again", async () => {
    await askAndSave(USER, "lunar greenhouse programme");
    my.api.failChat(USER, apiErrors.blockedByUser());
    await goLive(newRecord("zz-lunar-greenhouse", LUNAR));
    expect(await chat.deps.state.savedSearches.list(USER)).toEqual([]);
  });
});

describe("claims across processes", () => {
  it("of two notifiers checking the same records against the same store, only one claims each notification", async () => {
    await askAndSave(USER, "lunar greenhouse programme");
    const record = newRecord("zz-lunar-greenhouse", LUNAR);
    await goLive(record);
    const event = { record, version: chat.deps.live!.version };
    // The notifier of this process claimed it already; another process checking the same event gets nothing.
    expect(await claimNotifications(chat.deps.search, chat.deps.state.savedSearches, [event])).toEqual([]);
  });
});

describe("/subscriptions and stopping a saved search", () => {
  it("lists saved searches beside the topic subscription, each removable", async () => {
    await chat.deps.state.subscriptions.set(USER, { topics: ["energy"], kinds: [], countries: [], lang: "en" });
    await askAndSave(USER, "lunar greenhouse programme");
    await chat.say(USER, "incubators in Kazakhstan");
    await askAndSave(USER, "and in China?");
    const [first, second] = await chat.deps.state.savedSearches.list(USER);
    const list = calls(await chat.say(USER, "/subscriptions"), "sendMessage")[0]!;
    expect(plain(list)).toContain("Your subscription");
    expect(plain(list)).toContain("Saved searches");
    expect(plain(list)).toContain("1. “lunar greenhouse programme”");
    expect(plain(list)).toContain("2. “incubators and in China?” — China");
    expect(data(list)).toEqual(
      expect.arrayContaining([
        "s:m",
        "s:v",
        encodeSavedSearch({ op: "remove", id: first!.id, from: "list" }),
        encodeSavedSearch({ op: "remove", id: second!.id, from: "list" }),
      ]),
    );

    const removed = await chat.press(USER, `n:d:${first!.id}:l`);
    expect(toast(removed)).toBe("Saved search removed");
    const edited = calls(removed, "editMessageText")[0]!;
    expect(plain(edited)).not.toContain("lunar greenhouse programme");
    expect(plain(edited)).toContain("1. “incubators and in China?”");
    expect((await chat.deps.state.savedSearches.list(USER)).map((s) => s.id)).toEqual([second!.id]);
  });

  it("without a subscription or saved searches it says how to get either", async () => {
    const text = plain(calls(await chat.say(USER, "/subscriptions"), "sendMessage")[0]!);
    expect(text).toContain("not subscribed");
    expect(text).toContain("No saved searches");
  });

  it("the stop button of a notification removes its search, keeps the card and its other buttons; nothing is sent for it again", async () => {
    await askAndSave(USER, "lunar greenhouse programme");
    const made = await goLive(newRecord("zz-lunar-greenhouse", LUNAR));
    const message = sentTo(made, USER)[0]!;
    const stop = data(message).find((d) => d.startsWith("n:d:"))!;
    const messageId = Number(
      (made.find((c) => c.payload === message)!.response as { result: { message_id: number } }).result.message_id,
    );
    const pressed = await chat.press(USER, stop, { messageId });
    expect(toast(pressed)).toBe("Saved search removed");
    const markup = calls(pressed, "editMessageReplyMarkup")[0]!;
    expect(data(markup)).toContain("r:d:zz-lunar-greenhouse");
    expect(data(markup)).not.toContain(stop);
    expect(plain(sentTo(pressed, USER)[0]!)).toContain("Saved search “lunar greenhouse programme” removed");
    expect(await chat.deps.state.savedSearches.list(USER)).toEqual([]);
    expect(
      sentTo(
        await goLive(
          newRecord("zz-lunar-greenhouse-2", { ...LUNAR, en: "Lunar greenhouse exchange programme, second call" }),
        ),
        USER,
      ),
    ).toEqual([]);
  });

  it("someone else's saved search cannot be removed with a forged button", async () => {
    await askAndSave(OTHER, "lunar greenhouse programme");
    const [search] = await chat.deps.state.savedSearches.list(OTHER);
    expect(toast(await chat.press(USER, `n:d:${search!.id}:l`, { force: true }))).toBe(
      "This saved search no longer exists.",
    );
    expect(toast(await chat.press(USER, `n:d:${search!.id}:x`, { force: true }))).toBe(
      "This button has expired. Please send the command again.",
    );
    expect(await chat.deps.state.savedSearches.list(OTHER)).toHaveLength(1);
  });
});

describe("how long a saved search lasts", () => {
  it("/subscriptions says until when each lasts: 90 days after saving, or after its last notification", async () => {
    const before = Date.now();
    await askAndSave(USER, "lunar greenhouse programme");
    const [search] = await chat.deps.state.savedSearches.list(USER);
    const expires = Date.parse(search!.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 90 * DAY);
    expect(expires).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(expires);
    expect(plain(calls(await chat.say(USER, "/subscriptions"), "sendMessage")[0]!)).toContain(
      `1. “lunar greenhouse programme” · until ${day}`,
    );

    await chat.deps.state.sessions.write(`user:${USER}`, { lang: "ru", langChosen: true });
    const ru = new Intl.DateTimeFormat("ru", { dateStyle: "long", timeZone: "UTC" }).format(expires);
    expect(plain(calls(await chat.say(USER, "/subscriptions"), "sendMessage")[0]!)).toContain(`· до ${ru}`);

    const notifiedFrom = Date.now();
    expect(sentTo(await goLive(newRecord("zz-lunar-greenhouse", LUNAR)), USER)).toHaveLength(1);
    const [notified] = await chat.deps.state.savedSearches.list(USER);
    expect(Date.parse(notified!.expiresAt)).toBeGreaterThanOrEqual(notifiedFrom + 90 * DAY);
  });

  it("an expired saved search is no longer listed nor notified, and the periodic sweep removes it", async () => {
    const clock = { at: Date.now() };
    const state = createMemoryState({ ttlSeconds: 3600, now: () => clock.at, savedSearchTtlMs: 30 * DAY });
    const swept: number[] = [];
    const removeExpired = state.savedSearches.removeExpired.bind(state.savedSearches);
    state.savedSearches.removeExpired = async () => {
      const removed = await removeExpired();
      swept.push(removed);
      return removed;
    };
    const own = await chatWith(my.api, { state });
    await state.savedSearches.save(
      {
        chatId: USER,
        query: "lunar greenhouse programme",
        lang: "en",
        filters: {},
        key: "lunar greenhouse programme",
        shown: [],
        version: 0,
      },
      20,
    );
    expect(plain(calls(await own.say(USER, "/subscriptions"), "sendMessage")[0]!)).toContain(
      "lunar greenhouse programme",
    );
    clock.at += 30 * DAY + 1;
    const text = plain(calls(await own.say(USER, "/subscriptions"), "sendMessage")[0]!);
    expect(text).not.toContain("lunar greenhouse programme");
    expect(text).toContain("No saved searches");

    await state.savedSearches.save(
      { chatId: OTHER, query: "hydrogen forum", lang: "en", filters: {}, key: "hydrogen forum", shown: [], version: 0 },
      20,
    );
    clock.at += 30 * DAY + 1;
    const wired = wireSavedSearches({ api: own.bot.api, deps: own.deps, sweepEveryMs: 20 });
    try {
      await until(() => swept.includes(1));
    } finally {
      await wired.close();
    }
  });
});
