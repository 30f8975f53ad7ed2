import type { Tx } from "../infra/db.js";
import { type Quarter, fromBeijingDate, addDays, beijingDate, chineseDate, periodOf, quarterRange } from "./calendar.js";
import type { YearRules } from "./rules.js";

/**
 * 负面清单 (§2.23): "完成目标记0分，未完成目标记负分、超额完成目标不加分". Computed per agency from
 * everything due in the quarter: every quarterly milestone (§2.21) and every target's own deadline,
 * initial (§2.6) and dynamic (§2.7) targets alike. Done by its day scores 0; not done scores the rules
 * file's negative points; over-completion never earns points back. One miss is one entry: a target's
 * deadline and its milestone due the same day, both missed, are one entry, not two.
 */
export interface ComputedEntry {
  targetId: number;
  /** The milestone missed; null when the entry is the target's own deadline. */
  milestoneId: number | null;
  points: number;
  reason: string;
  /** The Beijing day the miss fell on (milestone due date or target deadline). */
  dueDay: string;
}

export interface ComputedList {
  agencyId: number;
  entries: ComputedEntry[];
  totalPoints: number;
}

/** Targets the standard scores: issued ones, whatever they became (Fig. 1). */
const SCORED_STATUSES = ["issued", "in_progress", "completed", "not_completed"];

/** Pure rule: done by the end of its day (Beijing) or not. */
function doneBy(at: Date | null, day: Date): boolean {
  return at !== null && at < fromBeijingDate(addDays(beijingDate(day), 1));
}

/** Pure rule: what a milestone costs. Exported for tests and the evaluation's explanation. */
export function milestonePoints(achievedAt: Date | null, dueOn: Date, rules: YearRules): number {
  return doneBy(achievedAt, dueOn) ? 0 : rules.negativeList.pointsPerMilestone;
}

/** Pure rule: a target is complete at its deadline when closed as completed by the end of that day. */
export function targetPoints(t: { status: string; closedAt: Date | null; deadline: Date }, rules: YearRules): number {
  return t.status === "completed" && doneBy(t.closedAt, t.deadline) ? 0 : rules.negativeList.pointsPerMilestone;
}

interface Miss {
  targetId: number;
  day: string;
  points: number;
  milestoneId: number | null;
  /** The target's own deadline was missed (the entry then stands for the target). */
  target: { closedAt: Date | null; status: string } | null;
}

/**
 * Computes (without writing) every agency's list for a quarter; agencies with no entries get an empty
 * list. Two passes: the points need only ids and dates of what fell due, the wording only the misses'
 * — so a large province is not loaded whole. `targetIds` narrows the computation (a 核查 finding).
 */
export async function computeNegativeLists(tx: Tx, q: Quarter, rules: YearRules, targetIds?: number[]): Promise<ComputedList[]> {
  const { first, last } = quarterRange(q);
  const inQuarter = { gte: fromBeijingDate(first), lt: fromBeijingDate(addDays(last, 1)) };
  const scope = targetIds ? { id: { in: targetIds } } : {};
  const dueMilestones = await tx.milestone.findMany({
    where: { dueOn: inQuarter, target: { status: { in: SCORED_STATUSES }, ...scope } },
    select: { id: true, targetId: true, dueOn: true, achievedAt: true },
  });
  const dueTargets = await tx.target.findMany({
    where: { deadline: inQuarter, status: { in: SCORED_STATUSES }, ...scope },
    select: { id: true, deadline: true, status: true, closedAt: true },
  });
  const misses = new Map<string, Miss>();
  const missOn = (targetId: number, day: string) => {
    const key = `${targetId}|${day}`;
    if (!misses.has(key)) misses.set(key, { targetId, day, points: 0, milestoneId: null, target: null });
    return misses.get(key)!;
  };
  for (const m of dueMilestones) {
    const points = milestonePoints(m.achievedAt, m.dueOn, rules);
    if (points === 0) continue;
    const miss = missOn(m.targetId, beijingDate(m.dueOn));
    miss.milestoneId = m.id;
    miss.points = Math.min(miss.points, points);
  }
  for (const t of dueTargets) {
    const points = targetPoints(t, rules);
    if (points === 0) continue;
    const miss = missOn(t.id, beijingDate(t.deadline));
    miss.target = { closedAt: t.closedAt, status: t.status };
    miss.points = Math.min(miss.points, points);
  }
  const agencies = targetIds
    ? await tx.agency.findMany({ where: { targets: { some: { id: { in: targetIds } } } }, select: { id: true }, orderBy: { id: "asc" } })
    : await tx.agency.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  const byAgency = new Map<number, ComputedList>(agencies.map((a) => [a.id, { agencyId: a.id, entries: [], totalPoints: 0 }]));
  const { targets, milestones } = await wording(tx, [...misses.values()]);
  const sortKey = new Map<ComputedEntry, string>();
  for (const miss of misses.values()) {
    const t = targets.get(miss.targetId)!;
    const list = byAgency.get(t.agencyId)!;
    const entry: ComputedEntry = {
      targetId: miss.targetId,
      milestoneId: miss.target ? null : miss.milestoneId,
      points: miss.points,
      reason: reasonOf(t, miss, miss.milestoneId !== null ? milestones.get(miss.milestoneId)! : null),
      dueDay: miss.day,
    };
    sortKey.set(entry, `${t.code}|${miss.day}`);
    list.entries.push(entry);
    list.totalPoints += miss.points;
  }
  // Numbered by target code, then date: the order a head reads his agency's targets in.
  const collator = new Intl.Collator("en", { numeric: true });
  for (const l of byAgency.values()) {
    l.entries.sort((a, b) => collator.compare(sortKey.get(a)!, sortKey.get(b)!));
    l.totalPoints = round(l.totalPoints);
  }
  return [...byAgency.values()];
}

type TargetWording = { code: string; title: string; agencyId: number; managementType: string; documentNo: string | null };
type MilestoneWording = { quarter: number; description: string };

/** The misses' targets and milestones, read in chunks under the SQLite adapter's 999 bound parameters. */
async function wording(tx: Tx, misses: Miss[]) {
  const targets = new Map<number, TargetWording>();
  const milestones = new Map<number, MilestoneWording>();
  const targetIds = [...new Set(misses.map((m) => m.targetId))];
  const milestoneIds = misses.flatMap((m) => (m.milestoneId !== null ? [m.milestoneId] : []));
  for (let i = 0; i < targetIds.length; i += DETAIL_CHUNK) {
    const rows = await tx.target.findMany({
      where: { id: { in: targetIds.slice(i, i + DETAIL_CHUNK) } },
      select: { id: true, code: true, title: true, agencyId: true, managementType: true, documentNo: true },
    });
    for (const r of rows) targets.set(r.id, r);
  }
  for (let i = 0; i < milestoneIds.length; i += DETAIL_CHUNK) {
    const rows = await tx.milestone.findMany({ where: { id: { in: milestoneIds.slice(i, i + DETAIL_CHUNK) } }, select: { id: true, quarter: true, description: true } });
    for (const r of rows) milestones.set(r.id, r);
  }
  return { targets, milestones };
}

const QUARTER_NAME = "一二三四";

function reasonOf(t: TargetWording, miss: Miss, m: MilestoneWording | null): string {
  const name = `${t.code}「${t.title}」${t.managementType === "dynamic" ? `（动态目标${t.documentNo ? `，${t.documentNo}` : ""}）` : ""}`;
  if (!miss.target) return `${name}第${QUARTER_NAME[m!.quarter - 1]}季度节点未按期完成：${m!.description}`;
  const late = miss.target.status === "completed" && miss.target.closedAt ? `，${chineseDate(beijingDate(miss.target.closedAt))}才完成` : "";
  const sameDay = m ? `；第${QUARTER_NAME[m.quarter - 1]}季度节点同日到期，一并计为一项` : "";
  return `${name}未按期完成（完成时限 ${chineseDate(miss.day)}${late}${sameDay}）`;
}

/** Misses whose wording is read per query: under the SQLite adapter's 999 bound parameters. */
const DETAIL_CHUNK = 500;

/** Stores computed lists, entries numbered 1, 2, 3 …; a list already stored for the agency and period is kept as it is. */
export async function storeNegativeLists(tx: Tx, cycleId: number, q: Quarter, lists: ComputedList[], now: Date) {
  const period = periodOf(q);
  const stored = [];
  for (const l of lists) {
    const existing = await tx.negativeList.findUnique({ where: { agencyId_period: { agencyId: l.agencyId, period } } });
    if (existing) {
      stored.push(existing);
      continue;
    }
    const list = await tx.negativeList.create({ data: { agencyId: l.agencyId, cycleId, period, totalPoints: round(l.totalPoints), computedAt: now } });
    // Batched inserts, each under the SQLite adapter's bound-parameter limit (6 columns × 100 rows).
    for (let i = 0; i < l.entries.length; i += ENTRY_BATCH) {
      await tx.negativeListEntry.createMany({
        data: l.entries
          .slice(i, i + ENTRY_BATCH)
          .map((e, j) => ({ listId: list.id, seq: i + j + 1, targetId: e.targetId, milestoneId: e.milestoneId, points: e.points, reason: e.reason })),
      });
    }
    stored.push(list);
  }
  return stored;
}

const ENTRY_BATCH = 100;

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const listInclude = { agency: true, entries: { include: { target: true }, orderBy: { seq: "asc" as const } } };

export async function getNegativeList(tx: Tx, agencyId: number, period: string) {
  return tx.negativeList.findUnique({ where: { agencyId_period: { agencyId, period } }, include: listInclude });
}

/** The newest list stored for an agency, when the user names no quarter. */
export async function latestNegativeList(tx: Tx, agencyId: number) {
  return tx.negativeList.findFirst({ where: { agencyId }, orderBy: { period: "desc" }, include: listInclude });
}

/** Keeps a list's total equal to the sum of its active entries after a withdrawal or an addition. */
export async function recomputeListTotal(tx: Tx, listId: number) {
  const entries = await tx.negativeListEntry.findMany({ where: { listId, status: "active" } });
  const total = round(entries.reduce((s, e) => s + e.points, 0));
  await tx.negativeList.update({ where: { id: listId }, data: { totalPoints: total } });
  return total;
}

/** The head (一把手) receives the list (§2.23); an agency without one falls back to its 目标办 so the list is not lost. */
export async function listRecipients(tx: Tx, agencyId: number): Promise<number[]> {
  for (const role of ["head", "officer"]) {
    const users = await tx.user.findMany({ where: { agencyId, role, active: true }, select: { id: true }, orderBy: { id: "asc" } });
    if (users.length) return users.map((u) => u.id);
  }
  return [];
}
