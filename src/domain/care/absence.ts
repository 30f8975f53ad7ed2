import type { Tx } from "../../infra/db.js";
import { addDays, beijingDate, chineseDate, daysBetween, fromBeijingDate } from "../calendar/calendar.js";
import { InputError, NotFoundError, StateError } from "../errors.js";

/**
 * 请假 / 出差: while someone is away their reminders go to a delegate — the colleague they named, else
 * their agency's officer (单位目标办) — and the officer may 代报 on their behalf. Days are Beijing dates,
 * stored as 00:00 Asia/Shanghai, first and last day inclusive.
 */
export const ABSENCE_KINDS = ["leave", "trip"] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];
export const ABSENCE_LABEL: Record<AbsenceKind, string> = { leave: "请假", trip: "出差" };

/** Longer absences are a long-term change of duties: reassign the targets instead. */
export const MAX_ABSENCE_DAYS = 90;

export interface DateRange {
  from: string;
  to: string;
}

const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2 };

/** Full-width digits and punctuation as phones type them. */
function halfWidth(s: string): string {
  return s.replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10)).replace(/／/g, "/").replace(/．/g, ".").trim();
}

/** One day: "5月6日", "5月6号", "2026年5月6日", "2026-05-06", "2026/5/6", "5/6", "今天", "明天". */
export function parseDay(raw: string, today: string): string | null {
  const s = halfWidth(raw);
  if (s in RELATIVE) return addDays(today, RELATIVE[s]);
  const m = /^(?:(\d{4})\s*[年\-/.]\s*)?(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?$/.exec(s);
  if (!m) return null;
  const y = m[1] ? Number(m[1]) : Number(today.slice(0, 4));
  const day = `${y}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
  try {
    fromBeijingDate(day);
  } catch {
    return null;
  }
  return day;
}

const RANGE_SEPARATOR = /\s*(?:至|到|~|～|—|–|－)\s*/;
const FORM = "请写成“5月6日 至 5月10日”或“2026-05-06 至 2026-05-10”";

/**
 * "5月6日 至 5月10日" (also 到, ~, or a hyphen between Chinese dates; one date means one day). Without
 * a year, the year is today's — or the next one when the dates would lie months in the past, so
 * "1月2日 至 1月5日" typed in late December means the coming January.
 */
export function parseDateRange(raw: string, today: string): DateRange {
  const text = halfWidth(raw);
  if (!text) throw new InputError(`请写明起止日期，${FORM}。`, "bad_range");
  let parts = text.split(RANGE_SEPARATOR).filter(Boolean);
  if (parts.length === 1 && /[月号日]/.test(text) && text.includes("-")) parts = text.split(/\s*-\s*/);
  if (parts.length > 2) throw new InputError(`无法识别日期“${raw}”，${FORM}。`, "bad_range");
  const [fromRaw, toRaw = parts[0]] = parts;
  let from = parseDay(fromRaw, today);
  let to = parseDay(toRaw, today);
  if (!from || !to) throw new InputError(`无法识别日期“${!from ? fromRaw : toRaw}”，${FORM}。`, "bad_range");
  const explicitYear = (p: string) => /^\d{4}/.test(halfWidth(p));
  if (!explicitYear(fromRaw) && daysBetween(from, today) > 180) {
    from = addYear(from);
    if (!explicitYear(toRaw)) to = addYear(to);
  }
  if (to < from && !explicitYear(toRaw)) to = addYear(to);
  if (to < from) throw new InputError(`结束日期${chineseDate(to)}早于开始日期${chineseDate(from)}，请检查后重新输入。`, "bad_range");
  return { from, to };
}

function addYear(day: string): string {
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
}

export interface Person {
  id: number;
  name: string;
  account: string;
  role: string;
  agencyId: number | null;
}

/** A colleague in the same agency, by account or name, as officers type it. */
export async function findColleague(tx: Tx, agencyId: number, nameOrAccount: string): Promise<Person> {
  const q = nameOrAccount.trim();
  const found = await tx.user.findMany({ where: { agencyId, active: true, OR: [{ account: q }, { name: q }] } });
  if (found.length === 1) return found[0];
  if (found.length > 1) throw new InputError(`本单位有 ${found.length} 位同名人员“${q}”，请改用账号，例如 ${found.map((u) => u.account).join("、")}。`);
  throw new NotFoundError(`本单位未找到“${q}”。请输入本单位人员的姓名或账号。`);
}

export interface AbsenceInput {
  user: Person;
  kind: AbsenceKind;
  range: DateRange;
  delegate: Person | null;
  recordedById: number;
  today: string;
}

/** Records an absence after checking its dates, its delegate and that it overlaps no other one. */
export async function recordAbsence(tx: Tx, input: AbsenceInput) {
  const { user, range, delegate, today } = input;
  if (range.to < today) throw new InputError(`结束日期${chineseDate(range.to)}已过，无需登记。`, "bad_range");
  const days = daysBetween(range.from, range.to) + 1;
  if (days > MAX_ABSENCE_DAYS) {
    throw new InputError(`一次最长登记 ${MAX_ABSENCE_DAYS} 天（本次 ${days} 天）。长期离岗请联系本单位目标办调整目标责任人。`, "bad_range");
  }
  if (delegate) {
    if (delegate.id === user.id) throw new InputError("代理人不能是本人，请指定本单位其他同事。");
    if (delegate.agencyId !== user.agencyId) throw new InputError(`代理人须为本单位人员，${delegate.name}不属于本单位。`);
  }
  const clash = await tx.absence.findFirst({
    where: { userId: user.id, startsOn: { lte: fromBeijingDate(range.to) }, endsOn: { gte: fromBeijingDate(range.from) } },
  });
  if (clash) {
    const label = ABSENCE_LABEL[clash.kind as AbsenceKind] ?? "请假";
    throw new StateError(
      `${user.name}已登记${chineseDate(beijingDate(clash.startsOn))}至${chineseDate(beijingDate(clash.endsOn))}${label}，与本次时间重叠。如需调整，请先“销假”后重新登记。`,
    );
  }
  return tx.absence.create({
    data: {
      userId: user.id,
      kind: input.kind,
      startsOn: fromBeijingDate(range.from),
      endsOn: fromBeijingDate(range.to),
      delegateId: delegate?.id ?? null,
      recordedById: input.recordedById,
    },
    include: { delegate: true },
  });
}

/** The absence covering a Beijing date, if any. */
export async function absenceOn(tx: Tx, userId: number, day: string) {
  const at = fromBeijingDate(day);
  return tx.absence.findFirst({ where: { userId, startsOn: { lte: at }, endsOn: { gte: at } }, include: { delegate: true }, orderBy: { id: "desc" } });
}

export type AbsenceRow = NonNullable<Awaited<ReturnType<typeof absenceOn>>>;

/** Who of `userIds` is away on the day, with their absence. */
export async function awayOn(tx: Tx, userIds: number[], day: string): Promise<Map<number, AbsenceRow>> {
  if (userIds.length === 0) return new Map();
  const at = fromBeijingDate(day);
  const rows = await tx.absence.findMany({
    where: { userId: { in: userIds }, startsOn: { lte: at }, endsOn: { gte: at } },
    include: { delegate: true },
  });
  // Ordered here, not in SQL: Prisma 7 splits a long IN list into chunks only for an unordered read.
  rows.sort((x, y) => x.id - y.id);
  return new Map(rows.map((r) => [r.userId, r]));
}

/** The officer who stands in by default: another active officer of the agency, else its head. */
export async function defaultDelegate(tx: Tx, user: { id: number; agencyId: number | null }): Promise<Person | null> {
  if (user.agencyId === null) return null;
  const candidates = await tx.user.findMany({
    where: { agencyId: user.agencyId, active: true, role: { in: ["officer", "head"] }, id: { not: user.id } },
    orderBy: { id: "asc" },
  });
  return candidates.find((u) => u.role === "officer") ?? candidates[0] ?? null;
}

/**
 * The delegate of someone away on the date: the colleague they named, else the agency officer.
 * Null when the person is not away (or nobody can stand in).
 */
export async function delegateFor(tx: Tx, userId: number, date: Date | string): Promise<number | null> {
  const day = typeof date === "string" ? date : beijingDate(date);
  const absence = await absenceOn(tx, userId, day);
  if (!absence) return null;
  if (absence.delegate && absence.delegate.active) return absence.delegate.id;
  const user = await tx.user.findUnique({ where: { id: userId } });
  return user ? ((await defaultDelegate(tx, user))?.id ?? null) : null;
}

/**
 * Where a reminder for `userId` should go on the date: the person, or the delegate when they are away
 * — following a delegate who is away too, but never round in a circle.
 */
export async function reminderRecipient(tx: Tx, userId: number, date: Date | string): Promise<{ userId: number; forUserId: number | null }> {
  const seen = new Set([userId]);
  let current = userId;
  for (let hop = 0; hop < 3; hop++) {
    const next = await delegateFor(tx, current, date);
    if (next === null || seen.has(next)) break;
    seen.add(next);
    current = next;
  }
  return { userId: current, forUserId: current === userId ? null : userId };
}

/**
 * 销假: ends the absence covering today (it then lasted until yesterday) or, when none is running,
 * cancels the next one. An absence that starts today is removed entirely.
 */
export async function endAbsence(tx: Tx, userId: number, today: string) {
  const current = await absenceOn(tx, userId, today);
  if (current) {
    if (beijingDate(current.startsOn) === today) await tx.absence.delete({ where: { id: current.id } });
    else await tx.absence.update({ where: { id: current.id }, data: { endsOn: fromBeijingDate(addDays(today, -1)) } });
    return { absence: current, cancelled: beijingDate(current.startsOn) === today };
  }
  const next = await tx.absence.findFirst({
    where: { userId, startsOn: { gt: fromBeijingDate(today) } },
    orderBy: { startsOn: "asc" },
    include: { delegate: true },
  });
  if (!next) return null;
  await tx.absence.delete({ where: { id: next.id } });
  return { absence: next, cancelled: true };
}

/** "5月6日至5月10日请假" for messages; the year is named when it is not the current one. */
export function absenceText(a: { kind: string; startsOn: Date; endsOn: Date }, today?: string): string {
  const [from, to] = [beijingDate(a.startsOn), beijingDate(a.endsOn)];
  const day = (d: string) => (today && d.slice(0, 4) !== today.slice(0, 4) ? `${d.slice(0, 4)}年` : "") + chineseDate(d);
  return `${from === to ? day(from) : `${day(from)}至${day(to)}`}${ABSENCE_LABEL[a.kind as AbsenceKind] ?? "请假"}`;
}
