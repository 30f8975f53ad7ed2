import { z } from "zod";
import type { Tx } from "../../infra/db.js";
import { ABSENCE_LABEL, defaultDelegate, type AbsenceKind } from "./absence.js";
import { addDays, beijingDate, chineseDate, fromBeijingDate, type Quarter, quarterLabel, quarterOf, quarterRange } from "../calendar/calendar.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "../vocabulary.js";

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
  const agency = await tx.agency.findUniqueOrThrow({ where: { id: args.agencyId } });
  return (await rollups(tx, [agency], args))[0];
}

/** Every agency's roll-up, in agency order, for the office's province summary and the roll-up job. */
export async function provinceRollup(tx: Tx, args: { cycleId: number; window: ReportingWindow; asOf: Date; rules?: RollupRules }): Promise<AgencyRollup[]> {
  return rollups(tx, await tx.agency.findMany({ orderBy: { id: "asc" } }), args);
}

type AgencyRow = { id: number; name: string; shortName: string };

/**
 * The same few statements for one agency or the whole province: the targets appear only as a relation
 * filter, never as a list of their ids (a province has more than one statement binds, P2029), and
 * reports are reduced to the two dates each item needs by the database.
 */
async function rollups(tx: Tx, agencies: AgencyRow[], args: { cycleId: number; window: ReportingWindow; asOf: Date; rules?: RollupRules }): Promise<AgencyRollup[]> {
  const { window, asOf } = args;
  const rules = args.rules ?? DEFAULT_ROLLUP_RULES;
  const start = fromBeijingDate(window.from);
  const end = fromBeijingDate(addDays(window.to, 1));
  const owed = {
    ...(agencies.length === 1 ? { agencyId: agencies[0].id } : {}),
    cycleId: args.cycleId,
    status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] },
    AND: [
      { OR: [{ issuedAt: null }, { issuedAt: { lt: end } }] },
      // Closed before the window opened: nothing more is owed.
      { OR: [{ closedAt: null }, { closedAt: { gte: start } }] },
    ],
  };
  const targets = await tx.target.findMany({
    where: owed,
    select: { id: true, agencyId: true, code: true, title: true, deadline: true },
    orderBy: [{ agencyId: "asc" }, { code: "asc" }],
  });
  const milestones = groupByTarget(
    await tx.milestone.findMany({
      where: { target: owed, dueOn: { gte: start, lt: end } },
      select: { targetId: true, quarter: true, dueOn: true, expectedProgress: true },
      orderBy: [{ targetId: "asc" }, { quarter: "asc" }],
    }),
  );
  const ownerRows = await tx.targetOwner.findMany({ where: { target: owed }, select: { targetId: true, userId: true }, orderBy: [{ targetId: "asc" }, { userId: "asc" }] });
  const owners = groupByTarget(ownerRows);
  // One agency names its few owners; the province reads its people whole — a relation filter from users to
  // the cycle's targets is slow on SQLite, and their ids too many to list.
  const ownerIds = agencies.length === 1 ? [...new Set(ownerRows.map((o) => o.userId))] : null;
  const people = new Map(
    (await tx.user.findMany({ where: ownerIds ? { id: { in: ownerIds } } : {}, select: { id: true, name: true, account: true } })).map((u) => [u.id, u]),
  );
  // Latest report within the window; else the first one after it closed (逾期补报).
  const within = await tx.progressReport.groupBy({ by: ["targetId"], where: { target: owed, createdAt: { gte: start, lt: end, lte: asOf } }, _max: { createdAt: true } });
  const after = await tx.progressReport.groupBy({ by: ["targetId"], where: { target: owed, createdAt: { gte: end, lte: asOf } }, _min: { createdAt: true } });
  const reported = new Map(within.map((g) => [g.targetId, g._max.createdAt]));
  const lateReported = new Map(after.map((g) => [g.targetId, g._min.createdAt]));
  const items = new Map<number, RollupItem[]>(agencies.map((a) => [a.id, []]));
  for (const t of targets) {
    const inWindow = (d: Date) => d >= start && d < end;
    const dues = (milestones.get(t.id) ?? []).map((m) => ({ day: beijingDate(m.dueOn), what: `第${QUARTER[m.quarter - 1]}季度节点（应达${m.expectedProgress}%）` }));
    if (inWindow(t.deadline)) dues.push({ day: beijingDate(t.deadline), what: "完成时限" });
    if (dues.length === 0 && !(window.kind === "month" && rules.monthlyReportForEveryTarget)) continue;
    dues.sort((a, b) => a.day.localeCompare(b.day));
    const reportedAt = reported.get(t.id) ?? null;
    items.get(t.agencyId)?.push({
      targetId: t.id,
      code: t.code,
      title: t.title,
      what: dues.length ? dues.map((d) => d.what).join("、") : "月度进度",
      deadline: dues[0]?.day ?? window.to,
      owners: (owners.get(t.id) ?? []).map((o) => people.get(o.userId)!).map((u) => ({ userId: u.id, name: u.name, account: u.account, away: null })),
      reportedAt,
      lateReportAt: lateReported.get(t.id) ?? null,
    });
  }
  await flagAbsences(tx, agencies, items, ownerIds, beijingDate(asOf));
  return agencies.map((agency) => {
    const mine = items.get(agency.id) ?? [];
    const unreported = mine.filter((i) => !i.reportedAt);
    return {
      agencyId: agency.id,
      agencyName: agency.name,
      shortName: agency.shortName,
      window,
      asOf,
      items: mine,
      unreported,
      reportedCount: mine.length - unreported.length,
      lateCount: unreported.filter((i) => i.lateReportAt).length,
    };
  });
}

function groupByTarget<T extends { targetId: number }>(rows: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.targetId);
    if (list) list.push(r);
    else m.set(r.targetId, [r]);
  }
  return m;
}

/** Marks owners away today or on their item's deadline, with who stands in for them. */
async function flagAbsences(tx: Tx, agencies: AgencyRow[], items: Map<number, RollupItem[]>, ownerIds: number[] | null, today: string): Promise<void> {
  const all = [...items.values()].flat();
  if (!all.some((i) => i.owners.length)) return;
  const earliest = all.reduce((d, i) => (i.deadline < d ? i.deadline : d), today);
  const latest = all.reduce((d, i) => (i.deadline > d ? i.deadline : d), today);
  const absences = await tx.absence.findMany({
    where: { ...(ownerIds ? { userId: { in: ownerIds } } : {}), startsOn: { lte: fromBeijingDate(latest) }, endsOn: { gte: fromBeijingDate(earliest) } },
    include: { delegate: true },
    orderBy: [{ startsOn: "asc" }, { id: "asc" }],
  });
  if (absences.length === 0) return;
  for (const agency of agencies) {
    const mine = items.get(agency.id) ?? [];
    let fallback: Awaited<ReturnType<typeof defaultDelegate>> | undefined;
    for (const item of mine) {
      for (const owner of item.owners) {
        const covers = (day: string) => absences.find((a) => a.userId === owner.userId && beijingDate(a.startsOn) <= day && beijingDate(a.endsOn) >= day);
        const a = covers(today) ?? covers(item.deadline);
        if (!a) continue;
        // The agency's own officer stands in when none was named; read only for agencies that need one.
        if (!a.delegate && fallback === undefined) fallback = await defaultDelegate(tx, { id: -1, agencyId: agency.id });
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
}

/** "赵磊" or "赵磊（请假中，5月6日至5月10日，代理人刘晓燕）". */
export function ownerText(o: RollupOwner): string {
  if (!o.away) return o.name;
  const range = `${chineseDate(o.away.from)}至${chineseDate(o.away.to)}`;
  return `${o.name}（${o.away.label}，${range}${o.away.delegateName ? `，代理人${o.away.delegateName}` : ""}）`;
}
