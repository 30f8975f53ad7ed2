import { careRules } from "../conversation/care-rules.js";
import { improvementCard, improvementReminder } from "../conversation/improvement-card.js";
import { addDays, beijingDate } from "../domain/calendar/calendar.js";
import { recordMisses, unanswered } from "../domain/care/improvements.js";
import type { Tx } from "../infra/db.js";
import { nextDeliveryTime } from "../domain/calendar/quiet-hours.js";
import { enqueue } from "../outbox/enqueue.js";
import type { JobDeps } from "./deps.js";
import type { JobContext } from "./job-runs.js";

export interface ImprovementSummary {
  day: string;
  asked: number;
  reminded: number;
}

/**
 * 改进措施 requests (§7.2, the A of PDCA §2.18), daily: every newly missed milestone or deadline asks
 * its owners (else the agency's officers) with a card; on working days, owners who have not answered
 * `remindAfterWorkingDays` working days after the request — or after the last reminder — are reminded.
 * Both are mandatory notices: the standard asks for the analysis, it is no optional reminder.
 */
export async function runImprovements(deps: JobDeps, today: string, _ctx: JobContext<object>): Promise<ImprovementSummary> {
  const now = deps.clock.now();
  const notBefore = nextDeliveryTime(now, deps.sendWindow, deps.workingDays.isWorkingDay);
  const { improvement: rules } = careRules(deps.settings.RULES_DIR, Number(today.slice(0, 4)));
  return deps.db.$transaction(
    async (tx) => {
      const summary: ImprovementSummary = { day: today, asked: 0, reminded: 0 };
      for (const i of await recordMisses(tx, today, now)) {
        for (const userId of await answerers(tx, i.target)) {
          if (await enqueue(tx, userId, improvementCard(i), { key: `improvement-ask:${i.id}:${userId}`, mandatory: true, now, notBefore, targetId: i.targetId })) summary.asked += 1;
        }
      }
      if (!deps.workingDays.isWorkingDay(today)) return summary;
      for (const i of await unanswered(tx)) {
        const since = beijingDate(i.remindedAt ?? i.requestedAt);
        if (workingDaysAfter(deps.workingDays.isWorkingDay, since, today) < rules.remindAfterWorkingDays) continue;
        for (const userId of await answerers(tx, i.target)) {
          if (await enqueue(tx, userId, improvementReminder(i), { key: `improvement-remind:${i.id}:${today}:${userId}`, mandatory: true, now, notBefore, targetId: i.targetId })) summary.reminded += 1;
        }
        await tx.improvement.update({ where: { id: i.id }, data: { remindedAt: now } });
      }
      return summary;
    },
    { timeout: 60_000 },
  );
}

/** The target's active owners, else its agency's officers (an unowned target is theirs to answer for). */
async function answerers(tx: Tx, target: { agencyId: number; owners: { user: { id: number; active: boolean } }[] }): Promise<number[]> {
  const owners = target.owners.map((o) => o.user).filter((u) => u.active);
  if (owners.length) return owners.map((u) => u.id);
  const officers = await tx.user.findMany({ where: { agencyId: target.agencyId, role: "officer", active: true }, orderBy: { id: "asc" }, select: { id: true } });
  return officers.map((u) => u.id);
}

/** Working days after `from` up to and including `to`. */
function workingDaysAfter(isWorkingDay: (d: string) => boolean, from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n += 1;
  return n;
}
