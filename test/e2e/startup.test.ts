import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StartupError } from "../../src/app/index.js";
import { makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { bundledEngine } from "../helpers/bot-deps.js";
import { startTestBot, type TestBot } from "../helpers/bot-harness.js";
import { HARNESS_TOKEN, apiError, startFakeBotApi, type FakeBotApi } from "../helpers/fake-bot-api.js";
import { startMain as startMainProcess } from "../helpers/main-process.js";
import { fixtureIndexFile } from "../helpers/saved-index.js";

/**
 * Tests that start `npm start`'s process (module loading, catalog and index build) get more time, and
 * their waits for it only bound a hang: on a loaded machine a start can take a minute.
 */
const SPAWN_TIMEOUT_MS = 180_000;
const PROCESS_WAIT_MS = 120_000;

/**
 * The processes read a two-record catalog (test/catalog/fixture.ts): what they show here does not depend
 * on the bundled one. They load its index, saved once per run, instead of building it.
 */
let catalogDir: string;
let indexFile: string;
beforeAll(async () => {
  catalogDir = (await makeCatalog()).dir;
  indexFile = await fixtureIndexFile();
  // The bots started in this process share the worker's search engine: built here, in the hook's time,
  // not in the first test's.
  await bundledEngine();
});
afterAll(removeFixtures);

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function startFailure(promise: Promise<TestBot>): Promise<StartupError> {
  try {
    bot = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    return error as StartupError;
  }
  throw new Error("expected the start to fail");
}

describe("start-up against Telegram", () => {
  it("a refused token stops the start at once with a clear message, without the token", async () => {
    const error = await startFailure(
      startTestBot({
        mode: "polling",
        prepare: (api) =>
          api.setHandler("getMe", () => {
            throw apiError({ error_code: 401, description: "Unauthorized" });
          }),
      }),
    );
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/Telegram refused the bot token \(401 Unauthorized\): check TELEGRAM_BOT_TOKEN/);
    expect(error.message).not.toContain(HARNESS_TOKEN.split(":")[1]);
  });

  it("Telegram unreachable for a while: retried with backoff, then the bot starts", async () => {
    let api: FakeBotApi | undefined;
    bot = await startTestBot({
      mode: "polling",
      prepare: (fake) => {
        api = fake;
        fake.failNext("getMe", { error_code: 502, description: "Bad Gateway", dropConnection: true }, 2);
      },
    });
    expect(api?.callsOf("getMe").length).toBeGreaterThanOrEqual(3);
    expect((await bot.reply("/start")).method).toBe("sendMessage");
  });

  it("Telegram unreachable for good: gives up after the attempts with exit code 1", async () => {
    const error = await startFailure(
      startTestBot({
        mode: "webhook",
        prepare: (api) =>
          api.failNext("getMe", { error_code: 502, description: "Bad Gateway", rawBody: "<html>502</html>" }, 10),
        start: { connectAttempts: 3, connectRetryMs: 10 },
      }),
    );
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/cannot reach Telegram at http:\/\/127\.0\.0\.1:\d+ after 3 attempts/);
  });

  it("failing command menus never stop the bot", async () => {
    bot = await startTestBot({
      mode: "webhook",
      prepare: (api) =>
        api.failNext("setMyCommands", { error_code: 400, description: "Bad Request: BOT_COMMAND_INVALID" }, 100),
    });
    expect((await bot.reply("/start")).method).toBe("sendMessage");
  });

  it("a refused setWebhook fails the start and frees the port", async () => {
    const error = await startFailure(
      startTestBot({
        mode: "webhook",
        prepare: (api) =>
          api.failNext("setWebhook", {
            error_code: 400,
            description: "Bad Request: bad webhook: Failed to resolve host",
          }),
      }),
    );
    expect(error.message).toMatch(/setWebhook failed: 400 Bad Request: bad webhook/);
  });

  it("long polling refused later (another instance, revoked token): the bot reports it stopped", async () => {
    bot = await startTestBot({ mode: "polling" });
    await bot.api.waitForCall("getUpdates");
    bot.api.failNext(
      "getUpdates",
      { error_code: 409, description: "Conflict: terminated by other getUpdates request" },
      5,
    );
    await expect(bot.running.done).rejects.toThrow(/long polling stopped: 409 Conflict/);
  });
});

// ---------------------------------------------------------------------------
// The process: npm start's entry point, its exit codes and signals

/** npm start's entry point with this environment, on the small catalog unless CATALOG_DIR is given. */
function startMain(env: Record<string, string>) {
  return startMainProcess({ CATALOG_DIR: catalogDir, SEARCH_INDEX_FILE: indexFile, ...env });
}

async function until(check: () => boolean, timeoutMs = PROCESS_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("npm start: the process", () => {
  it(
    "polling: answers, then stops on SIGTERM with exit code 0; JSON logs never hold the token",
    async () => {
      const api = await startFakeBotApi({ token: HARNESS_TOKEN, maxLongPollMs: 500 });
      try {
        const main = startMain({
          TELEGRAM_BOT_TOKEN: HARNESS_TOKEN,
          TELEGRAM_API_ROOT: api.apiRoot,
          HOST: "127.0.0.1",
          PORT: "0",
          LOG_LEVEL: "debug",
        });
        await api.waitForCall("getUpdates", undefined, PROCESS_WAIT_MS);
        const after = api.mark();
        api.pushUpdate(api.textMessage({ chatId: 7, userId: 7, text: "/start" }));
        await api.waitForCall("sendMessage", (p) => p.chat_id === 7, { after, timeoutMs: PROCESS_WAIT_MS });
        await until(() => main.output().includes('"bot started"'));
        main.child.kill("SIGTERM");
        const { code, stdout, stderr } = await main.exit;
        expect(code, stderr).toBe(0);
        const lines = stdout
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { msg: string });
        expect(lines.map((l) => l.msg)).toEqual(
          expect.arrayContaining(["connected to Telegram", "bot started", "stopping", "bot stopped"]),
        );
        expect(stdout + stderr).not.toContain(HARNESS_TOKEN.split(":")[1]);
      } finally {
        await api.close();
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "webhook: registers the webhook, answers an update POSTed to it, then stops on SIGINT with exit code 0",
    async () => {
      const api = await startFakeBotApi({ token: HARNESS_TOKEN });
      try {
        const secret = "process-test-secret-0123456789";
        const main = startMain({
          TELEGRAM_BOT_TOKEN: HARNESS_TOKEN,
          TELEGRAM_API_ROOT: api.apiRoot,
          WEBHOOK_URL: "https://coopdesk.example/hook/abc",
          WEBHOOK_SECRET: secret,
          HOST: "127.0.0.1",
          PORT: "0",
        });
        await until(() => main.output().includes('"bot started"'));
        const started = main
          .output()
          .split("\n")
          .map((l) => (l.startsWith("{") ? (JSON.parse(l) as { msg?: string; listen?: string }) : {}))
          .find((l) => l.msg === "bot started");
        expect(api.webhook).toMatchObject({ url: "https://coopdesk.example/hook/abc", secretToken: secret });
        const delivery = await api.deliverToWebhook(api.textMessage({ chatId: 8, userId: 8, text: "/start" }), {
          url: `http://${started?.listen}/hook/abc`,
        });
        expect(delivery.status).toBe(200);
        expect(api.callsOf("sendMessage").some((c) => c.payload.chat_id === 8)).toBe(true);
        main.child.kill("SIGINT");
        const { code, stdout, stderr } = await main.exit;
        expect(code, stderr).toBe(0);
        expect(stdout + stderr).not.toContain(secret);
        expect(stdout + stderr).not.toContain(HARNESS_TOKEN.split(":")[1]);
      } finally {
        await api.close();
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "a refused token: exit code 1 and the reason on stderr, without the token",
    async () => {
      const api = await startFakeBotApi({ token: "999:another-token-the-fake-expects-000" });
      try {
        const { code, stderr, stdout } = await startMain({
          TELEGRAM_BOT_TOKEN: HARNESS_TOKEN,
          TELEGRAM_API_ROOT: api.apiRoot,
          HOST: "127.0.0.1",
          PORT: "0",
        }).exit;
        expect(code).toBe(1);
        expect(stderr).toMatch(/Cannot start: Telegram refused the bot token \(401 Unauthorized\)/);
        expect(stdout + stderr).not.toContain(HARNESS_TOKEN.split(":")[1]);
      } finally {
        await api.close();
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "a bad catalog: exit code 2 with every problem listed",
    async () => {
      const { dir } = await makeCatalog({ "records/broken-record.yaml": "id: broken-record\nkind: nonsense\n" });
      const { code, stderr } = await startMain({ CATALOG_DIR: dir, LANG: "en_US.UTF-8" }).exit;
      expect(code).toBe(2);
      expect(stderr).toMatch(/Cannot start: catalog in .* has \d+ problems?:/);
      expect(stderr).toMatch(/records\/broken-record\.yaml/);
    },
    SPAWN_TIMEOUT_MS,
  );
});
