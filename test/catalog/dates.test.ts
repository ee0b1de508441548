import { afterEach, describe, expect, it, vi } from "vitest";
import { isoToday } from "../../src/catalog/dates.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("isoToday", () => {
  it("is the UTC day of a given time", () => {
    expect(isoToday(new Date("2026-03-10T23:59:59+05:00"))).toBe("2026-03-10");
  });

  it("follows the clock across midnight, and when the clock is set back", () => {
    vi.useFakeTimers({ now: new Date("2026-03-10T23:59:59.999Z") });
    expect(isoToday()).toBe("2026-03-10");
    vi.setSystemTime(new Date("2026-03-11T00:00:00Z"));
    expect(isoToday()).toBe("2026-03-11");
    vi.setSystemTime(new Date("2026-03-09T12:00:00Z"));
    expect(isoToday()).toBe("2026-03-09");
    vi.setSystemTime(new Date("2026-03-09T23:00:00Z"));
    expect(isoToday()).toBe("2026-03-09");
  });
});
