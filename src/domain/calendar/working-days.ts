import { addDays, weekday } from "./calendar.js";
import { type CalendarRules, loadRules } from "../rules.js";

/**
 * Working days in China: Monday to Friday, minus the public holidays, plus the make-up working days
 * (调休上班) of the yearly 国务院办公厅 notice, read from the `calendar` section of rules/<year>.json.
 * Days are Beijing dates ("2026-10-08").
 */
export interface WorkingDays {
  isWorkingDay(day: string): boolean;
  /** The holiday's name ("国庆节") when the day is a public holiday, else null. */
  holidayName(day: string): string | null;
  /** The day itself when it is a working day, else the closest working day before it. */
  onOrBefore(day: string): string;
  /** The day itself when it is a working day, else the closest working day after it. */
  onOrAfter(day: string): string;
}

/** Longer than any Chinese holiday run (the 8-day 国庆 of some years), yet a guard against bad data. */
const MAX_SEARCH_DAYS = 40;

/**
 * Builds the calendar from a per-year lookup. A year without holidays on file counts weekends only,
 * and `onMissingYear` is told once so the operator can add the next year's notice in time.
 */
export function workingDaysFrom(calendarFor: (year: number) => CalendarRules | null, onMissingYear?: (year: number) => void): WorkingDays {
  const years = new Map<number, { holidays: Map<string, string>; workdays: Set<string> }>();
  const yearOf = (year: number) => {
    let y = years.get(year);
    if (!y) {
      const cal = calendarFor(year);
      // Every year has holidays: an empty list means the notice has not been entered yet.
      if (!cal || cal.holidays.length === 0) onMissingYear?.(year);
      y = { holidays: new Map(), workdays: new Set(cal?.workdays.map((w) => w.date) ?? []) };
      for (const h of cal?.holidays ?? []) {
        for (let d = h.from, n = 0; d <= h.to && n < 31; d = addDays(d, 1), n++) y.holidays.set(d, h.name);
      }
      years.set(year, y);
    }
    return y;
  };
  const holidayName = (day: string) => yearOf(Number(day.slice(0, 4))).holidays.get(day) ?? null;
  const isWorkingDay = (day: string) => {
    const y = yearOf(Number(day.slice(0, 4)));
    if (y.workdays.has(day)) return true;
    if (y.holidays.has(day)) return false;
    const dow = weekday(day);
    return dow !== 0 && dow !== 6;
  };
  const walk = (day: string, step: 1 | -1) => {
    let d = day;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++, d = addDays(d, step)) if (isWorkingDay(d)) return d;
    throw new RangeError(`no working day within ${MAX_SEARCH_DAYS} days of ${day}: check the calendar in the rules file`);
  };
  return { isWorkingDay, holidayName, onOrBefore: (day) => walk(day, -1), onOrAfter: (day) => walk(day, 1) };
}

/** The calendar from the rules files in `dir`; a missing file means weekends only for that year. */
export function loadWorkingDays(dir = "rules", onMissingYear?: (year: number) => void): WorkingDays {
  return workingDaysFrom((year) => {
    try {
      return loadRules(year, dir).calendar;
    } catch (err) {
      if (err instanceof Error && /is missing/.test(err.message)) return null;
      throw err;
    }
  }, onMissingYear);
}
