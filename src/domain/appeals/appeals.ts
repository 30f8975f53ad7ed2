import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { InputError, NotFoundError, StateError } from "../errors.js";
import { recomputeListTotal } from "../negative-list/negative-list.js";
import { beijingDate } from "../calendar/calendar.js";

/** 目标申诉 (§5.3e): an agency appeals a negative-list entry or a target's assessment; the office decides. */
export const APPEAL_REASON_MIN = 5;

const DAY_MS = 86_400_000;

/**
 * The last Beijing day an appeal may be filed: `windowDays` after the list reached the agency. The
 * window runs to the end of that day, as a notice's "X月X日前" is read, not to the clock time it opened.
 */
export function appealLastDay(openedAt: Date, windowDays: number): string {
  return beijingDate(new Date(openedAt.getTime() + windowDays * DAY_MS));
}

/** Files an appeal on a subject resolved by `resolveAppealSubject` (which checked role, window and duplicates). */
export async function fileAppeal(tx: Tx, actor: Actor, subject: { entryId: number; targetId: number } | { targetId: number }, reason: string, now: Date) {
  requireRole(actor, ["officer", "head"], "提出申诉（申诉由单位目标办或单位主要负责人提出）");
  checkReason(reason);
  return createAppeal(
    tx,
    actor,
    "entryId" in subject ? { subjectType: "negative_entry", negativeEntryId: subject.entryId, targetId: subject.targetId } : { subjectType: "target", targetId: subject.targetId },
    reason,
    now,
  );
}

function checkReason(reason: string): void {
  if (reason.trim().length < APPEAL_REASON_MIN) throw new InputError(`请写明申诉理由（至少 ${APPEAL_REASON_MIN} 个字）。`, "bad_reason");
}

async function createAppeal(
  tx: Tx,
  actor: Actor,
  subject: { subjectType: string; negativeEntryId?: number; targetId?: number },
  reason: string,
  now: Date,
) {
  return tx.appeal.create({
    data: {
      agencyId: actor.agencyId!,
      filerId: actor.id,
      ...subject,
      reason: reason.trim(),
      filedAt: now,
      events: { create: { actorId: actor.id, action: "filed", note: reason.trim(), at: now } },
    },
    include: { agency: true, negativeEntry: { include: { list: true } }, target: true },
  });
}

/** The office accepts (the entry is withdrawn and its points restored) or rejects, always with a reply. */
export async function decideAppeal(tx: Tx, actor: Actor, appealId: number, accept: boolean, note: string, now: Date) {
  requireRole(actor, ["office"], "受理申诉");
  if (note.trim().length < 2) throw new InputError("请写明受理意见（至少 2 个字）。", "bad_note");
  const appeal = await tx.appeal.findUnique({ where: { id: appealId }, include: { negativeEntry: true } });
  if (!appeal) throw new NotFoundError(`未找到申诉号 ${appealId}。请用“申诉列表”查看待受理的申诉。`);
  if (appeal.status !== "pending") throw new StateError(`申诉 ${appealId} 已于此前处理（${appeal.status === "accepted" ? "已同意" : "已驳回"}），不能重复受理。`);
  const status = accept ? "accepted" : "rejected";
  // Guard against a concurrent decision: only a still-pending row changes.
  const changed = await tx.appeal.updateMany({
    where: { id: appealId, status: "pending" },
    data: { status, decidedById: actor.id, decisionNote: note.trim(), decidedAt: now },
  });
  if (changed.count !== 1) throw new StateError(`申诉 ${appealId} 已被处理，不能重复受理。`);
  await tx.appealEvent.create({ data: { appealId, actorId: actor.id, action: status, note: note.trim(), at: now } });
  let restoredPoints = 0;
  if (accept && appeal.negativeEntry && appeal.negativeEntry.status === "active") {
    await tx.negativeListEntry.update({ where: { id: appeal.negativeEntry.id }, data: { status: "withdrawn", withdrawnAt: now } });
    await recomputeListTotal(tx, appeal.negativeEntry.listId);
    restoredPoints = -appeal.negativeEntry.points;
  }
  const decided = await tx.appeal.findUniqueOrThrow({
    where: { id: appealId },
    include: { agency: true, filer: true, negativeEntry: { include: { list: true } }, target: true, events: { orderBy: { at: "asc" } } },
  });
  return { appeal: decided, restoredPoints };
}

export async function listAppeals(tx: Tx, status?: string) {
  return tx.appeal.findMany({
    where: status ? { status } : {},
    include: { agency: true, filer: true, negativeEntry: { include: { list: true } }, target: true, evaluation: { include: { cycle: true } } },
    orderBy: { id: "asc" },
  });
}
