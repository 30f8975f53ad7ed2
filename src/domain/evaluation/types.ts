import type { AwardTier, Award, ScoredItem, SurveyDimension, SurveyGroup, Tier } from "./vocabulary.js";

/**
 * What the pure scoring needs about one agency, already loaded from the database (store.ts), and the
 * explained result it gives back. No database types here: tests build these by hand.
 */

/** The record an input or deduction came from, quoted in the explanation's source column. */
export interface SourceRef {
  /** e.g. "录入记录 #12（Excel 导入 考评数据.xlsx）" */
  text: string;
}

export interface ScoredInput {
  value: number;
  note?: string;
  ref: SourceRef;
}

export interface SurveyCell {
  group: SurveyGroup;
  dimension: SurveyDimension;
  /** 不满意率 in percent (0–100). */
  rate: number;
  ref: SourceRef;
}

export interface DisciplineRecord {
  /** Record number the office gave it (文号 or serial); a later input with the same number replaces it. */
  recordNo: string;
  /** Kind as configured in rules (通报批评 …). */
  kind: string;
  note?: string;
  ref: SourceRef;
}

export interface FunctionalTarget {
  code: string;
  title: string;
  /** issued | in_progress | completed | not_completed */
  status: string;
  /** Points within 职能绩效: the 初始目标 of an agency add up to 50 (§6.2); 动态目标 usually carry 0. */
  weight: number;
  /** 1+6+N source (§6.2): poverty | local | superior */
  source: string | null;
  /** initial (§2.6) | dynamic (§2.7) */
  managementType: string;
  documentNo: string | null;
  /** Progress (%) as of the latest 属实 target-level 核查 (§2.17), null when none confirmed it. */
  verifiedProgress: number | null;
}

export interface NegativeEntry {
  id: number;
  /** e.g. 2026Q2 */
  period: string;
  targetCode: string;
  /** Category of the entry's target. */
  category: "functional" | "institution";
  /** Negative points as stored on the entry. */
  points: number;
  reason: string;
}

export interface AgencyInputs {
  agencyId: number;
  code: string;
  name: string;
  shortName: string;
  /** direct | entrusted (§2.16) */
  managementType: string;
  /** 级别 code (AGENCY_LEVELS), null when not entered. */
  adminLevel: string | null;
  scores: Partial<Record<ScoredItem, ScoredInput>>;
  innovation?: { award: Award; note?: string; ref: SourceRef };
  survey: SurveyCell[];
  /** Active records only (withdrawn ones are dropped when loading). */
  discipline: DisciplineRecord[];
  headcount?: { value: number; ref: SourceRef };
  functionalTargets: FunctionalTarget[];
  /** Active entries of the cycle's negative lists (withdrawn ones no longer count, §5.3e). */
  negativeEntries: NegativeEntry[];
}

/**
 * Groups of explanation lines: 机关党建 / 机关管理 / 机关建设过程扣分 (negative list on 机关建设目标) /
 * 职能绩效 / 参考项 (公众测评, 讲规矩守纪律: no points).
 */
export type LineGroup = "party" | "management" | "institution_process" | "functional" | "reference";

export interface ExplanationLine {
  group: LineGroup;
  item: string;
  /** Points available for the item, null for deductions and reference lines. */
  weight: number | null;
  /** The input as recorded, in words: "95（百分制）", "二等奖", "未录入", "未完成". */
  input: string;
  /** Points in integer hundredths; lines sum exactly to the score. */
  pointsH: number;
  source: string;
  /** What the line does besides points (tier cap, tier lowered). */
  effect?: string;
}

export interface AgencyScore {
  agencyId: number;
  code: string;
  name: string;
  shortName: string;
  lines: ExplanationLine[];
  totalH: number;
  institutionH: number;
  partyH: number;
  managementH: number;
  functionalH: number;
  /** Weighted 不满意度 in hundredths of a percent, null when no survey data was entered. */
  dissatisfactionH: number | null;
  /** Highest tier allowed by the survey (§8.3), null when no cap applies (the default: a reference only). */
  surveyCap: AwardTier | null;
  /** Tiers the discipline records lower the award by (§6.1 只扣奖不扣分). */
  disciplineLevels: number;
  headcount: number | null;
  /** Inputs not entered, as item labels (they score 0). */
  missing: string[];
  unfinishedTargets: number;
  /** What the year's functional targets lack for 1+6+N (§6.2); empty when it holds. */
  onePlusSixProblems: string[];
  /** Sum of the 初始目标 weights in hundredths (5000 when the set is as imported). */
  initialWeightH: number;
}

export interface Quota {
  excellentPercent: number;
  qualifiedPercent: number;
  unqualifiedPercent: number;
  headcount: number | null;
  /** 优秀 at most this many people (rounded down). */
  excellentMax: number | null;
  /** 不达标 at least this many people (rounded down). */
  unqualifiedMin: number | null;
}

export interface AgencyResult extends AgencyScore {
  /** Equal scores share a rank (1, 2, 2, 4). */
  rank: number;
  /** Position in the tiering order after the documented tie-break (1-based, unique). */
  position: number;
  /** The tier the position alone would give, before the survey caps. */
  rankTier: Tier;
  /** The tier after grading (positions and survey caps), before discipline lowering. */
  gradedTier: Tier;
  /** The award tier finally given. */
  tier: Tier;
  tierReasons: string[];
  quota: Quota;
}

export interface ProvinceResult {
  agencies: AgencyResult[];
  /** Tier shares by position among the agencies graded (those 不参与等次 left out); third null = all the rest. */
  slots: { first: number; second: number; third: number | null; total: number };
}
