// Coordinators' flows keep their screens in the coordinator's language while the coordinator types content
// in another: a broadcast and its variants, a record's values, a review comment, a reply to askers, a
// record's id. Checked with the language chosen by /language and with the conversation's language.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { STEP, VARIANT_STEPS } from "../../../src/bot/features/broadcast/draft.js";
import { COMMENT_STEP, VALUE_STEP } from "../../../src/bot/features/edit.js";
import { LANGUAGE_STEP } from "../../../src/bot/features/language.js";
import { RECORD_STEP, REPLY_STEP } from "../../../src/bot/features/unanswered.js";
import { isContentStep } from "../../../src/bot/middlewares/language.js";
import { translator, type Translate } from "../../../src/i18n.js";
import { calls, chatWith, useFakeBotApi, type Chat } from "../../helpers/chat.js";
import { HARNESS_TOKEN, type RecordedCall } from "../../helpers/fake-bot-api.js";

const my = useFakeBotApi({ token: HARNESS_TOKEN });
let chat: Chat;
let fr: Translate;

/** Each test is a coordinator (an administrator, for the review) of their own, on one bot. */
const ADMINS = Array.from({ length: 20 }, (_, i) => 9301 + i);
let ADMIN = 0;
let nextAdmin = 0;
const ASKER = 9402;
/** Unanswered questions of each run of the /unanswered test, unlike each other. */
const UNANSWERED: [string, string][] = [
  ["zeolite membrane fellowship", "quantum gravity pizza"],
  ["perovskite solar scholarship", "lunar cheese orchestra"],
];

beforeAll(async () => {
  chat = await chatWith(my.api, { settings: { adminIds: ADMINS }, live: {}, broadcasting: { ratePerSecond: 200 } });
  fr = translator(chat.deps.i18n, "fr");
});
afterAll(async () => {
  await chat.close();
});
beforeEach(() => {
  ADMIN = ADMINS[nextAdmin++]!;
});

/** The texts the bot sent or edited into the coordinator's chat. */
function screens(all: RecordedCall[]): string[] {
  return all
    .filter((c) => (c.method === "sendMessage" || c.method === "editMessageText") && c.payload.chat_id === ADMIN)
    .map((c) => String(c.payload.text));
}

const say = async (text: string) => screens(await chat.say(ADMIN, text, { languageCode: "fr" }));
const press = async (data: string) => screens(await chat.press(ADMIN, data, { languageCode: "fr", force: true }));

/** The ways a coordinator comes to read the bot in French. */
const SETUPS = {
  "chosen with /language": async () => {
    await say("/language");
    await press("l:fr");
    expect((await chat.deps.state.sessions.read(`user:${ADMIN}`))?.langChosen).toBe(true);
  },
  "the conversation's language": async () => {
    await say("Bonjour, quels incubateurs y a-t-il au Kazakhstan ?");
    const session = await chat.deps.state.sessions.read(`user:${ADMIN}`);
    expect(session?.lang).toBe("fr");
    expect(session?.langChosen).toBeFalsy();
  },
};

describe.each(Object.entries(SETUPS))(
  "a coordinator reading French (%s) types content in other languages",
  (_name, setUp) => {
    beforeEach(() => setUp());

    it("/broadcast: the message, a variant, a time and an expiry date typed in English, Russian and Chinese", async () => {
      await chat.deps.state.subscriptions.set(ASKER, { topics: [], kinds: [], countries: [], lang: "en" });
      expect(await say("/broadcast")).toEqual([fr("broadcast:compose")]);
      expect((await say("Hydrogen forum in Almaty\nRegistration is open until the fifth of March."))[0]).toContain(
        fr("broadcast:draft.title"),
      );
      await press("bc:v:ru");
      expect((await say("Водородный форум в Алматы\nРегистрация открыта до пятого марта."))[0]).toContain(
        fr("broadcast:draft.title"),
      );
      await press("bc:s");
      expect(await say("明天上午九点")).toEqual([fr("broadcast:schedule.format")]);
      expect(await say("next Tuesday morning please")).toEqual([fr("broadcast:schedule.format")]);
      await press("bc:x");
      const wrongDate = await say("the thirty-first of February");
      expect(wrongDate[0]).toMatch(/^Envoyez une date entre /);
      expect((await press("bc:ed")).join("\n")).toContain(fr("broadcast:draft.title"));
    });

    it("/edit: the values of a record typed in English, Russian and Chinese, and a wrong one", async () => {
      expect(await say("/edit asean")).toEqual([fr("edit:menu.edit", { id: "asean" })]);
      await press("ed:f:summary");
      const field = fr("edit:field.summary");
      expect((await say("A new English summary of the association."))[0]).toContain(
        fr("edit:ask.localized", { field, language: fr("edit:lang.fr") }),
      );
      expect((await say("Un nouveau résumé de l’association."))[0]).toContain(
        fr("edit:ask.localized", { field, language: fr("edit:lang.ru") }),
      );
      expect((await say("Новое краткое описание ассоциации."))[0]).toContain(
        fr("edit:ask.localized", { field, language: fr("edit:lang.zh") }),
      );
      const done = await say("东盟的新简介。");
      expect(done[0]).toBe(fr("edit:saved"));
      expect(done[1]).toBe(fr("edit:menu.edit", { id: "asean" }));
      await press("ed:f:countries");
      const refused = await say("Kazakhstan and somewhere else");
      expect(refused[0]).toContain(fr("edit:ask.value", { field: fr("edit:field.countries") }));
    });

    it("/new, then the review: an id and values typed in English, a rejection comment in Russian", async () => {
      expect(await say("/new")).toEqual([
        fr("edit:newStarted"),
        expect.stringContaining(fr("edit:ask.value", { field: fr("edit:field.id") })),
      ]);
      expect((await say("steppe-hydrogen-valley"))[0]).toContain(
        fr("edit:ask.value", { field: fr("edit:field.kind") }),
      );
      await say("/edit asean");
      await press("ed:f:title");
      for (let i = 0; i < 3; i++) await press("ed:n");
      await say("ASEAN — an updated Chinese title");
      await press("ed:v");
      await press("ed:s");
      const edit = (await chat.deps.state.edits.pending(20)).find((e) => e.author === ADMIN)!.id;
      expect(await press(`ed:r:${edit}`)).toEqual([fr("edit:review.askComment", { edit })]);
      const rejected = await chat.say(ADMIN, "Какой источник это подтверждает? Пожалуйста, укажите документ.", {
        languageCode: "fr",
      });
      expect(screens(rejected)).toContain(fr("edit:review.rejected", { edit }));
    });

    it("/unanswered: a reply to the askers typed in English, a record id typed", async () => {
      // Questions of this test alone, newer than any other: the first two groups of the list.
      const [older, newer] = UNANSWERED.shift()!;
      const asked = { lang: "en" as const, userId: ASKER, chatId: ASKER, reason: "no-match" as const, score: 0.1 };
      await chat.deps.state.questions.add({ ...asked, text: older, at: new Date(Date.now() - 60_000).toISOString() });
      await chat.deps.state.questions.add({
        ...asked,
        text: newer,
        userId: ASKER + 1,
        chatId: ASKER + 1,
        at: new Date(Date.now() - 30_000).toISOString(),
      });
      expect((await say("/unanswered"))[0]).toContain(fr("coordinator:unanswered.title"));
      await press("q:g:1");
      await press("q:i:1");
      expect(await say("membrane-fellowship-record")).toEqual([
        fr("coordinator:triage.pick.unknown", { id: "membrane-fellowship-record" }),
      ]);
      expect((await say("asean"))[0]).toContain(
        fr("coordinator:triage.pick.confirm", { example: older, chats: fr("coordinator:reply.chats", { count: 1 }) }),
      );
      await press("q:x");
      await say("/unanswered");
      await press("q:g:0");
      await press("q:r:0");
      const sent = await chat.say(ADMIN, "We have no record about this yet, sorry: we are looking for one.", {
        languageCode: "fr",
      });
      expect(screens(sent)).toEqual([
        fr("coordinator:reply.sent", { chats: fr("coordinator:reply.chats", { count: 1 }) }),
      ]);
      // The asker reads it in their own language.
      expect(String(calls(sent, "sendMessage").find((m) => m.chat_id === ASKER + 1)?.text)).toContain(
        "A coordinator answered your question",
      );
    });
  },
);

describe("isContentStep", () => {
  it("covers every step of the coordinators' flows, and nothing else", () => {
    for (const step of [
      STEP.compose,
      STEP.schedule,
      STEP.expires,
      STEP.record,
      ...VARIANT_STEPS.map(([, s]) => s),
      VALUE_STEP,
      COMMENT_STEP,
      REPLY_STEP,
      RECORD_STEP,
    ])
      expect(isContentStep(step), step).toBe(true);
    for (const step of [undefined, "question", LANGUAGE_STEP, "replying", "broadcast"])
      expect(isContentStep(step), String(step)).toBe(false);
  });
});
