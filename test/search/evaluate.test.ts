import { beforeAll, describe, expect, it } from "vitest";
import type { SearchEngine } from "../../src/search/engine.js";
import {
  combineDecisionReports,
  DECISION_GOAL,
  evaluateDecisions,
  missedDecisionGoals,
  unhintedLanguage,
  type DevQuery,
} from "../../src/search/evaluate.js";
import { bundledEngine } from "../helpers/bot-deps.js";

let engine: SearchEngine;
beforeAll(async () => {
  engine = await bundledEngine();
});

const firstLine = () => "";

describe("evaluateDecisions: the replies as users get them", () => {
  it("replies to a message without a word of any language in the language of the user's app", () => {
    // "NICTC" is a bare acronym: only Telegram's language_code (the eval's label) can say it is French.
    const report = evaluateDecisions(engine, [{ q: "NICTC", lang: "fr", expect: ["nictc"] }], firstLine);
    expect(report.outcomes[0]!.decision.lang).toBe("fr");
    expect(report.overall.language).toBe(1);
    expect(report.overall.answerAt1).toBe(1);
  });

  it("reads the language of a message alone apart: a bare acronym is of no language", () => {
    const report = evaluateDecisions(
      engine,
      [
        { q: "NICTC", lang: "fr", expect: ["nictc"] },
        { q: "когда основали ШОС?", lang: "ru", expect: ["shanghai-cooperation-organisation"] },
        { q: "hello!", lang: "fr", smalltalk: true },
      ],
      firstLine,
    );
    expect(report.overall.language).toBe(1);
    // "NICTC" alone reads as English; the small talk is not counted.
    expect(unhintedLanguage(engine, report)).toBe(0.5);
  });

  it("still replies in the language a message is written in, whatever the app's", () => {
    const report = evaluateDecisions(engine, [{ q: "когда основали ШОС?", lang: "en", expect: [] }], firstLine);
    expect(report.outcomes[0]!.decision.lang).toBe("ru");
    expect(report.overall.language).toBe(0);
  });
});

describe("combineDecisionReports: several parts read as one set", () => {
  const partA: DevQuery[] = [
    { q: "ICC-NDRC", lang: "en", expect: ["icc-ndrc"] },
    { q: "the weather in Paris tomorrow", lang: "en", expect: [] },
  ];
  const partB: DevQuery[] = [
    { q: "ШОС", lang: "ru", expect: ["shanghai-cooperation-organisation"] },
    { q: "黑洞是怎么形成的", lang: "zh", expect: [] },
    { q: "hello!", lang: "en", smalltalk: true },
  ];

  it("counts every message of every part once, per language too", () => {
    const a = evaluateDecisions(engine, partA, firstLine);
    const b = evaluateDecisions(engine, partB, firstLine);
    const both = combineDecisionReports([a, b]);
    const whole = evaluateDecisions(engine, [...partA, ...partB], firstLine);
    expect(both.outcomes).toHaveLength(5);
    expect(both.overall).toEqual(whole.overall);
    expect(both.byLanguage).toEqual(whole.byLanguage);
    expect(both.overall.answerable).toBe(2);
    expect(both.overall.unanswerable).toBe(2);
    expect(Object.keys(both.byLanguage).sort()).toEqual(["en", "ru", "zh"]);
  });

  it("is judged against the goals like a single part", () => {
    const wrong = evaluateDecisions(engine, [{ q: "ICC-NDRC", lang: "en", expect: ["asean"] }], firstLine);
    const right = evaluateDecisions(engine, [{ q: "ICC-NDRC", lang: "en", expect: ["icc-ndrc"] }], firstLine);
    const combined = combineDecisionReports([wrong, right]);
    expect(combined.overall.answerAt1).toBe(0.5);
    expect(missedDecisionGoals(combined)).toContain(`answer@1 0.5000 < ${DECISION_GOAL.answerAt1}`);
    expect(missedDecisionGoals(combineDecisionReports([right, right]))).toEqual([]);
  });
});
