import type { Message, Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { listRecords, type BrowseList } from "../../../src/bot/lists.js";
import { isoToday } from "../../../src/catalog/dates.js";
import { shortTitle, type CatalogRecord } from "../../../src/catalog/schema.js";
import { bundledEngine } from "../../helpers/bot-deps.js";
import { keyboard, useChat, type Button } from "../../helpers/chat.js";

const my = useChat({ firstUser: 1000 });

const feed = (update: Update) => my.chat.deliver(update);

async function command(text: string, languageCode = "en"): Promise<Message> {
  await feed(my.api.textMessage({ chatId: my.user, userId: my.user, text, languageCode }));
  return shown();
}

/** Presses a button of the bot's last message and returns that message as it is now. */
async function press(data: string, opts: { allowUnknownData?: boolean } = {}): Promise<Message> {
  await feed(my.api.callbackQuery({ chatId: my.user, userId: my.user, data, ...opts }));
  return shown();
}

function shown(): Message {
  const bots = my.chat.botMessages(my.user);
  expect(bots).toHaveLength(1);
  return bots[0]!;
}

function button(message: Message, text: string | RegExp): Button {
  const found = keyboard(message).find((b) => (typeof text === "string" ? b.text === text : text.test(b.text)));
  if (!found) throw new Error(`no button ${String(text)} in ${JSON.stringify(keyboard(message))}`);
  return found;
}

const records = (message: Message) =>
  keyboard(message)
    .filter((b) => b.data?.startsWith("r:c:"))
    .map((b) => b.data!.slice(4));

/** The list as the bot should show it: the list's records in its order (src/bot/lists.ts). */
async function oracle(list: BrowseList, filters: { country?: string; sector?: string } = {}): Promise<CatalogRecord[]> {
  return listRecords(await bundledEngine(), list, filters, isoToday());
}

const ENTREPRENEURS = ["entrepreneurs", "startups"];
const STUDENTS = ["students", "researchers", "young-scientists"];

describe("lists of what users mean", () => {
  it("/incubators: incubators first, then what else entrepreneurs need, 8 per page with numbered lines and buttons", async () => {
    const all = await oracle("incubators");
    const incubators = all.filter((r) => r.kind === "incubator");
    expect(incubators).toHaveLength(10);
    expect(all.slice(0, 10)).toEqual(incubators);
    for (const r of all.slice(10))
      expect(
        r.audiences.some((a) => ENTREPRENEURS.includes(a)),
        r.id,
      ).toBe(true);
    expect(all.some((r) => r.kind === "event")).toBe(false);

    const list = await command("/incubators");
    expect(list.text!.split("\n")[0]).toBe("🚀 Incubators and support for entrepreneurs");
    expect(list.text!).toContain(
      `incubators and innovation centres first, then cooperation platforms, contests and camps, and the offices that support them — ${all.length} in all.`,
    );
    expect(list.text!).toContain(`Page 1 of ${Math.ceil(all.length / 8)}`);
    expect(records(list)).toEqual(all.slice(0, 8).map((r) => r.id));
    expect(list.text!).toContain("1. Changchun — innovation cooperation centre — Incubator · Changchun, China");
    expect(keyboard(list)[0]).toEqual({
      text: "1. Changchun — innovation cooperation centre",
      data: "r:c:incubator-changchun",
    });
    expect(
      keyboard(list)
        .map((b) => b.data)
        .filter((d) => !d?.startsWith("r:")),
    ).toEqual(["b:n:-:-:1", "f:n:c:-:-", "f:n:s:-:-"]);
  });

  it("/programmes: everything for students and researchers, the higher-education centre first, then the programmes", async () => {
    const all = await oracle("programmes");
    expect(all[0]!.id).toBe("sco-higher-education-centre");
    const programmes = all.filter((r) => r.kind === "programme");
    expect(programmes.length).toBeGreaterThan(2);
    expect(all.slice(1, 1 + programmes.length)).toEqual(programmes);
    for (const r of all)
      expect(
        r.audiences.some((a) => STUDENTS.includes(a)),
        r.id,
      ).toBe(true);
    expect(new Set(all.map((r) => r.kind)).has("organisation")).toBe(true);
    expect(all.some((r) => r.kind === "event")).toBe(false);

    const list = await command("/programmes");
    expect(list.text!.split("\n")[0]).toBe("🎓 Exchange programmes, study and research");
    expect(records(list)[0]).toBe("sco-higher-education-centre");
    expect(list.text!).toContain("1. China–SCO higher education centre — Organisation · SCO countries");
  });

  it("/events: events with their dates, by date; says honestly that none is announced and names the latest", async () => {
    const all = await oracle("events");
    expect(all.every((r) => r.kind === "event")).toBe(true);
    const starts = all.map((r) => r.dates!.start!);
    expect([...starts].sort().reverse()).toEqual(starts);
    const list = await command("/events");
    expect(list.text!).toContain(
      "No upcoming event has been announced yet. The latest was Tianjin — SCO Plus meeting 2025, on 1 September 2025.",
    );
    expect(list.text!).toContain("1. Tianjin — SCO Plus meeting 2025 — 1 September 2025 · Tianjin, China");
    expect(list.text!).toContain("— 2025 · Tianjin, China");
    expect(list.text!).toContain("Beijing — Hidden Champions Forum 2024 — 13 May 2024");
    expect(records(list)).toEqual(all.map((r) => r.id));
  });

  it.each([
    ["what is the next event?", "en", "No upcoming event has been announced yet. The latest was"],
    ["any upcoming forums in Tianjin?", "en", "No upcoming event has been announced yet."],
    // Invisible characters pasted in are read as the question feature reads them.
    ["any up\u200bcoming forums in Tianjin?", "en", "No upcoming event has been announced yet."],
    [
      "Quel est le prochain événement ?",
      "fr",
      "Aucun événement à venir n’est encore annoncé. Le dernier en date : Tianjin — réunion « OCS Plus » 2025, le 1er septembre 2025.",
    ],
    [
      "какие ближайшие мероприятия?",
      "ru",
      "О предстоящих мероприятиях пока не объявлено. Последнее — Тяньцзинь — встреча «ШОС плюс» 2025, 1 сентября 2025 г.",
    ],
    [
      "下一届论坛什么时候举办？",
      "zh",
      "目前尚未公布即将举办的活动。最近一场是2025年天津“上合组织+”会议，2025年9月1日。",
    ],
  ])("%j is answered with the events list, honestly", async (text, lang, lead) => {
    const reply = await command(text, lang);
    expect(reply.text!.replace(/[\u00a0\u202f]/g, " ")).toContain(lead.replace(/[\u00a0\u202f]/g, " "));
    expect(records(reply)).toEqual((await oracle("events")).map((r) => r.id));
  });

  it("a question about the next step of something else is not taken for events", async () => {
    const reply = await command("next steps to join an incubator in Harbin");
    expect(reply.text).not.toContain("No upcoming event");
  });

  it("pages in place, and every press is answered", async () => {
    const all = (await oracle("incubators")).map((r) => r.id);
    const first = await command("/incubators");
    const second = await press("b:n:-:-:1");
    expect(second.message_id).toBe(first.message_id);
    expect(second.text).toContain(`Page 2 of ${Math.ceil(all.length / 8)}`);
    expect(records(second)).toEqual(all.slice(8, 16));
    expect(second.text).toContain("9. ");
    expect(button(second, "◀ Previous").data).toBe("b:n:-:-:0");
    const back = await press("b:n:-:-:0");
    expect(records(back)).toEqual(all.slice(0, 8));
    expect(my.api.callsOf("editMessageText")).toHaveLength(2);
    expect(my.api.callsOf("answerCallbackQuery")).toHaveLength(2);
    expect(my.api.callsOf("sendMessage")).toHaveLength(1);
  });

  it("filters by country: the countries of the list's records with counts, then the filtered list", async () => {
    const all = await oracle("incubators");
    const count = (code: string) => all.filter((r) => r.countries.includes(code)).length;
    const names = new Intl.DisplayNames("en", { type: "region" });
    const codes = [...new Set(all.flatMap((r) => r.countries))];
    const expected = codes.map((c) => `${names.of(c)} · ${count(c)}`).sort((a, b) => a.localeCompare(b, "en"));

    await command("/incubators");
    const countries = await press("f:n:c:-:-");
    expect(countries.text).toContain("Choose a country:");
    const choices = keyboard(countries)
      .filter((b) => b.data?.startsWith("b:n:") && b.data.split(":")[2] !== "-")
      .map((b) => b.text);
    expect(choices).toEqual(expected.slice(0, 16));
    const kz = await press("b:n:KZ:-:0", { allowUnknownData: true });
    expect(kz.text).toContain(`— ${count("KZ")} in all.`);
    expect(kz.text).toContain("Filters: 🌍 Kazakhstan");
    // The first page of the filtered list, in the list's order.
    expect(records(kz)).toEqual(
      (await oracle("incubators", { country: "KZ" })).map((r) => r.id).slice(0, records(kz).length),
    );
    expect(records(kz).length).toBeGreaterThan(0);
    expect(button(kz, "🌍 Kazakhstan").data).toBe("f:n:c:KZ:-");
    expect(button(kz, "✖ Clear filters").data).toBe("b:n:-:-:0");
  });

  it("offers the sectors of the records that pass the country filter, and combines both", async () => {
    const engine = await bundledEngine();
    const kzRecords = await oracle("incubators", { country: "KZ" });
    const kzSectors = new Set(kzRecords.flatMap((r) => r.sectors));
    const label = (id: string) => engine.catalog.sectors[id]!.en;

    await command("/incubators");
    await press("b:n:KZ:-:0", { allowUnknownData: true });
    const sectors = await press("f:n:s:KZ:-");
    const choices = keyboard(sectors).filter((b) => b.data?.startsWith("b:n:KZ:") && b.data !== "b:n:KZ:-:0");
    expect(choices.map((b) => b.data!.split(":")[3]).sort()).toEqual([...kzSectors].sort().slice(0, choices.length));
    const missing = Object.keys(engine.catalog.sectors).find((id) => !kzSectors.has(id))!;
    expect(keyboard(sectors).some((b) => b.text.startsWith(label(missing)))).toBe(false);

    const trade = kzRecords.filter((r) => r.sectors.includes("trade"));
    expect(trade.length).toBeGreaterThan(0);
    const both = await press("b:n:KZ:trade:0", { allowUnknownData: true });
    expect(records(both)).toEqual(trade.map((r) => r.id));
    expect(both.text).toContain(`Filters: 🌍 Kazakhstan · 🏷 ${label("trade")}`);
    // "any" clears one filter and keeps the other.
    const again = await press("f:n:s:KZ:trade");
    expect(button(again, /^✓ /).data).toBe("b:n:KZ:trade:0");
    expect(button(again, "Any sector").data).toBe("b:n:KZ:-:0");
    expect(button(again, "↩ Back").data).toBe("b:n:KZ:trade:0");
  });

  it("pages the choices of a long filter", async () => {
    await command("/events");
    const sectors = await press("f:e:s:-:-");
    expect(sectors.text).toContain("Page 1 of 2");
    expect(button(sectors, "Next ▶").data).toBe("f:e:s:-:-:1");
    const more = await press("f:e:s:-:-:1");
    expect(more.text).toContain("Page 2 of 2");
    expect(button(more, "◀ Previous").data).toBe("f:e:s:-:-");
    expect(keyboard(more).filter((b) => b.data?.startsWith("b:e:-:")).length).toBeGreaterThan(1);
  });

  it("says when a combination of filters matches nothing, and offers to clear them", async () => {
    // A country and a sector each of some record of the list, but of none together.
    const all = await oracle("incubators");
    const pairs = [...new Set(all.flatMap((r) => r.countries))].flatMap((c) =>
      [...new Set(all.flatMap((r) => r.sectors))].map((s) => [c, s] as const),
    );
    const [country, other] = pairs.find(
      ([c, s]) => !all.some((r) => r.countries.includes(c) && r.sectors.includes(s)),
    )!;
    await command("/incubators");
    const empty = await press(`b:n:${country}:${other}:0`, { allowUnknownData: true });
    expect(empty.text).toContain("Nothing matches these filters");
    expect(records(empty)).toEqual([]);
    expect(button(empty, "✖ Clear filters").data).toBe("b:n:-:-:0");
    expect(my.api.callsOf("answerCallbackQuery")).toHaveLength(1);
  });

  it("shows the last page when a page is past the end", async () => {
    const pages = Math.ceil((await oracle("incubators")).length / 8);
    await command("/incubators");
    const last = await press("b:n:-:-:7", { allowUnknownData: true });
    expect(last.text).toContain(`Page ${pages} of ${pages}`);
  });

  it("pressing the button of what is already shown only answers", async () => {
    await command("/programmes");
    await press("b:p:-:-:0", { allowUnknownData: true });
    expect(my.api.callsOf("answerCallbackQuery")).toHaveLength(1);
    expect(my.api.callsOf("answerCallbackQuery")[0]!.response?.ok).toBe(true);
  });

  it.each([
    "b:x:-:-:0",
    "b:n:ZZ:-:0",
    "b:n:-:no-such-sector:0",
    "b:n:-:-:99999",
    "b:n:-:-",
    "f:n:q:-:-",
    "f:n:c:-:-:x",
    "b:n:kz:-:0",
  ])("answers forged or stale data %j as expired, and does nothing else", async (data) => {
    const list = await command("/incubators");
    const before = list.text;
    await feed(my.api.callbackQuery({ chatId: my.user, userId: my.user, data, allowUnknownData: true }));
    const answers = my.api.callsOf("answerCallbackQuery");
    expect(answers).toHaveLength(1);
    // Undecodable payloads are answered by whichever feature sees them first; the wording may differ.
    expect(answers[0]!.payload.text).toMatch(/^This button has expired\./);
    expect(my.api.callsOf("editMessageText")).toHaveLength(0);
    expect(shown().text).toBe(before);
  });

  it("a record opened from the list comes back to the list as it was", async () => {
    await command("/incubators");
    const kz = await press("b:n:KZ:-:0", { allowUnknownData: true });
    const id = records(kz)[0]!;
    const card = await press(`r:c:${id}`);
    expect(card.message_id).toBe(kz.message_id);
    const back = keyboard(card).find((b) => b.data === "b:n:KZ:-:0");
    expect(back).toBeDefined();
    const list = await press(back!.data!);
    expect(list.text!).toBe(kz.text);
    expect(records(list)).toEqual(records(kz));
  });

  it("every button fits Telegram's 64 bytes", async () => {
    await command("/events");
    for (const data of ["f:e:c:-:-", "f:e:s:-:-", "f:e:s:-:-:1"]) {
      const message = await press(data, { allowUnknownData: true });
      for (const b of keyboard(message)) expect(Buffer.byteLength(b.data ?? "")).toBeLessThanOrEqual(64);
    }
  });
});

describe("lists in other languages", () => {
  it("Chinese: short titles, country names and counts in Chinese", async () => {
    const engine = await bundledEngine();
    const all = await oracle("incubators");
    const list = await command("/incubators", "zh");
    expect(list.text!).toContain(`共${all.length}条`);
    expect(list.text!).toContain("第1页，共3页");
    const first = records(list)[0]!;
    expect(keyboard(list)[0]!.text).toBe(`1. ${shortTitle(engine.get(first)!, "zh")}`);
    const countries = await press("f:n:c:-:-");
    expect(keyboard(countries).map((b) => b.text)).toContain(
      `哈萨克斯坦 · ${all.filter((r) => r.countries.includes("KZ")).length}`,
    );
    expect(button(countries, /^✓ /).text).toBe("✓ 所有国家");
  });

  it("Russian: Russian wording, country and sector names", async () => {
    const all = await oracle("incubators");
    const list = await command("/incubators", "ru");
    expect(list.text!).toContain(`всего ${all.length}.`);
    const kz = await press("b:n:KZ:-:0", { allowUnknownData: true });
    expect(kz.text).toContain("🌍 Казахстан");
    const trade = await press("b:n:KZ:trade:0", { allowUnknownData: true });
    expect(trade.text).toContain("🏷 Торговля и инвестиции");
  });

  it("Russian: events with their dates in Russian", async () => {
    const events = await command("/events", "ru");
    expect(events.text!.replace(/[\u00a0\u202f]/g, " ")).toContain(
      "1. Тяньцзинь — встреча «ШОС плюс» 2025 — 1 сентября 2025 г.",
    );
  });

  it("French: the lists and buttons are in French", async () => {
    const list = await command("/initiatives", "fr");
    expect(list.text!).toContain("Initiatives de coopération");
    expect(list.text!.replace(/[\u00a0\u202f]/g, " ")).toContain("16 au total, des plus récentes aux plus anciennes.");
    expect(button(list, "Suivant ▶").data).toBe("b:i:-:-:1");
    expect(button(list, "🌍 Pays").data).toBe("f:i:c:-:-");
  });
});

describe("browse commands", () => {
  it.each([
    ["/programmes", "🎓 Exchange programmes, study and research", "b:p:", "programmes"],
    ["/incubators", "🚀 Incubators and support for entrepreneurs", "b:n:", "incubators"],
    ["/initiatives", "🤝 Cooperation initiatives", "b:i:", "initiatives"],
    ["/events", "📅 Events", "b:e:", "events"],
  ] as const)("%s opens its list", async (text, title, prefix, name) => {
    const list = await command(text);
    expect(list.text?.split("\n")[0]).toBe(title);
    expect(records(list)).toEqual((await oracle(name)).slice(0, 8).map((r) => r.id));
    for (const b of keyboard(list).filter((b) => b.data?.startsWith("b:")))
      expect(b.data?.startsWith(prefix)).toBe(true);
  });
});
