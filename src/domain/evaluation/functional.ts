import { onePlusSixProblems } from "../targets/one-plus-six.js";
import { SOURCE_LABEL, type Source } from "../vocabulary.js";
import { divRound, formatH, toH } from "./hundredths.js";
import type { EvaluationRules } from "./rules-schema.js";
import type { ExplanationLine, FunctionalTarget } from "./types.js";

/**
 * 职能绩效 (§6.2, §8.2): 50 points carried by the agency's own 初始目标 (§2.6), whose weights the import
 * makes add up to 50. A completed target earns its weight; an unfinished one earns what the rules file
 * says (default nothing; optionally its weight in proportion to the progress a 核查 confirmed, §2.17).
 * 动态目标 (§2.7) have no share of the 50: completed adds nothing, unfinished deducts the rules' points.
 * "完成" is the target's closed status: still open at evaluation time counts as unfinished.
 */
export function functionalLines(targets: FunctionalTarget[], rules: EvaluationRules): ExplanationLine[] {
  const initial = targets.filter((t) => t.managementType !== "dynamic");
  const dynamic = targets.filter((t) => t.managementType === "dynamic");
  const proportional = rules.functional.unfinishedInitialTarget === "verifiedProgress";
  const lines: ExplanationLine[] = [];
  if (initial.length === 0) {
    lines.push({
      group: "functional",
      item: "职能绩效目标",
      weight: rules.weights.functional,
      input: "本年度无已下达的初始职能绩效目标",
      pointsH: 0,
      source: "目标库（本年度已下达的职能绩效目标）",
    });
  }
  for (const t of initial) {
    const done = t.status === "completed";
    const credit = done ? 100 : proportional ? (t.verifiedProgress ?? 0) : 0;
    lines.push({
      group: "functional",
      item: `${t.code} ${t.title}`,
      weight: t.weight,
      input: `${sourceText(t)}；${done ? "已完成" : `${unfinishedText(t)}${proportional ? `，${verifiedText(t)}` : "，不得分"}`}`,
      pointsH: divRound(toH(t.weight) * Math.min(credit, 100), 100),
      source: `目标 ${t.code}（初始目标，§2.6）`,
    });
  }
  const perDynamic = rules.functional.pointsPerUnfinishedDynamicTarget;
  for (const t of dynamic) {
    const done = t.status === "completed";
    // With proportional credit a dynamic target's deduction shrinks by the confirmed share.
    const share = done ? 0 : proportional ? 100 - Math.min(t.verifiedProgress ?? 0, 100) : 100;
    lines.push({
      group: "functional",
      item: `${t.code} ${t.title}`,
      weight: null,
      input: `动态目标（${t.documentNo ?? "未注明文号"}）；${done ? "已完成，不加分" : `${unfinishedText(t)}${proportional ? `，${verifiedText(t)}` : ""}`}`,
      pointsH: divRound(toH(perDynamic) * share, 100),
      source: `目标 ${t.code}（动态目标，§2.7；每项未完成 ${formatH(toH(perDynamic))} 分）`,
    });
  }
  return lines;
}

/** 1+6+N (§6.2) over every functional target issued in the year, initial and dynamic. */
export function yearOnePlusSix(targets: FunctionalTarget[]): string[] {
  return onePlusSixProblems(targets.map((t) => t.source));
}

export function initialWeightH(targets: FunctionalTarget[]): number {
  return targets.filter((t) => t.managementType !== "dynamic").reduce((s, t) => s + toH(t.weight), 0);
}

function sourceText(t: FunctionalTarget): string {
  return SOURCE_LABEL[t.source as Source] ?? "职能绩效目标";
}

function unfinishedText(t: FunctionalTarget): string {
  return t.status === "not_completed" ? "未完成" : "考评时尚未办结，按未完成计";
}

function verifiedText(t: FunctionalTarget): string {
  return t.verifiedProgress === null ? "无核查属实的完成进度，不得分" : `核查属实的完成进度 ${t.verifiedProgress}%`;
}
