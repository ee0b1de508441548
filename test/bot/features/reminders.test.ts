// Application deadlines end to end, against the fake Bot API: the card of a record with a deadline
// ahead says when it ends (day, time, zone) and offers ⏰ and 📅; ⏰ plans reminders 7 days and 1 day
// before; 📅 sends an .ics file, read back here with ical.js; /reminders lists and removes them; a due
// reminder is written in the language the user reads at that moment; the live catalog's changes move
// or end the reminders. Time is moved by the reminders' clock, never waited for.
import type { Api } from "grammy";
import ICAL from "ical.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reminderInstant } from "../../../src/catalog/deadlines.js";
import type { CatalogRecord } from "../../../src/catalog/schema.js";
import { reminderDelivery } from "../../../src/bot/features/reminders.js";
import { createReminding, type Reminding } from "../../../src/app/reminders.js";
import type { BotDeps } from "../../../src/bot/context.js";
import { createBullReminders } from "../../../src/reminders/bull.js";
import { createMemoryReminders } from "../../../src/reminders/memory.js";
import type { ReminderService } from "../../../src/reminders/types.js";
import { testDeps } from "../../helpers/bot-deps.js";
import { calls, chatWith, data, label, plain, shown, toast, useFakeBotApi, type Chat } from "../../helpers/chat.js";
import type { RecordedCall } from "../../helpers/fake-bot-api.js";
import { redisForTests } from "../../helpers/redis-server.js";
import { until } from "../../helpers/until.js";
import { MovableClock } from "../../reminders/behaviour.js";

const ID = "grant-call-2031";
const LABEL = {
  en: "Applications close",
  fr: "Clôture des candidatures",
  ru: "Приём заявок заканчивается",
  zh: "申请截止",
};

const my = useFakeBotApi();
let chat: Chat;
let clock: MovableClock;
let reminders: ReminderService;
let wiring: Reminding;
let user = 7000;
/** The live catalog and state every test's bot is built on. */
let base: BotDeps;

beforeAll(async () => {
  // One live catalog (and engine) for the file; each test puts the record afresh.
  base = await testDeps({ live: {} });
});
afterAll(async () => {
  await base.live!.close();
});

/** What sends a due reminder, as the bot process does: rendered from the live catalog, sent with `telegram`. */
const delivery = (deps: BotDeps, telegram: Api) =>
  reminderDelivery(
    { search: deps.search, i18n: deps.i18n, sessions: deps.state.sessions, logger: deps.logger },
    telegram,
  );

beforeEach(async () => {
  user++;
  clock = new MovableClock();
  // Each test's bot has reminders of its own, on a clock of its own, following the live catalog.
  chat = await chatWith(my.api, {
    base,
    services: (deps, telegram) => {
      reminders = createMemoryReminders({ hooks: delivery(deps, telegram), clock });
      wiring = createReminding({ config: {}, deps, api: telegram, reminders });
      return { reminders };
    },
  });
  await wiring.start();
  await chat.deps.live!.put(grant([{ date: "2031-05-20", label: LABEL }]));
});

afterEach(async () => {
  await wiring.close();
  await reminders.close();
});

/** A record of the bundled catalog under a new id, with these deadlines. */
function grant(deadlines: NonNullable<CatalogRecord["dates"]>["deadlines"]): CatalogRecord {
  const base = chat.deps.search.catalog.records.find((r) => r.kind === "programme")!;
  return { ...structuredClone(base), id: ID, dates: { ...base.dates, deadlines } };
}

function documents(all: RecordedCall[]): RecordedCall[] {
  return all.filter((c) => c.method === "sendDocument");
}

function calendar(call: RecordedCall): ICAL.Component {
  const file = call.files[0]!;
  expect(file.filename).toMatch(/\.ics$/);
  return new ICAL.Component(ICAL.parse(file.data.toString("utf8")));
}

describe("a card with a deadline ahead", () => {
  it("says the day, the time and the zone, and offers ⏰ and 📅; without a deadline ahead, neither", async () => {
    const card = shown(await chat.say(user, `/start r_${ID}`));
    expect(plain(card)).toContain("⏰ Applications close on 20 May 2031 (until 23:59 UTC)");
    expect(data(card)).toEqual(expect.arrayContaining([`dl:r:${ID}`, `dl:c:${ID}`]));
    expect(label(card, `dl:r:${ID}`)).toBe("⏰ Remind me");
    expect(label(card, `dl:c:${ID}`)).toBe("📅 Add to calendar");

    await chat.deps.live!.put(grant([{ date: "2031-05-20", time: "17:00", zone: "Asia/Shanghai", label: LABEL }]));
    const timed = shown(await chat.say(user, `/start r_${ID}`, { languageCode: "fr" }));
    expect(plain(timed)).toContain("⏰ Applications close on 20 May 2031 at 17:00 (GMT+8)");

    await chat.deps.live!.put(grant([{ date: "2020-05-20", label: LABEL }]));
    const passed = shown(await chat.say(user, `/start r_${ID}`));
    expect(plain(passed)).not.toContain("Applications close");
    expect(data(passed).some((d) => d.startsWith("dl:"))).toBe(false);
    // A button pressed after the deadline passed.
    expect(toast(await chat.press(user, `dl:r:${ID}`, { force: true }))).toBe("This deadline has passed.");
  });
});

describe("⏰ remind me", () => {
  it("plans the reminders 7 days and 1 day before, says when, and lists them in /reminders with a 🔕 button", async () => {
    clock.comeIn(Date.parse("2031-05-01T00:00:00Z"), 0);
    await chat.say(user, `/start r_${ID}`);
    const answer = toast(await chat.press(user, `dl:r:${ID}`));
    expect(answer).toContain("13 May and 19 May");
    expect(await reminders.has(user, ID)).toBe(true);

    const list = shown(await chat.say(user, "/reminders"));
    expect(plain(list)).toContain("Your deadline reminders");
    expect(plain(list)).toContain("Applications close on 20 May 2031 (until 23:59 UTC)");
    expect(plain(list)).toContain("Next reminder: 13 May");
    expect(data(list)).toEqual([`dl:x:${ID}`]);

    const after = await chat.press(user, `dl:x:${ID}`);
    expect(toast(after)).toBe("🔕 Reminders stopped");
    expect(plain(shown(after))).toContain("You have no deadline reminders");
    expect(await reminders.has(user, ID)).toBe(false);
    // Pressed again (an old list): nothing to stop.
    expect(toast(await chat.press(user, `dl:x:${ID}`, { force: true }))).toBe(
      "You had no reminders about this record.",
    );
  });

  it("a deadline less than a day away gets no reminder, and says so", async () => {
    clock.comeIn(Date.parse("2031-05-20T12:00:00Z"), 0);
    await chat.say(user, `/start r_${ID}`);
    expect(toast(await chat.press(user, `dl:r:${ID}`))).toContain("less than a day away");
  });

  it("sends a due reminder in the language the user reads when it is sent, with the card", async () => {
    await chat.say(user, `/start r_${ID}`);
    // The clock stands 3 s before the reminder's time while the user presses and goes on; the time
    // comes, and the workers start, only once the user has switched languages.
    const sevenDaysBefore = reminderInstant({ date: "2031-05-20" }, 7);
    clock.standBefore(sevenDaysBefore, 3000);
    await chat.press(user, `dl:r:${ID}`);
    // The user goes on in Russian before the reminder is due.
    await chat.say(user, "Какие программы обмена есть для студентов?", { languageCode: "en" });
    clock.comeIn(sevenDaysBefore, 0);
    const mark = my.api.mark();
    await reminders.startWorkers();
    await until(
      () => my.api.calls.slice(mark).some((c) => c.method === "sendMessage" && c.payload.chat_id === user),
      15_000,
      "the reminder",
    );
    const reminder = calls(my.api.calls.slice(mark), "sendMessage").find((p) => p.chat_id === user)!;
    // HTML by the bot's default, as every text it writes.
    expect(reminder.parse_mode).toBe("HTML");
    expect(plain(reminder)).toMatch(
      /^⏰ Напоминание: осталось 7 дней\n⏰ Приём заявок заканчивается 20\sмая\s2031\sг\.\s\(до 23:59 по UTC\)/,
    );
    expect(data(reminder)).toEqual(expect.arrayContaining([`r:d:${ID}`, `dl:c:${ID}`, `dl:x:${ID}`]));
    expect((await reminders.list(user))[0]?.pending.map((r) => r.days)).toEqual([1]);

    // 🔕 under the reminder stops the rest.
    const stopped = await chat.press(user, `dl:x:${ID}`);
    expect(calls(stopped, "sendMessage").map((p) => plain(p))).toEqual([
      expect.stringContaining("Напоминания по карточке"),
    ]);
    expect(await reminders.has(user, ID)).toBe(false);
  });

  it("follows the live catalog: a moved deadline moves the reminders, a withdrawn record ends them", async () => {
    clock.comeIn(Date.parse("2031-05-01T00:00:00Z"), 0);
    await chat.say(user, `/start r_${ID}`);
    await chat.press(user, `dl:r:${ID}`);
    await chat.deps.live!.put(grant([{ date: "2031-06-30", label: LABEL }]));
    expect((await reminders.list(user))[0]?.pending.map((r) => r.deadline)).toEqual(["2031-06-30", "2031-06-30"]);
    await chat.deps.live!.remove(ID);
    expect(await reminders.list(user)).toEqual([]);
  });
});

describe("📅 add to calendar", () => {
  it("sends an .ics file: an all-day event on the deadline's day, the same UID each time, texts in the reader's language", async () => {
    await chat.say(user, `/start r_${ID}`);
    const first = documents(await chat.press(user, `dl:c:${ID}`));
    expect(first).toHaveLength(1);
    expect(String(first[0]!.payload.caption)).toContain("the deadline for your calendar");
    const [event] = calendar(first[0]!).getAllSubcomponents("vevent");
    const ev = new ICAL.Event(event);
    expect(ev.summary).toMatch(/^⏰ Applications close: /);
    expect(ev.startDate.isDate).toBe(true);
    expect(ev.startDate.toString()).toBe("2031-05-20");
    expect(ev.endDate.toString()).toBe("2031-05-21");
    expect(ev.description).toContain("Applications close on 20 May 2031 (until 23:59 UTC)");
    expect(ev.description).toContain(`https://t.me/${my.api.botInfo.username}?start=r_${ID}`);
    expect(event!.getFirstPropertyValue("url")).toBe(`https://t.me/${my.api.botInfo.username}?start=r_${ID}`);
    expect(event!.getAllSubcomponents("valarm").map((a) => String(a.getFirstPropertyValue("trigger")))).toEqual([
      "-P7D",
      "-P1D",
    ]);

    const again = documents(await chat.press(user, `dl:c:${ID}`, { languageCode: "fr" }));
    const [eventAgain] = calendar(again[0]!).getAllSubcomponents("vevent");
    expect(new ICAL.Event(eventAgain).uid).toBe(ev.uid);
    expect(ev.uid).toContain(ID);
  });

  it("a deadline moved to another day updates the event: the same UID, a greater SEQUENCE; another deadline is another event", async () => {
    const events = async () => {
      const [call] = documents(await chat.press(user, `dl:c:${ID}`));
      return calendar(call!)
        .getAllSubcomponents("vevent")
        .map((e) => ({
          uid: String(e.getFirstPropertyValue("uid")),
          sequence: Number(e.getFirstPropertyValue("sequence")),
          start: new ICAL.Event(e).startDate.toString(),
        }));
    };
    await chat.say(user, `/start r_${ID}`);
    const [before] = await events();
    expect(before).toMatchObject({
      uid: expect.stringContaining(`applications-close.${ID}@`) as string,
      start: "2031-05-20",
    });
    expect(await events()).toEqual([before]);

    // The deadline moves, and a deadline of another kind comes first: the moved one keeps its UID.
    const REPORT = {
      en: "Final reports due",
      fr: "Remise des rapports finaux",
      ru: "Сдача итоговых отчётов",
      zh: "提交最终报告",
    };
    await chat.deps.live!.put(
      grant([
        { date: "2031-04-01", label: REPORT },
        { date: "2031-06-03", label: LABEL },
      ]),
    );
    const after = await events();
    expect(after.map((e) => e.start)).toEqual(["2031-04-01", "2031-06-03"]);
    const moved = after[1]!;
    expect(moved.uid).toBe(before!.uid);
    expect(moved.sequence).toBeGreaterThan(before!.sequence);
    expect(after[0]!.uid).not.toBe(before!.uid);
    expect(after[0]!.sequence).toBe(moved.sequence);

    // Moved again: greater still.
    await chat.deps.live!.put(
      grant([
        { date: "2031-04-01", label: REPORT },
        { date: "2031-06-10", label: LABEL },
      ]),
    );
    const again = (await events())[1]!;
    expect(again).toMatchObject({ uid: before!.uid, start: "2031-06-10" });
    expect(again.sequence).toBeGreaterThan(moved.sequence);
  });

  it("a deadline with a time is an event at that moment", async () => {
    await chat.deps.live!.put(grant([{ date: "2031-05-20", time: "17:00", zone: "Asia/Shanghai", label: LABEL }]));
    await chat.say(user, "Какие программы обмена есть?");
    await chat.say(user, `/start r_${ID}`);
    const [call] = documents(await chat.press(user, `dl:c:${ID}`));
    const ev = new ICAL.Event(calendar(call!).getFirstSubcomponent("vevent")!);
    expect(ev.startDate.isDate).toBe(false);
    expect(ev.startDate.toJSDate().toISOString()).toBe("2031-05-20T09:00:00.000Z");
    expect(ev.summary).toMatch(/^⏰ Приём заявок заканчивается: /);
    expect(ev.description).toContain("в 17:00 (по GMT+8)");
  });
});

describe("across a restart, on Redis", () => {
  const redis = redisForTests();

  it("a reminder asked for under a card before the process stops is sent once by the process started after it", async () => {
    // The process that shows the card and takes the press: no reminder worker runs in it.
    const first = createBullReminders({ connection: redis.url, hooks: delivery(base, chat.bot.api), clock });
    const before = await chatWith(my.api, { base, deps: { reminders: first } });
    await before.say(user, `/start r_${ID}`);
    // Due 3 s after the press, however long the press takes (the clock stands while it plans).
    clock.standBefore(reminderInstant({ date: "2031-05-20" }, 7), 3000);
    expect(toast(await before.press(user, `dl:r:${ID}`))).toContain("I'll remind you");
    // It stops before the reminder is due.
    await first.close();

    // The process started after it.
    const second = createBullReminders({ connection: redis.url, hooks: delivery(base, chat.bot.api), clock });
    const mark = my.api.mark();
    try {
      await second.startWorkers();
      const reminderCalls = () =>
        calls(my.api.calls.slice(mark), "sendMessage").filter(
          (p) => p.chat_id === user && plain(p).startsWith("⏰ Reminder"),
        );
      await until(() => reminderCalls().length === 1, 30_000, "the reminder after the restart");
      expect(plain(reminderCalls()[0]!)).toContain("Reminder: 7 days left");
      expect((await second.list(user))[0]?.pending.map((r) => r.days)).toEqual([1]);
      expect(reminderCalls()).toHaveLength(1);
    } finally {
      await second.close();
    }
  }, 60_000);
});
