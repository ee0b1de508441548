import fc from "fast-check";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../helpers/bot-harness.js";
import type { RecordedCall } from "../helpers/fake-bot-api.js";
import { captureLogs } from "../helpers/logs.js";

/**
 * Generated updates posted to the webhook of the real app (webhook mode, fake Bot API on
 * 127.0.0.1): messages, commands, callback queries with forged data, inline queries, my_chat_member and
 * edited messages, with hostile text and missing or mistyped fields. Whatever comes in: no 5xx, no
 * failure outside the error boundary nor inside a feature, and every call the bot makes is one Telegram
 * accepts (texts within 4096 characters, HTML it can parse, toasts within 200) — the only refusals
 * allowed are those a forged update earns (a callback query id Telegram never issued, a message that
 * was never sent, a chat that blocked the bot).
 */

/**
 * 2,000 updates in an ordinary run, always the same ones (a fixed seed); FUZZ_UPDATES and FUZZ_SEED
 * ask for more, or others, reproducibly: `FUZZ_UPDATES=10000 FUZZ_SEED=7 npx vitest run test/e2e/fuzz.test.ts`.
 * A failure reports its seed and path, for fast-check to replay it.
 */
const UPDATES = envInteger("FUZZ_UPDATES", 2_000);
const SEED = envInteger("FUZZ_SEED", 20_261_201);
const BATCH = 50;
const ADMIN = 424_242;
const COORDINATOR = 434_343;

function envInteger(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** Telegram's answers that a forged or replayed update can rightly get. */
const EARNED_REFUSAL =
  /query is too old|message to edit not found|message is not modified|message can't be edited|there is no text in the message to edit|Forbidden: bot was (blocked|kicked)|Forbidden: bot is not a member|message to delete not found/;

// ---------------------------------------------------------------------------------------------------
// Arbitraries

const QUESTIONS = [
  "incubators in Kazakhstan",
  "инкубаторы в Казахстане",
  "哈萨克斯坦的孵化器",
  "incubateurs en Ouzbékistan",
  "SCO digital economy forum",
  "how many agreements were signed at the China-ASEAN forum?",
  "contacts",
  "more",
  "in Kazakhstan?",
  "а в Узбекистане?",
  "merci",
  "👍",
];
const COMMANDS = [
  "/start",
  "/help",
  "/language",
  "/programmes",
  "/incubators",
  "/initiatives",
  "/events",
  "/subscribe",
  "/subscriptions",
  "/unsubscribe",
  "/broadcast",
  "/broadcasts",
  "/unanswered",
  "/audit",
  "/grant 434343",
  "/revoke 434343",
  "/grant abc",
  "/start r_incubator-wuhan",
  "/start r_no-such-record",
  "/start r_<b>",
  "/start@coopdesk_test_bot",
  "/help@other_bot",
  "/unknown",
  "/",
];
const HOSTILE = [
  "<b>bold</b>",
  "</i>",
  '<a href="javascript:alert(1)">x</a>',
  "<script>alert(1)</script>",
  "&amp;&lt;&gt;&#0;&#x110000;",
  "& < > \" '",
  "\u202etxet",
  "\u0000\u0001\u001f",
  "\ufeff",
  "\u200b\u200d",
  "👨‍👩‍👧‍👦🏳️‍🌈",
  "Z̷̢̛̛̛a̶l̷g̴o̸",
  "${{}}{{id}}$t(errors:generic)",
  "%s%n%x",
  "../../etc/passwd",
  "@coopdesk_test_bot",
  "http://example.org/?a=<b>",
  "```code```",
  "*bold* _it_ [x](y)",
];

const text: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...QUESTIONS) },
    { weight: 3, arbitrary: fc.constantFrom(...COMMANDS) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...HOSTILE, ...QUESTIONS), fc.string({ maxLength: 12 })), {
          minLength: 1,
          maxLength: 6,
        })
        .map((parts) => parts.join(" ")),
    },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 300 }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...HOSTILE)
        .chain((h) => fc.integer({ min: 100, max: 4096 }).map((n) => h.repeat(Math.ceil(n / h.length)).slice(0, n))),
    },
  )
  .filter((t) => t.trim().length > 0);

const languageCode = fc.option(fc.constantFrom("en", "fr", "ru", "zh", "zh-hans", "pt-br", "de", "", "xx-YY"), {
  nil: undefined,
});

const user = fc.record({
  id: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 2_000_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(ADMIN, COORDINATOR) },
  ),
  is_bot: fc.boolean().map((b) => b && Math.random() < 0.1),
  first_name: fc.oneof(fc.constantFrom("Ana", "Иван", "李", "<b>x</b>"), fc.string({ minLength: 1, maxLength: 64 })),
  language_code: languageCode,
  username: fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{4,31}$/), { nil: undefined }),
});

type Chat = { id: number; type: "private" | "group" | "supergroup"; title?: string };
const groupChat: fc.Arbitrary<Chat> = fc
  .record({
    id: fc.integer({ min: 1, max: 1_000_000 }),
    type: fc.constantFrom("group" as const, "supergroup" as const),
    title: fc.string({ minLength: 1, maxLength: 40 }),
  })
  .map((c) => ({ ...c, id: c.type === "supergroup" ? -(1_000_000_000_000 + c.id) : -c.id }));

/** A chat for a user: their private chat, or a group. */
const place = user.chain((u) =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.constant<Chat>({ id: u.id, type: "private" }) },
      { weight: 1, arbitrary: groupChat },
    )
    .map((chat) => ({ user: u, chat })),
);

const callbackData: fc.Arbitrary<string> = fc
  .oneof(
    fc
      .constantFrom(
        "v:u:",
        "v:d:",
        "r:d:",
        "r:c:",
        "r:k:",
        "q:r:",
        "q:p:",
        "p:",
        "l:",
        "s:u:",
        "b:n:KZ:-:",
        "f:p:c:-:-:",
        "bc:",
      )
      .chain((prefix) =>
        fc
          .oneof(
            fc.constantFrom(
              "incubator-wuhan",
              "xinjiang-central-asia-incubator",
              "0",
              "1",
              "99",
              "fr",
              "auto",
              "*",
              "ok",
              "p",
              "q",
              "x",
              "ls",
              "-1",
              "KZ",
            ),
            fc.string({ maxLength: 20 }),
          )
          .map((s) => prefix + s),
      ),
    fc.constantFrom("q:x", "s:v", "bc:ok", "bc:p", "bc:q", "bc:a", "bc:ed", "noop", "", ":", "::::"),
    fc.string({ maxLength: 64 }),
  )
  .filter((d) => Buffer.byteLength(d) <= 64);

const BOT = { id: 123456, is_bot: true, first_name: "Cooperation Desk", username: "coopdesk_test_bot" };

function commandEntities(t: string) {
  const command = /^\/\S+/.exec(t);
  const entities: { type: string; offset: number; length: number }[] = command
    ? [{ type: "bot_command", offset: 0, length: command[0].length }]
    : [];
  for (const m of t.matchAll(/@coopdesk_test_bot\b/g))
    entities.push({ type: "mention", offset: m.index, length: m[0].length });
  return entities.length ? { entities } : {};
}

const message = fc
  .record({ where: place, text, messageId: fc.integer({ min: 1, max: 1_000_000 }), replyToBot: fc.boolean() })
  .map(({ where, text: t, messageId, replyToBot }) => ({
    message_id: messageId,
    date: 1_790_000_000,
    chat: where.chat,
    from: where.user,
    text: t,
    ...commandEntities(t),
    ...(replyToBot && where.chat.type !== "private"
      ? {
          reply_to_message: {
            message_id: messageId - 1,
            date: 1_790_000_000,
            chat: where.chat,
            from: BOT,
            text: "An earlier answer",
          },
        }
      : {}),
  }));

const callback = fc
  .record({
    where: place,
    data: callbackData,
    messageId: fc.integer({ min: 1, max: 1_000 }),
    withMessage: fc.boolean(),
  })
  .map(({ where, data, messageId, withMessage }) => ({
    id: "",
    from: where.user,
    chat_instance: "fuzz",
    data,
    ...(withMessage
      ? {
          message: {
            message_id: messageId,
            date: 1_790_000_000,
            chat: where.chat,
            from: BOT,
            text: "A message with a button",
            reply_markup: { inline_keyboard: [[{ text: "button", callback_data: data || "x" }]] },
          },
        }
      : {}),
  }));

const inline = fc
  .record({
    from: user,
    query: fc.oneof(
      text.map((t) => t.slice(0, 256)),
      fc.constant(""),
    ),
    offset: fc.constantFrom("", "5", "10", "abc", "-1", "99999"),
  })
  .map((q) => ({ id: "", ...q }));

const member = place.chain((where) =>
  fc.constantFrom("kicked", "member", "left").map((status) => ({
    chat: where.chat,
    from: where.user,
    date: 1_790_000_000,
    old_chat_member: { status: status === "member" ? "left" : "member", user: BOT },
    new_chat_member: status === "kicked" ? { status, user: BOT, until_date: 0 } : { status, user: BOT },
  })),
);

type Payload = Record<string, unknown>;
const validUpdate: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 8, arbitrary: message.map((m) => ({ message: m })) },
  { weight: 5, arbitrary: callback.map((c) => ({ callback_query: c })) },
  { weight: 3, arbitrary: inline.map((q) => ({ inline_query: q })) },
  { weight: 1, arbitrary: member.map((m) => ({ my_chat_member: m })) },
  { weight: 1, arbitrary: message.map((m) => ({ edited_message: { ...m, edit_date: 1_790_000_100 } })) },
);

const MANGLE_PATHS = [
  "message.from",
  "message.from.id",
  "message.from.language_code",
  "message.from.is_bot",
  "message.chat",
  "message.chat.id",
  "message.chat.type",
  "message.text",
  "message.entities",
  "message.reply_to_message",
  "message.date",
  "callback_query.from",
  "callback_query.data",
  "callback_query.message",
  "callback_query.message.chat",
  "callback_query.message.reply_markup",
  "callback_query.id",
  "inline_query.query",
  "inline_query.from",
  "inline_query.offset",
  "my_chat_member.new_chat_member",
  "my_chat_member.chat",
  "edited_message.from",
  "update_id",
];
const WRONG = [null, 42, -1, 1.5, "", "text", true, [], [1, "a"], {}, { id: "1" }, "\ud800"];

/** A valid update with one field removed or of the wrong type, or a body that is no update at all. */
const malformed: fc.Arbitrary<Payload | string> = fc.oneof(
  fc
    .record({
      update: validUpdate,
      path: fc.constantFrom(...MANGLE_PATHS),
      value: fc.option(fc.constantFrom(...WRONG), { nil: undefined }),
    })
    .map(({ update, path, value }) => {
      const copy = structuredClone(update);
      const keys = path.split(".");
      let target: Payload | undefined = copy;
      for (const key of keys.slice(0, -1)) target = target?.[key] as Payload | undefined;
      if (target && typeof target === "object") {
        const last = keys.at(-1)!;
        if (value === undefined) delete target[last];
        else target[last] = value;
      }
      return copy;
    }),
  fc.constantFrom(
    "null",
    "[]",
    "[{}]",
    "42",
    '"update"',
    "true",
    "{",
    "",
    "{}",
    '{"update_id":"1"}',
    '{"update_id":1e400}',
    "[".repeat(5000),
  ),
);

const anyUpdate = fc.oneof(
  { weight: 3, arbitrary: validUpdate.map((u) => ({ valid: true as const, body: u })) },
  { weight: 2, arbitrary: malformed.map((u) => ({ valid: false as const, body: u })) },
);

// ---------------------------------------------------------------------------------------------------

describe(`fuzzing the webhook with ${UPDATES.toLocaleString("en")} generated updates`, () => {
  const logs = captureLogs("warn");
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let bot: TestBot;
  let nextId = 900_000_000;

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    bot = await startTestBot({ mode: "webhook", logger: logs.logger, env: { ADMIN_IDS: String(ADMIN) } });
    await bot.app.deps.state.roles.grant(COORDINATOR);
    await bot.app.deps.state.subscriptions.set(COORDINATOR, { topics: [], kinds: [], countries: [], lang: "en" });
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await bot.stop();
  });

  /** Posts one update: a valid one through the fake Telegram (which then knows its queries and messages), anything else as raw bytes. */
  async function post(item: { valid: boolean; body: Payload | string }): Promise<number> {
    if (item.valid && typeof item.body === "object") {
      const update = { ...item.body, update_id: nextId++ } as Payload;
      for (const key of ["callback_query", "inline_query"])
        if (update[key]) (update[key] as Payload).id = `fuzz-${nextId}`;
      return (await bot.api.deliverToWebhook(update as unknown as Update, { url: bot.webhookUrl })).status;
    }
    const body = typeof item.body === "string" ? item.body : JSON.stringify({ update_id: nextId++, ...item.body });
    const res = await fetch(bot.webhookUrl as string, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": bot.app.config.WEBHOOK_SECRET as string,
      },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }

  it(
    "never answers 5xx, never fails outside the error boundary or inside a feature, and makes only calls Telegram accepts",
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(anyUpdate, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const codes = await Promise.all(batch.map(post));
          for (const code of codes) statuses.set(code, (statuses.get(code) ?? 0) + 1);
          expect(codes.filter((c) => c >= 500)).toEqual([]);
        }),
        { numRuns: Math.ceil(UPDATES / BATCH), seed: SEED, endOnFailure: true },
      );

      expect([...statuses.keys()].every((s) => s === 200 || s === 400)).toBe(true);
      expect(unhandled).toEqual([]);
      const failures = logs
        .lines()
        .filter(
          (l) => (l.level as number) >= 50 || /outside the error boundary|HTTP request failed/.test(String(l.msg)),
        );
      expect(failures.slice(0, 5)).toEqual([]);

      const refused = bot.api.calls.filter(
        (c: RecordedCall) => c.response && !c.response.ok && !EARNED_REFUSAL.test(c.response.description),
      );
      expect(
        refused.slice(0, 5).map((c) => ({
          method: c.method,
          description: c.response?.ok === false ? c.response.description : "",
          text: String(c.payload.text ?? "").slice(0, 200),
        })),
      ).toEqual([]);
      for (const call of bot.api.calls) {
        if (call.method === "answerCallbackQuery" && typeof call.payload.text === "string")
          expect(call.payload.text.length).toBeLessThanOrEqual(200);
      }
      // The fuzz reached the bot's features, not only its input checks (at 10,000 updates: over 1,000
      // messages sent, 500 callback queries and 300 inline queries answered).
      expect(bot.api.callsOf("sendMessage").length).toBeGreaterThan(UPDATES / 10);
      expect(bot.api.callsOf("answerCallbackQuery").length).toBeGreaterThan(UPDATES / 20);
      expect(bot.api.callsOf("answerInlineQuery").length).toBeGreaterThan(UPDATES / 33);
    },
    // A bound on a hang: a loaded machine takes minutes over what takes seconds on an idle one.
    360_000 * Math.max(1, UPDATES / 10_000),
  );
});
