import { inChunks } from "../../infra/chunks.js";
import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { onePlusSixProblems } from "./one-plus-six.js";
import { StateError } from "../errors.js";
import { CLOSED_STATUSES, LIVE_STATUSES } from "../vocabulary.js";

/**
 * Fig. 1 目标制定: 制定 (draft) → 审核 (reviewed) → 下达 (issued). The office reviews and issues per
 * agency; both steps refuse an agency whose functional set breaks “1+6+N” (§6.2), with the reason, and
 * 下达 also waits until none of the agency's targets is still a draft.
 */
export type Scope = { all: true } | { all: false; agency: { id: number; shortName: string; name: string } };

export interface AgencyOutcome {
  agency: { id: number; shortName: string; name: string };
  targetIds: number[];
}

export interface AgencyRefusal {
  agency: { id: number; shortName: string; name: string };
  reason: string;
}

export interface GateResult {
  done: AgencyOutcome[];
  refused: AgencyRefusal[];
}

const ISSUED_OR_LATER = [...LIVE_STATUSES, ...CLOSED_STATUSES];

async function agenciesInScope(tx: Tx, cycleId: number, scope: Scope, statuses: string[]) {
  if (!scope.all) return [scope.agency];
  return tx.agency.findMany({
    where: { targets: { some: { cycleId, status: { in: statuses } } } },
    select: { id: true, shortName: true, name: true },
    orderBy: { id: "asc" },
  });
}

/** “1+6+N” (§6.2) over every functional target the agency has in the cycle, whatever its status. */
async function onePlusSixReason(tx: Tx, cycleId: number, agencyId: number): Promise<string | null> {
  const functional = await tx.target.findMany({ where: { cycleId, agencyId, category: "functional" }, select: { source: true } });
  const problems = onePlusSixProblems(functional.map((t) => t.source));
  return problems.length ? `职能绩效目标不符合“1+6+N”要求（§6.2）：${problems.join("；")}` : null;
}

/** Which agencies' drafts can be reviewed now, and why the others cannot. Writes nothing. */
export async function planReview(tx: Tx, cycleId: number, scope: Scope): Promise<GateResult & { ids: Map<number, number[]> }> {
  const result: GateResult & { ids: Map<number, number[]> } = { done: [], refused: [], ids: new Map() };
  for (const agency of await agenciesInScope(tx, cycleId, scope, ["draft"])) {
    const drafts = await tx.target.findMany({ where: { cycleId, agencyId: agency.id, status: "draft" }, select: { id: true }, orderBy: { code: "asc" } });
    const reason = drafts.length === 0 ? "没有待审核（制定中）的目标" : await onePlusSixReason(tx, cycleId, agency.id);
    if (reason) result.refused.push({ agency, reason });
    else result.done.push({ agency, targetIds: drafts.map((t) => t.id) });
  }
  return result;
}

/** Which agencies' reviewed targets can be issued now, and why the others cannot. Writes nothing. */
export async function planIssue(tx: Tx, cycleId: number, scope: Scope): Promise<GateResult> {
  const result: GateResult = { done: [], refused: [] };
  for (const agency of await agenciesInScope(tx, cycleId, scope, ["reviewed"])) {
    const targets = await tx.target.findMany({ where: { cycleId, agencyId: agency.id, status: { in: ["draft", "reviewed"] } }, select: { id: true, code: true, status: true }, orderBy: { code: "asc" } });
    const drafts = targets.filter((t) => t.status === "draft");
    const reviewed = targets.filter((t) => t.status === "reviewed");
    const reason = drafts.length
      ? `尚有 ${drafts.length} 项目标未审核（${drafts.slice(0, 5).map((t) => t.code).join("、")}${drafts.length > 5 ? "等" : ""}），请先审核后一并下达`
      : reviewed.length === 0
        ? "没有已审核待下达的目标"
        : await onePlusSixReason(tx, cycleId, agency.id);
    if (reason) result.refused.push({ agency, reason });
    else result.done.push({ agency, targetIds: reviewed.map((t) => t.id) });
  }
  return result;
}

/** A single agency that cannot go ahead is refused outright; for 全部, nothing to do at all is refused. */
export function assertSomethingToDo(gate: GateResult, scope: Scope, action: "审核" | "下达"): void {
  if (gate.done.length) return;
  if (!scope.all && gate.refused.length) throw new StateError(`${gate.refused[0].agency.name}的目标不能${action}：${gate.refused[0].reason}。`);
  if (gate.refused.length) throw new StateError(`没有可以${action}的单位：\n${gate.refused.map((r) => `· ${r.agency.shortName}：${r.reason}`).join("\n")}`);
  throw new StateError(action === "审核" ? "目前没有待审核（制定中）的目标。" : "目前没有已审核待下达的目标。");
}

export async function reviewTargets(tx: Tx, actor: Actor, cycleId: number, scope: Scope, now: Date): Promise<GateResult> {
  requireRole(actor, ["office"], "审核目标");
  const gate = await planReview(tx, cycleId, scope);
  assertSomethingToDo(gate, scope, "审核");
  for (const d of gate.done) {
    await tx.target.updateMany({ where: { id: { in: d.targetIds }, status: "draft" }, data: { status: "reviewed", reviewedAt: now, reviewedById: actor.id } });
  }
  return gate;
}

export async function issueTargets(tx: Tx, actor: Actor, cycleId: number, scope: Scope, now: Date): Promise<GateResult> {
  requireRole(actor, ["office"], "下达目标");
  const gate = await planIssue(tx, cycleId, scope);
  assertSomethingToDo(gate, scope, "下达");
  for (const d of gate.done) {
    // Guarded on the status so two concurrent 下达 cannot issue (and notify) the same target twice.
    const changed = await tx.target.updateMany({ where: { id: { in: d.targetIds }, status: "reviewed" }, data: { status: "issued", issuedAt: now, issuedById: actor.id } });
    if (changed.count !== d.targetIds.length) throw new StateError(`${d.agency.shortName}的目标状态已被他人改变，请重新发送“下达”。`);
  }
  return gate;
}

/** The issued targets with what their notices need. */
export async function issuedTargets(tx: Tx, ids: number[]) {
  // In chunks: 下达 全部 issues a whole province, and an ordered include over that many ids is refused (P2029).
  const rows = await inChunks(ids, (chunk) =>
    tx.target.findMany({
      where: { id: { in: chunk } },
      include: { agency: true, owners: { include: { user: true } }, milestones: { orderBy: { quarter: "asc" } } },
    }),
  );
  return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export type IssuedTarget = Awaited<ReturnType<typeof issuedTargets>>[number];

/** Per agency: draft / reviewed / issued counts and the 1+6+N state, for 审核 or 下达 without arguments. */
export async function workflowOverview(tx: Tx, cycleId: number) {
  // Counted by the database: a province's targets are too many to read one by one.
  const groups = await tx.target.groupBy({ by: ["agencyId", "status", "category", "source"], where: { cycleId }, _count: { _all: true } });
  const agencies = await tx.agency.findMany({ where: { targets: { some: { cycleId } } }, orderBy: { id: "asc" }, select: { id: true, shortName: true } });
  const byAgency = new Map<number, typeof groups>();
  for (const g of groups) byAgency.set(g.agencyId, [...(byAgency.get(g.agencyId) ?? []), g]);
  return agencies.map((a) => {
    const mine = byAgency.get(a.id) ?? [];
    const count = (keep: (g: (typeof mine)[number]) => boolean) => mine.filter(keep).reduce((n, g) => n + g._count._all, 0);
    return {
      agency: a.shortName,
      draft: count((g) => g.status === "draft"),
      reviewed: count((g) => g.status === "reviewed"),
      issued: count((g) => ISSUED_OR_LATER.includes(g.status as never)),
      onePlusSix: onePlusSixProblems(mine.filter((g) => g.category === "functional").flatMap((g) => Array<string | null>(g._count._all).fill(g.source))),
    };
  });
}
