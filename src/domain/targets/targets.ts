import type { Tx } from "../../infra/db.js";
import { type Actor, assertCanViewAgency, seesProvince } from "../people/actor.js";
import { beijingDate, chineseDate } from "../calendar/calendar.js";
import { ForbiddenError, NotFoundError, StateError } from "../errors.js";
import { CLOSED_STATUSES, LIVE_STATUSES, type TargetStatus } from "../vocabulary.js";

/** Target codes are typed by hand: FGW-01 however typed: fgw-01, FGW－01, FGW—01, or FGW01 without the dash. */
export function normaliseTargetCode(code: string): string {
  return code.trim().replace(/[－—–]/g, "-").toUpperCase().replace(/^([A-Z]+)(\d{1,4})$/, "$1-$2");
}

export function looksLikeTargetCode(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*[-－—–]\d{1,4}$/.test(s.trim());
}

const detailInclude = {
  agency: true,
  owners: { include: { user: true } },
  milestones: { orderBy: { quarter: "asc" as const } },
  indicators: { orderBy: [{ level: "asc" as const }, { id: "asc" as const }] },
};

export type TargetDetail = NonNullable<Awaited<ReturnType<typeof loadTarget>>>;

async function loadTarget(tx: Tx, cycleId: number, code: string) {
  return tx.target.findUnique({ where: { cycleId_code: { cycleId, code: normaliseTargetCode(code) } }, include: detailInclude });
}

/** A target the actor may see; drafts are visible to the office only. */
export async function getVisibleTarget(tx: Tx, actor: Actor, cycleId: number, code: string): Promise<TargetDetail> {
  return assertVisible(actor, await loadTarget(tx, cycleId, code), code);
}

/** The target itself when the actor may see it; drafts and reviewed targets are the office's only. */
export function assertVisible<T extends { status: string; agencyId: number }>(actor: Actor, target: T | null, code: string): T {
  if (!target || (target.status === "draft" && !seesProvince(actor)) || (target.status === "reviewed" && !seesProvince(actor))) {
    throw new NotFoundError(`未找到编号为 ${normaliseTargetCode(code)} 的目标。请用“我的目标”查看您可用的目标编号。`);
  }
  assertCanViewAgency(actor, target.agencyId, "其他单位的目标");
  return target;
}

/** What deciding and recording a progress report needs of a target (see ledger/reportable-target.ts). */
export interface ReportableTarget {
  id: number;
  code: string;
  title: string;
  status: string;
  agencyId: number;
  progress: number;
  owners: { userId: number; user: { name: string } }[];
  milestones: { id: number; quarter: number; dueOn: Date; expectedProgress: number; achievedAt: Date | null; reachedLateAt: Date | null }[];
}

/** Who may add to a target's 台账 (§7.3): its owners, the agency's officers, and staff on unowned agency targets. */
export function assertCanReport(actor: Actor, target: ReportableTarget): void {
  const owns = target.owners.some((o) => o.userId === actor.id);
  const sameAgency = actor.agencyId === target.agencyId;
  const allowed =
    owns || (sameAgency && actor.role === "officer") || (sameAgency && actor.role === "staff" && target.owners.length === 0);
  if (!allowed) {
    const owners = target.owners.map((o) => o.user.name).join("、") || "本单位目标办";
    throw new ForbiddenError(`目标 ${target.code} 的责任人是${owners}，您不能汇报该目标的进度。如需代为汇报，请联系本单位目标办。`);
  }
  if (CLOSED_STATUSES.includes(target.status as TargetStatus)) {
    throw new StateError(`目标 ${target.code} 已${target.status === "completed" ? "完成" : "结束"}，不再接受进度汇报。如需更正，请通过“沟通”联系目标办。`);
  }
  if (!LIVE_STATUSES.includes(target.status as TargetStatus)) {
    throw new StateError(`目标 ${target.code} 尚未下达，暂不能汇报进度。`);
  }
}

declare const permitted: unique symbol;
/** A target assertCanReport has let the actor report on: recording takes only these, so it never asks again. */
export type PermittedTarget<T extends ReportableTarget = ReportableTarget> = T & { readonly [permitted]: true };

/** The target, once the actor may report on it (assertCanReport). */
export function permitReport<T extends ReportableTarget>(actor: Actor, target: T): PermittedTarget<T> {
  assertCanReport(actor, target);
  return target as PermittedTarget<T>;
}

/** Targets the actor works with: staff their own, officers and heads their agency's, the office none by default. */
export async function listTargetsFor(tx: Tx, actor: Actor, cycleId: number) {
  const live = { cycleId, status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] } };
  const where =
    actor.role === "staff"
      ? { ...live, owners: { some: { userId: actor.id } } }
      : actor.agencyId !== null
        ? { ...live, agencyId: actor.agencyId }
        : { ...live, id: -1 };
  return tx.target.findMany({ where, include: { milestones: { orderBy: { quarter: "asc" } } }, orderBy: { code: "asc" } });
}

export type TargetState = "done" | "not_completed" | "late" | "on_track";

/** How a state reads in replies, the board and exports. */
export const STATE_LABEL: Record<TargetState, string> = { on_track: "正常推进", late: "已逾期", done: "已完成", not_completed: "未完成" };

/** 统计 classification on a Beijing date: late when the target or a due milestone was missed. */
export function classifyTarget(
  t: { status: string; deadline: Date; milestones: { dueOn: Date; achievedAt: Date | null }[] },
  today: string,
): TargetState {
  if (t.status === "completed") return "done";
  if (t.status === "not_completed") return "not_completed";
  if (beijingDate(t.deadline) < today) return "late";
  if (t.milestones.some((m) => !m.achievedAt && beijingDate(m.dueOn) < today)) return "late";
  return "on_track";
}

/**
 * Why a target is 已逾期, in a few words: its deadline, else the milestones still not reached, else
 * the ones reached late (逾期达成) — "完成时限12月20日", "第三季度节点9月30日", "第二季度节点，9月27日逾期达成".
 */
export function lateReason(
  t: { deadline: Date; milestones: { quarter: number; dueOn: Date; achievedAt: Date | null; reachedLateAt?: Date | null }[] },
  today: string,
): string | null {
  const deadline = beijingDate(t.deadline);
  if (deadline < today) return `完成时限${chineseDate(deadline)}`;
  const missed = t.milestones.filter((m) => !m.achievedAt && beijingDate(m.dueOn) < today);
  const name = (m: { quarter: number }) => `第${"一二三四"[m.quarter - 1] ?? m.quarter}季度节点`;
  const open = missed.filter((m) => !m.reachedLateAt);
  if (open.length) return open.map((m) => `${name(m)}${chineseDate(beijingDate(m.dueOn))}`).join("、");
  if (missed.length) return missed.map((m) => `${name(m)}，${chineseDate(beijingDate(m.reachedLateAt!))}逾期达成`).join("；");
  return null;
}

/** The state label, with 已逾期 saying which milestone or deadline: "已逾期（第三季度节点9月30日）". */
export function stateText(t: Parameters<typeof classifyTarget>[0] & Parameters<typeof lateReason>[0], today: string): string {
  const state = classifyTarget(t, today);
  const why = state === "late" ? lateReason(t, today) : null;
  return why ? `${STATE_LABEL[state]}（${why}）` : STATE_LABEL[state];
}

/** A milestone reached after its due date: "逾期达成（9月27日）". */
export function reachedLateText(m: { reachedLateAt?: Date | null }): string | null {
  return m.reachedLateAt ? `逾期达成（${chineseDate(beijingDate(m.reachedLateAt))}）` : null;
}
