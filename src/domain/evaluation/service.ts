import type { Tx } from "../../infra/db.js";
import { beijingDate } from "../calendar/calendar.js";
import { NotFoundError, StateError } from "../errors.js";
import type { YearRules } from "../rules.js";
import { evaluateProvince } from "./evaluate.js";
import { formatH, fromH } from "./hundredths.js";
import { loadResults, saveResults } from "./results-store.js";
import { loadAgencyInputs } from "./store.js";
import type { ProvinceResult } from "./types.js";

/** The steps of 考评 that touch the database, around the pure evaluateProvince(). */

/** "2026", "2026年", "2026年度" → 2026. */
export function parseYear(word: string | undefined): number | null {
  const m = word ? /^(\d{4})(年度?)?$/.exec(word.trim()) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The cycle being evaluated: the named year, or else the previous Beijing year's cycle (§2.19: 通常
 * 是在次年年初组织实施), or the current year's when the previous year has none.
 */
export async function evaluationCycle(tx: Tx, now: Date, year?: number | null) {
  if (year) {
    const cycle = await tx.cycle.findUnique({ where: { year } });
    if (!cycle) throw new NotFoundError(`系统中没有 ${year} 年度考评周期。`);
    return cycle;
  }
  const current = Number(beijingDate(now).slice(0, 4));
  const cycle = (await tx.cycle.findUnique({ where: { year: current - 1 } })) ?? (await tx.cycle.findUnique({ where: { year: current } }));
  if (!cycle) throw new NotFoundError("系统中尚未建立考评周期，请联系目标办。");
  return cycle;
}

export async function computeEvaluation(tx: Tx, cycleId: number, rules: YearRules) {
  const inputs = await loadAgencyInputs(tx, cycleId);
  if (inputs.length === 0) throw new StateError("系统中尚无纳入管理的单位，无法考评。");
  return { inputs, province: evaluateProvince(inputs, rules.evaluation) };
}

/** What the office should know before confirming 考评: inputs missing, targets still open, prior publication. */
export async function evaluationWarnings(tx: Tx, cycleId: number, province: ProvinceResult): Promise<string[]> {
  const warnings: string[] = [];
  const missing = province.agencies.filter((a) => a.missing.length);
  if (missing.length) {
    warnings.push(`以下单位有考评项目尚未录入，将按 0 分计：${missing.map((a) => `${a.shortName}（${a.missing.join("、")}）`).join("；")}。`);
  }
  const open = await tx.target.count({ where: { cycleId, category: "functional", status: { in: ["issued", "in_progress"] } } });
  if (open) warnings.push(`尚有 ${open} 项职能绩效目标未办结，将按未完成计。`);
  const offWeight = province.agencies.filter((a) => a.initialWeightH > 0 && a.initialWeightH !== 5000);
  if (offWeight.length) {
    warnings.push(`以下单位初始职能绩效目标权重合计不是 50 分，将按各目标自身权重计分：${offWeight.map((a) => `${a.shortName}（${formatH(a.initialWeightH)} 分）`).join("、")}。`);
  }
  const excluded = province.agencies.filter((a) => a.tier === "excluded");
  if (excluded.length) {
    warnings.push(`以下单位不符合“1+6+N”要求（§6.2），不参与等次评定：${excluded.map((a) => `${a.shortName}（${a.onePlusSixProblems.join("；")}）`).join("；")}。`);
  }
  const published = await tx.evaluationResult.count({ where: { cycleId, publishedAt: { not: null } } });
  if (published) warnings.push(`本年度已有 ${published} 个单位的结果已发布；结果如有变化，需重新发布。`);
  return warnings;
}

export async function runEvaluation(tx: Tx, cycle: { id: number }, rules: YearRules, now: Date) {
  const { province } = await computeEvaluation(tx, cycle.id, rules);
  const summary = await saveResults(tx, cycle.id, province, now);
  await tx.cycle.update({ where: { id: cycle.id }, data: { status: "evaluating" } });
  return { province, summary };
}

/**
 * Before publishing, the stored results must still match the recorded data: an accepted appeal, a
 * corrected input or a target closed after 考评 means the office runs 考评 again first.
 */
export async function staleResults(tx: Tx, cycleId: number, rules: YearRules): Promise<string[]> {
  const stored = await loadResults(tx, cycleId);
  const { province } = await computeEvaluation(tx, cycleId, rules);
  const stale: string[] = [];
  for (const a of province.agencies) {
    const s = stored.find((r) => r.agencyId === a.agencyId);
    if (!s || s.score !== fromH(a.totalH) || s.rank !== a.rank || s.tier !== a.tier || JSON.stringify(s.detail.lines) !== JSON.stringify(a.lines)) {
      stale.push(a.shortName);
    }
  }
  return stale;
}

/**
 * Idempotency key of a result notice: `evaluation:<year>:<agencyId>:<userId>` for the first
 * publication, with `:r<revision>` when a corrected result is published again.
 */
export function publicationKey(year: number, agencyId: number, userId: number, revision: number): string {
  return `evaluation:${year}:${agencyId}:${userId}${revision > 0 ? `:r${revision}` : ""}`;
}
