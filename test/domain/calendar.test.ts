import { describe, expect, it } from "vitest";
import { addDays, beijingDate, daysBetween, fromBeijingDate, parsePeriod, previousQuarter, quarterOf, quarterRange, weekday } from "../../src/domain/calendar/calendar.js";

describe("Beijing calendar", () => {
  it("puts 23:30 UTC on the next Beijing day", () => {
    expect(beijingDate(new Date("2026-03-31T16:30:00Z"))).toBe("2026-04-01");
    expect(beijingDate(new Date("2026-03-31T15:59:59Z"))).toBe("2026-03-31");
  });

  it("round-trips dates and refuses impossible ones", () => {
    expect(beijingDate(fromBeijingDate("2026-02-28"))).toBe("2026-02-28");
    expect(() => fromBeijingDate("2026-02-30")).toThrow(RangeError);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2026-03-31", "2026-04-10")).toBe(10);
    expect(weekday("2026-11-21")).toBe(6);
  });

  it("reads quarters as people write them", () => {
    expect(parsePeriod("2026Q3")).toEqual({ year: 2026, quarter: 3 });
    expect(parsePeriod("2026年第二季度")).toEqual({ year: 2026, quarter: 2 });
    expect(parsePeriod("2026年第5季度")).toBeNull();
    expect(quarterOf("2026-11-20")).toEqual({ year: 2026, quarter: 4 });
    expect(previousQuarter({ year: 2026, quarter: 1 })).toEqual({ year: 2025, quarter: 4 });
    expect(quarterRange({ year: 2026, quarter: 1 })).toEqual({ first: "2026-01-01", last: "2026-03-31" });
  });
});
