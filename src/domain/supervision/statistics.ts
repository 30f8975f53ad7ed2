import { inChunks } from "../../infra/chunks.js";
import type { Tx } from "../../infra/db.js";
import { type Actor, seesProvince } from "../people/actor.js";
import { beijingDate, fromBeijingDate } from "../calendar/calendar.js";
import { stateCountsByAgency } from "../targets/counts.js";
import { LIVE_STATUSES } from "../vocabulary.js";

/** 统计: per agency, how many targets were issued and how many are on track, late, done (§7.4). */
export interface AgencyStats {
  agencyId: number;
  agency: string;
  issued: number;
  onTrack: number;
  late: number;
  done: number;
  notCompleted: number;
}

export async function provinceStats(tx: Tx, cycleId: number, now: Date, agencyId?: number): Promise<AgencyStats[]> {
  const agencies = await tx.agency.findMany({ where: agencyId ? { id: agencyId } : {}, orderBy: { id: "asc" }, select: { id: true, shortName: true } });
  const counts = await stateCountsByAgency(tx, { cycleId, today: beijingDate(now), agencyId });
  return agencies.map((a) => {
    const c = counts.get(a.id) ?? { issued: 0, done: 0, notCompleted: 0, late: 0 };
    return { agencyId: a.id, agency: a.shortName, issued: c.issued, onTrack: c.issued - c.done - c.notCompleted - c.late, late: c.late, done: c.done, notCompleted: c.notCompleted };
  });
}

export interface OverdueItem {
  code: string;
  title: string;
  agency: string;
  owners: string;
  what: string;
  dueOn: string;
  /** Days past due today, or — once reached late — days past due when it was reached. */
  daysLate: number;
  /** Beijing date a milestone was reached after its due date (逾期达成); null while still not reached. */
  reachedLateOn: string | null;
}

/** 逾期: targets past their deadline and milestones past due, not reached. Office sees all; others their agency. */
export async function overdueItems(tx: Tx, actor: Actor, cycleId: number, now: Date): Promise<OverdueItem[]> {
  const today = beijingDate(now);
  const start = fromBeijingDate(today);
  const scope = seesProvince(actor) ? {} : { agencyId: actor.agencyId ?? -1 };
  const live = { cycleId, status: { in: LIVE_STATUSES }, ...scope };
  // What is overdue, found by the indexes on Milestone.dueOn and the target's own columns; then the
  // targets themselves in explicit chunks of ids, never a province's worth in one statement (P2029).
  const milestones = await tx.milestone.findMany({
    where: { achievedAt: null, dueOn: { lt: start }, target: live },
    select: { targetId: true, quarter: true, dueOn: true, expectedProgress: true, reachedLateAt: true },
    orderBy: [{ targetId: "asc" }, { quarter: "asc" }],
  });
  const pastDeadline = await tx.target.findMany({ where: { ...live, deadline: { lt: start } }, select: { id: true } });
  const ids = [...new Set([...pastDeadline.map((t) => t.id), ...milestones.map((m) => m.targetId)])];
  const targets = (
    await inChunks(ids, (chunk) =>
      tx.target.findMany({
        where: { id: { in: chunk } },
        select: { id: true, code: true, title: true, agencyId: true, deadline: true, agency: { select: { shortName: true } }, owners: { select: { user: { select: { name: true } } }, orderBy: { userId: "asc" } } },
      }),
    )
  ).sort((a, b) => a.agencyId - b.agencyId || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const missed = new Map<number, typeof milestones>();
  for (const m of milestones) {
    const list = missed.get(m.targetId);
    if (list) list.push(m);
    else missed.set(m.targetId, [m]);
  }
  const items: OverdueItem[] = [];
  const days = (due: string) => Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000);
  for (const t of targets) {
    const base = { code: t.code, title: t.title, agency: t.agency.shortName, owners: t.owners.map((o) => o.user.name).join("、") || "未指定" };
    const deadline = beijingDate(t.deadline);
    if (deadline < today) items.push({ ...base, what: "目标完成时限", dueOn: deadline, daysLate: days(deadline), reachedLateOn: null });
    for (const m of missed.get(t.id) ?? []) {
      const due = beijingDate(m.dueOn);
      const reachedLateOn = m.reachedLateAt ? beijingDate(m.reachedLateAt) : null;
      items.push({ ...base, what: `第${"一二三四"[m.quarter - 1]}季度节点（应达 ${m.expectedProgress}%）`, dueOn: due, daysLate: reachedLateOn ? days(due) - days(reachedLateOn) : days(due), reachedLateOn });
    }
  }
  return items;
}
