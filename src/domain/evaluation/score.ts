import type { EvaluationRules } from "./rules-schema.js";
import { divRound, formatH, toH } from "./hundredths.js";
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
    lines.push({
      group: "management",
      item: INPUT_ITEM_LABEL.innovation,
      weight: innovationWeight,
      input: `${AWARD_LABEL[a.innovation.award]}${note(a.innovation.note)}`,
      pointsH: toH(rules.innovationPoints[a.innovation.award]),
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

  // 职能绩效 (§6.2, §8.2): full weight when every issued target is completed; each target not completed
  // and each active negative-list entry (§2.23) deducts, never below zero for the category.
  const targets = a.functionalTargets;
  const unfinished = targets.filter((t) => t.status !== "completed");
  lines.push({
    group: "functional",
    item: "职能绩效目标",
    weight: rules.weights.functional,
    input: `已下达 ${targets.length} 项，完成 ${targets.length - unfinished.length} 项`,
    pointsH: toH(rules.weights.functional),
    source: "目标库（本年度已下达的职能绩效目标）",
  });
  for (const t of unfinished) {
    lines.push({
      group: "functional",
      item: `未完成目标 ${t.code}`,
      weight: null,
      input: `${t.title}（${t.status === "not_completed" ? "未完成" : "考评时尚未办结，按未完成计"}）`,
      pointsH: toH(rules.functional.pointsPerUnfinishedTarget),
      source: `目标 ${t.code}`,
    });
  }
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
    effect: cap ? `不满意度达到 ${cap.atLeast}%，最高评为${TIER_LABEL[cap.tier]}（§8.3，不计分）` : "作为等次参考，不计分（§8.3）",
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
    unfinishedTargets: unfinished.length,
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
