import { StateError } from "../errors.js";
import type { EvaluationRules } from "./rules-schema.js";
import { scoreAgency } from "./score.js";
import { rankAndTier } from "./tiers.js";
import type { AgencyInputs, ProvinceResult } from "./types.js";

/**
 * 目标考评 (§8) of every agency: inputs in, explained, ranked and tiered results out. No database.
 * An agency whose year does not meet 1+6+N (§6.2) is not scored as if it did: by default 考评 is
 * refused and names it; with belowOnePlusSix "noTier" it is scored but 不参与等次 (tiers.ts).
 */
export function evaluateProvince(inputs: AgencyInputs[], rules: EvaluationRules): ProvinceResult {
  const scores = inputs.map((a) => scoreAgency(a, rules));
  const below = scores.filter((s) => s.onePlusSixProblems.length > 0);
  if (below.length && rules.functional.belowOnePlusSix === "refuse") {
    throw new StateError(
      [
        `以下单位本年度职能绩效目标不符合“1+6+N”要求（§6.2），不能按符合要求的单位考评：`,
        ...below.map((s) => `· ${s.shortName}：${s.onePlusSixProblems.join("；")}`),
        `请补充下达目标后重新考评；如经领导小组同意这些单位不参与等次评定，请将年度规则文件 evaluation.functional.belowOnePlusSix 设为 "noTier"。`,
      ].join("\n"),
    );
  }
  return rankAndTier(scores, rules);
}
