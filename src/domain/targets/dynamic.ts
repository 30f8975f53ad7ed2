import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { beijingDate, chineseDate, fromBeijingDate, quarterOf } from "../calendar/calendar.js";
import { InputError, StateError } from "../errors.js";
import { normaliseDocumentNo, parseDay } from "../import/cells.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "../vocabulary.js";

/**
 * 动态目标 (§2.7): after the initial set is issued, a task from a document such as 黔府办发〔2026〕12号
 * becomes a target at any time, with that document's deadline. The office creates and issues it in
 * one step. It counts as a functional 上级目标 (the documents come from the provincial party committee
 * and government), carries no weight of its own (the 50 points of §6.2 belong to the initial set), and
 * gets one quarterly milestone at its deadline so that missing it shows on the negative list (§2.23).
 */
export interface DynamicTargetInput {
  agency: { id: number; code: string; name: string; shortName: string };
  documentNo: string;
  deadline: string;
  title: string;
}

/** "2026-06-30", "2026年6月30日" or "6月30日" (in the cycle's year) → "2026-06-30". */
export function parseDeadline(text: string, year: number): string | null {
  const short = /^(\d{1,2})\s*[月/-]\s*(\d{1,2})\s*日?$/.exec(text.trim());
  return short ? parseDay(`${year}-${short[1]}-${short[2]}`) : parseDay(text);
}

export function checkDynamicInput(raw: { documentNo: string; deadline: string; title: string }, cycle: { year: number; startsOn: Date; endsOn: Date }, now: Date) {
  const documentNo = normaliseDocumentNo(raw.documentNo);
  if (!documentNo) throw new InputError(`文号“${raw.documentNo}”格式不正确，应如 黔府办发〔2026〕12号（§2.7）。`, "bad_document");
  const deadline = parseDeadline(raw.deadline, cycle.year);
  if (!deadline) throw new InputError(`截止日期“${raw.deadline}”无法识别，请写成 2026-06-30 或 6月30日。`, "bad_date");
  const today = beijingDate(now);
  if (deadline < today) throw new InputError(`截止日期 ${chineseDate(deadline)} 已过，请按文件要求填写今后的日期。`, "bad_date");
  if (deadline < beijingDate(cycle.startsOn) || deadline > beijingDate(cycle.endsOn)) {
    throw new InputError(`截止日期 ${deadline} 不在 ${cycle.year} 年度考评周期（§2.20）内。跨年度的任务请在下一年度目标中制定。`, "bad_date");
  }
  const title = raw.title.trim();
  if (title.length < 4 || title.length > 100) throw new InputError("请写明目标名称（4 到 100 字）。", "bad_title");
  return { documentNo, deadline, title };
}

/** The agency's next free code, e.g. FGW-11 after FGW-10. */
export async function nextTargetCode(tx: Tx, cycleId: number, agencyCode: string): Promise<string> {
  const codes = await tx.target.findMany({ where: { cycleId, code: { startsWith: `${agencyCode}-` } }, select: { code: true } });
  const max = codes.reduce((m, t) => Math.max(m, Number(/-(\d+)$/.exec(t.code)?.[1] ?? 0)), 0);
  return `${agencyCode}-${String(max + 1).padStart(2, "0")}`;
}

/** Refusals that do not depend on the moment: wrong role, no initial set yet, the same task twice. */
export async function assertCanAddDynamic(tx: Tx, actor: Actor, cycleId: number, input: DynamicTargetInput): Promise<void> {
  requireRole(actor, ["office"], "下达动态目标");
  const issuedInitial = await tx.target.count({ where: { cycleId, agencyId: input.agency.id, managementType: "initial", status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] } } });
  if (issuedInitial === 0) {
    throw new StateError(`${input.agency.name}的初始目标尚未下达。动态目标在初始目标下达后设定（§2.7），请先下达初始目标。`);
  }
  const twin = await tx.target.findFirst({ where: { cycleId, agencyId: input.agency.id, documentNo: input.documentNo, title: input.title } });
  if (twin) throw new StateError(`${input.agency.shortName}已有依据${input.documentNo}的目标“${input.title}”（${twin.code}），不能重复下达。`);
}

export async function createDynamicTarget(tx: Tx, actor: Actor, cycleId: number, input: DynamicTargetInput, now: Date) {
  await assertCanAddDynamic(tx, actor, cycleId, input);
  const code = await nextTargetCode(tx, cycleId, input.agency.code);
  const q = quarterOf(input.deadline);
  return tx.target.create({
    data: {
      code,
      cycleId,
      agencyId: input.agency.id,
      category: "functional",
      source: "superior",
      managementType: "dynamic",
      documentNo: input.documentNo,
      title: input.title,
      description: `按${input.documentNo}要求，于${chineseDate(input.deadline)}前完成。`,
      weight: 0,
      deadline: fromBeijingDate(input.deadline),
      status: "issued",
      reviewedAt: now,
      reviewedById: actor.id,
      issuedAt: now,
      issuedById: actor.id,
      milestones: { create: { quarter: q.quarter, dueOn: fromBeijingDate(input.deadline), expectedProgress: 100, description: `按${input.documentNo}要求完成` } },
    },
    include: { agency: true, owners: { include: { user: true } }, milestones: { orderBy: { quarter: "asc" } } },
  });
}
