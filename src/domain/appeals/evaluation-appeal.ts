import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { APPEAL_REASON_MIN } from "./appeals.js";
import { ForbiddenError, InputError, NotFoundError, StateError } from "../errors.js";

/**
 * 目标申诉 (§5.3e) against an annual evaluation result: filed by the agency's target office or head
 * within the rules' window after publication, decided through the ordinary appeal flow (受理). An
 * accepted appeal is put right by correcting the inputs and running 考评 again; the corrected result
 * is then published again.
 */
const DAY_MS = 86_400_000;

export async function fileAppealAgainstEvaluation(
  tx: Tx,
  actor: Actor,
  opts: { year?: number | null; reason: string; now: Date; windowDays: (year: number) => number },
) {
  requireRole(actor, ["officer", "head"], "提出申诉（申诉由单位目标办或单位主要负责人提出）");
  if (actor.agencyId === null) throw new ForbiddenError("您的账号未关联单位，不能提出申诉。");
  const reason = opts.reason.trim();
  if (reason.length < APPEAL_REASON_MIN) throw new InputError(`请写明申诉理由（至少 ${APPEAL_REASON_MIN} 个字）。`, "bad_reason");

  const result = await tx.evaluationResult.findFirst({
    where: { agencyId: actor.agencyId, publishedAt: { not: null }, ...(opts.year ? { cycle: { year: opts.year } } : {}) },
    include: { cycle: true },
    orderBy: { cycle: { year: "desc" } },
  });
  if (!result || !result.publishedAt) {
    throw new NotFoundError(opts.year ? `本单位 ${opts.year} 年度考评结果尚未发布，暂不能申诉。` : "本单位尚无已发布的考评结果，暂不能申诉。");
  }
  const windowDays = opts.windowDays(result.cycle.year);
  const closesAt = new Date(result.publishedAt.getTime() + windowDays * DAY_MS);
  if (opts.now > closesAt) {
    throw new StateError(`${result.cycle.year} 年度考评结果的申诉期（发布之日起 ${windowDays} 日内）已过，不能再申诉。如有疑问，请通过“沟通”联系目标办。`);
  }
  const pending = await tx.appeal.findFirst({ where: { evaluationId: result.id, status: "pending" } });
  if (pending) throw new StateError(`本单位对 ${result.cycle.year} 年度考评结果已有待受理的申诉（申诉号 ${pending.id}），请等待目标办答复。`);

  const appeal = await tx.appeal.create({
    data: {
      agencyId: actor.agencyId,
      filerId: actor.id,
      subjectType: "evaluation",
      evaluationId: result.id,
      reason,
      filedAt: opts.now,
      events: { create: { actorId: actor.id, action: "filed", note: reason, at: opts.now } },
    },
    include: { agency: true },
  });
  return { appeal, year: result.cycle.year, result };
}
