import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/calendar/calendar.js";
import { rulesSchema } from "../../src/domain/rules.js";
import { loadWorkingDays, workingDaysFrom } from "../../src/domain/calendar/working-days.js";
import { nextDeliveryTime, parseQuietHours } from "../../src/domain/calendar/quiet-hours.js";
import { at } from "./province.js";

const wd = loadWorkingDays("rules");

describe("the 2026 working-day calendar (国务院办公厅 notice of 4 Nov 2025)", () => {
  it("has the announced holidays off", () => {
    for (const [from, to, name] of [
      ["2026-01-01", "2026-01-03", "元旦"],
      ["2026-02-15", "2026-02-23", "春节"],
      ["2026-04-04", "2026-04-06", "清明节"],
      ["2026-05-01", "2026-05-05", "劳动节"],
      ["2026-06-19", "2026-06-21", "端午节"],
      ["2026-09-25", "2026-09-27", "中秋节"],
      ["2026-10-01", "2026-10-07", "国庆节"],
    ]) {
      for (let d = from; d <= to; d = addDays(d, 1)) {
        expect(wd.isWorkingDay(d), d).toBe(false);
        expect(wd.holidayName(d)).toBe(name);
      }
    }
  });

  it("works on the make-up weekend days (调休上班)", () => {
    for (const d of ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]) expect(wd.isWorkingDay(d), d).toBe(true);
  });

  it("counts 248 working days in 2026", () => {
    let n = 0;
    for (let d = "2026-01-01"; d <= "2026-12-31"; d = addDays(d, 1)) if (wd.isWorkingDay(d)) n += 1;
    // 261 weekdays − 19 weekday holidays + 6 make-up days.
    expect(n).toBe(248);
  });

  it("finds the working day before and after a holiday", () => {
    expect(wd.onOrBefore("2026-10-03")).toBe("2026-09-30");
    expect(wd.onOrAfter("2026-10-03")).toBe("2026-10-08");
    expect(wd.onOrBefore("2026-02-22")).toBe("2026-02-14");
    expect(wd.onOrAfter("2026-03-24")).toBe("2026-03-24");
  });

  it("counts weekends only for a year with no holidays on file, and says so once", () => {
    const missing: number[] = [];
    const bare = workingDaysFrom(() => null, (y) => missing.push(y));
    expect(bare.isWorkingDay("2030-01-01")).toBe(true);
    expect(bare.isWorkingDay("2030-01-05")).toBe(false);
    bare.isWorkingDay("2030-01-07");
    expect(missing).toEqual([2030]);
  });

  it("refuses a rules file whose make-up day is a weekday or also a holiday", () => {
    const bad = rulesSchema.safeParse({
      year: 2026,
      calendar: { holidays: [{ name: "国庆节", from: "2026-10-01", to: "2026-10-07" }], workdays: [{ date: "2026-10-08" }, { date: "2026-10-03" }] },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual(["2026-10-08 is a weekday; 调休上班 days are Saturdays or Sundays", "2026-10-03 is also listed as a holiday"]);
    expect(rulesSchema.safeParse({ year: 2026, calendar: { holidays: [{ name: "x", from: "2026-02-30", to: "2026-03-01" }] } }).success).toBe(false);
  });
});

describe("QUIET_HOURS on the real 2026 calendar (src/domain/calendar/quiet-hours.ts)", () => {
  const window = parseQuietHours("08:30-18:00");
  const next = (d: Date) => nextDeliveryTime(d, window, wd.isWorkingDay);

  it("sends at once inside working hours, and holds early pushes until the window opens", () => {
    expect(next(at("2026-03-24", "09:00"))).toEqual(at("2026-03-24", "09:00"));
    expect(next(at("2026-03-24", "07:00"))).toEqual(at("2026-03-24", "08:30"));
  });

  it("holds pushes over 清明 and 国庆 until the next working morning", () => {
    expect(next(at("2026-04-05", "09:00"))).toEqual(at("2026-04-07", "08:30"));
    expect(next(at("2026-09-30", "20:00"))).toEqual(at("2026-10-08", "08:30"));
  });
});
