import type { Tx } from "../../infra/db.js";
import { type Actor, requireRole } from "../people/actor.js";
import { InputError } from "../errors.js";
import type { TargetDetail } from "../targets/targets.js";
import { VERIFICATION_METHOD_LABEL, type VerificationMethod } from "../vocabulary.js";

/**
 * 目标核查 (§2.17): the office, or a commissioned third party (§2.24), checks what an agency reported —
 * 网上评审, 云端监控, 实地核查, 专项督查, 抽样核查, 暗访调查 or 委托第三方核查 — and records the finding.
 * Records are appended like the 台账; a later check does not erase an earlier one. A finding counts:
 * see recordVerification.
 */
export function parseMethod(raw: string): VerificationMethod {
  const found = (Object.entries(VERIFICATION_METHOD_LABEL) as [VerificationMethod, string][]).find(([key, label]) => raw === label || raw === key);
  if (!found) throw new InputError(`核查方式“${raw}”无法识别。可选：${Object.values(VERIFICATION_METHOD_LABEL).join("、")}。`, "bad_method");
  return found[0];
}

export function parseFinding(raw: string): "confirmed" | "not_confirmed" {
  if (["属实", "相符", "通过"].includes(raw)) return "confirmed";
  if (["不属实", "不相符", "未通过"].includes(raw)) return "not_confirmed";
  throw new InputError(`核查结论“${raw}”无法识别。请写“属实”或“不属实”。`, "bad_finding");
}

/** "第三季度", "三季度", "Q3", "第3季度节点": which quarterly milestone (§2.21) a finding is about. */
export function parseMilestoneQuarter(raw: string): number | null {
  const m = /^(?:第?([1-4一二三四])季度(?:节点)?|[Qq]([1-4]))$/.exec(raw.trim());
  if (!m) return null;
  return m[2] ? Number(m[2]) : "一二三四".includes(m[1]) ? "一二三四".indexOf(m[1]) + 1 : Number(m[1]);
}

/** What a finding changed: 属实 verifies; 不属实 takes back a self-reported achievement, if there was one. */
export type FindingEffect = "verified" | "unmarked" | "reopened" | "none";

/**
 * Records a finding on a target or one of its milestones and applies it (§2.17): 属实 marks it
 * verified; 不属实 clears a milestone's achievement, or returns a target closed as complete to 执行中.
 * The progress reports stay as they were: the 台账 keeps both the report and the finding.
 */
export async function recordVerification(
  tx: Tx,
  actor: Actor,
  target: TargetDetail,
  input: { method: VerificationMethod; result: "confirmed" | "not_confirmed"; finding: string; quarter?: number | null },
  now: Date,
) {
  requireRole(actor, ["office", "assessor"], "记录目标核查（限目标办和受托第三方机构）");
  if (input.finding.trim().length < 4) throw new InputError("请写明核查情况（至少 4 个字），例如核查了哪些材料、发现什么问题。", "bad_finding");
  const milestone = input.quarter ? target.milestones.find((m) => m.quarter === input.quarter) : null;
  if (input.quarter && !milestone) {
    const has = target.milestones.map((m) => `第${"一二三四"[m.quarter - 1]}季度`).join("、");
    throw new InputError(`目标 ${target.code} 没有第${"一二三四"[input.quarter - 1]}季度节点${has ? `（设有：${has}）` : "（未设季度节点）"}。`, "bad_milestone");
  }
  const verification = await tx.verification.create({
    data: { targetId: target.id, milestoneId: milestone?.id ?? null, method: input.method, result: input.result, finding: input.finding.trim(), verifierId: actor.id, createdAt: now },
  });
  let effect: FindingEffect = "none";
  if (input.result === "confirmed") {
    if (milestone) await tx.milestone.update({ where: { id: milestone.id }, data: { verifiedAt: now } });
    else await tx.target.update({ where: { id: target.id }, data: { verifiedAt: now } });
    effect = "verified";
  } else if (milestone) {
    // A late reach (逾期达成) rests on the same self-report as an achievement: 不属实 takes back both.
    await tx.milestone.update({ where: { id: milestone.id }, data: { achievedAt: null, verifiedAt: null, reachedLateAt: null } });
    if (milestone.achievedAt || milestone.reachedLateAt) effect = "unmarked";
  } else {
    const reopen = target.status === "completed";
    await tx.target.update({ where: { id: target.id }, data: { verifiedAt: null, ...(reopen ? { status: "in_progress", closedAt: null } : {}) } });
    if (reopen) effect = "reopened";
  }
  return { verification, milestone: milestone ?? null, effect };
}

/** How a completion or achievement is known: verified by a 属实 finding, or as the owner reported it. */
export function completionSource(verifiedAt: Date | null): "已核查" | "自报" {
  return verifiedAt ? "已核查" : "自报";
}

export async function latestVerifications(tx: Tx, targetId: number, take = 3) {
  return tx.verification.findMany({ where: { targetId }, include: { verifier: true, milestone: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
}
