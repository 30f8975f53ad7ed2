import type { Tx } from "../infra/db.js";
import { type Actor, seesProvince } from "./actor.js";
import { beijingDate } from "./calendar.js";
import { classifyTarget, type TargetState } from "./targets.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "./vocabulary.js";

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

const ISSUED = [...LIVE_STATUSES, ...CLOSED_STATUSES];

export async function provinceStats(tx: Tx, cycleId: number, now: Date, agencyId?: number): Promise<AgencyStats[]> {
  const today = beijingDate(now);
  const agencies = await tx.agency.findMany({ where: agencyId ? { id: agencyId } : {}, orderBy: { id: "asc" } });
  const targets = await tx.target.findMany({
    where: { cycleId, status: { in: ISSUED }, ...(agencyId ? { agencyId } : {}) },
    select: { agencyId: true, status: true, deadline: true, milestones: { select: { dueOn: true, achievedAt: true } } },
  });
  const stats = new Map<number, AgencyStats>(
    agencies.map((a) => [a.id, { agencyId: a.id, agency: a.shortName, issued: 0, onTrack: 0, late: 0, done: 0, notCompleted: 0 }]),
  );
  const key: Record<TargetState, keyof AgencyStats> = { on_track: "onTrack", late: "late", done: "done", not_completed: "notCompleted" };
  for (const t of targets) {
    const s = stats.get(t.agencyId);
    if (!s) continue;
    s.issued += 1;
    (s[key[classifyTarget(t, today)]] as number) += 1;
  }
  return [...stats.values()];
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
  const scope = seesProvince(actor) ? {} : { agencyId: actor.agencyId ?? -1 };
  const targets = await tx.target.findMany({
    where: { cycleId, status: { in: LIVE_STATUSES }, ...scope },
    include: { agency: true, owners: { include: { user: true } }, milestones: { orderBy: { quarter: "asc" } } },
    orderBy: [{ agencyId: "asc" }, { code: "asc" }],
  });
  const items: OverdueItem[] = [];
  const days = (due: string) => Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000);
  for (const t of targets) {
    const base = { code: t.code, title: t.title, agency: t.agency.shortName, owners: t.owners.map((o) => o.user.name).join("、") || "未指定" };
    const deadline = beijingDate(t.deadline);
    if (deadline < today) items.push({ ...base, what: "目标完成时限", dueOn: deadline, daysLate: days(deadline), reachedLateOn: null });
    for (const m of t.milestones) {
      const due = beijingDate(m.dueOn);
      if (m.achievedAt || due >= today) continue;
      const reachedLateOn = m.reachedLateAt ? beijingDate(m.reachedLateAt) : null;
      items.push({ ...base, what: `第${"一二三四"[m.quarter - 1]}季度节点（应达 ${m.expectedProgress}%）`, dueOn: due, daysLate: reachedLateOn ? days(due) - days(reachedLateOn) : days(due), reachedLateOn });
    }
  }
  return items;
}
