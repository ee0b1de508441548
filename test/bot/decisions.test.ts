import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { DecisionCache } from "../../src/bot/decisions.js";
import { sharedDir } from "../../src/shared-dir.js";
import { decide, type DecideOptions } from "../../src/search/decide.js";
import { SearchEngine } from "../../src/search/engine.js";
import { catalog } from "../search/fixture.js";
import { testDeps } from "../helpers/bot-deps.js";
import { chatWith, useFakeBotApi, type Chat } from "../helpers/chat.js";

/**
 * The bot's cache of what the engine said about a text gives what the engine would say again: the
 * same language, analysis, places and decision, forgotten when the catalog or the day changes.
 */

const OPTIONS: DecideOptions = { langHint: "en", limit: 50, threshold: 0.45 };
const QUESTIONS = [
  "incubators in Kazakhstan",
  "инкубаторы в Казахстане",
  "哈萨克斯坦的孵化器",
  "incubateurs en Ouzbékistan",
  "how many incubators are there in Kazakhstan?",
  "call for applications",
  "hello",
  "quantum gravity pizza",
  "and in Kazakhstan?",
];

afterEach(() => {
  vi.useRealTimers();
});

/** An engine over the fixture catalog for the tests that neither change it nor give it a clock of its own. */
let unchanged: SearchEngine | undefined;
const sharedEngine = () => (unchanged ??= SearchEngine.build(catalog));

describe("the decision cache", () => {
  it("gives what the engine gives, and asks it once for the same text and options", () => {
    const engine = sharedEngine();
    const cache = new DecisionCache();
    for (const text of QUESTIONS) {
      for (const options of [
        OPTIONS,
        { ...OPTIONS, langHint: "ru" as const },
        { ...OPTIONS, filters: { countries: ["UZ"] } },
      ]) {
        const fresh = decide(engine, text, options);
        const first = cache.decide(engine, text, options);
        expect(first).toEqual(fresh);
        expect(cache.decide(engine, text, options)).toBe(first);
      }
      expect(cache.language(engine, text, "fr")).toBe(engine.language(text, "fr"));
      expect(cache.analyse(engine, text)).toEqual(engine.analyse(text));
      expect(cache.places(engine, text)).toEqual(engine.placesIn(text));
    }
    expect(cache.misses).toBe(QUESTIONS.length * 3);
    expect(cache.hits).toBe(QUESTIONS.length * 3);
  });

  it("forgets when the catalog changes: a record removed is not answered from memory", () => {
    const engine = SearchEngine.build(catalog);
    const cache = new DecisionCache();
    expect(cache.decide(engine, "incubators in Kazakhstan", OPTIONS).record?.id).toBe("offshore-incubators");
    engine.remove("offshore-incubators");
    const after = cache.decide(engine, "incubators in Kazakhstan", OPTIONS);
    expect(after).toEqual(decide(engine, "incubators in Kazakhstan", OPTIONS));
    expect(after.response.hits.map((h) => h.id)).not.toContain("offshore-incubators");
    // And so when a record comes back.
    engine.put(catalog.records.find((r) => r.id === "offshore-incubators")!);
    expect(cache.decide(engine, "incubators in Kazakhstan", OPTIONS).record?.id).toBe("offshore-incubators");
  });

  it("forgets on a new day of the clock: an announcement is shown through its last day, not the day after", () => {
    vi.useFakeTimers({ now: new Date("2024-12-31T23:59:59Z") });
    const engine = SearchEngine.build(catalog);
    const cache = new DecisionCache();
    const ids = () => cache.decide(engine, "call for applications", OPTIONS).response.hits.map((h) => h.id);
    expect(ids()).toContain("expired-announcement");
    vi.setSystemTime(new Date("2025-01-02T00:00:01Z"));
    expect(ids()).not.toContain("expired-announcement");
  });

  it("forgets on a new day of the engine's own clock", () => {
    const clock = { now: new Date("2024-12-31T12:00:00Z") };
    const engine = SearchEngine.build(catalog, { now: () => clock.now });
    const cache = new DecisionCache();
    const ids = () => cache.decide(engine, "call for applications", OPTIONS).response.hits.map((h) => h.id);
    expect(ids()).toContain("expired-announcement");
    clock.now = new Date("2025-01-02T12:00:00Z");
    expect(ids()).not.toContain("expired-announcement");
  });

  it("keeps the texts asked most recently, at most its capacity", () => {
    const engine = sharedEngine();
    const cache = new DecisionCache(2);
    const [a, b, c] = QUESTIONS;
    for (const text of [a!, b!, a!, c!]) cache.decide(engine, text, OPTIONS);
    expect(cache.misses).toBe(3);
    cache.decide(engine, a!, OPTIONS);
    expect(cache.hits).toBe(2);
    cache.decide(engine, b!, OPTIONS);
    expect(cache.misses).toBe(4);
  });

  it("remembers nothing for a decision on a day given by the caller", () => {
    const engine = sharedEngine();
    const cache = new DecisionCache();
    cache.decide(engine, "incubators in Kazakhstan", { ...OPTIONS, today: "2024-01-01" });
    cache.decide(engine, "incubators in Kazakhstan", { ...OPTIONS, today: "2024-01-01" });
    expect(cache.hits + cache.misses).toBe(0);
  });
});

describe("the bot with and without the decision cache", () => {
  const my = useFakeBotApi();

  it("sends the same replies to the evaluation questions and their follow-ups, asked twice", async () => {
    const base = await testDeps();
    const cached = await chatWith(my.api, { base: { ...base, decisions: new DecisionCache() } });
    const uncached = await chatWith(my.api, { base: { ...base, decisions: undefined } });
    const replies = async (chat: Chat, user: number) => {
      const shown: unknown[] = [];
      for (const round of [1, 2])
        for (const [i, text] of [...publicQuestions(), "more", "in Kazakhstan?", "contacts"].entries()) {
          const calls = await chat.say(user, text, { languageCode: ["en", "fr", "ru", "zh"][(i + round) % 4] });
          shown.push(calls.map((c) => [c.method, c.payload.text, c.payload.reply_markup]));
        }
      return shown;
    };
    expect(await replies(cached, 9601)).toEqual(await replies(uncached, 9602));
    expect(cached.deps.decisions!.hits).toBeGreaterThan(0);
  });
});

/** The public evaluation set's questions (four languages), or a few of our own when it is absent. */
function publicQuestions(): string[] {
  try {
    const list = parse(readFileSync(`${sharedDir()}/eval/queries.yaml`, "utf8")) as { q: string }[];
    return list.map((e) => e.q);
  } catch {
    return QUESTIONS;
  }
}
