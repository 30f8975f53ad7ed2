import type { Tx } from "../infra/db.js";
import { type AgencyLights, agencyLights } from "../domain/supervision/agency-lights.js";
import { addDays, beijingDate, fromBeijingDate, parsePeriod } from "../domain/calendar/calendar.js";
import { LIGHT_LABEL, type Light, type WarningRules, milestoneLight, targetLight } from "../domain/care/warnings.js";
import { STATE_LABEL, classifyTarget, reachedLateText, stateText } from "../domain/targets/targets.js";
import { completionSource } from "../domain/ledger/verification.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "../domain/vocabulary.js";

/**
 * What the status board shows, read in one place so the page and its tests agree on every number.
 * The agency scope is applied in every query here: an agency's board never reads another's rows.
 */
const ISSUED = [...LIVE_STATUSES, ...CLOSED_STATUSES];
const QUARTER = "一二三四";

export interface Trend {
  months: string[];
  /** Average reported progress of the issued targets at each month's end (today for the current month). */
  avgProgress: number[];
  /** Targets completed by each month's end. */
  completed: number[];
  /** The same as a percentage of the issued targets. */
  completedRate: number[];
}

export interface NegativeByQuarter {
  periods: string[];
  labels: string[];
  /** One series per agency: active entries and their points per quarter. */
  series: { agency: string; entries: number[]; points: number[] }[];
}

export interface ProvinceBoard {
  year: number;
  totals: Omit<AgencyLights, "agencyId" | "code" | "name" | "shortName">;
  agencies: AgencyLights[];
  negative: NegativeByQuarter;
  trend: Trend;
}

export interface BoardTarget {
  code: string;
  title: string;
  progress: number;
  light: Light;
  lightLabel: string;
  reason: string;
  state: string;
  owners: string;
  deadline: string;
  milestones: { label: string; due: string; expected: number; light: Light; status: string }[];
}

export interface AgencyBoard {
  year: number;
  agency: { id: number; code: string; name: string; shortName: string };
  counts: AgencyLights;
  targets: BoardTarget[];
  reports: { at: Date; code: string; reporter: string; onBehalfOf: string | null; progress: number; note: string }[];
  negative: NegativeByQuarter;
  /** The agency's quarterly negative lists (§2.23), newest first: what its head reads most closely. Entries
   *  are named as in 申诉: quarter and number within the list (2026Q3-2). */
  negativeLists: { period: string; label: string; totalPoints: number; entries: { ref: string; reason: string; points: number; supplementary: boolean }[] }[];
  trend: Trend;
}

function sumLights(rows: AgencyLights[]): ProvinceBoard["totals"] {
  const t = { issued: 0, onTrack: 0, warning: 0, late: 0, notCompleted: 0, done: 0 };
  for (const r of rows) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += r[k];
  return t;
}

async function trendOf(tx: Tx, cycle: { id: number; year: number }, now: Date, agencyId?: number): Promise<Trend> {
  const scope = { cycleId: cycle.id, status: { in: ISSUED }, ...(agencyId ? { agencyId } : {}) };
  const targets = await tx.target.findMany({ where: scope, select: { id: true, status: true, closedAt: true } });
  const reports = await tx.progressReport.findMany({
    where: { target: scope },
    select: { targetId: true, progress: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const today = beijingDate(now);
  const lastMonth = Number(today.slice(0, 4)) > cycle.year ? 12 : Number(today.slice(5, 7));
  const trend: Trend = { months: [], avgProgress: [], completed: [], completedRate: [] };
  const latest = new Map<number, number>();
  let i = 0;
  for (let m = 1; m <= lastMonth; m++) {
    const nextFirst = m === 12 ? `${cycle.year + 1}-01-01` : `${cycle.year}-${String(m + 1).padStart(2, "0")}-01`;
    const cut = new Date(Math.min(fromBeijingDate(nextFirst).getTime(), now.getTime() + 1));
    for (; i < reports.length && reports[i].createdAt < cut; i++) latest.set(reports[i].targetId, reports[i].progress);
    const sum = targets.reduce((s, t) => s + (latest.get(t.id) ?? 0), 0);
    trend.months.push(`${m}月`);
    trend.avgProgress.push(targets.length ? Math.round((sum / targets.length) * 10) / 10 : 0);
    const completed = targets.filter((t) => t.status === "completed" && t.closedAt && t.closedAt < cut).length;
    trend.completed.push(completed);
    trend.completedRate.push(targets.length ? Math.round((completed / targets.length) * 1000) / 10 : 0);
  }
  return trend;
}

async function negativeOf(tx: Tx, cycleId: number, agencies: { id: number; shortName: string }[], wholeProvince = false): Promise<NegativeByQuarter> {
  const lists = await tx.negativeList.findMany({
    // The whole province by its cycle, not by a list of every agency's id.
    where: { cycleId, ...(wholeProvince ? {} : { agencyId: { in: agencies.map((a) => a.id) } }) },
    include: { entries: { where: { status: "active" }, select: { points: true } } },
  });
  const periods = [...new Set(lists.map((l) => l.period))].sort();
  const byKey = new Map(lists.map((l) => [`${l.agencyId}:${l.period}`, l]));
  return {
    periods,
    labels: periods.map((p) => `第${QUARTER[(parsePeriod(p)?.quarter ?? 1) - 1]}季度`),
    series: agencies.map((a) => {
      const mine = (p: string) => byKey.get(`${a.id}:${p}`);
      return {
        agency: a.shortName,
        entries: periods.map((p) => mine(p)?.entries.length ?? 0),
        points: periods.map((p) => Math.round((mine(p)?.entries.reduce((s, e) => s + e.points, 0) ?? 0) * 100) / 100),
      };
    }),
  };
}

export async function provinceBoard(tx: Tx, cycle: { id: number; year: number }, now: Date, rules: WarningRules): Promise<ProvinceBoard> {
  const agencies = await agencyLights(tx, cycle.id, now, rules);
  return {
    year: cycle.year,
    totals: sumLights(agencies),
    agencies,
    negative: await negativeOf(tx, cycle.id, agencies.map((a) => ({ id: a.agencyId, shortName: a.shortName })), true),
    trend: await trendOf(tx, cycle, now),
  };
}

/**
 * A completed target says whether a 核查 (§2.17) found it true or it stands as the owner reported it;
 * a late one says which milestone or deadline it missed.
 */
function boardStateText(t: Parameters<typeof stateText>[0] & { verifiedAt: Date | null }, today: string): string {
  return classifyTarget(t, today) === "done" ? `${STATE_LABEL.done}（${completionSource(t.verifiedAt)}）` : stateText(t, today);
}

export async function agencyBoard(tx: Tx, cycle: { id: number; year: number }, agencyId: number, now: Date, rules: WarningRules): Promise<AgencyBoard | null> {
  const agency = await tx.agency.findUnique({ where: { id: agencyId } });
  if (!agency) return null;
  const today = beijingDate(now);
  const [counts] = await agencyLights(tx, cycle.id, now, rules, agencyId);
  const targets = await tx.target.findMany({
    where: { cycleId: cycle.id, agencyId, status: { in: ISSUED } },
    include: { owners: { include: { user: true } }, milestones: { orderBy: { quarter: "asc" } } },
    orderBy: { code: "asc" },
  });
  const reports = await tx.progressReport.findMany({
    where: { target: { cycleId: cycle.id, agencyId } },
    include: { target: { select: { code: true } }, reporter: { select: { name: true } }, onBehalfOf: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 10,
  });
  return {
    year: cycle.year,
    agency: { id: agency.id, code: agency.code, name: agency.name, shortName: agency.shortName },
    counts,
    targets: targets.map((t) => {
      const l = targetLight(t, today, rules);
      return {
        code: t.code,
        title: t.title,
        progress: t.progress,
        light: l.light,
        lightLabel: LIGHT_LABEL[l.light],
        reason: l.reason,
        state: boardStateText(t, today),
        owners: t.owners.map((o) => o.user.name).join("、") || "未指定",
        deadline: beijingDate(t.deadline),
        milestones: t.milestones.map((m) => ({
          label: `第${QUARTER[m.quarter - 1]}季度`,
          due: beijingDate(m.dueOn),
          expected: m.expectedProgress,
          light: milestoneLight(m, t.progress, today, rules).light,
          status: m.achievedAt ? `已达成（${completionSource(m.verifiedAt)}）` : beijingDate(m.dueOn) < today ? (reachedLateText(m) ?? "未按期达成") : beijingDate(m.dueOn) <= addDays(today, rules.milestoneWarningDays) ? "临近到期" : "待完成",
        })),
      };
    }),
    reports: reports.map((r) => ({ at: r.createdAt, code: r.target.code, reporter: r.reporter.name, onBehalfOf: r.onBehalfOf?.name ?? null, progress: r.progress, note: r.note })),
    negative: await negativeOf(tx, cycle.id, [{ id: agency.id, shortName: agency.shortName }]),
    negativeLists: (
      await tx.negativeList.findMany({
        where: { cycleId: cycle.id, agencyId },
        include: { entries: { where: { status: "active" }, orderBy: { seq: "asc" }, select: { seq: true, reason: true, points: true, verificationId: true } } },
        orderBy: { period: "desc" },
      })
    ).map((l) => ({ period: l.period, label: `第${QUARTER[(parsePeriod(l.period)?.quarter ?? 1) - 1]}季度`, totalPoints: l.totalPoints, entries: l.entries.map((e) => ({ ref: `${l.period}-${e.seq}`, reason: e.reason, points: e.points, supplementary: e.verificationId !== null })) })),
    trend: await trendOf(tx, cycle, now, agencyId),
  };
}
