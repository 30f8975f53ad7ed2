import { z } from "zod";
import type { Tx } from "../infra/db.js";
import { ABSENCE_LABEL, defaultDelegate, type AbsenceKind } from "./absence.js";
import { addDays, beijingDate, chineseDate, fromBeijingDate, type Quarter, quarterLabel, quarterOf, quarterRange } from "./calendar.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "./vocabulary.js";

/**
 * Who has not reported (未报): after each reporting window the agency officer learns which targets
 * were due and got no 台账 record (§7.3), with owners, deadlines and who was away, so they can remind
 * the owners or 代报 for those on leave. Windows are a month or a quarter.
 */
export const rollupRulesSchema = z.object({
  /** The monthly roll-up of the previous month goes out on this working day of the month. */
  monthlyWorkingDay: z.number().int().min(1).max(15).default(3),
  /** The quarterly roll-up goes out on this working day counted back from the quarter's end (0: none). */
  quarterWorkingDaysBeforeEnd: z.number().int().min(0).max(20).default(3),
  /** Every live target owes a monthly report, not only those with a milestone or deadline that month. */
  monthlyReportForEveryTarget: z.boolean().default(true),
});

export type RollupRules = z.infer<typeof rollupRulesSchema>;
export const DEFAULT_ROLLUP_RULES: RollupRules = rollupRulesSchema.parse({});

export interface ReportingWindow {
  kind: "month" | "quarter";
  /** "2026-10" or "2026Q3": stable, for idempotency keys and the 提醒未报 command. */
  period: string;
  /** "2026年10月" or "2026年第三季度". */
  label: string;
  from: string;
  to: string;
}

export function monthWindow(day: string): ReportingWindow {
  const [y, m] = day.split("-").map(Number);
  const from = `${y}-${String(m).padStart(2, "0")}-01`;
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  return { kind: "month", period: from.slice(0, 7), label: `${y}年${m}月`, from, to: addDays(next, -1) };
}

export function quarterWindow(q: Quarter): ReportingWindow {
  const { first, last } = quarterRange(q);
  return { kind: "quarter", period: `${q.year}Q${q.quarter}`, label: quarterLabel(q), from: first, to: last };
}

/** "本月" (default), "上月", "10月", "2026-10", "2026年10月", "2026Q3", "2026年第三季度", "本季度", and this year's "Q3", "三季度", "第三季度". */
export function parseWindow(text: string, today: string): ReportingWindow | null {
  const t = text.trim().replace(/\s+/g, "");
  if (t === "" || t === "本月" || t === "本期") return monthWindow(today);
  if (t === "上月") return monthWindow(addDays(monthWindow(today).from, -1));
  if (t === "本季度" || t === "本季") return quarterWindow(quarterOf(today));
  const q = /^(\d{4})(?:[Qq]|年第?)([1-4一二三四])(?:季度?)?$/.exec(t);
  if (q) return quarterWindow({ year: Number(q[1]), quarter: ("1234".includes(q[2]) ? Number(q[2]) : "一二三四".indexOf(q[2]) + 1) as Quarter["quarter"] });
  const bare = /^(?:[Qq]([1-4])|第?([1-4一二三四])季度)$/.exec(t);
  if (bare) {
    const d = bare[1] ?? bare[2];
    return quarterWindow({ year: Number(today.slice(0, 4)), quarter: ("1234".includes(d) ? Number(d) : "一二三四".indexOf(d) + 1) as Quarter["quarter"] });
  }
  const m = /^(?:(\d{4})[-年/.])?(\d{1,2})月?$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    return monthWindow(`${m[1] ?? today.slice(0, 4)}-${m[2].padStart(2, "0")}-01`);
  }
  return null;
}

export type IsWorkingDay = (day: string) => boolean;

/**
 * The windows whose roll-up goes out on `today`, for the scheduler: the previous month on the
 * configured working day of the month, and the current quarter a few working days before it closes —
 * while owners can still report and before the quarter's negative list (§2.23) is computed.
 */
export function rollupWindowsDue(today: string, isWorkingDay: IsWorkingDay, rules: RollupRules = DEFAULT_ROLLUP_RULES): ReportingWindow[] {
  if (!isWorkingDay(today)) return [];
  const due: ReportingWindow[] = [];
  const month = monthWindow(today);
  let n = 0;
  for (let d = month.from; d <= today; d = addDays(d, 1)) if (isWorkingDay(d)) n += 1;
  if (n === rules.monthlyWorkingDay) due.push(monthWindow(addDays(month.from, -1)));
  if (rules.quarterWorkingDaysBeforeEnd > 0) {
    const quarter = quarterWindow(quarterOf(today));
    let left = 0;
    for (let d = today; d <= quarter.to; d = addDays(d, 1)) if (isWorkingDay(d)) left += 1;
    if (left === rules.quarterWorkingDaysBeforeEnd) due.push(quarter);
  }
  return due;
}

export interface RollupOwner {
  userId: number;
  name: string;
  account: string;
  /** Set when the owner is away today or was away on the item's deadline. */
  away: { kind: AbsenceKind; label: string; from: string; to: string; delegateId: number | null; delegateName: string | null } | null;
}

export interface RollupItem {
  targetId: number;
  code: string;
  title: string;
  /** What was due: "第三季度节点（应达75%）", "完成时限" or "月度进度". */
  what: string;
  deadline: string;
  owners: RollupOwner[];
  /** Latest report within the window. */
  reportedAt: Date | null;
  /** First report after the window closed (逾期补报), when none came within it. */
  lateReportAt: Date | null;
}

export interface AgencyRollup {
  agencyId: number;
  agencyName: string;
  shortName: string;
  window: ReportingWindow;
  asOf: Date;
  items: RollupItem[];
  /** Items with no report within the window, including those reported late (逾期补报). */
  unreported: RollupItem[];
  reportedCount: number;
  /** Of the unreported, how many were reported after the window closed. */
  lateCount: number;
}

const QUARTER = "一二三四";

/**
 * The roll-up of one agency for a window, counting reports made within the window (until `asOf` when
 * it is still open). A report after the window closed is the next period's; here it is 逾期补报.
 */
export async function agencyRollup(
  tx: Tx,
  args: { agencyId: number; cycleId: number; window: ReportingWindow; asOf: Date; rules?: RollupRules },
): Promise<AgencyRollup> {
  const { window, asOf } = args;
  const rules = args.rules ?? DEFAULT_ROLLUP_RULES;
  const start = fromBeijingDate(window.from);
  const end = fromBeijingDate(addDays(window.to, 1));
  const agency = await tx.agency.findUniqueOrThrow({ where: { id: args.agencyId } });
  const targets = await tx.target.findMany({
    where: {
      agencyId: args.agencyId,
      cycleId: args.cycleId,
      status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] },
      AND: [
        { OR: [{ issuedAt: null }, { issuedAt: { lt: end } }] },
        // Closed before the window opened: nothing more is owed.
        { OR: [{ closedAt: null }, { closedAt: { gte: start } }] },
      ],
    },
    include: {
      owners: { include: { user: true }, orderBy: { userId: "asc" } },
      milestones: { orderBy: { quarter: "asc" } },
      reports: { where: { createdAt: { gte: start, lte: asOf } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } },
    },
    orderBy: { code: "asc" },
  });
  const items: RollupItem[] = [];
  for (const t of targets) {
    const inWindow = (d: Date) => beijingDate(d) >= window.from && beijingDate(d) <= window.to;
    const dues = t.milestones
      .filter((m) => inWindow(m.dueOn))
      .map((m) => ({ day: beijingDate(m.dueOn), what: `第${QUARTER[m.quarter - 1]}季度节点（应达${m.expectedProgress}%）` }));
    if (inWindow(t.deadline)) dues.push({ day: beijingDate(t.deadline), what: "完成时限" });
    if (dues.length === 0 && !(window.kind === "month" && rules.monthlyReportForEveryTarget)) continue;
    dues.sort((a, b) => a.day.localeCompare(b.day));
    items.push({
      targetId: t.id,
      code: t.code,
      title: t.title,
      what: dues.length ? dues.map((d) => d.what).join("、") : "月度进度",
      deadline: dues[0]?.day ?? window.to,
      owners: t.owners.map((o) => ({ userId: o.user.id, name: o.user.name, account: o.user.account, away: null })),
      reportedAt: t.reports.filter((r) => r.createdAt < end).at(-1)?.createdAt ?? null,
      lateReportAt: t.reports.find((r) => r.createdAt >= end)?.createdAt ?? null,
    });
  }
  await flagAbsences(tx, args.agencyId, items, beijingDate(asOf));
  const unreported = items.filter((i) => !i.reportedAt);
  return {
    agencyId: agency.id,
    agencyName: agency.name,
    shortName: agency.shortName,
    window,
    asOf,
    items,
    unreported,
    reportedCount: items.length - unreported.length,
    lateCount: unreported.filter((i) => i.lateReportAt).length,
  };
}

/** Marks owners away today or on their item's deadline, with who stands in for them. */
async function flagAbsences(tx: Tx, agencyId: number, items: RollupItem[], today: string): Promise<void> {
  const ownerIds = [...new Set(items.flatMap((i) => i.owners.map((o) => o.userId)))];
  if (ownerIds.length === 0) return;
  const earliest = items.reduce((d, i) => (i.deadline < d ? i.deadline : d), today);
  const latest = items.reduce((d, i) => (i.deadline > d ? i.deadline : d), today);
  const absences = await tx.absence.findMany({
    where: { userId: { in: ownerIds }, startsOn: { lte: fromBeijingDate(latest) }, endsOn: { gte: fromBeijingDate(earliest) } },
    include: { delegate: true },
    orderBy: { startsOn: "asc" },
  });
  if (absences.length === 0) return;
  const fallback = await defaultDelegate(tx, { id: -1, agencyId });
  for (const item of items) {
    for (const owner of item.owners) {
      const covers = (day: string) => absences.find((a) => a.userId === owner.userId && beijingDate(a.startsOn) <= day && beijingDate(a.endsOn) >= day);
      const a = covers(today) ?? covers(item.deadline);
      if (!a) continue;
      const delegate = a.delegate ?? (fallback && fallback.id !== owner.userId ? fallback : null);
      owner.away = {
        kind: a.kind as AbsenceKind,
        label: ABSENCE_LABEL[a.kind as AbsenceKind] ?? "请假",
        from: beijingDate(a.startsOn),
        to: beijingDate(a.endsOn),
        delegateId: delegate?.id ?? null,
        delegateName: delegate?.name ?? null,
      };
    }
  }
}

/** Every agency's roll-up, in agency order, for the office's province summary. */
export async function provinceRollup(tx: Tx, args: { cycleId: number; window: ReportingWindow; asOf: Date; rules?: RollupRules }): Promise<AgencyRollup[]> {
  const agencies = await tx.agency.findMany({ orderBy: { id: "asc" }, select: { id: true } });
  const out: AgencyRollup[] = [];
  for (const a of agencies) out.push(await agencyRollup(tx, { ...args, agencyId: a.id }));
  return out;
}

/** "赵磊" or "赵磊（请假中，5月6日至5月10日，代理人刘晓燕）". */
export function ownerText(o: RollupOwner): string {
  if (!o.away) return o.name;
  const range = `${chineseDate(o.away.from)}至${chineseDate(o.away.to)}`;
  return `${o.name}（${o.away.label}，${range}${o.away.delegateName ? `，代理人${o.away.delegateName}` : ""}）`;
}
