import type { Tx } from "../infra/db.js";
import { beijingDate } from "./calendar.js";
import { classifyTarget } from "./targets.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "./vocabulary.js";
import { type WarningRules, targetLight } from "./warnings.js";

/**
 * Per agency, the issued targets split the way 统计 and the 看板 show them: 正常推进 (of which 预警,
 * the yellow ones), 逾期, 未完成 and 已完成. 预警 is a part of 正常推进 — a target near its deadline
 * and behind is still running, and people should see it before it turns late.
 */
export interface AgencyLights {
  agencyId: number;
  code: string;
  name: string;
  shortName: string;
  issued: number;
  onTrack: number;
  warning: number;
  late: number;
  notCompleted: number;
  done: number;
}

export async function agencyLights(tx: Tx, cycleId: number, now: Date, rules: WarningRules, agencyId?: number): Promise<AgencyLights[]> {
  const today = beijingDate(now);
  const agencies = await tx.agency.findMany({ where: agencyId ? { id: agencyId } : {}, orderBy: { id: "asc" } });
  const targets = await tx.target.findMany({
    where: { cycleId, status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] }, ...(agencyId ? { agencyId } : {}) },
    select: { agencyId: true, status: true, deadline: true, progress: true, milestones: { select: { quarter: true, dueOn: true, expectedProgress: true, achievedAt: true } } },
  });
  const rows = new Map<number, AgencyLights>(
    agencies.map((a) => [a.id, { agencyId: a.id, code: a.code, name: a.name, shortName: a.shortName, issued: 0, onTrack: 0, warning: 0, late: 0, notCompleted: 0, done: 0 }]),
  );
  for (const t of targets) {
    const row = rows.get(t.agencyId);
    if (!row) continue;
    row.issued += 1;
    const state = classifyTarget(t, today);
    if (state === "done") row.done += 1;
    else if (state === "late") row.late += 1;
    else if (state === "not_completed") row.notCompleted += 1;
    else {
      row.onTrack += 1;
      if (targetLight(t, today, rules).light === "yellow") row.warning += 1;
    }
  }
  return [...rows.values()];
}
