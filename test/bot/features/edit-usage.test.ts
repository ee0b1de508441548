import { beforeEach, describe, expect, it } from "vitest";
import { checkCatalogUsage } from "../../../src/catalog/usage.js";
import { calls, data, plain, useChat, type Chat } from "../../helpers/chat.js";

/**
 * A record made or changed in chat follows the rules `npm run catalog:check` applies to the files
 * (short titles, typography, a source's publisher), so its exported file passes the check.
 */

const ADMIN = 9201;

const my = useChat({ resetState: true, chat: { settings: { adminIds: [ADMIN] }, live: {} } });
beforeEach(async () => {
  await my.chat.deps.state.sessions.write(`user:${ADMIN}`, { lang: "en", langChosen: true });
});

const texts = (all: Awaited<ReturnType<Chat["say"]>>) => calls(all, "sendMessage").map(plain);
const buttonData = (all: Awaited<ReturnType<Chat["say"]>>) => calls(all, "sendMessage").flatMap(data);

/** /new up to the field menu, with these titles and source file. */
async function newRecord(id: string, titles: string[], source = "000_a272ed8cbe79a218.txt"): Promise<void> {
  await my.chat.say(ADMIN, "/new");
  await my.chat.say(ADMIN, id);
  await my.chat.press(ADMIN, "ed:k:programme");
  for (const t of titles) await my.chat.say(ADMIN, t);
  for (const t of [
    "A summer school on seed banks.",
    "Une école d’été sur les banques de semences.",
    "Летняя школа о банках семян.",
    "关于种子库的暑期学校。",
  ])
    await my.chat.say(ADMIN, t);
  await my.chat.say(ADMIN, "KZ");
  await my.chat.say(ADMIN, "agriculture");
  await my.chat.say(ADMIN, "students");
  await my.chat.say(ADMIN, source);
  const menu = await my.chat.say(ADMIN, "2025-09-01");
  expect(buttonData(menu)).toContain("ed:v");
}

const TITLES = ["Seed bank school", "École des banques de semences", "Школа банков семян", "种子库学校"];

describe("records edited in chat follow the catalog check's rules", () => {
  it("a title too long for a button is taken, then a short title is asked for in each language before the preview", async () => {
    const long = "École d’été internationale des banques de semences des plantes de la toundra";
    await newRecord("zz-seed-bank-school", [TITLES[0]!, long, TITLES[2]!, TITLES[3]!]);
    const asked = await my.chat.press(ADMIN, "ed:v");
    expect(texts(asked)).toHaveLength(1);
    expect(texts(asked)[0]).toContain("too long for buttons and lists");
    expect(texts(asked)[0]).toContain("Short title in English");
    for (const t of ["Seed bank school", "École des semences", "Школа семян", "种子库学校"])
      await my.chat.say(ADMIN, t);
    const preview = await my.chat.press(ADMIN, "ed:v");
    expect(buttonData(preview)).toContain("ed:p");
    await my.chat.press(ADMIN, "ed:p");
    const record = my.chat.deps.search.get("zz-seed-bank-school")!;
    expect(record.short?.fr).toBe("École des semences");
    expect(
      checkCatalogUsage({
        records: [...my.chat.deps.search.catalog.records.filter((r) => r.id !== record.id), record],
      }).filter((p) => p.recordId === record.id),
    ).toEqual([]);
  });

  it("refuses French without its no-break spaces at the step, in the coordinator's language, quoting the words", async () => {
    await my.chat.say(ADMIN, "/edit asean");
    await my.chat.press(ADMIN, "ed:f:summary");
    await my.chat.press(ADMIN, "ed:n");
    const refused = await my.chat.say(ADMIN, "L'ANASE: dix pays.");
    expect(texts(refused)[0]).toContain("typography rules");
    expect(texts(refused)[0]).toContain("“L'ANASE: dix pays.”");
    expect(texts(refused)[0]).toContain("Summary in French");
    expect(texts(refused)[0]).not.toContain("no-break");
    // Asked again for the same language; a correct text goes on to Russian.
    const next = await my.chat.say(ADMIN, "L'ANASE\u00a0: dix pays.");
    expect(texts(next)[0]).toContain("Summary in Russian");
  });

  it("refuses a short title another record has", async () => {
    await my.chat.say(ADMIN, "/edit asean");
    await my.chat.press(ADMIN, "ed:f:short");
    const refused = await my.chat.say(ADMIN, "China–ASEAN innovation camp");
    expect(texts(refused)[0]).toContain("china-asean-innovation-camp");
    expect(texts(refused)[0]).toContain("already has this short title");
  });

  it("names a source's publisher as the catalog's other records of that source do", async () => {
    await newRecord("zz-newswire-record", TITLES, "002_9f5c994f7650918c.txt");
    await my.chat.press(ADMIN, "ed:v");
    await my.chat.press(ADMIN, "ed:p");
    expect(my.chat.deps.search.get("zz-newswire-record")?.source.publisher?.en).toBe("PR Newswire");
  });
});
