import { describe, expect, it } from "vitest";
import { escapeHtml, splitMessage, truncate, truncateMiddle, withoutInvisibles } from "../../src/bot/format.js";
import { LANGUAGES, shortTitle } from "../../src/catalog/schema.js";
import { bundledEngine } from "../helpers/bot-deps.js";
import { cutInsideWord } from "../helpers/words.js";

describe("format", () => {
  it("takes out of a user's text the characters nobody reads, keeping line breaks and emoji whole", () => {
    expect(withoutInvisibles("incu\u200Bbators in Kaz\u200Dakh\u00ADstan\uFEFF")).toBe("incubators in Kazakhstan");
    expect(withoutInvisibles("\u202Eincubators\u202C in \u200FChina\u2060")).toBe("incubators in China");
    expect(withoutInvisibles("\u3164\u2800\uFFA0")).toBe("");
    expect(withoutInvisibles("inc\u0000ubators \u0007\u001B[31m\u007F")).toBe("incubators [31m");
    expect(withoutInvisibles("line one\n\tline two\r\n")).toBe("line one\n\tline two\r\n");
    expect(withoutInvisibles("👨\u200D👩\u200D👧 хорошо 孵化器")).toBe("👨\u200D👩\u200D👧 хорошо 孵化器");
  });

  it("escapes HTML special characters", () => {
    expect(escapeHtml(`<b>"A" & B</b>`)).toBe("&lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;");
  });

  it("truncates on a word boundary with an ellipsis", () => {
    expect(truncate("short", 10)).toBe("short");
    const cut = truncate("International Lunar Research Station project", 20);
    expect(Array.from(cut).length).toBeLessThanOrEqual(20);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("keeps the distinguishing end of a long title", () => {
    const harbin = truncateMiddle("Центр межрегионального инновационного сотрудничества (инкубатор) в Харбине", 56);
    const wuhan = truncateMiddle("Центр межрегионального инновационного сотрудничества (инкубатор) в Ухане", 56);
    expect(Array.from(harbin).length).toBeLessThanOrEqual(56);
    expect(harbin).toMatch(/Харбине$/);
    expect(wuhan).toMatch(/Ухане$/);
    expect(harbin).not.toBe(wuhan);
    expect(truncateMiddle("短标题", 56)).toBe("短标题");
  });

  it("never cuts inside a word, in any language, at any length", async () => {
    // The check itself: these are the cuts users saw.
    expect(
      cutInsideWord(
        "… onference 2024, Urumqi",
        "Belt and Road Inter-regional Cooperation and Innovation Conference 2024, Urumqi",
      ),
    ).toBe(true);
    expect(
      cutInsideWord(
        "Центр … усственного интеллекта",
        "Центр сотрудничества Китай–ШОС по применению искусственного интеллекта",
      ),
    ).toBe(true);
    expect(cutInsideWord("Belt and Road Inter-…", "Belt and Road Inter-regional Cooperation")).toBe(true);
    expect(cutInsideWord("Belt and Road…", "Belt and Road Inter-regional Cooperation")).toBe(false);
    const { catalog } = await bundledEngine();
    const bad: string[] = [];
    for (const record of catalog.records) {
      for (const lang of LANGUAGES) {
        for (const text of [record.title[lang], shortTitle(record, lang), record.summary[lang]]) {
          // From 28 characters every word of the catalog fits (a single word longer than the room is the
          // only thing ever cut: "Казахстанско-Британский" in 20).
          for (const max of [28, 40, 48, 56, 60]) {
            const cut = truncate(text, max);
            const middle = truncateMiddle(text, max);
            if (Array.from(cut).length > max || cutInsideWord(cut, text)) bad.push(`${max} ${cut}`);
            if (Array.from(middle).length > max || cutInsideWord(middle, text)) bad.push(`${max} ${middle}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("splits long messages at line breaks within the limit", () => {
    const html = Array.from({ length: 50 }, (_, i) => `<b>line ${i}</b> ${"x".repeat(90)}\n`).join("");
    const parts = splitMessage(html, 1000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(part.match(/<b>/g)?.length).toBe(part.match(/<\/b>/g)?.length);
    }
    expect(parts.join("\n")).toBe(html.trimEnd());
  });
});
