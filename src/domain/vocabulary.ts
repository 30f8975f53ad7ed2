/**
 * The standard's closed vocabularies, with the Chinese terms users see. Stored as strings in the
 * database; every write goes through these lists. A long vocabulary is written once, as its labels,
 * and its list of values is read from them in the order written.
 */

function valuesOf<K extends string>(labels: Record<K, string>): readonly K[] {
  return Object.keys(labels) as K[];
}

/** DESIGN.md §1 roles. */
export const ROLES = ["office", "officer", "head", "staff", "assessor"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABEL: Record<Role, string> = {
  office: "目标办（领导小组办公室/目标部）",
  officer: "单位目标办",
  head: "单位主要负责人",
  staff: "目标责任人",
  assessor: "第三方机构",
};

/** 管理方式 of an agency: 直接管理 / 委托管理 (§2.16). */
export const AGENCY_MANAGEMENT = ["direct", "entrusted"] as const;
export type AgencyManagement = (typeof AGENCY_MANAGEMENT)[number];
export const AGENCY_MANAGEMENT_LABEL: Record<AgencyManagement, string> = { direct: "直接管理", entrusted: "委托管理" };

/** An agency's 级别: §2.16 opens 创新项目评选 to 直接管理 units and 副厅级以上 委托管理 units. */
export const AGENCY_LEVELS = ["department", "deputy_department", "division", "deputy_division"] as const;
export type AgencyLevel = (typeof AGENCY_LEVELS)[number];
export const AGENCY_LEVEL_LABEL: Record<AgencyLevel, string> = { department: "正厅级", deputy_department: "副厅级", division: "正处级", deputy_division: "副处级" };

/** 机关建设目标 §2.4 / 职能绩效目标 §2.5. */
export const CATEGORIES = ["institution", "functional"] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABEL: Record<Category, string> = { institution: "机关建设目标", functional: "职能绩效目标" };

/** 机关建设 items (§6.1): 党建 41 over five items, 管理 9 over three, plus two without points. */
const institutionItemLabels = {
  ideology: "思想建设", organisation: "组织建设", integrity: "党风廉政建设", team: "队伍建设", village: "同步小康驻村",
  leader_review: "省领导评价", innovation: "创新项目评选", secondary_review: "二级考评", public_survey: "公众测评", discipline: "讲规矩守纪律",
};
export type InstitutionItem = keyof typeof institutionItemLabels;
export const INSTITUTION_ITEM_LABEL: Record<InstitutionItem, string> = institutionItemLabels;
export const INSTITUTION_ITEMS = valuesOf(INSTITUTION_ITEM_LABEL);

/** "1+6+N" sources of functional targets (§6.2). */
export const SOURCES = ["poverty", "local", "superior"] as const;
export type Source = (typeof SOURCES)[number];
export const SOURCE_LABEL: Record<Source, string> = { poverty: "脱贫攻坚目标", local: "本级目标", superior: "上级目标" };

/** 初始目标 §2.6 / 动态目标 §2.7. */
export const TARGET_MANAGEMENT = ["initial", "dynamic"] as const;
export type TargetManagement = (typeof TARGET_MANAGEMENT)[number];
export const TARGET_MANAGEMENT_LABEL: Record<TargetManagement, string> = { initial: "初始目标", dynamic: "动态目标" };

/** Lifecycle of Fig. 1: 制定 → 审核 → 下达 → 执行 → 完成 / 未完成. */
export const TARGET_STATUSES = ["draft", "reviewed", "issued", "in_progress", "completed", "not_completed"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export const TARGET_STATUS_LABEL: Record<TargetStatus, string> = {
  draft: "制定中",
  reviewed: "已审核",
  issued: "已下达",
  in_progress: "执行中",
  completed: "已完成",
  not_completed: "未完成",
};
/** Targets people work on and report against. */
export const LIVE_STATUSES: TargetStatus[] = ["issued", "in_progress"];
export const CLOSED_STATUSES: TargetStatus[] = ["completed", "not_completed"];

/** PDCA stages (§2.18). */
export const PDCA = ["P", "D", "C", "A"] as const;
export type PdcaStage = (typeof PDCA)[number];
export const PDCA_LABEL: Record<PdcaStage, string> = { P: "计划", D: "执行", C: "检查", A: "处理改进" };

/** 目标核查 methods (§2.17). */
const verificationMethodLabels = {
  online_review: "网上评审", cloud_monitoring: "云端监控", field_check: "实地核查", special_inspection: "专项督查",
  sampling: "抽样核查", unannounced: "暗访调查", third_party: "委托第三方核查",
};
export type VerificationMethod = keyof typeof verificationMethodLabels;
export const VERIFICATION_METHOD_LABEL: Record<VerificationMethod, string> = verificationMethodLabels;
export const VERIFICATION_METHODS = valuesOf(VERIFICATION_METHOD_LABEL);

export const APPEAL_STATUS_LABEL: Record<string, string> = { pending: "待受理", accepted: "已同意", rejected: "已驳回" };

export const PLATFORMS = ["wecom", "dingtalk", "console"] as const;
export type Platform = (typeof PLATFORMS)[number];
