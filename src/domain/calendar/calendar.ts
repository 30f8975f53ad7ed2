/**
 * Dates in the standard are Beijing dates. A date-only value (deadline, milestone due date) is stored
 * as 00:00 Asia/Shanghai of that day; China has no daylight saving, so the offset is a constant.
 */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** "2026-03-31" for the Beijing calendar day containing the instant. */
export function beijingDate(d: Date): string {
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant 00:00 Beijing time on the given day ("2026-03-31"). */
export function fromBeijingDate(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a date: ${day}`);
  const t = Date.parse(`${day}T00:00:00Z`) - OFFSET_MS;
  if (Number.isNaN(t) || beijingDate(new Date(t)) !== day) throw new RangeError(`not a date: ${day}`);
  return new Date(t);
}

export function addDays(day: string, n: number): string {
  return beijingDate(new Date(fromBeijingDate(day).getTime() + n * DAY_MS));
}

/** Whole days from `from` to `to` (both Beijing dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((fromBeijingDate(to).getTime() - fromBeijingDate(from).getTime()) / DAY_MS);
}

/** Day of week of a Beijing date, 0 = Sunday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** Minutes since 00:00 Beijing time. */
export function beijingMinutes(d: Date): number {
  const t = new Date(d.getTime() + OFFSET_MS);
  return t.getUTCHours() * 60 + t.getUTCMinutes();
}

/** "3月31日" as Chinese notices write a date. */
export function chineseDate(day: string): string {
  const [, m, d] = day.split("-");
  return `${Number(m)}月${Number(d)}日`;
}

export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

/** "2026Q1" */
export function periodOf(q: Quarter): string {
  return `${q.year}Q${q.quarter}`;
}

export function parsePeriod(text: string): Quarter | null {
  const m = /^(\d{4})\s*[Qq]([1-4])$/.exec(text.trim()) ?? /^(\d{4})年?第?([1-4一二三四])季度?$/.exec(text.trim());
  if (!m) return null;
  const q = "一二三四".includes(m[2]) ? "一二三四".indexOf(m[2]) + 1 : Number(m[2]);
  return { year: Number(m[1]), quarter: q as Quarter["quarter"] };
}

export function quarterOf(day: string): Quarter {
  const [y, m] = day.split("-").map(Number);
  return { year: y, quarter: (Math.floor((m - 1) / 3) + 1) as Quarter["quarter"] };
}

export function previousQuarter(q: Quarter): Quarter {
  return q.quarter === 1 ? { year: q.year - 1, quarter: 4 } : { year: q.year, quarter: (q.quarter - 1) as Quarter["quarter"] };
}

/** First and last Beijing dates of a quarter. */
export function quarterRange(q: Quarter): { first: string; last: string } {
  const m0 = (q.quarter - 1) * 3 + 1;
  const first = `${q.year}-${String(m0).padStart(2, "0")}-01`;
  const nextFirst = q.quarter === 4 ? `${q.year + 1}-01-01` : `${q.year}-${String(m0 + 3).padStart(2, "0")}-01`;
  return { first, last: addDays(nextFirst, -1) };
}

export function quarterLabel(q: Quarter): string {
  return `${q.year}年第${"一二三四"[q.quarter - 1]}季度`;
}
