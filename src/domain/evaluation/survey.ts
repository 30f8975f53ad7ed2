import type { EvaluationRules } from "./rules-schema.js";
import type { SurveyCell } from "./types.js";
import { divRound, toH } from "./hundredths.js";
import { SURVEY_GROUP_LABEL, SURVEY_GROUPS, TIERS, type AwardTier } from "./vocabulary.js";

/**
 * 不满意度 (§2.14, §8.3): the weighted mean of the entered 不满意率 over respondent groups and the five
 * dimensions, each cell weighted by group weight × dimension weight. Cells not entered are left out
 * and the weights of the rest re-normalised, so a missing group neither helps nor hurts.
 * The result is a reference for the grade (§8.3 参考之一): it never changes points, and it caps the tier
 * only where the rules file lists caps.
 */
export function dissatisfactionH(cells: SurveyCell[], rules: EvaluationRules): number | null {
  let num = 0;
  let den = 0;
  for (const c of cells) {
    const w = toH(rules.survey.groupWeights[c.group]) * toH(rules.survey.dimensionWeights[c.dimension]);
    num += w * toH(c.rate);
    den += w;
  }
  return den === 0 ? null : divRound(num, den);
}

/** Per respondent group, the dimension-weighted mean, for the explanation. */
export function groupRatesH(cells: SurveyCell[], rules: EvaluationRules): { group: string; rateH: number }[] {
  return SURVEY_GROUPS.flatMap((g) => {
    const mine = cells.filter((c) => c.group === g);
    const den = mine.reduce((s, c) => s + toH(rules.survey.dimensionWeights[c.dimension]), 0);
    if (den === 0) return [];
    const num = mine.reduce((s, c) => s + toH(rules.survey.dimensionWeights[c.dimension]) * toH(c.rate), 0);
    return [{ group: SURVEY_GROUP_LABEL[g], rateH: divRound(num, den) }];
  });
}

/** The strictest cap whose threshold the agency's 不满意度 reaches, or null (always, unless caps are listed). */
export function surveyCap(rateH: number | null, rules: EvaluationRules): { tier: AwardTier; atLeast: number } | null {
  if (rateH === null) return null;
  let best: { tier: AwardTier; atLeast: number } | null = null;
  for (const c of rules.survey.caps) {
    if (rateH < toH(c.atLeast)) continue;
    if (!best || TIERS.indexOf(c.maxTier) > TIERS.indexOf(best.tier)) best = { tier: c.maxTier, atLeast: c.atLeast };
  }
  return best;
}
