import type { Tx } from "../infra/db.js";
import { type Quarter, fromBeijingDate, addDays, beijingDate, periodOf, quarterRange } from "./calendar.js";
import type { YearRules } from "./rules.js";

/**
 * 负面清单 (§2.23): "完成目标记0分，未完成目标记负分、超额完成目标不加分". Computed per agency from the
 * quarterly milestones (§2.21) due in the quarter: a milestone reached by its due date scores 0, one
 * not reached scores the rules file's negative points, and over-completion never earns points back.
 */
export interface ComputedEntry {
  targetId: number;
  milestoneId: number;
  points: number;
  reason: string;
}

export interface ComputedList {
  agencyId: number;
  entries: ComputedEntry[];
  totalPoints: number;
}

/** Pure rule: what a milestone costs. Exported for tests and the evaluation's explanation. */
export function milestonePoints(achievedAt: Date | null, dueOn: Date, rules: YearRules): number {
  const endOfDueDay = fromBeijingDate(addDays(beijingDate(dueOn), 1));
  return achievedAt && achievedAt < endOfDueDay ? 0 : rules.negativeList.pointsPerMilestone;
}

/**
 * Computes (without writing) every agency's list for a quarter; agencies with no entries get an empty
 * list. Two passes: the points need only ids and dates of every milestone due, the wording only the
 * missed ones' targets — so a large province is not loaded whole.
 */
export async function computeNegativeLists(tx: Tx, q: Quarter, rules: YearRules): Promise<ComputedList[]> {
  const { first, last } = quarterRange(q);
  const due = await tx.milestone.findMany({
    where: {
      dueOn: { gte: fromBeijingDate(first), lt: fromBeijingDate(addDays(last, 1)) },
      target: { status: { in: ["issued", "in_progress", "completed", "not_completed"] } },
    },
    select: { id: true, dueOn: true, achievedAt: true },
    orderBy: [{ targetId: "asc" }, { id: "asc" }],
  });
  const missed = new Map<number, number>();
  for (const m of due) {
    const points = milestonePoints(m.achievedAt, m.dueOn, rules);
    if (points !== 0) missed.set(m.id, points);
  }
  const agencies = await tx.agency.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  const byAgency = new Map<number, ComputedList>(agencies.map((a) => [a.id, { agencyId: a.id, entries: [], totalPoints: 0 }]));
  const ids = [...missed.keys()];
  for (let i = 0; i < ids.length; i += DETAIL_CHUNK) {
    const details = await tx.milestone.findMany({
      where: { id: { in: ids.slice(i, i + DETAIL_CHUNK) } },
      select: { id: true, description: true, quarter: true, target: { select: { id: true, code: true, title: true, agencyId: true } } },
      orderBy: [{ targetId: "asc" }, { id: "asc" }],
    });
    for (const m of details) {
      const points = missed.get(m.id)!;
      const list = byAgency.get(m.target.agencyId)!;
      list.entries.push({
        targetId: m.target.id,
        milestoneId: m.id,
        points,
        reason: `${m.target.code}「${m.target.title}」第${"一二三四"[m.quarter - 1]}季度节点未按期完成：${m.description}`,
      });
      list.totalPoints += points;
    }
  }
  return [...byAgency.values()];
}

/** Milestones whose wording is read per query: under the SQLite adapter's 999 bound parameters. */
const DETAIL_CHUNK = 500;

/** Stores computed lists; a list already stored for the agency and period is kept as it is. */
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
    // Batched inserts, each under the SQLite adapter's bound-parameter limit (5 columns × 100 rows).
    for (let i = 0; i < l.entries.length; i += ENTRY_BATCH) {
      await tx.negativeListEntry.createMany({
        data: l.entries.slice(i, i + ENTRY_BATCH).map((e) => ({ listId: list.id, targetId: e.targetId, milestoneId: e.milestoneId, points: e.points, reason: e.reason })),
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

export async function getNegativeList(tx: Tx, agencyId: number, period: string) {
  return tx.negativeList.findUnique({
    where: { agencyId_period: { agencyId, period } },
    include: { agency: true, entries: { include: { target: true }, orderBy: { id: "asc" } } },
  });
}

/** The newest list stored for an agency, when the user names no quarter. */
export async function latestNegativeList(tx: Tx, agencyId: number) {
  return tx.negativeList.findFirst({
    where: { agencyId },
    orderBy: { period: "desc" },
    include: { agency: true, entries: { include: { target: true }, orderBy: { id: "asc" } } },
  });
}

/** Keeps a list's total equal to the sum of its active entries after a withdrawal. */
export async function recomputeListTotal(tx: Tx, listId: number) {
  const entries = await tx.negativeListEntry.findMany({ where: { listId, status: "active" } });
  const total = round(entries.reduce((s, e) => s + e.points, 0));
  await tx.negativeList.update({ where: { id: listId }, data: { totalPoints: total } });
  return total;
}
