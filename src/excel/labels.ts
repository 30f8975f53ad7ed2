import { CATEGORY_LABEL, INSTITUTION_ITEM_LABEL, SOURCE_LABEL, TARGET_MANAGEMENT_LABEL, TARGET_STATUS_LABEL } from "../domain/vocabulary.js";
import type { Category, InstitutionItem, Source, TargetManagement, TargetStatus } from "../domain/vocabulary.js";

/** Chinese labels for stored codes, as the exported sheets show them. */
export function categoryText(t: { category: string; item: string | null; source: string | null }): string {
  const part = t.category === "functional" ? SOURCE_LABEL[t.source as Source] : INSTITUTION_ITEM_LABEL[t.item as InstitutionItem];
  return `${CATEGORY_LABEL[t.category as Category] ?? t.category}${part ? `·${part}` : ""}`;
}

export function managementText(t: { managementType: string; documentNo: string | null }): string {
  const label = TARGET_MANAGEMENT_LABEL[t.managementType as TargetManagement] ?? t.managementType;
  return t.documentNo ? `${label}（${t.documentNo}）` : label;
}

export function statusText(status: string): string {
  return TARGET_STATUS_LABEL[status as TargetStatus] ?? status;
}

export const CHANNEL_LABEL: Record<string, string> = { wecom: "企业微信", dingtalk: "钉钉", console: "控制台", import: "导入" };
export const EVIDENCE_LABEL: Record<string, string> = { link: "链接", file: "文件", media: "图片/音视频" };
export const QUARTER_TEXT = ["第一季度", "第二季度", "第三季度", "第四季度"];
