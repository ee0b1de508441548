import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BotDeps } from "../../src/bot/context.js";
import { createMemoryState } from "../../src/state/memory.js";
import { chatWith, useFakeBotApi, type Chat } from "../helpers/chat.js";
import { HARNESS_TOKEN } from "../helpers/fake-bot-api.js";
import { captureLogs } from "../helpers/logs.js";

/**
 * Internal error texts (a Redis OOM message, a Lua script hash) never reach users or coordinators: they
 * get a plain message in their language with a short error id, and the same id is in the log line.
 */

const INTERNAL =
  "OOM command not allowed when used memory > 'maxmemory'. script: e0e1f9fabfc9d4800c877a703b823ac0578ff8db";
const ERROR_ID = /\b([0-9A-F]{6})\b/;

const my = useFakeBotApi({ token: HARNESS_TOKEN });

describe("a user whose update fails", () => {
  it.each([
    ["en", /^Sorry, something went wrong on our side\./],
    ["fr", /^Désolé, un problème est survenu/],
    ["ru", /^Извините, у нас что-то пошло не так/],
    ["zh", /^抱歉，我们这边出了点问题/],
  ])("gets a plain apology in their language (%s) with the error id of the log line", async (lang, apology) => {
    const logs = captureLogs();
    const state = createMemoryState({ ttlSeconds: 3600 });
    state.sessions.write = () => Promise.reject(new Error(INTERNAL));
    const chat = await chatWith(my.api, { state, deps: { logger: logs.logger } });
    const calls = await chat.say(7101, "/help", { languageCode: lang });
    const text = String(calls.filter((c) => c.method === "sendMessage").at(-1)?.payload.text);
    expect(text).toMatch(apology);
    expect(text).not.toMatch(/OOM|maxmemory|script|e0e1f9/);
    const id = ERROR_ID.exec(text)?.[1];
    expect(id).toMatch(/^[0-9A-F]{6}$/);
    expect(logs.lines().find((l) => l.msg === "update failed")).toMatchObject({ errorId: id, message: INTERNAL });
  });
});

describe("a coordinator whose broadcast cannot be scheduled", () => {
  const COORDINATOR = 7201;
  let chat: Chat;
  let deps: BotDeps;
  const logs = captureLogs();

  beforeEach(async () => {
    my.api.reset({ state: true });
    chat = await chatWith(my.api, {
      deps: { logger: logs.logger },
      broadcasting: { ratePerSecond: 200, maxAttempts: 2 },
    });
    deps = chat.deps;
    await deps.state.roles.grant(COORDINATOR);
    await deps.state.subscriptions.set(7202, { topics: [], kinds: [], countries: [], lang: "en" });
  });
  afterEach(() => chat.close());

  it("sees an error id, not the error's text", async () => {
    vi.spyOn(deps.delivery!, "schedule").mockRejectedValue(new Error(INTERNAL));
    const say = (text: string) => chat.say(COORDINATOR, text);
    const press = (data: string) => chat.press(COORDINATOR, data, { force: true });
    await say("/broadcast");
    await say("Water week in Tashkent");
    await press("bc:e");
    await press("bc:p");
    await press("bc:ok");
    const shown = chat.botMessages(COORDINATOR).at(-1)?.text ?? "";
    expect(shown).toMatch(/^⚠️ The broadcast could not be scheduled because of a problem on our side/);
    expect(shown).not.toMatch(/OOM|maxmemory|script|e0e1f9/);
    const id = ERROR_ID.exec(shown)?.[1];
    expect(id).toMatch(/^[0-9A-F]{6}$/);
    expect(logs.lines().find((l) => l.msg === "broadcast not scheduled")).toMatchObject({
      errorId: id,
      message: INTERNAL,
    });
  });
});
