// Application deadlines: what the schema takes (a day, a time of day, an IANA zone), where in time a
// deadline falls, and which reminders a chat gets about it.
import { describe, expect, it } from "vitest";
import { checkRecordValue } from "../../src/catalog/load.js";
import {
  deadlineClock,
  deadlineInstant,
  deadlineKey,
  reminderInstant,
  upcomingDeadlines,
} from "../../src/catalog/deadlines.js";
import { deadlineSchema } from "../../src/catalog/schema.js";
import { planReminders, reminderId } from "../../src/reminders/plan.js";

const label = {
  en: "Applications close",
  fr: "Clôture des candidatures",
  ru: "Приём заявок заканчивается",
  zh: "申请截止",
};
const refs = { sectors: {}, audiences: {}, places: { cities: {}, countryAliases: {} } };
const text4 = { en: "x", fr: "x", ru: "x", zh: "x" };

function record(deadlines: unknown): unknown {
  return {
    id: "grant",
    kind: "programme",
    title: text4,
    summary: text4,
    dates: { deadlines },
    source: { file: "000_a.txt", date: "2026" },
    verified: "2026-01-01",
  };
}

function problems(deadlines: unknown): string[] {
  const result = checkRecordValue(record(deadlines), refs, () => false);
  return result.ok ? [] : result.problems.map((p) => `${p.field}: ${p.message.replace(/, got .*$/, "")}`);
}

describe("the deadline field", () => {
  it("takes a day, with a time of day and a zone when the source states them", () => {
    expect(problems([{ date: "2027-03-15", label }])).toEqual([]);
    expect(problems([{ date: "2027-03-15", time: "17:00", zone: "Asia/Shanghai", label }])).toEqual([]);
    expect(problems([{ date: "2027-03-15", zone: "UTC", label }])).toEqual([]);
  });

  it("refuses a deadline that is not a day, a time that is not HH:MM, an unknown zone, a missing translation", () => {
    expect(problems([{ date: "2027-03", label }])).toEqual(["dates.deadlines[0].date: must be a day (YYYY-MM-DD)"]);
    expect(problems([{ date: "2027-02-30", label }])).toEqual([
      'dates.deadlines[0].date: invalid date "2027-02-30": no such day or month in the calendar',
    ]);
    expect(problems([{ date: "2027-03-15", time: "5pm", label }])).toEqual([
      "dates.deadlines[0].time: must be a time of day (HH:MM, 24-hour)",
    ]);
    expect(problems([{ date: "2027-03-15", time: "24:00", label }])).toEqual([
      "dates.deadlines[0].time: must be a time of day (HH:MM, 24-hour)",
    ]);
    expect(problems([{ date: "2027-03-15", zone: "Beijing", label }])).toEqual([
      "dates.deadlines[0].zone: must be an IANA time zone (e.g. UTC, Asia/Shanghai)",
    ]);
    expect(problems([{ date: "2027-03-15", label: { ...label, zh: undefined } }])).toHaveLength(1);
    expect(problems([{ date: "2027-03-15", label, note: "x" }])).toHaveLength(1);
  });

  it("parses to what the source said, nothing added", () => {
    expect(deadlineSchema.parse({ date: "2027-03-15", label })).toEqual({ date: "2027-03-15", label });
  });
});

describe("where a deadline falls", () => {
  it("a day alone is the end of that day in its zone, UTC unless stated", () => {
    expect(new Date(deadlineInstant({ date: "2027-03-15" })).toISOString()).toBe("2027-03-16T00:00:00.000Z");
    expect(new Date(deadlineInstant({ date: "2027-03-15", zone: "Asia/Shanghai" })).toISOString()).toBe(
      "2027-03-15T16:00:00.000Z",
    );
  });

  it("a time of day is that time in its zone, daylight saving included", () => {
    expect(new Date(deadlineInstant({ date: "2027-03-15", time: "17:00", zone: "Asia/Shanghai" })).toISOString()).toBe(
      "2027-03-15T09:00:00.000Z",
    );
    expect(new Date(deadlineInstant({ date: "2027-07-01", time: "12:00", zone: "Europe/Berlin" })).toISOString()).toBe(
      "2027-07-01T10:00:00.000Z",
    );
    expect(new Date(deadlineInstant({ date: "2027-01-01", time: "12:00", zone: "Europe/Berlin" })).toISOString()).toBe(
      "2027-01-01T11:00:00.000Z",
    );
  });

  it("reminders of a day come at 09:00 in its zone, those of a time exactly 7 days and 1 day before", () => {
    expect(new Date(reminderInstant({ date: "2027-03-15" }, 7)).toISOString()).toBe("2027-03-08T09:00:00.000Z");
    expect(new Date(reminderInstant({ date: "2027-03-15", zone: "Asia/Shanghai" }, 1)).toISOString()).toBe(
      "2027-03-14T01:00:00.000Z",
    );
    expect(
      new Date(reminderInstant({ date: "2027-03-15", time: "17:00", zone: "Asia/Shanghai" }, 1)).toISOString(),
    ).toBe("2027-03-14T09:00:00.000Z");
  });

  it("says the time and the zone as the card shows them", () => {
    expect(deadlineClock({ date: "2027-03-15" }, "en")).toEqual({ time: "23:59", zone: "UTC" });
    expect(deadlineClock({ date: "2027-03-15", time: "17:00", zone: "Asia/Shanghai" }, "en")).toEqual({
      time: "17:00",
      zone: "GMT+8",
    });
  });

  it("keeps the deadlines still ahead, soonest first", () => {
    const now = Date.parse("2027-03-15T12:00:00Z");
    const ahead = upcomingDeadlines([{ date: "2027-04-01" }, { date: "2027-03-14" }, { date: "2027-03-15" }], now);
    expect(ahead.map((d) => d.date)).toEqual(["2027-03-15", "2027-04-01"]);
  });
});

describe("reminder plans", () => {
  const grant = {
    id: "grant",
    dates: {
      deadlines: [
        { date: "2027-03-15", label },
        { date: "2027-05-01", time: "18:30", zone: "Asia/Shanghai", label },
      ],
    },
  };

  it("two reminders per deadline ahead, offsets already past left out", () => {
    const plan = planReminders(5, grant, Date.parse("2027-03-10T00:00:00Z"));
    expect(plan.map((r) => [r.deadline, r.days])).toEqual([
      ["2027-03-15", 1],
      ["2027-05-01T18:30@Asia/Shanghai", 7],
      ["2027-05-01T18:30@Asia/Shanghai", 1],
    ]);
    expect(planReminders(5, grant, Date.parse("2027-06-01T00:00:00Z"))).toEqual([]);
  });

  it("ids are the same on every process, differ per chat, record, deadline and offset, and carry no ':'", () => {
    const a = planReminders(-1001234, grant, Date.parse("2027-01-01T00:00:00Z")).map((r) => r.id);
    expect(a).toEqual(planReminders(-1001234, grant, Date.parse("2027-02-01T00:00:00Z")).map((r) => r.id));
    expect(new Set(a).size).toBe(4);
    for (const id of a) expect(id).not.toContain(":");
    expect(a[0]).toBe("rem.-1001234.grant.2027-03-15.7d");
    expect(
      reminderId(1, "grant", deadlineKey({ date: "2027-05-01", time: "18:30", zone: "Asia/Shanghai" }), 1),
    ).not.toBe(reminderId(1, "grant", deadlineKey({ date: "2027-05-01", time: "18:30", zone: "Europe/Paris" }), 1));
  });
});
