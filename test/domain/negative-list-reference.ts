import type { Tx } from "../../src/infra/db.js";
import { type Quarter, fromBeijingDate, addDays, beijingDate, chineseDate, quarterRange } from "../../src/domain/calendar/calendar.js";
import type { ComputedEntry, ComputedList } from "../../src/domain/negative-list/negative-list.js";
import type { YearRules } from "../../src/domain/rules.js";

/**
 * The negative list (§2.23) as it was computed row by row before the set-based SQL (commit ba7030a),
 * kept verbatim (but for an explicit milestone order) as the reference the differential test compares the new computation with.
 */
/** Targets the standard scores: issued ones, whatever they became (Fig. 1). */
const SCORED_STATUSES = ["issued", "in_progress", "completed", "not_completed"];

/** Pure rule: done by the end of its day (Beijing) or not. */
function doneBy(at: Date | null, day: Date): boolean {
  return at !== null && at < fromBeijingDate(addDays(beijingDate(day), 1));
}

/** Pure rule: what a milestone costs. Exported for tests and the evaluation's explanation. */
function milestonePoints(achievedAt: Date | null, dueOn: Date, rules: YearRules): number {
  return doneBy(achievedAt, dueOn) ? 0 : rules.negativeList.pointsPerMilestone;
}

/** Pure rule: a target is complete at its deadline when closed as completed by the end of that day. */
function targetPoints(t: { status: string; closedAt: Date | null; deadline: Date }, rules: YearRules): number {
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
export async function referenceNegativeLists(tx: Tx, q: Quarter, rules: YearRules, targetIds?: number[]): Promise<ComputedList[]> {
  const { first, last } = quarterRange(q);
  const inQuarter = { gte: fromBeijingDate(first), lt: fromBeijingDate(addDays(last, 1)) };
  const scope = targetIds ? { id: { in: targetIds } } : {};
  const dueMilestones = await tx.milestone.findMany({
    where: { dueOn: inQuarter, target: { status: { in: SCORED_STATUSES }, ...scope } },
    select: { id: true, targetId: true, dueOn: true, achievedAt: true },
    // Added to the original: the order SQLite's dueOn index gave, so PostgreSQL's runs agree.
    orderBy: [{ dueOn: "asc" }, { id: "asc" }],
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


function round(n: number): number {
  return Math.round(n * 100) / 100;
}
