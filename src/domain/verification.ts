import type { Tx } from "../infra/db.js";
import { type Actor, requireRole } from "./actor.js";
import { InputError } from "./errors.js";
import type { TargetDetail } from "./targets.js";
import { VERIFICATION_METHOD_LABEL, type VerificationMethod } from "./vocabulary.js";

/**
 * 目标核查 (§2.17): the office, or a commissioned third party (§2.24), checks what an agency reported —
 * 网上评审, 云端监控, 实地核查, 专项督查, 抽样核查, 暗访调查 or 委托第三方核查 — and records the finding.
 * Records are appended like the 台账; a later check does not erase an earlier one.
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

export async function recordVerification(
  tx: Tx,
  actor: Actor,
  target: TargetDetail,
  input: { method: VerificationMethod; result: "confirmed" | "not_confirmed"; finding: string },
  now: Date,
) {
  requireRole(actor, ["office", "assessor"], "记录目标核查（限目标办和受托第三方机构）");
  if (input.finding.trim().length < 4) throw new InputError("请写明核查情况（至少 4 个字），例如核查了哪些材料、发现什么问题。", "bad_finding");
  return tx.verification.create({
    data: { targetId: target.id, method: input.method, result: input.result, finding: input.finding.trim(), verifierId: actor.id, createdAt: now },
  });
}

export async function latestVerifications(tx: Tx, targetId: number, take = 3) {
  return tx.verification.findMany({ where: { targetId }, include: { verifier: true }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
}
