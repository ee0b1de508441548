import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ALLOWED_UPDATES } from "../../src/app/index.js";
import { bundledEngine } from "../helpers/bot-deps.js";
import { startTestBot, type TestBot } from "../helpers/bot-harness.js";

let bot: TestBot | undefined;

// The bots these tests start share the worker's search engine: built here, in the hook's time, not in
// the first test's.
beforeAll(async () => {
  await bundledEngine();
});

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("polling mode (production start path, fake Bot API)", () => {
  it("connects, drops any webhook, sets the command menus, polls with the allowed updates and answers /start", async () => {
    bot = await startTestBot({ mode: "polling" });
    const { api } = bot;
    expect(api.callsOf("getMe").length).toBeGreaterThan(0);
    expect(api.callsOf("deleteWebhook")).toHaveLength(1);
    expect(api.callsOf("setMyCommands").length).toBeGreaterThan(0);
    const poll = await api.waitForCall("getUpdates");
    expect(poll.payload.allowed_updates).toEqual([...ALLOWED_UPDATES]);
    const reply = await bot.reply("/start");
    expect(reply.method).toBe("sendMessage");
    expect(reply.payload.chat_id).toBe(1001);
  });

  it("serves /healthz while polling", async () => {
    bot = await startTestBot({ mode: "polling" });
    const res = await fetch(`${bot.serverUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", mode: "polling", state: "memory" });
  });

  it("stops cleanly: the runner ends, the server closes, no getUpdates after stop", async () => {
    bot = await startTestBot({ mode: "polling" });
    await bot.api.waitForCall("getUpdates");
    await bot.running.stop();
    const polls = bot.api.callsOf("getUpdates").length;
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.api.callsOf("getUpdates").length).toBe(polls);
    await expect(fetch(`${bot.serverUrl}/healthz`)).rejects.toThrow();
  });
});

describe("webhook mode (production start path, fake Bot API)", () => {
  it("registers the webhook with its secret and the allowed updates, then answers /start delivered to it", async () => {
    bot = await startTestBot({ mode: "webhook" });
    const { api } = bot;
    const hook = api.webhook;
    expect(hook?.url).toMatch(/^https:\/\/coopdesk\.example\/telegram\//);
    expect(hook?.secretToken).toBe(bot.app.config.WEBHOOK_SECRET);
    expect(hook?.allowedUpdates).toEqual([...ALLOWED_UPDATES]);
    expect(api.callsOf("setMyCommands").length).toBeGreaterThan(0);
    expect(api.callsOf("getUpdates")).toHaveLength(0);
    const reply = await bot.reply("/start");
    expect(reply.method).toBe("sendMessage");
  });
});
