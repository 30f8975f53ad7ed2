import { DEFAULT_IMPROVEMENT_RULES, DEFAULT_REPORTING_RULES, type ImprovementRules, type ReportingRules, loadRules } from "../domain/rules.js";
import { DEFAULT_ROLLUP_RULES, type RollupRules } from "../domain/care/rollup.js";
import { DEFAULT_WARNING_RULES, type WarningRules } from "../domain/care/warnings.js";

/**
 * The `warnings`, `rollup`, `reporting` and `improvement` sections of the cycle's rules file. A year without a file falls back to
 * the documented defaults: a missing file must not stop people from seeing their targets.
 */
export function careRules(rulesDir: string, year: number): { warnings: WarningRules; rollup: RollupRules; reporting: ReportingRules; improvement: ImprovementRules } {
  try {
    const rules = loadRules(year, rulesDir);
    return { warnings: rules.warnings, rollup: rules.rollup, reporting: rules.reporting, improvement: rules.improvement };
  } catch (err) {
    if (err instanceof Error && /is missing/.test(err.message)) {
      return { warnings: DEFAULT_WARNING_RULES, rollup: DEFAULT_ROLLUP_RULES, reporting: DEFAULT_REPORTING_RULES, improvement: DEFAULT_IMPROVEMENT_RULES };
    }
    throw err;
  }
}
