import type { EvaluationRules } from "./rules-schema.js";
import { scoreAgency } from "./score.js";
import { rankAndTier } from "./tiers.js";
import type { AgencyInputs, ProvinceResult } from "./types.js";

/** 目标考评 (§8) of every agency: inputs in, explained, ranked and tiered results out. No database. */
export function evaluateProvince(inputs: AgencyInputs[], rules: EvaluationRules): ProvinceResult {
  return rankAndTier(
    inputs.map((a) => scoreAgency(a, rules)),
    rules,
  );
}
