// /edit on a record's list fields — key figures, organisers, partners, contacts, links: adding an item
// step by step through its sub-fields (each value checked at its own step by the catalog's rules, the
// texts asked in four languages), changing one sub-field, removing an item; stale and forged buttons;
// the approved change on the record's card, details and contacts.
import { beforeEach, describe, expect, it } from "vitest";
import { calls, data, plain, useChat, type Chat } from "../../helpers/chat.js";

const ADMIN = 9301;
const COORDINATOR = 9302;
const STRANGER = 9303;
const ID = "asean";

const my = useChat({ resetState: true, chat: { settings: { adminIds: [ADMIN] }, live: {} } });
beforeEach(async () => {
  await my.chat.deps.state.roles.grant(COORDINATOR);
  for (const user of [ADMIN, COORDINATOR])
    await my.chat.deps.state.sessions.write(`user:${user}`, { lang: "en", langChosen: true });
});

type Calls = Awaited<ReturnType<Chat["say"]>>;
const texts = (all: Calls) => calls(all, "sendMessage").map(plain);
const last = (all: Calls) => texts(all).at(-1) ?? "";
const buttonData = (all: Calls) => calls(all, "sendMessage").flatMap(data);
/** The button of a list screen that opens its item `index`. */
const itemButton = (all: Calls, list: string, index: number) =>
  buttonData(all).find((d) => d.startsWith(`ed:i:${list}.${index}.`))!;
const say = async (user: number, ...values: string[]) => {
  let out: Calls = [];
  for (const value of values) out = await my.chat.say(user, value);
  return out;
};
const draft = async (user: number) => (await my.chat.deps.state.sessions.read(`user:${user}`))?.recordDraft;

/** Submits the coordinator's draft and has the administrator approve it. */
async function submitAndApprove(): Promise<void> {
  const preview = await my.chat.press(COORDINATOR, "ed:v");
  expect(buttonData(preview), texts(preview).join("\n")).toContain("ed:s");
  const submitted = await my.chat.press(COORDINATOR, "ed:s");
  const edit = /#(\d+)/.exec(texts(submitted)[0]!)![1]!;
  await my.chat.press(ADMIN, `ed:a:${edit}`, { force: true });
}

describe("list fields in /edit", () => {
  it("adds a key figure step by step, refusing a wrong value at its own step, and the approved figure is on the card", async () => {
    // A record with no figure yet.
    const id = "caexpo";
    const menu = await my.chat.say(COORDINATOR, `/edit ${id}`);
    expect(buttonData(menu)).toEqual(
      expect.arrayContaining(["ed:f:figures", "ed:f:organisers", "ed:f:partners", "ed:f:contacts", "ed:f:links"]),
    );
    const list = await my.chat.press(COORDINATOR, "ed:f:figures");
    expect(last(list)).toContain("Key figures of caexpo");
    expect(last(list)).toContain("None yet.");

    expect(last(await my.chat.press(COORDINATOR, "ed:+:figures"))).toMatch(/new item\s+Number: send the value/);
    // A word where a number goes: refused at the number's step, which is asked again.
    const refused = texts(await my.chat.say(COORDINATOR, "about ten"));
    expect(refused[0]).toContain("“about ten” is not a number the catalog accepts");
    expect(refused[0]).toContain("Number: send the value");
    const currency = await my.chat.say(COORDINATOR, "1 200");
    expect(last(currency)).toContain("Currency");
    expect(texts(await my.chat.say(COORDINATOR, "yuan"))[0]).toContain("“yuan” is not an ISO 4217 currency code");
    const atLeast = await my.chat.press(COORDINATOR, "ed:d"); // ⏭ skip: a count, not money
    expect(buttonData(atLeast)).toEqual(expect.arrayContaining(["ed:g:1", "ed:g:0"]));
    const label = await my.chat.press(COORDINATOR, "ed:g:1");
    expect(last(label)).toContain("What it counts in English");
    // Nothing to keep and no translation taken from another language.
    expect(buttonData(label)).not.toContain("ed:n");
    await say(COORDINATOR, "member startups", "start-up membres", "стартапов-участников");
    const text = await say(COORDINATOR, "初创企业成员");
    expect(last(text)).toContain("How it reads in English");
    await my.chat.say(COORDINATOR, "more than {n} member startups");
    const ru = await my.chat.say(COORDINATOR, "plus de {n} start-up membres");
    expect(last(ru)).toContain(
      "forms for one | few | many | other separated by “|”, as in {n} подписанное соглашение | {n} подписанных соглашения",
    );
    // Russian needs the forms of four plural categories, or one phrase.
    const forms = texts(await my.chat.say(COORDINATOR, "более {n} стартапа | более {n} стартапов"));
    expect(forms[0]).toContain("write the forms for one | few | many | other");
    const zh = await my.chat.say(
      COORDINATOR,
      "более {n} стартапа-участника | более {n} стартапов-участников | более {n} стартапов-участников | более {n} стартапа-участника",
    );
    expect(last(zh)).toContain("How it reads in Chinese");
    expect(last(zh)).not.toContain("forms");
    const saved = await my.chat.say(COORDINATOR, "{n}多家初创企业成员");
    expect(texts(saved)).toContain("✓ Kept in the draft.");
    expect(last(saved)).toContain("1. ≥ 1200 — member startups");

    expect((await draft(COORDINATOR))?.record.figures).toEqual([
      {
        value: 1200,
        atLeast: true,
        label: { en: "member startups", fr: "start-up membres", ru: "стартапов-участников", zh: "初创企业成员" },
        text: {
          en: "more than {n} member startups",
          fr: "plus de {n} start-up membres",
          ru: {
            one: "более {n} стартапа-участника",
            few: "более {n} стартапов-участников",
            many: "более {n} стартапов-участников",
            other: "более {n} стартапа-участника",
          },
          zh: "{n}多家初创企业成员",
        },
      },
    ]);
    await submitAndApprove();
    expect(my.chat.deps.search.get(id)?.figures[0]?.value).toBe(1200);
    const card = calls(await my.chat.say(STRANGER, `/start r_${id}`), "sendMessage")[0]!;
    expect(plain(card)).toContain("more than 1,200 member startups");
    // In Russian, the form of 1200 ("many").
    const cardRu = calls(await my.chat.say(STRANGER + 1, `/start r_${id}`, { languageCode: "ru" }), "sendMessage")[0]!;
    expect(plain(cardRu)).toContain("более 1200 стартапов-участников");
  });

  it("changes one sub-field of an existing figure, keeping the other languages, and removes another", async () => {
    const id = "bri-urumqi-innovation-conference-2024";
    const before = my.chat.deps.search.get(id)!.figures;
    await my.chat.say(COORDINATOR, `/edit ${id}`);
    const list = await my.chat.press(COORDINATOR, "ed:f:figures");
    expect(last(list)).toContain("1. 71 — cooperation agreements signed");
    const item = await my.chat.press(COORDINATOR, itemButton(list, "figures", 0));
    expect(last(item)).toContain("What it counts: cooperation agreements signed");
    const sub = buttonData(item).find((d) => d.startsWith("ed:u:figures.0.") && d.endsWith(".value"))!;
    const asked = await my.chat.press(COORDINATOR, sub);
    expect(last(asked)).toContain("Now: 71");
    expect(buttonData(asked)).toContain("ed:n");
    const changed = await my.chat.say(COORDINATOR, "72");
    expect(last(changed)).toContain("item 1");
    expect(last(changed)).toContain("Number: 72");

    // Removing the second one; the list is shown again without it.
    const again = await my.chat.press(COORDINATOR, "ed:f:figures");
    const second = await my.chat.press(COORDINATOR, itemButton(again, "figures", 1));
    const removeData = buttonData(second).find((d) => d.startsWith("ed:t:figures.1."))!;
    const removed = await my.chat.press(COORDINATOR, removeData);
    expect(texts(removed)[0]).toBe("🗑 Removed from the draft.");
    // The same button again (a stale screen) finds the list changed and removes nothing else.
    const stale = await my.chat.press(COORDINATOR, removeData, { force: true });
    expect(texts(stale)[0]).toContain("This list has changed");
    const figures = (await draft(COORDINATOR))!.record.figures as { value: number }[];
    expect(figures.map((f) => f.value)).toEqual([72, ...before.slice(2).map((f) => f.value)]);

    await submitAndApprove();
    const live = my.chat.deps.search.get(id)!.figures;
    expect(live.map((f) => f.value)).toEqual([72, ...before.slice(2).map((f) => f.value)]);
    expect(live[0]!.text).toEqual(before[0]!.text);
  });

  it("adds a contact with only what was typed, refusing a wrong e-mail at its step, and the contacts view shows it", async () => {
    await my.chat.say(COORDINATOR, `/edit ${ID}`);
    await my.chat.press(COORDINATOR, "ed:f:contacts");
    await my.chat.press(COORDINATOR, "ed:+:contacts");
    await say(COORDINATOR, "ASEAN Secretariat", "Secrétariat de l'ASEAN", "Секретариат АСЕАН");
    const email = await my.chat.say(COORDINATOR, "东盟秘书处");
    expect(last(email)).toContain("E-mail: send the value");
    expect(last(email)).toContain("never a guessed one");
    const wrong = texts(await my.chat.say(COORDINATOR, "public.affairs at asean.org"));
    expect(wrong[0]).toContain("“public.affairs at asean.org” is not an e-mail address");
    expect(wrong[0]).toContain("E-mail: send the value");
    const phone = await my.chat.say(COORDINATOR, "public@asean.org");
    expect(last(phone)).toContain("Phone");
    await my.chat.say(COORDINATOR, "-"); // no phone
    await my.chat.press(COORDINATOR, "ed:d"); // no web address
    expect(texts(await my.chat.say(COORDINATOR, "aseansec"))[0]).toContain("is not a Telegram @username");
    await my.chat.press(COORDINATOR, "ed:d"); // no Telegram
    const done = await my.chat.press(COORDINATOR, "ed:d"); // no note
    expect(last(done)).toContain("1. ASEAN Secretariat");
    expect((await draft(COORDINATOR))?.record.contacts).toEqual([
      {
        name: { en: "ASEAN Secretariat", fr: "Secrétariat de l'ASEAN", ru: "Секретариат АСЕАН", zh: "东盟秘书处" },
        email: "public@asean.org",
      },
    ]);

    await submitAndApprove();
    expect(my.chat.deps.search.get(ID)?.contacts).toHaveLength(1);
    const contacts = calls(await my.chat.press(STRANGER, `r:K:${ID}`, { force: true }), "sendMessage")[0]!;
    expect(plain(contacts)).toContain("ASEAN Secretariat");
    expect(plain(contacts)).toContain("public@asean.org");
  });

  it("edits a contact's note in four languages and removes the contact", async () => {
    const id = "china-asean-innovation-contest";
    await my.chat.say(COORDINATOR, `/edit ${id}`);
    const list = await my.chat.press(COORDINATOR, "ed:f:contacts");
    const item = await my.chat.press(COORDINATOR, itemButton(list, "contacts", 0));
    await my.chat.press(
      COORDINATOR,
      buttonData(item).find((d) => d.endsWith(".note"))!,
    );
    await my.chat.say(COORDINATOR, "Write to the centre in Nanning.");
    // The reading rules of catalog:check, at the language's own step: French wants a no-break space before “;”.
    const typography = texts(await my.chat.say(COORDINATOR, "Écrire au centre ; à Nanning."));
    expect(typography[0]).toContain("typography rules for this language refuse this text");
    expect(typography[0]).toContain("How to approach them in French");
    await say(COORDINATOR, "Écrire au centre à Nanning.", "Писать в центр в Наньнине.", "可致函南宁的中心。");
    expect(((await draft(COORDINATOR))?.record.contacts as { note: unknown }[])[0]!.note).toEqual({
      en: "Write to the centre in Nanning.",
      fr: "Écrire au centre à Nanning.",
      ru: "Писать в центр в Наньнине.",
      zh: "可致函南宁的中心。",
    });

    const shownAgain = await my.chat.press(COORDINATOR, "ed:f:contacts");
    const opened = await my.chat.press(COORDINATOR, itemButton(shownAgain, "contacts", 0));
    await my.chat.press(
      COORDINATOR,
      buttonData(opened).find((d) => d.startsWith("ed:t:contacts.0."))!,
    );
    expect((await draft(COORDINATOR))?.record.contacts).toBeUndefined();
    await submitAndApprove();
    expect(my.chat.deps.search.get(id)?.contacts).toEqual([]);
  });

  it("adds an organiser and a partner (a record and countries checked at their steps), removes a partner, and the details show them", async () => {
    const id = "bgi-huoyan-lab-brunei";
    await my.chat.say(COORDINATOR, `/edit ${id}`);
    await my.chat.press(COORDINATOR, "ed:f:organisers");
    await my.chat.press(COORDINATOR, "ed:+:organisers");
    await say(
      COORDINATOR,
      "Guangxi Department of Science and Technology",
      "Département des sciences et technologies du Guangxi",
      "Департамент науки и технологий Гуанси",
      "广西科技厅",
    );
    expect(texts(await my.chat.say(COORDINATOR, "no-such-record"))[0]).toContain(
      "No catalog record has the id “no-such-record”",
    );
    await my.chat.say(COORDINATOR, "guangxi-science-technology-department");
    expect(texts(await my.chat.say(COORDINATOR, "CN, XX"))[0]).toMatch(/“XX” is not an assigned ISO country code/);
    const organisers = await my.chat.say(COORDINATOR, "cn");
    expect(last(organisers)).toContain("2. Guangxi Department of Science and Technology");

    await my.chat.press(COORDINATOR, "ed:m");
    await my.chat.press(COORDINATOR, "ed:f:partners");
    const partners = await my.chat.press(COORDINATOR, "ed:+:partners");
    expect(last(partners)).toContain("Name in English");
    await say(
      COORDINATOR,
      "Universiti Brunei Darussalam",
      "Université Brunei Darussalam",
      "Университет Бруней-Даруссалам",
      "文莱达鲁萨兰大学",
    );
    await my.chat.press(COORDINATOR, "ed:d"); // no catalog record
    const added = await my.chat.say(COORDINATOR, "BN");
    expect(last(added)).toContain("2. Universiti Brunei Darussalam");
    const first = await my.chat.press(COORDINATOR, itemButton(added, "partners", 0));
    await my.chat.press(
      COORDINATOR,
      buttonData(first).find((d) => d.startsWith("ed:t:partners.0."))!,
    );

    await submitAndApprove();
    const live = my.chat.deps.search.get(id)!;
    expect(live.organisers.at(-1)).toEqual({
      name: {
        en: "Guangxi Department of Science and Technology",
        fr: "Département des sciences et technologies du Guangxi",
        ru: "Департамент науки и технологий Гуанси",
        zh: "广西科技厅",
      },
      record: "guangxi-science-technology-department",
      countries: ["CN"],
    });
    expect(live.partners).toEqual([
      {
        name: {
          en: "Universiti Brunei Darussalam",
          fr: "Université Brunei Darussalam",
          ru: "Университет Бруней-Даруссалам",
          zh: "文莱达鲁萨兰大学",
        },
        countries: ["BN"],
      },
    ]);
    const details = plain(calls(await my.chat.press(STRANGER, `r:D:${id}`, { force: true }), "sendMessage")[0]!);
    expect(details).toContain("Guangxi Department of Science and Technology");
    expect(details).toContain("Universiti Brunei Darussalam");
    expect(details).not.toContain("Brunei,");
  });

  it("adds a link (its address checked at its step), changes its address, removes the old one, and the details link to it", async () => {
    await my.chat.say(COORDINATOR, `/edit ${ID}`);
    const list = await my.chat.press(COORDINATOR, "ed:f:links");
    expect(last(list)).toContain("1. ASEAN official website");
    await my.chat.press(COORDINATOR, "ed:+:links");
    expect(texts(await my.chat.say(COORDINATOR, "ftp://asean.org/files"))[0]).toContain(
      "is not a web address starting with https:// or http://",
    );
    await my.chat.say(COORDINATOR, "https://asean.org/our-communities");
    const title = await say(COORDINATOR, "ASEAN communities");
    expect(last(title)).toContain("Link text in French");
    const added = await say(COORDINATOR, "Communautés de l'ASEAN", "Сообщества АСЕАН", "东盟共同体");
    expect(last(added)).toContain("2. ASEAN communities");

    const item = await my.chat.press(COORDINATOR, itemButton(added, "links", 1));
    await my.chat.press(
      COORDINATOR,
      buttonData(item).find((d) => d.endsWith(".url"))!,
    );
    await my.chat.say(COORDINATOR, "https://asean.org/community");
    const old = await my.chat.press(
      COORDINATOR,
      itemButton(await my.chat.press(COORDINATOR, "ed:f:links"), "links", 0),
    );
    await my.chat.press(
      COORDINATOR,
      buttonData(old).find((d) => d.startsWith("ed:t:links.0."))!,
    );

    await submitAndApprove();
    expect(my.chat.deps.search.get(ID)?.links).toEqual([
      {
        url: "https://asean.org/community",
        title: { en: "ASEAN communities", fr: "Communautés de l'ASEAN", ru: "Сообщества АСЕАН", zh: "东盟共同体" },
      },
    ]);
    const details = calls(await my.chat.press(STRANGER, `r:D:${ID}`, { force: true }), "sendMessage")[0]!;
    expect(String(details.text)).toContain('<a href="https://asean.org/community">ASEAN communities</a>');
  });

  it("an item left half-way changes nothing; forged and malformed item buttons are refused", async () => {
    await my.chat.say(COORDINATOR, `/edit ${ID}`);
    await my.chat.press(COORDINATOR, "ed:f:links");
    await my.chat.press(COORDINATOR, "ed:+:links");
    await my.chat.say(COORDINATOR, "https://asean.org/half-way");
    await my.chat.press(COORDINATOR, "ed:f:links"); // back to the list before the title
    expect((await draft(COORDINATOR))?.record.links).toEqual([expect.objectContaining({ url: "https://asean.org" })]);

    // Someone who is not a coordinator: refused and audited, nothing opened.
    const forged = await my.chat.press(STRANGER, "ed:+:figures", { force: true });
    expect(calls(forged, "answerCallbackQuery").map((a) => a.text)).toEqual(["Only coordinators can use this button."]);
    expect(await draft(STRANGER)).toBeUndefined();
    expect(
      calls(await my.chat.press(STRANGER, "ed:i:links.0.zzzzzz", { force: true }), "answerCallbackQuery").map(
        (a) => a.text,
      ),
    ).toEqual(["Only coordinators can use this button."]);
    // Malformed payloads (a sub-field links do not have, a hash that is not one, an unknown list, an inherited key) decode to nothing.
    for (const bad of [
      "ed:u:links.0.abcdef.email",
      "ed:i:links.0.zzzzzz",
      "ed:+:related",
      "ed:i:links.100.abcdef",
      "ed:constructor",
    ]) {
      const answer = await my.chat.press(COORDINATOR, bad, { force: true });
      expect(calls(answer, "answerCallbackQuery")[0]?.text, bad).toBe(
        "This editing button is not valid. Start again with /edit or /new.",
      );
      expect(calls(answer, "sendMessage"), bad).toEqual([]);
    }
    // Well-formed, but not the item the list holds: the list is shown as it is.
    const other = await my.chat.press(COORDINATOR, "ed:t:links.0.abcdef", { force: true });
    expect(texts(other)[0]).toContain("This list has changed");
    expect((await draft(COORDINATOR))?.record.links).toHaveLength(1);
  });
  it("a list item the rules refuse at the preview is asked again at its own sub-field", async () => {
    await my.chat.say(COORDINATOR, `/edit ${ID}`);
    // As a draft could hold it when the rules changed under it.
    const session = (await my.chat.deps.state.sessions.read(`user:${COORDINATOR}`))!;
    session.recordDraft!.record.contacts = [
      {
        name: { en: "ASEAN Secretariat", fr: "Secrétariat de l'ASEAN", ru: "Секретариат АСЕАН", zh: "东盟秘书处" },
        phone: "12",
      },
    ];
    await my.chat.deps.state.sessions.write(`user:${COORDINATOR}`, session);
    const preview = await my.chat.press(COORDINATOR, "ed:v");
    expect(texts(preview)).toHaveLength(1);
    expect(texts(preview)[0]).toContain("“12” is not a phone number");
    expect(texts(preview)[0]).toContain("Phone: send the value");
    const fixed = await my.chat.say(COORDINATOR, "+62 21 7262991");
    expect(last(fixed)).toContain("Phone: +62 21 7262991");
    expect(buttonData(await my.chat.press(COORDINATOR, "ed:v"))).toContain("ed:s");
  });

  it("sets the publisher of a source no other record cites, and leaves the publisher other records name alone", async () => {
    await my.chat.say(COORDINATOR, `/edit ${ID}`);
    const shared = await my.chat.press(COORDINATOR, "ed:f:publisher");
    expect(texts(shared)[0]).toContain("This source’s publisher is the one its other records name");
    await my.chat.press(COORDINATOR, "ed:f:source");
    await my.chat.say(COORDINATOR, "099_0123456789abcdef.txt");
    // A file no record cites: no publisher is carried over or made up.
    expect((await draft(COORDINATOR))?.record.source).toEqual({ file: "099_0123456789abcdef.txt", date: "2022-10-26" });
    const asked = await my.chat.press(COORDINATOR, "ed:f:publisher");
    expect(last(asked)).toContain("Publisher in English");
    // A slip the reading rules refuse is said at the language typed, not at the preview.
    const slip = texts(await my.chat.say(COORDINATOR, "the ASEAN  Secretariat"));
    expect(slip[0]).toContain("typography rules for this language refuse this text");
    expect(slip[0]).toContain("Publisher in English");
    await say(COORDINATOR, "the ASEAN Secretariat", "le Secrétariat de l'ASEAN", "Секретариат АСЕАН", "东盟秘书处");
    await submitAndApprove();
    expect(my.chat.deps.search.get(ID)?.source.publisher?.en).toBe("the ASEAN Secretariat");
    expect(plain(calls(await my.chat.say(STRANGER, `/start r_${ID}`), "sendMessage")[0]!)).toContain(
      "Source: the ASEAN Secretariat",
    );
  });
});
