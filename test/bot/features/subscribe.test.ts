import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, createRedisState } from "../../../src/state/redis.js";
import { calls, chatWith, data, label, plain, shown, toast, useChat } from "../../helpers/chat.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";

const my = useChat({ firstUser: 5000 });

const subscription = () => my.chat.deps.state.subscriptions.get(my.user);

/** The toggle buttons of a facet page: payload → label. */
function toggles(payload: Parameters<typeof data>[0]): string[] {
  return data(payload).filter((d) => d.startsWith("s:t:"));
}

describe("/subscribe", () => {
  it("shows the three facets, then toggles topics with ✓ and saves them with the user's language", async () => {
    const menu = shown(await my.chat.say(my.user, "/subscribe"));
    expect(plain(menu)).toContain("Announcements");
    expect(plain(menu)).toContain("Topics: any");
    expect(data(menu)).toEqual(["s:f:t:0", "s:f:k:0", "s:f:c:0", "s:s", "s:x"]);

    const topics = shown(await my.chat.press(my.user, "s:f:t:0"));
    expect(plain(topics)).toContain("Tap the topics");
    expect(label(topics, "s:a:t")).toBe("✓ Any");
    const [first, second] = toggles(topics);
    expect(first).toMatch(/^s:t:t:0:[a-z0-9-]+$/);
    // Sector labels, sorted in the user's language.
    const labels = toggles(topics).map((d) => label(topics, d)!);
    expect(labels).toEqual([...labels].sort(new Intl.Collator("en").compare));

    let page = shown(await my.chat.press(my.user, first!));
    expect(label(page, first!)).toMatch(/^✓ /);
    expect(label(page, "s:a:t")).toBe("Any");
    page = shown(await my.chat.press(my.user, second!));
    expect(label(page, second!)).toMatch(/^✓ /);
    // Untick the second again, tick it back.
    page = shown(await my.chat.press(my.user, second!));
    expect(label(page, second!)).not.toMatch(/^✓ /);
    page = shown(await my.chat.press(my.user, second!));
    expect(data(page)).toContain("s:f:t:1");

    // A second page of topics.
    const more = shown(await my.chat.press(my.user, "s:f:t:1"));
    expect(toggles(more).every((d) => d.startsWith("s:t:t:1:"))).toBe(true);

    const back = shown(await my.chat.press(my.user, "s:m"));
    expect(label(back, "s:f:t:0")).toBe("🏷 Topics · 2");
    const answer = await my.chat.press(my.user, "s:s");
    expect(toast(answer)).toBe("Saved");
    const saved = shown(answer);
    expect(plain(saved)).toContain("Subscribed");
    expect(plain(saved)).toContain("Language: English");
    expect(data(saved)).toEqual(["s:m", "s:v"]);

    const stored = await subscription();
    expect(stored).toMatchObject({ chatId: my.user, kinds: [], countries: [], lang: "en", active: true });
    expect(stored!.topics).toEqual([first!.split(":")[4], second!.split(":")[4]].sort());
    expect((await my.chat.deps.state.sessions.read(`user:${my.user}`))?.subscribeDraft).toBeUndefined();
  });

  it("offers the catalog's countries by name and the kinds; saves kinds and countries", async () => {
    await my.chat.say(my.user, "/subscribe");
    const kinds = shown(await my.chat.press(my.user, "s:f:k:0"));
    expect(toggles(kinds)).toEqual(
      ["initiative", "programme", "incubator", "event", "organisation"].map((k) => `s:t:k:0:${k}`),
    );
    expect(label(kinds, "s:t:k:0:incubator")).toBe("Incubators");
    await my.chat.press(my.user, "s:t:k:0:incubator");
    await my.chat.press(my.user, "s:m");

    const countries = shown(await my.chat.press(my.user, "s:f:c:0"));
    const codes = new Set(my.chat.deps.search.catalog.records.flatMap((r) => r.countries));
    const all: string[] = [];
    for (let p = 0; ; p++) {
      const page = p === 0 ? countries : shown(await my.chat.press(my.user, `s:f:c:${p}`));
      all.push(...toggles(page));
      if (!data(page).includes(`s:f:c:${p + 1}`)) break;
    }
    expect(new Set(all.map((d) => d.split(":")[4]))).toEqual(codes);
    const kz = all.find((d) => d.endsWith(":KZ"))!;
    await my.chat.press(my.user, `s:f:c:${kz.split(":")[3]}`, { force: true });
    const ticked = shown(await my.chat.press(my.user, kz));
    expect(label(ticked, kz)).toBe("✓ Kazakhstan");
    shown(await my.chat.press(my.user, "s:s"));
    expect(await subscription()).toMatchObject({ topics: [], kinds: ["incubator"], countries: ["KZ"] });
  });

  it("saves in the language of the conversation", async () => {
    const menu = shown(await my.chat.say(my.user, "/subscribe", { languageCode: "fr" }));
    expect(plain(menu)).toContain("Thèmes\u00a0: tous");
    const saved = shown(await my.chat.press(my.user, "s:s", { languageCode: "fr" }));
    expect(plain(saved)).toContain("Langue\u00a0: Français");
    expect((await subscription())?.lang).toBe("fr");
  });

  it("'any' clears a facet; cancel keeps what was saved", async () => {
    await my.chat.deps.state.subscriptions.set(my.user, { topics: ["energy"], kinds: [], countries: [], lang: "en" });
    const menu = shown(await my.chat.say(my.user, "/subscribe"));
    expect(plain(menu)).toContain("Your subscription");
    expect(plain(menu)).toMatch(/Topics: Energy/);
    await my.chat.press(my.user, "s:f:t:0");
    const cleared = shown(await my.chat.press(my.user, "s:a:t"));
    expect(label(cleared, "s:a:t")).toBe("✓ Any");
    expect(plain(shown(await my.chat.press(my.user, "s:m")))).toContain("Topics: any");
    const cancelled = shown(await my.chat.press(my.user, "s:x"));
    expect(plain(cancelled)).toBe("Nothing was changed.");
    expect((await subscription())?.topics).toEqual(["energy"]);
  });

  it("refuses values the menu does not offer, and payloads that are not ours", async () => {
    await my.chat.say(my.user, "/subscribe");
    for (const forged of [
      "s:t:t:0:no-such-sector",
      "s:t:c:0:XX",
      "s:t:k:0:announcement",
      "s:t:k:0:spaceship",
      "s:t:t:0:BAD!",
      "s:f:t:99",
      "s:z",
      "s:t:q:0:energy",
    ]) {
      const answer = await my.chat.press(my.user, forged, { force: true });
      expect(toast(answer), forged).toMatch(/expired/);
      expect(calls(answer, "editMessageText"), forged).toEqual([]);
    }
    shown(await my.chat.press(my.user, "s:s", { force: true }));
    expect(await subscription()).toMatchObject({ topics: [], kinds: [], countries: [] });
  });

  it("works only in private chats", async () => {
    const reply = shown(await my.chat.say(my.user, "/subscribe", { chatId: 777, chatType: "supergroup" }));
    expect(plain(reply)).toContain("private chat");
    expect(plain(reply)).toContain(`https://t.me/${my.api.botInfo.username}`);
    const pressed = await my.chat.press(my.user, "s:s", { chatId: 777, chatType: "supergroup", force: true });
    expect(toast(pressed)).toMatch(/expired/);
    expect(await my.chat.deps.state.subscriptions.get(-777)).toBeUndefined();
  });
});

describe("/subscriptions and /unsubscribe", () => {
  it("say so when there is no subscription", async () => {
    expect(plain(shown(await my.chat.say(my.user, "/subscriptions")))).toContain("not subscribed");
    expect(plain(shown(await my.chat.say(my.user, "/unsubscribe")))).toContain("not subscribed");
  });

  it("/subscriptions shows the choices and edits them with the same menus", async () => {
    await my.chat.deps.state.subscriptions.set(my.user, {
      topics: ["energy"],
      kinds: ["programme"],
      countries: ["UZ"],
      lang: "en",
    });
    const view = shown(await my.chat.say(my.user, "/subscriptions"));
    expect(plain(view)).toContain("Topics: Energy");
    expect(plain(view)).toContain("Kinds: Programmes");
    expect(plain(view)).toContain("Countries: Uzbekistan");
    expect(data(view)).toEqual(["s:m", "s:v"]);
    const menu = shown(await my.chat.press(my.user, "s:m"));
    expect(label(menu, "s:f:k:0")).toBe("🗂 Kinds · 1");
    await my.chat.press(my.user, "s:f:k:0");
    await my.chat.press(my.user, "s:t:k:0:event");
    shown(await my.chat.press(my.user, "s:s"));
    expect(await subscription()).toMatchObject({
      topics: ["energy"],
      kinds: ["event", "programme"],
      countries: ["UZ"],
    });
  });

  it("/unsubscribe leaves one topic, then everything", async () => {
    await my.chat.deps.state.subscriptions.set(my.user, {
      topics: ["energy", "agriculture"],
      kinds: [],
      countries: [],
      lang: "en",
    });
    const menu = shown(await my.chat.say(my.user, "/unsubscribe"));
    expect(data(menu)).toEqual(["s:u:*", "s:u:agriculture", "s:u:energy"]);
    const left = await my.chat.press(my.user, "s:u:energy");
    expect(toast(left)).toBe("Unsubscribed");
    expect(plain(shown(left))).toContain("no longer get announcements about Energy");
    expect((await subscription())?.topics).toEqual(["agriculture"]);

    // With one topic left, leaving it would mean "any topic": only "everything" is offered.
    const again = shown(await my.chat.say(my.user, "/unsubscribe"));
    expect(data(again)).toEqual(["s:u:*"]);
    const forged = await my.chat.press(my.user, "s:u:energy", { force: true });
    expect(toast(forged)).toMatch(/expired/);
    const all = shown(await my.chat.press(my.user, "s:u:*"));
    expect(plain(all)).toContain("You are unsubscribed");
    expect(await subscription()).toBeUndefined();
  });
});

describe("blocking the bot", () => {
  it("marks the subscriber inactive, and active again when they come back", async () => {
    await my.chat.deps.state.subscriptions.set(my.user, { topics: [], kinds: [], countries: [], lang: "ru" });
    await my.chat.deliver(my.api.myChatMember({ chatId: my.user, userId: my.user, status: "kicked" }));
    expect((await subscription())?.active).toBe(false);
    expect(await my.chat.deps.state.subscriptions.resolve({ everyone: true })).toEqual([]);
    await my.chat.deliver(my.api.myChatMember({ chatId: my.user, userId: my.user, status: "member" }));
    expect((await subscription())?.active).toBe(true);
    expect(await my.chat.deps.state.subscriptions.resolve({ everyone: true })).toEqual([
      { chatId: my.user, lang: "ru" },
    ]);
  });

  it("ignores chats without a subscription", async () => {
    const answer = await my.chat.deliver(my.api.myChatMember({ chatId: my.user, userId: my.user, status: "kicked" }));
    expect(answer).toEqual([]);
    expect(await subscription()).toBeUndefined();
  });
});

describe("with the Redis state backend", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server.stop());

  it("subscribes, blocks, comes back and unsubscribes", async () => {
    const state = createRedisState(connectRedis(server.url), { ttlSeconds: 60 });
    try {
      my.chat = await chatWith(my.api, { state });
      await my.chat.say(my.user, "/subscribe", { languageCode: "zh" });
      await my.chat.press(my.user, "s:f:k:0", { languageCode: "zh" });
      await my.chat.press(my.user, "s:t:k:0:event", { languageCode: "zh" });
      expect(plain(shown(await my.chat.press(my.user, "s:s", { languageCode: "zh" })))).toContain("订阅已保存");
      expect(await state.subscriptions.resolve({ kinds: ["event"] })).toEqual([{ chatId: my.user, lang: "zh" }]);
      expect(await state.subscriptions.resolve({ kinds: ["programme"] })).toEqual([]);
      await my.chat.deliver(my.api.myChatMember({ chatId: my.user, userId: my.user, status: "kicked" }));
      expect(await state.subscriptions.count({ everyone: true })).toBe(0);
      await my.chat.deliver(my.api.myChatMember({ chatId: my.user, userId: my.user, status: "member" }));
      expect(await state.subscriptions.count({ everyone: true })).toBe(1);
      await my.chat.say(my.user, "/unsubscribe");
      await my.chat.press(my.user, "s:u:*");
      expect(await state.subscriptions.get(my.user)).toBeUndefined();
    } finally {
      await state.close();
    }
  });
});
