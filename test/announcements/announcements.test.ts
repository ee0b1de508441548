import { describe, expect, it } from "vitest";
import { announcementRecord } from "../../src/announcements/record.js";

const sentAt = new Date("2026-11-20T10:00:00Z");

describe("announcementRecord", () => {
  it("title from the first line, summary from the rest, four languages from the variants", () => {
    const r = announcementRecord({
      broadcastId: "b-abc-12",
      text: "  \nGreen bonds forum\nRegistration is open.",
      variants: { ru: "Форум зелёных облигаций\nРегистрация открыта.", zh: "绿色债券论坛" },
      sentAt,
      expires: "2026-12-20",
      sectors: ["energy"],
      countries: ["KZ", "bad"],
    });
    expect(r).toMatchObject({
      id: "announcement-b-abc-12",
      kind: "announcement",
      title: { en: "Green bonds forum", fr: "Green bonds forum", ru: "Форум зелёных облигаций", zh: "绿色债券论坛" },
      summary: {
        en: "Registration is open.",
        fr: "Registration is open.",
        ru: "Регистрация открыта.",
        zh: "绿色债券论坛",
      },
      countries: ["KZ"],
      sectors: ["energy"],
      source: { file: "broadcast-b-abc-12.txt", date: "2026-11-20" },
      verified: "2026-11-20",
      expires: "2026-12-20",
    });
    expect(r.details).toBeUndefined();
  });

  it("a long text is cut for the title and summary and kept whole in the details", () => {
    const long = `${"Very long title ".repeat(20)}\n${"Body sentence. ".repeat(100)}`;
    const r = announcementRecord({ broadcastId: "b-long", text: long, sentAt, expires: "2026-12-20" });
    expect(Array.from(r.title.en).length).toBeLessThanOrEqual(120);
    expect(Array.from(r.summary.en).length).toBeLessThanOrEqual(600);
    expect(r.details?.en).toBe(long.trim());
  });

  it("a long title is cut between words, as the bot's buttons are, with no dash or colon left hanging", () => {
    const en = "Inter-regional incubators of the Belt and Road: call for applications, ".repeat(3);
    const zh = "中国—东盟技术转移中心与上海合作组织联合举办创新创业大赛，".repeat(6);
    const r = announcementRecord({ broadcastId: "b-cut", text: en, variants: { zh }, sentAt, expires: "2026-12-20" });
    expect(r.title.en).toBe(`${en.slice(0, en.indexOf(":", 72))}…`);
    expect(r.title.zh).toMatch(/大赛，中国…$/u);
    expect(Array.from(r.title.zh).length).toBeLessThanOrEqual(120);
  });
});
