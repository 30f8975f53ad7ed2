import type { Tx } from "../../infra/db.js";
import { beijingDate, periodOf, quarterOf } from "../calendar/calendar.js";
import { computeNegativeLists, recomputeListTotal } from "./negative-list.js";
import type { YearRules } from "../rules.js";

/**
 * A 不属实 finding (§2.17) after the quarter's 负面清单 (§2.23) was formed: what the finding took back
 * is scored again, by the list's own rule, and a miss the list does not hold yet is added to it as a
 * supplementary entry, numbered after the last one. One miss stays one entry: a miss already on the
 * list on the same day (active or withdrawn after an appeal) is not added again.
 */
export interface Supplement {
  list: { id: number; period: string; agencyId: number; notifiedAt: Date | null; totalPoints: number };
  entries: { id: number; seq: number; points: number; reason: string; notifiedAt: Date | null }[];
}

export async function supplementNegativeList(
  tx: Tx,
  target: { id: number; agencyId: number; deadline: Date },
  milestone: { dueOn: Date } | null,
  verificationId: number,
  rules: YearRules,
  noticeAt: Date,
): Promise<Supplement | null> {
  const day = beijingDate(milestone ? milestone.dueOn : target.deadline);
  const q = quarterOf(day);
  const list = await tx.negativeList.findUnique({ where: { agencyId_period: { agencyId: target.agencyId, period: periodOf(q) } } });
  // No list yet: the quarterly job will score the item as it now stands.
  if (!list) return null;
  const [computed] = await computeNegativeLists(tx, q, rules, [target.id]);
  const due = (computed?.entries ?? []).filter((e) => e.dueDay === day);
  const onList = await tx.negativeListEntry.findMany({ where: { listId: list.id, targetId: target.id }, include: { milestone: true, target: true } });
  const listedDays = new Set(onList.map((e) => beijingDate(e.milestone ? e.milestone.dueOn : e.target.deadline)));
  const missing = due.filter((e) => !listedDays.has(e.dueDay));
  if (missing.length === 0) return null;
  const last = await tx.negativeListEntry.aggregate({ where: { listId: list.id }, _max: { seq: true } });
  let seq = last._max.seq ?? 0;
  const entries = [];
  for (const e of missing) {
    entries.push(
      await tx.negativeListEntry.create({
        data: {
          listId: list.id,
          seq: ++seq,
          targetId: e.targetId,
          milestoneId: e.milestoneId,
          points: e.points,
          reason: e.reason,
          verificationId,
          // A list not yet delivered carries the entry itself; one already delivered gets a notice of its own.
          notifiedAt: list.notifiedAt ? noticeAt : null,
        },
      }),
    );
  }
  const totalPoints = await recomputeListTotal(tx, list.id);
  return { list: { ...list, totalPoints }, entries };
}
