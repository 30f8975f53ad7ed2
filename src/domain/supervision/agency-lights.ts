import type { Tx } from "../../infra/db.js";
import { beijingDate } from "../calendar/calendar.js";
import { stateCountsByAgency } from "../targets/counts.js";
import type { WarningRules } from "../care/warnings.js";

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
  const agencies = await tx.agency.findMany({ where: agencyId ? { id: agencyId } : {}, orderBy: { id: "asc" } });
  const counts = await stateCountsByAgency(tx, { cycleId, today: beijingDate(now), rules, agencyId });
  return agencies.map((a) => {
    const c = counts.get(a.id) ?? { issued: 0, done: 0, notCompleted: 0, late: 0, warning: 0 };
    const onTrack = c.issued - c.done - c.notCompleted - c.late;
    return { agencyId: a.id, code: a.code, name: a.name, shortName: a.shortName, issued: c.issued, onTrack, warning: c.warning, late: c.late, notCompleted: c.notCompleted, done: c.done };
  });
}
