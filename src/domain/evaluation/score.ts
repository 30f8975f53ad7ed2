import type { EvaluationRules } from "./rules-schema.js";
import { divRound, formatH, toH } from "./hundredths.js";
import { functionalLines, initialWeightH, yearOnePlusSix } from "./functional.js";
import { DECLINE_NOT_OPEN, mayDeclineInnovation } from "./innovation.js";
import { dissatisfactionH, groupRatesH, surveyCap } from "./survey.js";
import type { AgencyInputs, AgencyScore, ExplanationLine, LineGroup } from "./types.js";
import { AWARD_LABEL, INPUT_ITEM_LABEL, PARTY_ITEMS, TIER_LABEL, type ScoredItem } from "./vocabulary.js";

/**
 * One agency's score (§8.1): 机关建设 50 (党建 41 over five items, 管理 9 = 省领导评价 3 + 创新项目评选 3 +
 * 二级考评 3) + 职能绩效 50, as explanation lines in integer hundredths that add up to the score.
 * 公众测评 and 讲规矩守纪律 appear as reference lines with 0 points: the first is a reference for the
 * grade (§8.3), the second "只扣奖不扣分" (§6.1); both act on the tier, in tiers.ts.
 */
export function scoreAgency(a: AgencyInputs, rules: EvaluationRules): AgencyScore {
  const lines: ExplanationLine[] = [];
  const missing: string[] = [];
  const full = rules.inputFullMarks;

  const scored = (item: ScoredItem, group: LineGroup) => {
    const weight = rules.weights[item];
    const input = a.scores[item];
    if (!input) {
      missing.push(INPUT_ITEM_LABEL[item]);
      lines.push({ group, item: INPUT_ITEM_LABEL[item], weight, input: "未录入", pointsH: 0, source: "—" });
      return;
    }
    // points = weight × input / full marks, rounded once to hundredths. An input above full marks can
    // only come from a rules change after it was entered (entry checks the range): count full marks.
    const over = input.value > full;
    const pointsH = divRound(toH(weight) * toH(Math.min(input.value, full)), toH(full));
    const shown = `${input.value}（满分 ${full}${over ? "，超过满分按满分计" : ""}）${note(input.note)}`;
    lines.push({ group, item: INPUT_ITEM_LABEL[item], weight, input: shown, pointsH, source: input.ref.text });
  };

  for (const item of PARTY_ITEMS) scored(item, "party");
  scored("leader_review", "management");
  const innovationWeight = rules.weights.innovation;
  if (a.innovation) {
    // 不参评 is open only to the agencies §2.16 lets apply voluntarily; anyone else did not apply.
    const counted = a.innovation.award === "declined" && !mayDeclineInnovation(a) ? "none" : a.innovation.award;
    const why = counted === a.innovation.award ? "" : `（${DECLINE_NOT_OPEN}，按${AWARD_LABEL.none}计）`;
    lines.push({
      group: "management",
      item: INPUT_ITEM_LABEL.innovation,
      weight: innovationWeight,
      input: `${AWARD_LABEL[a.innovation.award]}${why}${note(a.innovation.note)}`,
      pointsH: toH(rules.innovationPoints[counted]),
      source: a.innovation.ref.text,
    });
  } else {
    missing.push(INPUT_ITEM_LABEL.innovation);
    lines.push({ group: "management", item: INPUT_ITEM_LABEL.innovation, weight: innovationWeight, input: "未录入", pointsH: 0, source: "—" });
  }
  scored("secondary_review", "management");

  const deducts = rules.functional.negativeListCategories;
  const entryLine = (group: LineGroup) => (e: AgencyInputs["negativeEntries"][number]): ExplanationLine => ({
    group,
    item: `负面清单 ${e.period}（${e.targetCode}）`,
    weight: null,
    input: e.reason,
    pointsH: toH(e.points),
    source: `负面清单条目 #${e.id}`,
  });
  if (deducts.includes("institution")) {
    lines.push(...a.negativeEntries.filter((e) => e.category === "institution").map(entryLine("institution_process")));
  }
  capCategory(lines, ["party", "management", "institution_process"], "institution_process", "机关建设");

  // 职能绩效 (§6.2, §8.2): each target by its own weight, then the active negative-list entries (§2.23);
  // never below zero for the category.
  const targets = a.functionalTargets;
  lines.push(...functionalLines(targets, rules));
  if (deducts.includes("functional")) {
    lines.push(...a.negativeEntries.filter((e) => e.category === "functional").map(entryLine("functional")));
  }
  capCategory(lines, ["functional"], "functional", "职能绩效");

  const rateH = dissatisfactionH(a.survey, rules);
  const cap = surveyCap(rateH, rules);
  lines.push({
    group: "reference",
    item: INPUT_ITEM_LABEL.public_survey,
    weight: null,
    input:
      rateH === null
        ? "未录入"
        : `不满意度 ${formatH(rateH)}%（${groupRatesH(a.survey, rules).map((g) => `${g.group} ${formatH(g.rateH)}%`).join("，")}）`,
    pointsH: 0,
    source: a.survey.length ? `录入记录 ${a.survey.length} 条` : "—",
    effect: cap ? `不满意度达到 ${cap.atLeast}%，按年度规则最高评为${TIER_LABEL[cap.tier]}（§8.3，不计分）` : "参考：作为考评等次的参考之一，不计分（§8.3）",
  });

  let disciplineLevels = 0;
  for (const d of a.discipline) {
    const levels = rules.discipline.lowerTiersByKind[d.kind] ?? 0;
    disciplineLevels += levels;
    lines.push({
      group: "reference",
      item: `${INPUT_ITEM_LABEL.discipline}（${d.recordNo}）`,
      weight: null,
      input: `${d.kind}${note(d.note)}`,
      pointsH: 0,
      source: d.ref.text,
      effect: levels ? `降低获奖等次 ${levels} 等（只扣奖不扣分，§6.1）` : "该记录类型未在本年度规则中设定，不影响等次",
    });
  }

  const sum = (groups: LineGroup[]) => lines.filter((l) => groups.includes(l.group)).reduce((s, l) => s + l.pointsH, 0);
  return {
    agencyId: a.agencyId,
    code: a.code,
    name: a.name,
    shortName: a.shortName,
    lines,
    totalH: sum(["party", "management", "institution_process", "functional", "reference"]),
    institutionH: sum(["party", "management", "institution_process"]),
    partyH: sum(["party"]),
    managementH: sum(["management"]),
    functionalH: sum(["functional"]),
    dissatisfactionH: rateH,
    surveyCap: cap?.tier ?? null,
    disciplineLevels,
    headcount: a.headcount?.value ?? null,
    missing,
    unfinishedTargets: targets.filter((t) => t.status !== "completed").length,
    onePlusSixProblems: yearOnePlusSix(targets),
    initialWeightH: initialWeightH(targets),
  };
}

/** A category never goes below zero: deductions beyond its weight are given back on one line. */
function capCategory(lines: ExplanationLine[], groups: LineGroup[], lineGroup: LineGroup, label: string): void {
  const total = lines.filter((l) => groups.includes(l.group)).reduce((s, l) => s + l.pointsH, 0);
  if (total >= 0) return;
  lines.push({ group: lineGroup, item: `${label}扣分以本类权重为限`, weight: null, input: "扣分超过本类得分部分不计", pointsH: -total, source: "规则：类别得分不低于 0" });
}

function note(n: string | undefined): string {
  return n ? `；${n}` : "";
}
