import { addDays } from "../domain/calendar/calendar.js";
import type { WorkingDays } from "../domain/calendar/working-days.js";

/**
 * When a deadline's reminders go out (DESIGN.md §3), as a pure function of the due date and today.
 * Reminders land on working days only:
 * - "ahead" (REMINDER_DAYS_AHEAD before) and "due" reminders that fall on a weekend or holiday move to
 *   the working day BEFORE it — a reminder after the deadline would come too late to help. When two of
 *   them land on the same day (e.g. 3 and 1 days before a Monday deadline) one message goes out.
 * - "overdue" reminders (the first day after the deadline, then every `overdueRepeatDays`) and the
 *   escalations to the agency's 目标办 and then its head (§2.12, §2.23) move to the working day AFTER:
 *   nobody acts on a notice sent on a holiday, and an escalation must not come early.
 * Escalations are mandatory and must not be lost to a day the job did not run, so each fires on the
 * first run on or after its day while the item is still overdue; the day in its key keeps it to once.
 */
export type ReminderKind = "ahead" | "due" | "overdue" | "escalate-officer" | "escalate-head";

export interface ReminderSchedule {
  daysAhead: number[];
  escalateOfficerAfterDays: number;
  escalateHeadAfterDays: number;
  overdueRepeatDays: number;
}

export interface Occurrence {
  kind: ReminderKind;
  /** The working day the reminder belongs to; part of its idempotency key. */
  day: string;
}

/** Reminders due today for an open item whose deadline is `due` (Beijing dates). */
export function remindersDueToday(due: string, today: string, s: ReminderSchedule, wd: WorkingDays): Occurrence[] {
  if (!wd.isWorkingDay(today)) return [];
  if (today <= due) {
    if (wd.onOrBefore(due) === today) return [{ kind: "due", day: today }];
    const ahead = s.daysAhead.some((d) => d > 0 && wd.onOrBefore(addDays(due, -d)) === today);
    return ahead ? [{ kind: "ahead", day: today }] : [];
  }
  const out: Occurrence[] = [];
  const repeat = Math.max(1, s.overdueRepeatDays);
  for (let nominal = addDays(due, 1); nominal <= today; nominal = addDays(nominal, repeat)) {
    if (wd.onOrAfter(nominal) === today) {
      out.push({ kind: "overdue", day: today });
      break;
    }
  }
  // Officer before head: the head hears of it only after the agency's own office had its chance.
  const officerDay = wd.onOrAfter(addDays(due, Math.max(1, s.escalateOfficerAfterDays)));
  const headDay = wd.onOrAfter(addDays(due, Math.max(1, s.escalateHeadAfterDays, s.escalateOfficerAfterDays)));
  if (today >= officerDay) out.push({ kind: "escalate-officer", day: officerDay });
  if (today >= headDay) out.push({ kind: "escalate-head", day: headDay });
  return out;
}
