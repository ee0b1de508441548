// A broadcast's application deadline: the coordinator gives one while composing (a day, or a time in a
// zone), the draft and the confirmation say it as cards do, the announcement record carries it, and
// every recipient gets ⏰ and 📅 under the message, which plan reminders and send an .ics as under a card.
import ICAL from "ical.js";
import type { Message } from "grammy/types";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { announcementId } from "../../../../src/announcements/record.js";
import type { BotDeps } from "../../../../src/bot/context.js";
import { reminderDelivery } from "../../../../src/bot/features/reminders.js";
import { createReminding, type Reminding } from "../../../../src/app/reminders.js";
import { createMemoryReminders } from "../../../../src/reminders/memory.js";
import type { ReminderService } from "../../../../src/reminders/types.js";
import { testDeps } from "../../../helpers/bot-deps.js";
import { calls, chatWith, toast, useFakeBotApi, type Chat } from "../../../helpers/chat.js";
import { HARNESS_TOKEN } from "../../../helpers/fake-bot-api.js";
import { eventually } from "../../../helpers/until.js";
import { MovableClock } from "../../../reminders/behaviour.js";

const COORDINATOR = 5301;
const RECIPIENTS = [7101, 7102];

const my = useFakeBotApi({ token: HARNESS_TOKEN });
let chat: Chat;
let deps: BotDeps;
/** The live catalog and state every test's bot is built on. */
let base: BotDeps;
let reminders: ReminderService;
let reminding: Reminding;

beforeAll(async () => {
  base = await testDeps({ live: {} });
});
afterAll(async () => {
  await base.live!.close();
});
beforeEach(async () => {
  my.api.reset({ state: true });
  // Each test's bot has a delivery engine and reminders of its own.
  chat = await chatWith(my.api, {
    base,
    broadcasting: { maxAttempts: 2 },
    services: (deps, telegram) => {
      reminders = createMemoryReminders({
        hooks: reminderDelivery(
          { search: deps.search, i18n: deps.i18n, sessions: deps.state.sessions, logger: deps.logger },
          telegram,
        ),
        clock: new MovableClock(),
      });
      reminding = createReminding({ config: {}, deps, api: telegram, reminders });
      return { reminders };
    },
  });
  deps = chat.deps;
  await reminding.start();
  await deps.state.roles.grant(COORDINATOR);
  for (const [i, id] of RECIPIENTS.entries())
    await deps.state.subscriptions.set(id, { topics: [], kinds: [], countries: [], lang: i === 0 ? "en" : "ru" });
});
afterEach(async () => {
  await reminding.close();
  await reminders.close();
  await chat.close();
});

const say = (text: string) => chat.say(COORDINATOR, text);
const press = (data: string) => chat.press(COORDINATOR, data, { force: true });
const panel = (): string => chat.botMessages(COORDINATOR).at(-1)!.text ?? "";

describe("a broadcast with an application deadline", () => {
  it("is said in the draft and the confirmation, carried by the announcement, and offers ⏰ and 📅 to every recipient", async () => {
    await say("/broadcast");
    await say("Lunar greenhouse call for proposals\nTeams of two universities apply together.");
    expect(panel()).toContain("⏰ Application deadline: none");
    await press("bc:d");
    expect(panel()).toContain("Send the application deadline");

    // Refused with the rule, and asked again.
    await say("next Friday");
    expect(panel()).toContain("Send a day like 2027-03-15");
    await say("2020-01-10");
    expect(panel()).toBe("This deadline has already passed. Send one still ahead.");
    await say("2031-05-20 17:00 Mars/Olympus");
    expect(panel()).toContain("Send a day like 2027-03-15");

    await say("2031-05-20 17:00 Asia/Shanghai");
    const draft = panel();
    expect(draft).toContain("⏰ Applications close on 20 May 2031 at 17:00 (GMT+8)");
    // Found (and reminded of) until its deadline at least.
    expect(draft).toContain("Found in the catalog until: 20 May 2031");
    const id = (await deps.state.sessions.read(`user:${COORDINATOR}`))!.broadcast!.id;

    await press("bc:e");
    await press("bc:p");
    expect(panel()).toContain("⏰ Applications close on 20 May 2031 at 17:00 (GMT+8)");
    await press("bc:ok");
    await eventually(async () => (await deps.delivery!.status(id))?.state === "done", "the broadcast to finish");

    const record = deps.search.get(announcementId(id))!;
    expect(record.dates?.deadlines).toEqual([
      {
        date: "2031-05-20",
        time: "17:00",
        zone: "Asia/Shanghai",
        label: {
          en: "Applications close",
          fr: "Clôture des candidatures",
          ru: "Приём заявок заканчивается",
          zh: "申请截止",
        },
      },
    ]);
    expect(record.expires).toBe("2031-05-20");

    const received = (user: number): Message => chat.botMessages(user).at(-1)!;
    const buttons = (m: Message) =>
      (m.reply_markup?.inline_keyboard ?? [])
        .flat()
        .map((b) => [b.text, "callback_data" in b ? b.callback_data : undefined]);
    expect(buttons(received(RECIPIENTS[0]!))).toEqual(
      expect.arrayContaining([
        ["⏰ Remind me", `dl:r:${record.id}`],
        ["📅 Add to calendar", `dl:c:${record.id}`],
      ]),
    );
    expect(buttons(received(RECIPIENTS[1]!))).toEqual(expect.arrayContaining([["⏰ Напомнить", `dl:r:${record.id}`]]));

    const [recipient] = RECIPIENTS;
    expect(toast(await chat.press(recipient!, `dl:r:${record.id}`))).toContain(
      "I'll remind you in our private chat on 13 May and 19 May",
    );
    expect((await reminders.list(recipient!)).map((r) => r.recordId)).toEqual([record.id]);

    const [file] = calls(await chat.press(recipient!, `dl:c:${record.id}`), "sendDocument");
    expect(file).toBeDefined();
    const sent = my.api.calls.filter((c) => c.method === "sendDocument").at(-1)!;
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(sent.files[0]!.data.toString("utf8"))).getFirstSubcomponent("vevent")!,
    );
    expect(event.startDate.toJSDate().toISOString()).toBe("2031-05-20T09:00:00.000Z");
    expect(event.summary).toMatch(/^⏰ Applications close: Lunar greenhouse call for proposals/);
  });

  it("without a deadline, recipients get no ⏰ nor 📅; a deadline given then taken away leaves none", async () => {
    await say("/broadcast");
    await say("Hydrogen forum news");
    await press("bc:d");
    await say("2031-05-20");
    expect(panel()).toContain("⏰ Applications close on 20 May 2031 (until 23:59 UTC)");
    await press("bc:du");
    expect(chat.botMessages(COORDINATOR).at(-1)!.text).toContain("⏰ Application deadline: none");

    // A deadline the broadcast would go out after is refused, and one set before the schedule moved past it is dropped.
    const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await press("bc:s");
    await say(`${day(3)} 10:00 UTC`);
    await press("bc:d");
    await say(day(2));
    expect(panel()).toBe(
      "This deadline passes before the broadcast is sent. Send a later one, or send the broadcast earlier.",
    );
    await say(day(5));
    expect(panel()).toContain("⏰ Applications close on");
    await press("bc:s");
    await say(`${day(6)} 10:00 UTC`);
    expect(panel()).toContain("⏰ Application deadline: none");
    await press("bc:n");
    const id = (await deps.state.sessions.read(`user:${COORDINATOR}`))!.broadcast!.id;
    await press("bc:e");
    await press("bc:p");
    await press("bc:ok");
    await eventually(async () => (await deps.delivery!.status(id))?.state === "done", "the broadcast to finish");
    expect(deps.search.get(announcementId(id))?.dates?.deadlines).toBeUndefined();
    const keyboard = chat.botMessages(RECIPIENTS[0]!).at(-1)!.reply_markup?.inline_keyboard.flat() ?? [];
    expect(keyboard.some((b) => "callback_data" in b && b.callback_data?.startsWith("dl:"))).toBe(false);
  });
});
