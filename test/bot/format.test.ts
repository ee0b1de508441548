import { describe, expect, it } from "vitest";
import { escapeHtml, splitMessage, truncate, truncateMiddle } from "../../src/bot/format.js";

describe("format", () => {
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
