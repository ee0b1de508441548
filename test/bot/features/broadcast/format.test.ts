import type { Message, MessageEntity } from "grammy/types";
import { describe, expect, it } from "vitest";
import {
  formatScheduleTime,
  parseDate,
  parseOffset,
  parseScheduleTime,
  zonedToUtc,
} from "../../../../src/bot/features/broadcast/time.js";
import {
  decodeBroadcast,
  encodeBroadcast,
  type BroadcastAction,
} from "../../../../src/bot/features/broadcast/keyboards.js";
import {
  audienceChosen,
  contentOf,
  draftMessageOf,
  normalizeAudience,
  toggleAudience,
} from "../../../../src/bot/features/broadcast/draft.js";
import { renderReceived } from "../../../../src/bot/views/announcement.js";
import { createI18n, translator } from "../../../../src/i18n.js";

const e = (type: string, offset: number, length: number, extra: object = {}) =>
  ({ type, offset, length, ...extra }) as MessageEntity;

describe("a coordinator's message", () => {
  const message = (fields: Partial<Message>) =>
    ({ message_id: 1, date: 0, chat: { id: 1, type: "private" }, ...fields }) as Message;

  it("is kept as Telegram gave it: the text and its formatting entities", () => {
    const entities = [e("bold", 0, 4), e("text_link", 5, 4, { url: "https://example.org" }), e("hashtag", 10, 3)];
    expect(draftMessageOf(message({ text: "Call now #h2", entities }))).toEqual({
      text: "Call now #h2",
      entities: entities.slice(0, 2),
    });
    const photo = { file_unique_id: "u", width: 10, height: 10 };
    expect(
      draftMessageOf(
        message({ photo: [{ ...photo, file_id: "PHOTO" }], caption: "a < b", caption_entities: [e("italic", 0, 1)] }),
      ),
    ).toEqual({ text: "a < b", entities: [e("italic", 0, 1)], photo: "PHOTO" });
    // A variant's text keeps the main message's file.
    expect(draftMessageOf(message({ text: "fr" }), { text: "en", photo: "PHOTO" })).toEqual({
      text: "fr",
      entities: [],
      photo: "PHOTO",
    });
  });

  it("is measured as Telegram measures it, in UTF-16 units of the text alone", () => {
    const text = "🎉".repeat(2000); // 4,000 units
    expect(draftMessageOf(message({ text, entities: [e("bold", 0, 4000)] }), undefined, 96)).toMatchObject({ text });
    expect(draftMessageOf(message({ text: `${text}x` }), undefined, 96)).toBe("tooLong");
  });

  it("goes to the engine as text and entities; a draft kept as HTML before, as HTML", () => {
    expect(contentOf({ text: "a", entities: [e("bold", 0, 1)], document: "DOC" })).toEqual({
      text: "a",
      entities: [e("bold", 0, 1)],
      document: "DOC",
    });
    expect(contentOf({ text: "a", html: "<b>a</b>" })).toEqual({ html: "<b>a</b>" });
  });

  it("follows the header in bold, its entities moved past the header (UTF-16 offsets)", async () => {
    const t = translator(await createI18n(), "zh");
    const header = "📣 Cooperation Desk 公告";
    const shown = renderReceived(t, { text: "🎉 新项目 启动", entities: [e("bold", 3, 3)] });
    expect(shown).toEqual({
      text: `${header}\n\n🎉 新项目 启动`,
      entities: [e("bold", 0, header.length), e("bold", header.length + 2 + 3, 3)],
    });
    const moved = shown.entities[1]!;
    expect(shown.text.slice(moved.offset, moved.offset + moved.length)).toBe("新项目");
  });
});

describe("parseScheduleTime", () => {
  const now = new Date("2026-11-20T12:00:00Z");

  it("reads an IANA zone, across daylight saving", () => {
    expect(parseScheduleTime("2026-12-01 09:00 Europe/Berlin", now)).toEqual({
      ok: true,
      at: new Date("2026-12-01T08:00:00Z"),
      zone: "Europe/Berlin",
    });
    expect(parseScheduleTime("2027-07-01 09:00 europe/berlin", now)).toEqual({
      ok: true,
      at: new Date("2027-07-01T07:00:00Z"),
      zone: "Europe/Berlin",
    });
    expect(parseScheduleTime("2026-12-01T09:00 Asia/Shanghai", now)).toMatchObject({
      ok: true,
      at: new Date("2026-12-01T01:00:00Z"),
    });
  });

  it("reads offsets and UTC", () => {
    expect(parseScheduleTime("2026-12-01 09:00 +03:00", now)).toEqual({
      ok: true,
      at: new Date("2026-12-01T06:00:00Z"),
      zone: "+03:00",
    });
    expect(parseScheduleTime("2026-12-01 9:30 UTC-5", now)).toMatchObject({
      ok: true,
      at: new Date("2026-12-01T14:30:00Z"),
    });
    expect(parseScheduleTime("2026-12-01 09:00Z", now)).toMatchObject({
      ok: true,
      at: new Date("2026-12-01T09:00:00Z"),
    });
    expect(parseOffset("+0530")).toBe(330);
    expect(parseOffset("+15:00")).toBeUndefined();
  });

  it("refuses the past, the far future, missing or unknown zones, impossible dates and skipped times", () => {
    expect(parseScheduleTime("2026-11-20 11:59 UTC", now)).toEqual({ ok: false, reason: "past" });
    expect(parseScheduleTime("2028-01-01 09:00 UTC", now)).toEqual({ ok: false, reason: "far" });
    expect(parseScheduleTime("2026-12-01 09:00", now)).toEqual({ ok: false, reason: "zone" });
    expect(parseScheduleTime("2026-12-01 09:00 Mars/Olympus", now)).toEqual({ ok: false, reason: "zone" });
    expect(parseScheduleTime("2026-02-29 09:00 UTC", now)).toEqual({ ok: false, reason: "date" });
    expect(parseScheduleTime("tomorrow 9am", now)).toEqual({ ok: false, reason: "format" });
    expect(parseScheduleTime("2027-03-28 02:30 Europe/Berlin", now)).toEqual({ ok: false, reason: "gap" });
    expect(zonedToUtc(Date.UTC(2026, 9, 25, 2, 30), "Europe/Berlin")).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  it("shows the time back in the coordinator's language and zone", () => {
    const at = new Date("2026-12-01T08:00:00Z");
    expect(formatScheduleTime(at, "Europe/Berlin", "en")).toBe("Tuesday, 1 December 2026 at 09:00 (Europe/Berlin)");
    expect(formatScheduleTime(at, "Europe/Berlin", "ru")).toContain("1 декабря 2026");
    expect(formatScheduleTime(at, "+03:00", "fr")).toBe("mardi 1 décembre 2026 à 11:00 (UTC+03:00)");
    expect(formatScheduleTime(at, "Asia/Shanghai", "zh")).toContain("2026年12月1日");
    expect(parseDate("2026-12-31")).toBe("2026-12-31");
    expect(parseDate("2026-02-30")).toBeUndefined();
  });
});

describe("broadcast buttons", () => {
  it("encode and decode every action", () => {
    const actions: BroadcastAction[] = [
      { do: "variant", lang: "zh" },
      { do: "audience" },
      { do: "facet", facet: "countries", page: 2 },
      { do: "toggle", facet: "topics", value: "green-energy", page: 0 },
      { do: "toggle", facet: "countries", value: "KZ", page: 1 },
      { do: "everyone" },
      { do: "preview" },
      { do: "confirm" },
      { do: "edit" },
      { do: "cancel" },
      { do: "schedule" },
      { do: "now" },
      { do: "expires" },
      { do: "stop", id: "b-m3k2x9a1-7f3c" },
      { do: "list" },
    ];
    for (const action of actions) expect(decodeBroadcast(encodeBroadcast(action))).toEqual(action);
  });

  it("refuse forged payloads", () => {
    for (const data of [
      "bc:",
      "bc:v:de",
      "bc:t:l:0:de",
      "bc:t:c:0:kz",
      "bc:t:k:0:planet",
      "bc:f:x:0",
      "bc:c:../etc",
      "bc:ok:1",
      "l:fr",
      "bc:t:t:0:<b>",
    ]) {
      expect(decodeBroadcast(data), data).toBeUndefined();
    }
  });
});

describe("audience", () => {
  it("everyone is chosen explicitly; a tag replaces it, a language narrows it", () => {
    expect(audienceChosen(normalizeAudience({}))).toBe(false);
    let audience = toggleAudience({ everyone: true }, "languages", "fr");
    expect(audience).toEqual({ everyone: true, languages: ["fr"] });
    audience = toggleAudience(audience, "countries", "KZ");
    expect(audience).toEqual({ languages: ["fr"], countries: ["KZ"] });
    expect(audienceChosen(audience)).toBe(true);
    audience = toggleAudience(toggleAudience(audience, "languages", "fr"), "countries", "KZ");
    // Removing the last tag leaves no audience, not everyone.
    expect(audience).toEqual({});
    expect(audienceChosen(toggleAudience({}, "languages", "fr"))).toBe(false);
    expect(toggleAudience({ languages: ["fr"], topics: ["energy"] }, "everyone")).toEqual({
      everyone: true,
      languages: ["fr"],
    });
  });
});
