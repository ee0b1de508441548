// /edit sets, changes and removes a record's application deadline: the day (with a time and a zone
// when the source states them) checked by the catalog's rules at its step, then what it closes in the
// four languages; the published record's card says it, and its reminders follow.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { calls, chatWith, data, plain, useFakeBotApi, type Chat } from "../../helpers/chat.js";

const my = useFakeBotApi();
let chat: Chat;

const ADMIN = 9201;
const ID = "asean";

beforeAll(async () => {
  chat = await chatWith(my.api, { settings: { adminIds: [ADMIN] }, live: {} });
  await chat.deps.state.sessions.write(`user:${ADMIN}`, { lang: "en", langChosen: true });
});
afterAll(async () => {
  await chat.deps.live!.close();
});
beforeEach(() => my.api.reset());

const texts = (all: Awaited<ReturnType<Chat["say"]>>) => calls(all, "sendMessage").map(plain);

describe("the deadline in /edit", () => {
  it("refuses a wrong deadline at its step, asks what it closes in four languages, and publishes it", async () => {
    const menu = await chat.say(ADMIN, `/edit ${ID}`);
    expect(calls(menu, "sendMessage").flatMap(data)).toEqual(
      expect.arrayContaining(["ed:f:deadline", "ed:f:deadlineLabel"]),
    );
    const asked = await chat.press(ADMIN, "ed:f:deadline");
    expect(texts(asked).join("\n")).toContain("YYYY-MM-DD");

    for (const wrong of ["2031-05", "2031-02-30", "2031-05-20 25:00", "2031-05-20 17:00 Beijing"]) {
      const refused = texts(await chat.say(ADMIN, wrong));
      expect(refused[0], wrong).toContain("not a deadline the catalog accepts");
    }
    const label = texts(await chat.say(ADMIN, "2031-05-20 9:30 Asia/Shanghai"));
    expect(label.join("\n")).toMatch(/What the deadline closes.*English/s);
    await chat.say(ADMIN, "Applications close");
    await chat.say(ADMIN, "Clôture des candidatures");
    await chat.say(ADMIN, "Приём заявок заканчивается");
    const saved = texts(await chat.say(ADMIN, "申请截止"));
    expect(saved.join("\n")).toContain("✓");

    await chat.press(ADMIN, "ed:v");
    await chat.press(ADMIN, "ed:p");
    expect(chat.deps.search.get(ID)?.dates?.deadlines).toEqual([
      {
        date: "2031-05-20",
        time: "09:30",
        zone: "Asia/Shanghai",
        label: {
          en: "Applications close",
          fr: "Clôture des candidatures",
          ru: "Приём заявок заканчивается",
          zh: "申请截止",
        },
      },
    ]);
    const card = calls(await chat.say(ADMIN, `/start r_${ID}`), "sendMessage")[0]!;
    expect(plain(card)).toContain("⏰ Applications close on 20 May 2031 at 09:30 (GMT+8)");
    expect(data(card)).toContain(`dl:r:${ID}`);

    // Moved to a day (its label kept), then removed.
    await chat.say(ADMIN, `/edit ${ID}`);
    await chat.press(ADMIN, "ed:f:deadline");
    expect(texts(await chat.say(ADMIN, "2031-06-01")).join("\n")).toContain("✓");
    await chat.press(ADMIN, "ed:v");
    await chat.press(ADMIN, "ed:p");
    expect(chat.deps.search.get(ID)?.dates?.deadlines).toEqual([
      { date: "2031-06-01", label: expect.objectContaining({ en: "Applications close" }) },
    ]);

    await chat.say(ADMIN, `/edit ${ID}`);
    await chat.press(ADMIN, "ed:f:deadline");
    await chat.say(ADMIN, "-");
    await chat.press(ADMIN, "ed:v");
    await chat.press(ADMIN, "ed:p");
    expect(chat.deps.search.get(ID)?.dates?.deadlines).toBeUndefined();
  });
});
