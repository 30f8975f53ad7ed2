import {
  AGENCY_LEVEL_LABEL,
  AGENCY_MANAGEMENT_LABEL,
  CATEGORY_LABEL,
  INSTITUTION_ITEM_LABEL,
  SOURCE_LABEL,
  TARGET_MANAGEMENT_LABEL,
} from "../vocabulary.js";

/**
 * The 目标任务分解表 workbook (目标制定, Fig. 1): five sheets and their columns. One spec serves the
 * generated template, the reader that maps header cells to fields, and the problem report that names
 * the sheet, row and column of each problem.
 */
export type SheetKey = "agencies" | "users" | "targets" | "indicators" | "milestones";

export interface FieldSpec {
  key: string;
  /** Header cell text (a trailing * marks required columns in the template). */
  header: string;
  required?: boolean;
  /** Other header texts accepted for the column. */
  aliases?: string[];
  /** Values offered by the template's drop-down list. */
  choices?: readonly string[];
  /** One line for the 填写说明 sheet and the cell's input prompt. */
  hint: string;
  width?: number;
  date?: boolean;
}

export interface SheetSpec {
  key: SheetKey;
  name: string;
  purpose: string;
  fields: FieldSpec[];
}

/**
 * Roles the 人员 sheet may give (DESIGN.md §1): the agencies' own people, and the province's 目标办
 * (§2.12) and 第三方机构 (§2.24), who belong to no agency. A new province's first office account can
 * come from this sheet.
 */
export const IMPORT_ROLE_LABEL = { officer: "单位目标办", head: "单位主要负责人", staff: "目标责任人", office: "目标办", assessor: "第三方机构" } as const;
export type ImportRole = keyof typeof IMPORT_ROLE_LABEL;
/** Roles without an agency: their 所属单位 stays empty. */
export const PROVINCE_ROLES: readonly ImportRole[] = ["office", "assessor"];

export const QUARTER_LABELS = ["第一季度", "第二季度", "第三季度", "第四季度"] as const;
export const LEVEL_LABELS = ["一级", "二级", "三级"] as const;

export const SHEETS: readonly SheetSpec[] = [
  {
    key: "agencies",
    name: "单位",
    purpose: "纳入管理部门（§2.13）。系统中已有的单位不必填写；填写后按单位代码新增或更新。",
    fields: [
      { key: "code", header: "单位代码", required: true, hint: "字母或数字，如 FGW；作为目标编号的前缀", width: 12 },
      { key: "name", header: "单位全称", required: true, hint: "如 贵州省发展和改革委员会", width: 30 },
      { key: "shortName", header: "单位简称", required: true, hint: "如 省发改委", width: 16 },
      { key: "managementType", header: "管理方式", required: true, choices: Object.values(AGENCY_MANAGEMENT_LABEL), hint: "直接管理 或 委托管理（§2.16）", width: 12 },
      {
        key: "adminLevel",
        header: "级别",
        choices: Object.values(AGENCY_LEVEL_LABEL),
        hint: "正厅级、副厅级、正处级 或 副处级；委托管理单位请填写：副厅级以上可自愿申报创新项目评选（§2.16）。不填则保留系统中原有级别",
        width: 10,
      },
    ],
  },
  {
    key: "users",
    name: "人员",
    purpose: "单位的目标办人员、主要负责人和目标责任人，以及省目标办、第三方机构人员。系统中已有的人员不必填写；填写后按账号新增或更新。",
    fields: [
      { key: "account", header: "账号", required: true, hint: "全省唯一的登录账号，字母、数字、下划线，如 fgw_zhao", width: 16 },
      { key: "name", header: "姓名", required: true, hint: "真实姓名", width: 10 },
      { key: "role", header: "角色", required: true, choices: Object.values(IMPORT_ROLE_LABEL), hint: "单位目标办、单位主要负责人、目标责任人，或 目标办（省目标办人员）、第三方机构", width: 16 },
      { key: "agency", header: "所属单位", aliases: ["单位"], hint: "单位代码、全称或简称；单位人员必填，目标办、第三方机构人员不填", width: 20 },
      { key: "wecom", header: "企业微信账号", aliases: ["企业微信UserID"], hint: "企业微信通讯录中的 UserID，可不填", width: 16 },
      { key: "dingtalk", header: "钉钉账号", aliases: ["钉钉UserID"], hint: "钉钉通讯录中的 userId，可不填", width: 16 },
      { key: "mobile", header: "手机号", aliases: ["手机", "手机号码"], hint: "11 位手机号，可不填；用于从企业微信、钉钉通讯录自动绑定账号", width: 14 },
    ],
  },
  {
    key: "targets",
    name: "目标",
    purpose: "绩效目标（§2.3–§2.7），每行一项。导入后为“制定中”，经审核、下达后生效。",
    fields: [
      { key: "code", header: "目标编号", required: true, hint: "单位代码-序号，如 FGW-01；同一年度内唯一，再次导入时据此更新", width: 12 },
      { key: "agency", header: "单位", required: true, aliases: ["责任单位"], hint: "单位代码、全称或简称", width: 16 },
      { key: "category", header: "目标类别", required: true, choices: Object.values(CATEGORY_LABEL), hint: "机关建设目标（§2.4）或 职能绩效目标（§2.5）", width: 16 },
      { key: "item", header: "机关建设项目", choices: Object.values(INSTITUTION_ITEM_LABEL), hint: "机关建设目标必填（§6.1），职能绩效目标不填", width: 16 },
      { key: "source", header: "来源", aliases: ["目标来源", "1+6+N来源"], choices: Object.values(SOURCE_LABEL), hint: "职能绩效目标必填：脱贫攻坚目标、本级目标 或 上级目标（§6.2“1+6+N”）", width: 14 },
      { key: "managementType", header: "管理方式", required: true, choices: Object.values(TARGET_MANAGEMENT_LABEL), hint: "初始目标（§2.6）或 动态目标（§2.7）", width: 12 },
      { key: "documentNo", header: "文号", aliases: ["依据文号"], hint: "动态目标必填，如 黔府办发〔2026〕12号", width: 22 },
      { key: "title", header: "目标名称", required: true, hint: "目标任务的简要名称", width: 30 },
      { key: "description", header: "目标要求", aliases: ["绩效要求"], hint: "具体要求和完成标准，可不填", width: 40 },
      { key: "weight", header: "权重", aliases: ["权重（分）", "分值"], required: true, hint: "分值，规则见下方“权重规则”", width: 8 },
      { key: "deadline", header: "完成时限", required: true, date: true, hint: "日期，须在考评年度内，如 2026-12-20", width: 12 },
      { key: "owners", header: "责任人", aliases: ["责任人账号"], hint: "本单位人员的账号或姓名，多人用顿号分隔，可不填", width: 20 },
    ],
  },
  {
    key: "indicators",
    name: "指标",
    purpose: "绩效指标（§2.9），最多三级。填写后即为该目标的全部指标；某目标不填指标时保留原有指标。",
    fields: [
      { key: "target", header: "目标编号", required: true, hint: "须为本文件“目标”表中的目标编号", width: 12 },
      { key: "code", header: "指标编号", required: true, hint: "在该目标内唯一，如 1、1.1、1.1.1", width: 10 },
      { key: "level", header: "指标级别", required: true, choices: LEVEL_LABELS, hint: "一级、二级 或 三级", width: 10 },
      { key: "parent", header: "上级指标编号", hint: "二级、三级指标必填，填上一级指标的指标编号", width: 12 },
      { key: "name", header: "指标名称", required: true, hint: "指标的名称", width: 30 },
      { key: "requirement", header: "具体要求", hint: "履行职能的具体要求", width: 30 },
      { key: "standard", header: "完成标准", hint: "可核查的完成标准", width: 30 },
      { key: "deadline", header: "完成时限", date: true, hint: "日期，不晚于目标完成时限，可不填", width: 12 },
      { key: "targetValue", header: "目标值", hint: "定量指标填写数值，可不填", width: 10 },
      { key: "unit", header: "计量单位", hint: "定量指标的单位，如 个、万元、%", width: 10 },
    ],
  },
  {
    key: "milestones",
    name: "季度节点",
    purpose: "季度管理（§2.21）：每季度末应完成的任务和应达进度。负面清单按季度节点计算（§2.23）。",
    fields: [
      { key: "target", header: "目标编号", required: true, hint: "须为本文件“目标”表中的目标编号", width: 12 },
      { key: "quarter", header: "季度", required: true, choices: QUARTER_LABELS, hint: "第一季度至第四季度，每项目标每季度一行", width: 10 },
      { key: "dueOn", header: "截止日期", required: true, date: true, hint: "须在该季度内，且不晚于目标完成时限", width: 12 },
      { key: "expectedProgress", header: "应达进度", aliases: ["应达进度（%）"], required: true, hint: "0–100 的整数（百分比），逐季度不减", width: 10 },
      { key: "description", header: "节点任务", required: true, hint: "该季度末应完成的任务", width: 40 },
    ],
  },
];

export function sheetSpec(key: SheetKey): SheetSpec {
  return SHEETS.find((s) => s.key === key)!;
}

export function fieldSpec(sheet: SheetKey, field: string): FieldSpec | undefined {
  return sheetSpec(sheet).fields.find((f) => f.key === field);
}

/** A header cell as people edit it: "目标编号*", " 权重（分） " … */
export function normaliseHeader(text: string): string {
  return text.replace(/[\s*＊]/g, "").replace(/\(/g, "（").replace(/\)/g, "）");
}

/** The field a header cell stands for, or undefined for columns the import does not use. */
export function fieldForHeader(sheet: SheetKey, header: string): FieldSpec | undefined {
  const h = normaliseHeader(header);
  return sheetSpec(sheet).fields.find((f) => [f.header, ...(f.aliases ?? [])].some((x) => normaliseHeader(x) === h));
}
