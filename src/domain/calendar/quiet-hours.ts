import { addDays, beijingDate, beijingMinutes, fromBeijingDate } from "./calendar.js";

/**
 * When and whether the bot's own pushes (reminders, notices) may reach a person: the delivery window
 * (免打扰, the QUIET_HOURS setting: the hours pushes are allowed in, on working days only) and the mute
 * rule (退订 提醒). Direct answers to a person's message are not pushes and never wait.
 */

/** The daily window pushes may go out in, in minutes after 00:00 Beijing time; end exclusive. */
export interface DeliveryWindow {
  start: number;
  end: number;
}

/** A Beijing date ("2026-10-08") → is it a working day. Pass `WorkingDays.isWorkingDay`. */
export type IsWorkingDay = (day: string) => boolean;

/** "08:30-18:00" (the QUIET_HOURS setting: the hours pushes are allowed in). */
export function parseQuietHours(spec: string): DeliveryWindow {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(spec.trim());
  if (!m) throw new RangeError(`QUIET_HOURS "${spec}" must look like 08:30-18:00`);
  const [h1, m1, h2, m2] = m.slice(1).map(Number);
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) throw new RangeError(`QUIET_HOURS "${spec}" is not a time of day`);
  const window = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  // An overnight window would push at night, which is what the setting exists to prevent.
  if (window.start >= window.end) throw new RangeError(`QUIET_HOURS "${spec}": the start must be before the end on the same day`);
  return window;
}

export function isDeliverable(at: Date, window: DeliveryWindow, isWorkingDay: IsWorkingDay): boolean {
  const minutes = beijingMinutes(at);
  return isWorkingDay(beijingDate(at)) && minutes >= window.start && minutes < window.end;
}

/** The instant itself when inside the window, else the start of the next window on a working day. */
export function nextDeliveryTime(at: Date, window: DeliveryWindow, isWorkingDay: IsWorkingDay): Date {
  if (isDeliverable(at, window, isWorkingDay)) return at;
  const today = beijingDate(at);
  let day = isWorkingDay(today) && beijingMinutes(at) < window.start ? today : addDays(today, 1);
  // Bounded like the working-day calendar: no holiday run is longer than this.
  for (let i = 0; i < 40 && !isWorkingDay(day); i++) day = addDays(day, 1);
  return new Date(fromBeijingDate(day).getTime() + window.start * 60_000);
}

/** The mute rule: 退订 提醒 silences optional messages only; mandatory ones (§2.23 list, escalations) always go. */
export function isMuted(message: { mandatory: boolean }, user: { muteOptional: boolean } | null | undefined): boolean {
  return !message.mandatory && Boolean(user?.muteOptional);
}
