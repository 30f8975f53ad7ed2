import { negativeListReplies } from "../conversation/negative-list-view.js";
import type { Reply } from "../messages/reply.js";
import { type Quarter, periodOf } from "../domain/calendar/calendar.js";
import { computeNegativeLists, getNegativeList } from "../domain/negative-list/negative-list.js";
import { loadRules } from "../domain/rules.js";
import type { JobDeps } from "./deps.js";
import { assertQuarterClosed, headMessages } from "./negative-list-job.js";
import { nextDeliveryTime } from "../domain/calendar/quiet-hours.js";

/**
 * `npm run job -- negative-list --dry-run`: the messages the job would queue, read-only. Lists not
 * stored yet are computed in memory; their entry numbers (1, 2 … within each list) are the ones the
 * real run stores. Lists already delivered are left out, as the job would leave them.
 */
export async function previewNegativeLists(deps: JobDeps, q: Quarter): Promise<{ key: string; userId: number; reply: Reply }[]> {
  const now = deps.clock.now();
  assertQuarterClosed(q, now);
  const period = periodOf(q);
  const deliverAt = nextDeliveryTime(now, deps.sendWindow, deps.workingDays.isWorkingDay);
  const computed = await computeNegativeLists(deps.db, q, loadRules(q.year, deps.settings.RULES_DIR));
  const out: { key: string; userId: number; reply: Reply }[] = [];
  for (const c of computed) {
    const stored = await getNegativeList(deps.db, c.agencyId, period);
    if (stored?.notifiedAt) continue;
    const agency = await deps.db.agency.findUniqueOrThrow({ where: { id: c.agencyId } });
    const heads = await deps.db.user.findMany({ where: { agencyId: c.agencyId, role: { in: ["head", "officer"] }, active: true }, orderBy: { id: "asc" } });
    const recipients = heads.some((u) => u.role === "head") ? heads.filter((u) => u.role === "head") : heads;
    for (const u of recipients) {
      if (stored) {
        for (const [key, reply] of headMessages({ ...stored, notifiedAt: deliverAt }, deps.settings.APPEAL_WINDOW_DAYS, u.id)) out.push({ key, userId: u.id, reply });
        continue;
      }
      const view = {
        period,
        totalPoints: Math.round(c.totalPoints * 100) / 100,
        notifiedAt: deliverAt,
        computedAt: now,
        agency,
        entries: c.entries.map((e, i) => ({ seq: i + 1, points: e.points, reason: e.reason, status: "active" })),
      };
      negativeListReplies(view, deps.settings.APPEAL_WINDOW_DAYS).forEach((reply, i) => {
        out.push({ key: `negative-list:${period}:${c.agencyId}:${u.id}${i === 0 ? "" : ":appeal-card"}`, userId: u.id, reply });
      });
    }
  }
  return out;
}
