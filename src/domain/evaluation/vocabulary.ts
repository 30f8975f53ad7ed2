import { INSTITUTION_ITEM_LABEL, type InstitutionItem } from "../vocabulary.js";

/**
 * The evaluation's closed vocabularies (§2.14–2.16, §2.19, §6.1, §8), stored as codes in
 * EvaluationInput.item / key and shown with the standard's Chinese terms.
 */

/** 机关党建 41 (§6.1): five items; how 41 splits over them is a rules-file number. */
export const PARTY_ITEMS = ["ideology", "organisation", "integrity", "team", "village"] as const;
export type PartyItem = (typeof PARTY_ITEMS)[number];

/** 机关管理 items scored from a 0–full-marks input (§2.15 省领导评价, 二级考评). */
export const REVIEW_ITEMS = ["leader_review", "secondary_review"] as const;
export type ReviewItem = (typeof REVIEW_ITEMS)[number];

/** Items whose input is a score on the rules' full-marks scale. */
export const SCORED_ITEMS = [...PARTY_ITEMS, ...REVIEW_ITEMS] as const;
export type ScoredItem = (typeof SCORED_ITEMS)[number];

/** 参评人数: staff in the agency's individual assessment, to turn §2.19 quotas into head counts. */
export const HEADCOUNT_ITEM = "headcount";

/** Every EvaluationInput.item this feature writes. */
export const INPUT_ITEMS = [...SCORED_ITEMS, "innovation", "public_survey", "discipline", HEADCOUNT_ITEM] as const;
export type InputItem = (typeof INPUT_ITEMS)[number];

export const INPUT_ITEM_LABEL: Record<InputItem, string> = {
  ...(INSTITUTION_ITEM_LABEL as Record<InstitutionItem, string>),
  headcount: "参评人数",
} as Record<InputItem, string>;

/** Words people type for each item (the standard's term first). */
export const INPUT_ITEM_ALIASES: Record<InputItem, string[]> = {
  ideology: ["思想建设"],
  organisation: ["组织建设"],
  integrity: ["党风廉政建设", "党风廉政"],
  team: ["队伍建设"],
  village: ["同步小康驻村", "驻村", "同步小康"],
  leader_review: ["省领导评价", "领导评价"],
  secondary_review: ["二级考评"],
  innovation: ["创新项目评选", "创新项目", "创新"],
  public_survey: ["公众测评", "不满意度", "公众评议", "不满意度测评"],
  discipline: ["讲规矩守纪律", "纪律", "守纪律"],
  headcount: ["参评人数", "人数"],
};

export function findInputItem(word: string): InputItem | null {
  const w = word.trim();
  for (const item of INPUT_ITEMS) if (INPUT_ITEM_ALIASES[item].includes(w)) return item;
  return null;
}

/**
 * 创新项目评选 results (§2.16: 一、二、三等奖和鼓励奖), plus the cases without an award. "declined" (不参评)
 * is an agency that §2.16 lets apply voluntarily (直接管理, or 副厅级以上 委托管理) choosing not to.
 */
export const AWARDS = ["first", "second", "third", "encouragement", "participated", "none", "declined"] as const;
export type Award = (typeof AWARDS)[number];
export const AWARD_LABEL: Record<Award, string> = {
  first: "一等奖",
  second: "二等奖",
  third: "三等奖",
  encouragement: "鼓励奖",
  participated: "申报未获奖",
  none: "未申报",
  declined: "不参评",
};

/** Code stored before 不参评 was limited to the agencies §2.16 lets opt out; read as "declined". */
export const LEGACY_DECLINED = "ineligible";

/** 公众评议 respondent groups (§2.14). */
export const SURVEY_GROUPS = ["npc", "cppcc", "cadres", "enterprises", "public"] as const;
export type SurveyGroup = (typeof SURVEY_GROUPS)[number];
export const SURVEY_GROUP_LABEL: Record<SurveyGroup, string> = {
  npc: "人大代表",
  cppcc: "政协委员",
  cadres: "机关干部",
  enterprises: "企事业单位人员",
  public: "社会公众",
};

/** 不满意度 dimensions (§8.3). */
export const SURVEY_DIMENSIONS = ["execution", "efficiency", "attitude", "lawful", "integrity"] as const;
export type SurveyDimension = (typeof SURVEY_DIMENSIONS)[number];
export const SURVEY_DIMENSION_LABEL: Record<SurveyDimension, string> = {
  execution: "执行能力",
  efficiency: "办事效率",
  attitude: "服务态度",
  lawful: "依法行政",
  integrity: "廉洁自律",
};

/**
 * Unit award tiers (§2.19), best first; "none" (无等次) is an agency beyond the 三等奖 share or lowered
 * below 三等奖 by discipline records.
 */
export const TIERS = ["first", "second", "third", "none"] as const;
export type AwardTier = (typeof TIERS)[number];
/** A tier as stored: an award tier, or "excluded" (不参与等次) for an agency below 1+6+N (§6.2). */
export type Tier = AwardTier | "excluded";
export const TIER_LABEL: Record<Tier, string> = { first: "一等奖", second: "二等奖", third: "三等奖", none: "无等次", excluded: "不参与等次" };

/** Individual award levels (§2.19). */
export const INDIVIDUAL_LEVEL_LABEL = { excellent: "优秀", qualified: "达标", unqualified: "不达标" } as const;

/** The discipline value that withdraws an earlier record under the same record number. */
export const DISCIPLINE_WITHDRAWN = "撤销";

/** Finds a code by its Chinese label. */
export function byLabel<K extends string>(labels: Record<K, string>, word: string): K | null {
  const w = word.trim();
  for (const k of Object.keys(labels) as K[]) if (labels[k] === w) return k;
  return null;
}
