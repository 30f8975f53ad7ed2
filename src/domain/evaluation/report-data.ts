import type { Tx } from "../../infra/db.js";
import { StateError } from "../errors.js";
import type { YearRules } from "../rules.js";
import { formatH } from "./hundredths.js";
import { loadResults, type StoredResult } from "./results-store.js";
import { TIER_LABEL, TIERS, type AwardTier } from "./vocabulary.js";

/** What the §9 reports are built from: the stored results, and for each agency its negative lists. */
export interface ReportData {
  year: number;
  results: StoredResult[];
  quotas: YearRules["evaluation"]["individualQuotas"];
  negativeLists: Map<number, NegativeListRow[]>;
}

export interface NegativeListRow {
  period: string;
  totalPoints: number;
  entries: { id: number; targetCode: string; targetTitle: string; points: number; reason: string; status: string }[];
}

export async function loadReportData(tx: Tx, cycle: { id: number; year: number }, rules: YearRules): Promise<ReportData> {
  const results = await loadResults(tx, cycle.id);
  if (results.length === 0) throw new StateError(`${cycle.year} 年度尚未考评，请先执行“考评 ${cycle.year}”。`);
  const lists = await tx.negativeList.findMany({
    where: { cycleId: cycle.id },
    include: { entries: { include: { target: { select: { code: true, title: true } } }, orderBy: { id: "asc" } } },
    orderBy: [{ agencyId: "asc" }, { period: "asc" }],
  });
  const negativeLists = new Map<number, NegativeListRow[]>();
  for (const l of lists) {
    const rows = negativeLists.get(l.agencyId) ?? [];
    rows.push({
      period: l.period,
      totalPoints: l.totalPoints,
      entries: l.entries.map((e) => ({ id: e.id, targetCode: e.target.code, targetTitle: e.target.title, points: e.points, reason: e.reason, status: e.status })),
    });
    negativeLists.set(l.agencyId, rows);
  }
  return { year: cycle.year, results, quotas: rules.evaluation.individualQuotas, negativeLists };
}

/** Short note on how the tier differs from the position: 1+6+N, survey cap, quota passed on, discipline. */
export function adjustmentNote(r: StoredResult): string {
  const d = r.detail;
  if (d.gradedTier === "excluded") return `不符合“1+6+N”要求（§6.2），不参与等次评定`;
  const notes: string[] = [];
  const idx = (t: string) => TIERS.indexOf(t as AwardTier);
  if (d.surveyCap && d.dissatisfactionH !== null && idx(d.rankTier) < idx(d.surveyCap)) {
    notes.push(`公众测评不满意度 ${formatH(d.dissatisfactionH)}%，最高评为${TIER_LABEL[d.surveyCap]}`);
  } else if (d.rankTier !== d.gradedTier) {
    notes.push(`名额顺延，由${TIER_LABEL[d.rankTier]}调整为${TIER_LABEL[d.gradedTier]}`);
  }
  if (d.disciplineLevels > 0) notes.push(`讲规矩守纪律降 ${d.disciplineLevels} 等（只扣奖不扣分）`);
  return notes.join("；");
}
