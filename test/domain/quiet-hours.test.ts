import { describe, expect, it } from "vitest";
import { weekday } from "../../src/domain/calendar/calendar.js";
import { isDeliverable, isMuted, nextDeliveryTime, parseQuietHours } from "../../src/domain/calendar/quiet-hours.js";

/** Beijing wall-clock time → instant. */
const bj = (s: string) => new Date(`${s}+08:00`);
const window = parseQuietHours("08:30-18:00");
/** Weekends off, and the 2026 国庆 holiday (1–7 Oct) with Saturday 10 Oct worked (调休). */
const isWorkingDay = (day: string) => (day === "2026-10-10" ? true : day >= "2026-10-01" && day <= "2026-10-07" ? false : ![0, 6].includes(weekday(day)));

describe("quiet hours", () => {
  it("reads QUIET_HOURS and refuses windows that make no sense", () => {
    expect(parseQuietHours("08:30-18:00")).toEqual({ start: 510, end: 1080 });
    expect(() => parseQuietHours("18:00-08:30")).toThrow(/start must be before the end/);
    expect(() => parseQuietHours("8:30-18")).toThrow(/08:30-18:00/);
  });

  it("sends at once inside the window on a working day", () => {
    const at = bj("2026-11-20T10:15:00");
    expect(isDeliverable(at, window, isWorkingDay)).toBe(true);
    expect(nextDeliveryTime(at, window, isWorkingDay)).toEqual(at);
  });

  it("holds an early-morning push until 08:30 the same day", () => {
    expect(nextDeliveryTime(bj("2026-11-20T06:00:00"), window, isWorkingDay)).toEqual(bj("2026-11-20T08:30:00"));
  });

  it("holds an evening push until the next working morning, over the weekend", () => {
    expect(nextDeliveryTime(bj("2026-11-20T18:00:00"), window, isWorkingDay)).toEqual(bj("2026-11-23T08:30:00"));
    expect(nextDeliveryTime(bj("2026-11-21T11:00:00"), window, isWorkingDay)).toEqual(bj("2026-11-23T08:30:00"));
  });

  it("waits out a public holiday and lands on the make-up working Saturday", () => {
    expect(nextDeliveryTime(bj("2026-09-30T19:00:00"), window, isWorkingDay)).toEqual(bj("2026-10-08T08:30:00"));
    expect(isDeliverable(bj("2026-10-10T09:00:00"), window, isWorkingDay)).toBe(true);
  });

  it("follows a changed window", () => {
    expect(nextDeliveryTime(bj("2026-11-20T08:45:00"), parseQuietHours("09:00-17:30"), isWorkingDay)).toEqual(bj("2026-11-20T09:00:00"));
  });
});

describe("the mute rule", () => {
  it("silences optional messages for a muted person, never mandatory ones", () => {
    expect(isMuted({ mandatory: false }, { muteOptional: true })).toBe(true);
    expect(isMuted({ mandatory: true }, { muteOptional: true })).toBe(false);
    expect(isMuted({ mandatory: false }, { muteOptional: false })).toBe(false);
  });
});
