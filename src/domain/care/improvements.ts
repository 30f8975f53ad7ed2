import { inChunks } from "../../infra/chunks.js";
import type { Tx } from "../../infra/db.js";
import type { Actor } from "../people/actor.js";
import { beijingDate, chineseDate, fromBeijingDate } from "../calendar/calendar.js";
import { ForbiddenError, InputError, NotFoundError, StateError } from "../errors.js";
import type { TargetDetail } from "../targets/targets.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "../vocabulary.js";

/**
 * 改进措施 (§7.2 “分析……存在的问题，提出改进措施”): the A of PDCA (§2.18). A quarterly milestone
 * (§2.21) not achieved by its due date, or a target not completed by its deadline, is a miss found at
 * the check (C); its owners are asked for 原因分析 and 改进措施, and the first answer is kept in the
 * 台账 (§7.3) beside the progress reports (D) and the issued plan (P).
 */
export const IMPROVEMENT_TEXT_MAX = 500;

const QUARTER = "一二三四";

export interface MissLike {
  dueOn: Date;
  milestone: { quarter: number; expectedProgress: number } | null;
}

/** "第三季度节点（9月30日前达到75%）未按期达成" or "完成时限（12月20日）已过，目标未完成". */
export function missText(m: MissLike): string {
  const due = chineseDate(beijingDate(m.dueOn));
  return m.milestone ? `${missName(m)}（${due}前达到${m.milestone.expectedProgress}%）未按期达成` : `完成时限（${due}）已过，目标未完成`;
}

/** "第三季度节点" or "完成时限". */
export function missName(m: Pick<MissLike, "milestone">): string {
  return m.milestone ? `第${QUARTER[m.milestone.quarter - 1] ?? m.milestone.quarter}季度节点` : "完成时限";
}

/**
 * Records a request for every miss found on `today` that has none yet; returns the new ones. A
 * milestone counts from the day after its due date; a target whose deadline passed unfinished, or that
 * was completed only after it, likewise.
 */
export async function recordMisses(tx: Tx, today: string, now: Date) {
  const before = fromBeijingDate(today);
  const issued = { status: { in: [...LIVE_STATUSES, ...CLOSED_STATUSES] } };
  // The targets as a relation filter, never as a list of ids: a province's misses are more than one
  // statement binds (P2029).
  const milestones = await tx.milestone.findMany({
    where: { achievedAt: null, dueOn: { lt: before }, target: issued },
    select: { id: true, targetId: true, dueOn: true },
    orderBy: [{ targetId: "asc" }, { quarter: "asc" }],
  });
  const targets = await tx.target.findMany({ where: { ...issued, deadline: { lt: before } }, select: { id: true, status: true, closedAt: true, deadline: true }, orderBy: { id: "asc" } });
  const misses: { subjectKey: string; targetId: number; milestoneId: number | null; dueOn: Date }[] = [];
  const targetMiss = (t: (typeof targets)[number]) => {
    const lateDone = t.status === "completed" && t.closedAt && beijingDate(t.closedAt) > beijingDate(t.deadline);
    if (t.status !== "completed" || lateDone) misses.push({ subjectKey: `target:${t.id}`, targetId: t.id, milestoneId: null, dueOn: t.deadline });
  };
  // Target by target: its milestones by quarter, then its deadline.
  let next = 0;
  for (const m of milestones) {
    for (; next < targets.length && targets[next].id < m.targetId; next++) targetMiss(targets[next]);
    misses.push({ subjectKey: `milestone:${m.id}`, targetId: m.targetId, milestoneId: m.id, dueOn: m.dueOn });
  }
  for (; next < targets.length; next++) targetMiss(targets[next]);
  if (misses.length === 0) return [];
  const known = new Set((await tx.improvement.findMany({ where: { target: issued }, select: { subjectKey: true } })).map((i) => i.subjectKey));
  const fresh = misses.filter((x) => !known.has(x.subjectKey));
  await inChunks(fresh, async (rows) => [await tx.improvement.createMany({ data: rows.map((m) => ({ ...m, requestedAt: now })) })]);
  return inChunks(fresh, (rows) => tx.improvement.findMany({ where: { subjectKey: { in: rows.map((m) => m.subjectKey) } }, include: improvementInclude, orderBy: { id: "asc" } }));
}

export const improvementInclude = {
  target: { include: { owners: { include: { user: true }, orderBy: { userId: "asc" as const } } } },
  milestone: true,
  author: true,
} as const;

/** Requests not yet answered, oldest first. */
export async function unanswered(tx: Tx, where: { targetId?: number } = {}) {
  // Ids first, then the rows with their owners in chunks: an ordered include over every open request of
  // the province would be refused (P2029).
  const ids = await tx.improvement.findMany({ where: { answeredAt: null, ...where }, select: { id: true }, orderBy: [{ dueOn: "asc" }, { id: "asc" }] });
  const rows = new Map((await inChunks(ids, (c) => tx.improvement.findMany({ where: { id: { in: c.map((i) => i.id) } }, include: improvementInclude }))).map((r) => [r.id, r]));
  return ids.flatMap((i) => rows.get(i.id) ?? []);
}

/** Who answers for a target: its owners and the agency's own target office (单位目标办). */
export function assertCanAnswer(actor: Actor, target: TargetDetail): void {
  const owns = target.owners.some((o) => o.userId === actor.id);
  if (owns || (actor.role === "officer" && actor.agencyId === target.agencyId)) return;
  const owners = target.owners.map((o) => o.user.name).join("、") || "本单位目标办";
  throw new ForbiddenError(`目标 ${target.code} 的责任人是${owners}，原因分析和改进措施由责任人或本单位目标办填写。`);
}

export function checkedText(raw: string, what: string): string {
  const s = raw.trim();
  if (s.length < 4) throw new InputError(`请把${what}写完整（至少 4 个字）。`, "bad_improvement");
  if (s.length > IMPROVEMENT_TEXT_MAX) throw new InputError(`${what}最多 ${IMPROVEMENT_TEXT_MAX} 字，当前为 ${s.length} 字，请精简后重新提交。`, "bad_improvement");
  return s;
}

/** Records the answer; a request answered meanwhile by someone else is not overwritten (the ledger keeps the first). */
export async function answerImprovement(tx: Tx, actor: Actor, id: number, cause: string, measures: string, now: Date) {
  const found = await tx.improvement.findUnique({ where: { id }, include: improvementInclude });
  if (!found) throw new NotFoundError("未找到该项改进措施要求。");
  const data = { cause: checkedText(cause, "原因分析"), measures: checkedText(measures, "改进措施"), authorId: actor.id, answeredAt: now };
  const { count } = await tx.improvement.updateMany({ where: { id, answeredAt: null }, data });
  if (count === 0) throw new StateError(`目标 ${found.target.code} ${missName(found)}的原因分析和改进措施已由他人填报，请发送“台账 ${found.target.code}”查看。`);
  return { ...found, ...data };
}

/** The answers and open requests behind a quarter's negative-list entries, by subject key. */
export async function improvementsBySubject(tx: Tx, entries: { targetId: number; milestoneId: number | null }[]) {
  const keys = entries.map((e) => (e.milestoneId ? `milestone:${e.milestoneId}` : `target:${e.targetId}`));
  const rows = keys.length ? await tx.improvement.findMany({ where: { subjectKey: { in: keys } } }) : [];
  return new Map(rows.map((r) => [r.subjectKey, r]));
}

export function subjectKeyOf(e: { targetId: number; milestoneId: number | null }): string {
  return e.milestoneId ? `milestone:${e.milestoneId}` : `target:${e.targetId}`;
}

/** "原因分析：…；改进措施：…" or "改进措施：未填报", for lists. */
export function improvementLine(i: { cause: string | null; measures: string | null } | undefined): string {
  return i?.measures ? `原因分析：${i.cause}；改进措施：${i.measures}` : "改进措施：未填报";
}
