import type { Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import { loadWorkingDays, type WorkingDays } from "../domain/calendar/working-days.js";
import type { ReminderSchedule } from "./reminder-schedule.js";
import { type DeliveryWindow, parseQuietHours } from "../domain/calendar/quiet-hours.js";

/** What every scheduled job gets: injected, so tests run a year on a FixedClock. */
export interface JobDeps {
  db: Db;
  settings: Settings;
  clock: Clock;
  log: Logger;
  workingDays: WorkingDays;
  /** QUIET_HOURS: the working-day hours pushes go out in (src/domain/calendar/quiet-hours.ts). */
  sendWindow: DeliveryWindow;
  schedule: ReminderSchedule;
}

/**
 * Overdue reminders to the owner repeat weekly (first working day after the deadline, then every
 * 7 days): often enough to keep an overdue item in view, not so often that people stop reading.
 */
export const OVERDUE_REPEAT_DAYS = 7;

export function createJobDeps(base: { db: Db; settings: Settings; clock: Clock; log: Logger }): JobDeps {
  const { settings, log } = base;
  const workingDays = loadWorkingDays(settings.RULES_DIR, (year) =>
    log.warn({ msg: `no holidays on file for ${year}: counting weekends only; add the 国务院办公厅 notice's dates to ${settings.RULES_DIR}/${year}.json (calendar section)`, year }),
  );
  return {
    ...base,
    workingDays,
    sendWindow: parseQuietHours(settings.QUIET_HOURS),
    schedule: {
      daysAhead: settings.REMINDER_DAYS_AHEAD,
      escalateOfficerAfterDays: settings.ESCALATE_OFFICER_AFTER_DAYS,
      escalateHeadAfterDays: settings.ESCALATE_HEAD_AFTER_DAYS,
      overdueRepeatDays: OVERDUE_REPEAT_DAYS,
    },
  };
}
