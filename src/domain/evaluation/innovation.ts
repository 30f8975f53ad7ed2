import { AGENCY_LEVEL_LABEL, AGENCY_MANAGEMENT_LABEL, type AgencyLevel, type AgencyManagement } from "../vocabulary.js";

/**
 * 创新项目评选 (§2.16): "由纳入直接管理单位和副厅级以上的委托管理单位自愿申报". Only those agencies apply
 * voluntarily, so only they may declare 不参评; for any other agency not applying is 未申报.
 */
const VOLUNTARY_LEVELS: readonly string[] = ["department", "deputy_department"] satisfies AgencyLevel[];

export const DECLINE_NOT_OPEN = "不参评仅适用于直接管理单位和副厅级以上委托管理单位（§2.16）";

export function mayDeclineInnovation(a: { managementType: string; adminLevel: string | null }): boolean {
  return a.managementType === "direct" || (a.adminLevel !== null && VOLUNTARY_LEVELS.includes(a.adminLevel));
}

/** Why an agency may not declare 不参评, in words for the office; null when it may. */
export function declineRefusal(a: { shortName: string; managementType: string; adminLevel: string | null }): string | null {
  if (mayDeclineInnovation(a)) return null;
  const kind = AGENCY_MANAGEMENT_LABEL[a.managementType as AgencyManagement] ?? a.managementType;
  const level = a.adminLevel ? AGENCY_LEVEL_LABEL[a.adminLevel as AgencyLevel] ?? a.adminLevel : "级别未登记";
  const fix = a.adminLevel ? "请按实际录入“未申报”或获奖等次。" : "如该单位为副厅级以上，请先在目标任务分解表“单位”表中填写级别并导入。";
  return `${a.shortName}为${kind}单位（${level}），${DECLINE_NOT_OPEN}。${fix}`;
}
