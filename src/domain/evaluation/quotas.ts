import type { EvaluationRules } from "./rules-schema.js";
import type { Quota } from "./types.js";
import type { Tier } from "./vocabulary.js";

/**
 * Individual award quotas (§2.19: 单位获奖等次决定个人获奖比例). 优秀 is a ceiling and 不达标 a floor,
 * 达标 the rest. With the agency's 参评人数 entered they become head counts, rounded down (in favour
 * of the individuals for 不达标, and as a ceiling for 优秀).
 */
export function quotaFor(tier: Tier, headcount: number | null, rules: EvaluationRules): Quota {
  // An agency 不参与等次 has no award: it is given the 无等次 shares.
  const q = rules.individualQuotas[tier === "excluded" ? "none" : tier];
  const count = (pct: number) => (headcount === null ? null : Math.floor((headcount * Math.round(pct * 100)) / 10_000));
  return {
    excellentPercent: q.excellent,
    qualifiedPercent: q.qualified,
    unqualifiedPercent: q.unqualified,
    headcount,
    excellentMax: count(q.excellent),
    unqualifiedMin: count(q.unqualified),
  };
}
