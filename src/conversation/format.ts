import { beijingDate, chineseDate } from "../domain/calendar/calendar.js";
import {
  CATEGORY_LABEL,
  INSTITUTION_ITEM_LABEL,
  SOURCE_LABEL,
  TARGET_MANAGEMENT_LABEL,
  TARGET_STATUS_LABEL,
  type Category,
  type InstitutionItem,
  type Source,
  type TargetManagement,
  type TargetStatus,
} from "../domain/vocabulary.js";

export function dateText(d: Date): string {
  return chineseDate(beijingDate(d));
}

export function timeText(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${chineseDate(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

export function statusLabel(s: string): string {
  return TARGET_STATUS_LABEL[s as TargetStatus] ?? s;
}

/** "职能绩效目标·本级目标" or "机关建设目标·组织建设". */
export function kindLabel(t: { category: string; item: string | null; source: string | null; managementType: string; documentNo: string | null }): string {
  const part = t.category === "functional" ? SOURCE_LABEL[t.source as Source] : INSTITUTION_ITEM_LABEL[t.item as InstitutionItem];
  const dyn = t.managementType === "dynamic" ? `·${TARGET_MANAGEMENT_LABEL[t.managementType as TargetManagement]}（${t.documentNo ?? "未注明文号"}）` : "";
  return `${CATEGORY_LABEL[t.category as Category] ?? t.category}${part ? `·${part}` : ""}${dyn}`;
}

export function percent(n: number): string {
  return `${n}%`;
}

export function points(n: number): string {
  return `${n > 0 ? "+" : ""}${Number(n.toFixed(2))} 分`;
}

/** "11月25日" for an instant or a Beijing date string. */
export function chineseDateOf(d: Date | string): string {
  return typeof d === "string" ? chineseDate(d) : dateText(d);
}
