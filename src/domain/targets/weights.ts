import { INSTITUTION_ITEM_LABEL, type InstitutionItem } from "../vocabulary.js";

/**
 * The weight rule of a target set (Target.weight is points within its category). The standard fixes
 * the category shares (§6, §8.1: 机关建设 50, 职能绩效 50) and the 机关管理 items (3 points each), but
 * not how 党建's 41 points split over its five items. So, per agency and cycle:
 *
 * - 职能绩效目标: the 初始目标 weights add up to exactly 50 and each is above 0. 动态目标 (§2.7) arrive
 *   during the year after the set is issued, so they carry their own weight outside the 50.
 * - 机关建设目标, per item (§6.1): 省领导评价, 创新项目评选 and 二级考评 each add up to 3 when present;
 *   公众测评 (a grade reference, §8.3) and 讲规矩守纪律 (只扣奖不扣分) carry 0; the five 党建 items
 *   together stay within 41, and add up to exactly 41 when all five are present.
 */
export const FUNCTIONAL_POINTS = 50;
export const PARTY_POINTS = 41;
export const PARTY_ITEMS: InstitutionItem[] = ["ideology", "organisation", "integrity", "team", "village"];
export const MANAGEMENT_ITEM_POINTS: Partial<Record<InstitutionItem, number>> = { leader_review: 3, innovation: 3, secondary_review: 3 };
export const NO_POINT_ITEMS: Partial<Record<InstitutionItem, string>> = {
  public_survey: "公众测评不计分（§8.3，作为考评等次的参考）",
  discipline: "讲规矩守纪律只扣奖不扣分（§6.1）",
};

export interface WeightedTarget {
  category: string;
  item: string | null;
  managementType: string;
  weight: number;
  /** Spreadsheet row, when the target comes from the file being imported. */
  row?: number;
}

export interface SetProblem {
  message: string;
  /** The file rows concerned (empty when all are already stored). */
  rows: number[];
}

const EPS = 0.005;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The weight a single target may not carry, whatever the rest of the set is. */
export function singleWeightProblem(t: WeightedTarget): string | null {
  if (t.category === "functional" && t.managementType === "initial" && t.weight <= 0) return "初始职能绩效目标的权重应大于 0。";
  const noPoints = t.item ? NO_POINT_ITEMS[t.item as InstitutionItem] : undefined;
  if (t.category === "institution" && noPoints && t.weight !== 0) return `${noPoints}，权重应为 0。`;
  const cap = t.item ? MANAGEMENT_ITEM_POINTS[t.item as InstitutionItem] : undefined;
  if (t.category === "institution" && cap !== undefined && t.weight > cap + EPS) return `${INSTITUTION_ITEM_LABEL[t.item as InstitutionItem]}占 ${cap} 分（§6.1），权重不能超过 ${cap}。`;
  return null;
}

/** Problems of one agency's whole set; each names the rows of the file it concerns. */
export function weightSetProblems(set: WeightedTarget[]): SetProblem[] {
  const problems: SetProblem[] = [];
  const rowsOf = (ts: WeightedTarget[]) => ts.flatMap((t) => (t.row === undefined ? [] : [t.row]));
  const sum = (ts: WeightedTarget[]) => round2(ts.reduce((s, t) => s + t.weight, 0));

  const functional = set.filter((t) => t.category === "functional" && t.managementType === "initial");
  if (functional.length && Math.abs(sum(functional) - FUNCTIONAL_POINTS) > EPS) {
    problems.push({ message: `初始职能绩效目标权重合计应为 ${FUNCTIONAL_POINTS} 分（§6.2 职能绩效目标占 50%），现为 ${sum(functional)} 分。`, rows: rowsOf(functional) });
  }
  const institution = set.filter((t) => t.category === "institution");
  for (const [item, points] of Object.entries(MANAGEMENT_ITEM_POINTS) as [InstitutionItem, number][]) {
    const ts = institution.filter((t) => t.item === item);
    if (ts.length && Math.abs(sum(ts) - points) > EPS) {
      problems.push({ message: `${INSTITUTION_ITEM_LABEL[item]}的目标权重合计应为 ${points} 分（§6.1），现为 ${sum(ts)} 分。`, rows: rowsOf(ts) });
    }
  }
  const party = institution.filter((t) => PARTY_ITEMS.includes(t.item as InstitutionItem));
  const complete = PARTY_ITEMS.every((i) => party.some((t) => t.item === i));
  const partyNames = PARTY_ITEMS.map((i) => INSTITUTION_ITEM_LABEL[i]).join("、");
  if (sum(party) > PARTY_POINTS + EPS) {
    problems.push({ message: `机关党建目标（${partyNames}）权重合计不能超过 ${PARTY_POINTS} 分（§6.1），现为 ${sum(party)} 分。`, rows: rowsOf(party) });
  } else if (complete && Math.abs(sum(party) - PARTY_POINTS) > EPS) {
    problems.push({ message: `机关党建目标五项齐全时权重合计应为 ${PARTY_POINTS} 分（§6.1），现为 ${sum(party)} 分。`, rows: rowsOf(party) });
  }
  return problems;
}
