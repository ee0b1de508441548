import { Bot, GrammyError } from "grammy";
import { describe, expect, it } from "vitest";
import { lateBoundClient } from "../../src/app/bot-client.js";

// The services built before the bot (src/app/compose.ts) send with this stand-in for the bot's client.
describe("the bot's client for services built before the bot (src/app/bot-client.ts)", () => {
  it("fails a call made before the bot exists", () => {
    const telegram = lateBoundClient();
    expect(() => telegram.api.sendMessage(1, "hi")).toThrow(/not bound yet \(sendMessage\)/);
    // Asking whether it is a promise is no call.
    expect((telegram.api as unknown as { then?: unknown }).then).toBeUndefined();
  });

  it("once bound, calls go out on the bot's own client, through transformers installed on it later", async () => {
    const telegram = lateBoundClient();
    const bot = new Bot("0:test-token-never-sent");
    telegram.bind(bot.api);
    const seen: { method: string; payload: unknown }[] = [];
    // Installed after the binding, as the console installs its own after the app is built.
    bot.api.config.use(async (_prev, method, payload) => {
      seen.push({ method, payload });
      if (method === "editMessageText")
        return { ok: false, error_code: 400, description: "Bad Request: message is not modified" };
      return { ok: true, result: { message_id: 7 } as never };
    });

    expect(await telegram.api.sendMessage(42, "<b>hi</b>", { parse_mode: "HTML" })).toEqual({ message_id: 7 });
    expect(seen).toEqual([{ method: "sendMessage", payload: { chat_id: 42, text: "<b>hi</b>", parse_mode: "HTML" } }]);
    const refused = await telegram.api.editMessageText(42, 7, "same").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GrammyError);
    expect((refused as GrammyError).description).toContain("not modified");
    expect(telegram.api.token).toBe(bot.token);
  });

  it("is bound to one client only", () => {
    const telegram = lateBoundClient();
    const bot = new Bot("0:test-token-never-sent");
    telegram.bind(bot.api);
    telegram.bind(bot.api);
    expect(() => telegram.bind(new Bot("0:another").api)).toThrow(/already bound/);
  });
});
