import type { Bot } from "grammy";
import type { InlineKeyboardMarkup, Message, Update } from "grammy/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.js";
import { shortTitle } from "../../src/catalog/schema.js";
import { createBot } from "../../src/bot/index.js";
import { bundledEngine, testDeps } from "../helpers/bot-deps.js";
import { startFakeBotApi, type FakeBotApi } from "../helpers/fake-bot-api.js";

let api: FakeBotApi;
let bot: Bot<BotContext>;
let nextUser = 1000;
let user: number;

beforeAll(async () => {
  api = await startFakeBotApi();
});
afterAll(() => api.close());
beforeEach(async () => {
  api.reset();
  bot = createBot(await testDeps(), { token: api.token, apiRoot: api.apiRoot, botInfo: api.botInfo });
  user = nextUser++;
});

type Button = { text: string; data?: string };

function buttons(message: Message | undefined): Button[] {
  return ((message?.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: "callback_data" in b ? b.callback_data : undefined }));
}

const feed = (update: Update) => bot.handleUpdate(api.pushUpdate(update));

async function command(text: string, languageCode = "en"): Promise<Message> {
  await feed(api.textMessage({ chatId: user, userId: user, text, languageCode }));
  return shown();
}

/** Presses a button of the bot's last message and returns that message as it is now. */
async function press(data: string, opts: { allowUnknownData?: boolean } = {}): Promise<Message> {
  await feed(api.callbackQuery({ chatId: user, userId: user, data, ...opts }));
  return shown();
}

function shown(): Message {
  const bots = api.chatHistory(user).filter((m) => m.from?.id === api.botId);
  expect(bots).toHaveLength(1);
  return bots[0]!;
}

function button(message: Message, text: string | RegExp): Button {
  const found = buttons(message).find((b) => (typeof text === "string" ? b.text === text : text.test(b.text)));
  if (!found) throw new Error(`no button ${String(text)} in ${JSON.stringify(buttons(message))}`);
  return found;
}

const records = (message: Message) => buttons(message).filter((b) => b.data?.startsWith("r:c:")).map((b) => b.data!.slice(4));

describe("browsing a kind", () => {
  it("/incubators lists 8 incubators newest first, with paging and filters", async () => {
    const engine = await bundledEngine();
    const all = engine.browse({ kinds: ["incubator"] }, { limit: 100 }).hits.map((h) => h.id);
    expect(all).toHaveLength(10);
    const list = await command("/incubators");
    expect(list.text).toContain("Incubators");
    expect(list.text).toContain("10 incubators, newest first.");
    expect(list.text).toContain("Page 1 of 2");
    expect(records(list)).toEqual(all.slice(0, 8));
    expect(buttons(list).map((b) => b.data).filter((d) => !d?.startsWith("r:"))).toEqual(["b:n:-:-:1", "f:n:c:-:-", "f:n:s:-:-"]);
    expect(button(list, "Next ▶").data).toBe("b:n:-:-:1");
    // Short titles as the catalog writes them in the reply language: the city first, never cut.
    expect(buttons(list)[0]!.text).toBe(shortTitle(engine.get(all[0]!)!, "en"));
    expect(buttons(list).filter((b) => b.data?.startsWith("r:c:")).every((b) => / — innovation cooperation centre$/.test(b.text))).toBe(true);
  });

  it("pages in place, and every press is answered", async () => {
    const engine = await bundledEngine();
    const all = engine.browse({ kinds: ["incubator"] }, { limit: 100 }).hits.map((h) => h.id);
    const first = await command("/incubators");
    const second = await press("b:n:-:-:1");
    expect(second.message_id).toBe(first.message_id);
    expect(second.text).toContain("Page 2 of 2");
    expect(records(second)).toEqual(all.slice(8));
    expect(button(second, "◀ Previous").data).toBe("b:n:-:-:0");
    expect(buttons(second).some((b) => b.text === "Next ▶")).toBe(false);
    const back = await press("b:n:-:-:0");
    expect(records(back)).toEqual(all.slice(0, 8));
    expect(api.callsOf("editMessageText")).toHaveLength(2);
    expect(api.callsOf("answerCallbackQuery")).toHaveLength(2);
    expect(api.callsOf("sendMessage")).toHaveLength(1);
  });

  it("filters by country: the countries of that kind's records with counts, then the filtered list", async () => {
    const engine = await bundledEngine();
    const incubators = engine.browse({ kinds: ["incubator"] }, { limit: 100 }).hits.map((h) => engine.get(h.id)!);
    const count = (code: string) => incubators.filter((r) => r.countries.includes(code)).length;
    const names = new Intl.DisplayNames("en", { type: "region" });
    const codes = [...new Set(incubators.flatMap((r) => r.countries))];
    const expected = codes.map((c) => `${names.of(c)} · ${count(c)}`).sort((a, b) => a.localeCompare(b, "en"));

    await command("/incubators");
    const countries = await press("f:n:c:-:-");
    expect(countries.text).toContain("Choose a country:");
    expect(buttons(countries).map((b) => b.text)).toEqual([...expected, "✓ Any country"]);
    expect(button(countries, `Kazakhstan · ${count("KZ")}`).data).toBe("b:n:KZ:-:0");
    const kz = await press("b:n:KZ:-:0");
    expect(kz.text).toContain(`${count("KZ")} incubators, newest first.`);
    expect(kz.text).toContain("Filters: 🌍 Kazakhstan");
    expect(records(kz).sort()).toEqual(incubators.filter((r) => r.countries.includes("KZ")).map((r) => r.id).sort());
    expect(button(kz, "🌍 Kazakhstan").data).toBe("f:n:c:KZ:-");
    expect(button(kz, "✖ Clear filters").data).toBe("b:n:-:-:0");
  });

  it("offers the sectors of the records that pass the country filter, and combines both", async () => {
    const engine = await bundledEngine();
    const kzIncubators = engine.browse({ kinds: ["incubator"], countries: ["KZ"] }, { limit: 100 }).hits.map((h) => engine.get(h.id)!);
    const kzSectors = new Set(kzIncubators.flatMap((r) => r.sectors));
    const label = (id: string) => engine.catalog.sectors[id]!.en;

    await command("/incubators");
    await press("f:n:c:-:-");
    await press("b:n:KZ:-:0");
    const sectors = await press("f:n:s:KZ:-");
    const choices = buttons(sectors).filter((b) => b.data?.startsWith("b:n:KZ:") && b.data !== "b:n:KZ:-:0");
    expect(choices.map((b) => b.data!.split(":")[3]).sort()).toEqual([...kzSectors].sort());
    // Sectors no Kazakh incubator has are not offered.
    expect(kzSectors.has("science-technology")).toBe(false);
    expect(buttons(sectors).some((b) => b.text.startsWith(label("science-technology")))).toBe(false);

    const trade = kzIncubators.filter((r) => r.sectors.includes("trade"));
    const both = await press(button(sectors, `${label("trade")} · ${trade.length}`).data!);
    expect(records(both)).toEqual(trade.map((r) => r.id));
    expect(both.text).toContain(`Filters: 🌍 Kazakhstan · 🏷 ${label("trade")}`);
    // "any" clears one filter and keeps the other.
    const again = await press("f:n:s:KZ:trade");
    expect(button(again, /^✓ /).data).toBe("b:n:KZ:trade:0");
    expect(button(again, "Any sector").data).toBe("b:n:KZ:-:0");
    expect(button(again, "↩ Back").data).toBe("b:n:KZ:trade:0");
    const cleared = await press("b:n:-:-:0", { allowUnknownData: true });
    expect(cleared.text).toContain("10 incubators");
  });

  it("counts with plural forms", async () => {
    const engine = await bundledEngine();
    const one = engine.browse({ kinds: ["incubator"], countries: ["UZ"] }, { limit: 0 }).total;
    expect(one).toBe(1);
    await command("/incubators");
    const uz = await press("b:n:UZ:-:0", { allowUnknownData: true });
    expect(uz.text).toContain("1 incubator, newest first.");
  });

  it("pages the choices of a long filter", async () => {
    await command("/events");
    const sectors = await press("f:e:s:-:-");
    expect(sectors.text).toContain("Page 1 of 2");
    expect(button(sectors, "Next ▶").data).toBe("f:e:s:-:-:1");
    const more = await press("f:e:s:-:-:1");
    expect(more.text).toContain("Page 2 of 2");
    expect(button(more, "◀ Previous").data).toBe("f:e:s:-:-");
    expect(buttons(more).filter((b) => b.data?.startsWith("b:e:-:")).length).toBeGreaterThan(1);
  });

  it("says when a combination of filters matches nothing, and offers to clear them", async () => {
    await command("/incubators");
    const empty = await press("b:n:KZ:science-technology:0", { allowUnknownData: true });
    expect(empty.text).toContain("Nothing matches these filters");
    expect(records(empty)).toEqual([]);
    expect(button(empty, "✖ Clear filters").data).toBe("b:n:-:-:0");
    expect(api.callsOf("answerCallbackQuery")).toHaveLength(1);
  });

  it("shows the last page when a page is past the end", async () => {
    await command("/incubators");
    const last = await press("b:n:-:-:7", { allowUnknownData: true });
    expect(last.text).toContain("Page 2 of 2");
  });

  it("pressing the button of what is already shown only answers", async () => {
    await command("/programmes");
    await press("b:p:-:-:0", { allowUnknownData: true });
    expect(api.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(api.callsOf("answerCallbackQuery")[0]!.response?.ok).toBe(true);
  });

  it.each(["b:x:-:-:0", "b:n:ZZ:-:0", "b:n:-:no-such-sector:0", "b:n:-:-:99999", "b:n:-:-", "f:n:q:-:-", "f:n:c:-:-:x", "b:n:kz:-:0"])(
    "answers forged or stale data %j as expired, and does nothing else",
    async (data) => {
      const list = await command("/incubators");
      const before = list.text;
      await feed(api.callbackQuery({ chatId: user, userId: user, data, allowUnknownData: true }));
      const answers = api.callsOf("answerCallbackQuery");
      expect(answers).toHaveLength(1);
      // Undecodable payloads are answered by whichever feature sees them first; the wording may differ.
      expect(answers[0]!.payload.text).toMatch(/^This button has expired\./);
      expect(api.callsOf("editMessageText")).toHaveLength(0);
      expect(shown().text).toBe(before);
    },
  );

  it("a record opened from the list comes back to the list as it was", async () => {
    await command("/incubators");
    const kz = await press("b:n:KZ:-:0", { allowUnknownData: true });
    const id = records(kz)[0]!;
    const card = await press(`r:c:${id}`);
    expect(card.message_id).toBe(kz.message_id);
    const back = buttons(card).find((b) => b.data === "b:n:KZ:-:0");
    expect(back).toBeDefined();
    const list = await press(back!.data!);
    expect(list.text).toBe(kz.text);
    expect(records(list)).toEqual(records(kz));
  });

  it("every button fits Telegram's 64 bytes", async () => {
    await command("/events");
    for (const data of ["f:e:c:-:-", "f:e:s:-:-", "f:e:s:-:-:1"]) {
      const message = await press(data, { allowUnknownData: true });
      for (const b of buttons(message)) expect(Buffer.byteLength(b.data ?? "")).toBeLessThanOrEqual(64);
    }
  });
});

describe("browsing in other languages", () => {
  it("Chinese: titles, country names and counts in Chinese", async () => {
    const engine = await bundledEngine();
    const list = await command("/incubators", "zh");
    expect(list.text).toContain("共 10 个孵化器");
    expect(list.text).toContain("第 1 页，共 2 页");
    const first = records(list)[0]!;
    expect(buttons(list)[0]!.text).toBe(shortTitle(engine.get(first)!, "zh"));
    const countries = await press("f:n:c:-:-");
    expect(buttons(countries).map((b) => b.text)).toContain("哈萨克斯坦 · 2");
    expect(button(countries, /^✓ /).text).toBe("✓ 所有国家");
  });

  it("Russian: plural forms and Russian country and sector names", async () => {
    const list = await command("/incubators", "ru");
    expect(list.text).toContain("10 инкубаторов, сначала новые.");
    const kz = await press("b:n:KZ:-:0", { allowUnknownData: true });
    expect(kz.text).toContain("2 инкубатора");
    expect(kz.text).toContain("🌍 Казахстан");
    const uz = await press("b:n:UZ:-:0", { allowUnknownData: true });
    expect(uz.text).toContain("1 инкубатор,");
    const trade = await press("b:n:KZ:trade:0", { allowUnknownData: true });
    expect(trade.text).toContain("🏷 Торговля и инвестиции");
  });

  it("French: the lists and buttons are in French", async () => {
    const list = await command("/initiatives", "fr");
    expect(list.text).toContain("Initiatives");
    expect(list.text).toContain("16 initiatives, du plus récent au plus ancien.");
    expect(button(list, "Suivant ▶").data).toBe("b:i:-:-:1");
    expect(button(list, "🌍 Pays").data).toBe("f:i:c:-:-");
  });
});

describe("browse commands", () => {
  it.each([
    ["/programmes", "Programmes", "b:p:"],
    ["/incubators", "Incubators", "b:n:"],
    ["/initiatives", "Initiatives", "b:i:"],
    ["/events", "Events", "b:e:"],
  ])("%s lists that kind", async (text, title, prefix) => {
    const list = await command(text);
    expect(list.text?.split("\n")[0]).toBe(title);
    const engine = await bundledEngine();
    const kind = { "b:p:": "programme", "b:n:": "incubator", "b:i:": "initiative", "b:e:": "event" }[prefix];
    for (const id of records(list)) expect(engine.get(id)?.kind).toBe(kind);
    for (const b of buttons(list).filter((b) => b.data?.startsWith("b:"))) expect(b.data?.startsWith(prefix)).toBe(true);
  });
});
