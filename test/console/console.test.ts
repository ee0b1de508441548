import { spawn } from "node:child_process";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import { consoleLanguage, runConsole } from "../../src/console/chat.js";
import { toTerminal } from "../../src/console/render.js";
import { loadConfig } from "../../src/config.js";
import { parseHtml } from "../../src/telegram-emulator/html.js";
import { createI18n } from "../../src/i18n.js";
import { makeCatalog, removeFixtures } from "../catalog/fixture.js";
import { bundledEngine, testDeps } from "../helpers/bot-deps.js";
import { nodeArgs } from "../helpers/main-process.js";
import { fixtureIndexFile } from "../helpers/saved-index.js";
import { textSink } from "../helpers/text-sink.js";

/**
 * Tests that start `npm start`'s process (module loading, catalog and index build) get more time: a bound
 * on a hang, as on a loaded machine a start can take a minute.
 */
const SPAWN_TIMEOUT_MS = 180_000;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Telegram HTML → the plain text the console prints without colours. */
const plain = (html: string) => toTerminal(parseHtml(html), { color: false });

function spawnConsole(
  input: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs("main"), {
      cwd: ROOT,
      // No saved search index unless given (see startMain in main-process.ts).
      env: { PATH: process.env.PATH ?? "", SEARCH_INDEX_FILE: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), SPAWN_TIMEOUT_MS - 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Runs the console in-process on these lines; resolves with everything it printed. */
async function chat(lines: string[], env: Record<string, string> = { LANG: "en_US.UTF-8" }): Promise<string> {
  const app = await createApp(loadConfig({ BOT_USERNAME: "CooperationDeskBot" }), {
    deps: await testDeps(),
    logger: pino({ level: "silent" }),
  });
  const input = new PassThrough();
  const output = textSink();
  input.end(lines.map((l) => `${l}\n`).join(""));
  await runConsole(app, { input, output: output.stream, env, color: false });
  await app.close();
  return output.text();
}

/** The part of the transcript that answers the line `› line` (up to the next input). */
function answerTo(transcript: string, line: string, occurrence = 1): string {
  const parts = transcript.split(/^› /m);
  const matching = parts.filter((p) => p.startsWith(`${line}\n`));
  return matching[occurrence - 1] ?? "";
}

describe("npm start without a token: the console chat", () => {
  let i18n: Awaited<ReturnType<typeof createI18n>>;
  let kazakhTitles: string[];
  const greeting = (lang: string) =>
    plain(i18n.getFixedT(lang)("start:greeting", { name: "You" })).split("\n")[0] as string;

  beforeAll(async () => {
    i18n = await createI18n();
    const engine = await bundledEngine();
    kazakhTitles = engine.catalog.records.filter((r) => r.countries.includes("KZ")).map((r) => r.title.en);
  });

  it("chats through piped input: greeting with numbered buttons, a button press, a question answered with a record, /quit", async () => {
    const out = await chat(["/start", "1", "incubators in Kazakhstan", "/quit"]);
    expect(out).toContain(greeting("en"));
    expect(out).toMatch(/\[1\] \S.*\[2\] \S/);
    expect(answerTo(out, "1")).toMatch(/\(edited message\)|\n {2}\S/);
    const answer = answerTo(out, "incubators in Kazakhstan");
    expect(
      kazakhTitles.some((t) => answer.includes(t)),
      answer,
    ).toBe(true);
    expect(out).not.toMatch(/<\/?(b|i|a|code)>|&amp;|&lt;/);
    expect(out).not.toContain("\u001b[");
  });

  it("speaks the language of the locale", async () => {
    expect(await chat(["/start"], { LANG: "ru_RU.UTF-8" })).toContain(greeting("ru"));
  });

  it(
    "as a process: reads stdin, answers on stdout in the locale's language without markup, ends on end of input (Ctrl-D) with exit code 0",
    async () => {
      // A two-record catalog (test/catalog/fixture.ts): the process start is what is tested here.
      const { dir } = await makeCatalog();
      try {
        const { code, stdout, stderr } = await spawnConsole("/start\n1\nФорум Альфа\n", {
          LANG: "ru_RU.UTF-8",
          CATALOG_DIR: dir,
          // Its index, saved once per run, instead of a build.
          SEARCH_INDEX_FILE: await fixtureIndexFile(),
        });
        expect(code, stderr).toBe(0);
        expect(stderr).toBe("");
        expect(stdout).toContain(greeting("ru"));
        expect(stdout).toMatch(/\[1\] \S.*\[2\] \S/);
        expect(answerTo(stdout, "1")).toMatch(/\(edited message\)|\n {2}\S/);
        expect(answerTo(stdout, "Форум Альфа")).toContain("Форум Альфа");
        expect(stdout).not.toMatch(/<\/?(b|i|a|code)>|&amp;|&lt;/);
        expect(stdout).not.toContain("\u001b[");
      } finally {
        await removeFixtures();
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe("console chat in-process", () => {
  it("presses buttons of the last message with buttons, and re-renders edited messages with a marker", async () => {
    const out = await chat(["/start", "2", "1"]);
    const browse = answerTo(out, "2");
    expect(browse).toContain("(edited message)");
    expect(browse).toMatch(/\[1\] /);
    expect(answerTo(out, "1")).toMatch(/\S/);
  });

  it("says which numbers exist when a number is out of range", async () => {
    const out = await chat(["/start", "42"]);
    expect(answerTo(out, "42")).toMatch(/No button 42: choose 1–\d+\./);
  });

  it("sends a number as text when no message has buttons", async () => {
    const out = await chat(["2024"]);
    expect(answerTo(out, "2024")).not.toMatch(/No button/);
  });

  it("runs an inline query for '@bot words', lists numbered results, and sends the chosen one", async () => {
    const out = await chat(["@CooperationDeskBot incubator Harbin", "1"]);
    const results = answerTo(out, "@CooperationDeskBot incubator Harbin");
    expect(results).toContain("Inline results");
    expect(results).toMatch(/\[1\] .*Harbin/);
    expect(answerTo(out, "1")).toMatch(/via @CooperationDeskBot/);
  });

  it("opens deep links to the bot as /start <parameter>", async () => {
    const out = await chat(["@CooperationDeskBot incubator Harbin", "1", "1"]);
    const opened = answerTo(out, "1", 2);
    expect(opened).toContain("Harbin");
    expect(opened).not.toContain("(opens");
  });

  it("stops at /quit and ignores what follows", async () => {
    const out = await chat(["/quit", "/start"]);
    expect(out).not.toContain("› /start");
  });

  it("takes the user's language from LC_ALL, LC_MESSAGES, then LANG", () => {
    expect(consoleLanguage({})).toBe("en");
    expect(consoleLanguage({ LANG: "C.UTF-8" })).toBe("en");
    expect(consoleLanguage({ LANG: "zh_CN.UTF-8" })).toBe("zh");
    expect(consoleLanguage({ LANG: "de_DE.UTF-8" })).toBe("en");
    expect(consoleLanguage({ LANG: "en_US.UTF-8", LC_MESSAGES: "fr_FR.UTF-8" })).toBe("fr");
    expect(consoleLanguage({ LANG: "en_US.UTF-8", LC_MESSAGES: "fr_FR.UTF-8", LC_ALL: "ru_RU.UTF-8" })).toBe("ru");
  });
});

describe("console rendering of Telegram HTML", () => {
  it("shows links as text (url), unescapes entities, quotes blockquotes", () => {
    expect(plain('See <a href="https://example.org/x">the source</a> &amp; more &lt;3 &#8212; &quot;ok&quot;')).toBe(
      'See the source (https://example.org/x) & more <3 — "ok"',
    );
    expect(plain('<a href="https://example.org/">https://example.org</a>')).toBe("https://example.org");
    expect(plain("<blockquote>one\ntwo</blockquote>")).toBe("│ one\n│ two");
  });

  it("uses ANSI bold and italics only when asked to", () => {
    const html = parseHtml("<b>Title</b> <i>x</i>");
    expect(toTerminal(html, { color: true })).toBe("\x1b[1mTitle\x1b[22m \x1b[3mx\x1b[23m");
    expect(toTerminal(html, { color: false })).toBe("Title x");
    expect(toTerminal(parseHtml("<b>a <i>b</i></b>"), { color: true })).toBe("\x1b[1ma \x1b[3mb\x1b[23m\x1b[22m");
  });

  it("draws entities a call gave itself, keeping all the text where they overlap", () => {
    const entities = [
      { type: "bold" as const, offset: 0, length: 4 },
      { type: "italic" as const, offset: 2, length: 4 },
    ];
    expect(toTerminal({ text: "abcdef", entities }, { color: true })).toBe("\x1b[1mabcd\x1b[22mef");
  });
});
