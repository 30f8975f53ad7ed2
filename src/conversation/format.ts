import { beijingDate, chineseDate } from "../domain/calendar.js";
import { type TargetState, classifyTarget, lateReason } from "../domain/targets.js";
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

export const STATE_LABEL: Record<TargetState, string> = { on_track: "正常推进", late: "已逾期", done: "已完成", not_completed: "未完成" };

/** The state label, with 已逾期 saying which milestone or deadline: "已逾期（第三季度节点9月30日）". */
export function stateText(t: Parameters<typeof classifyTarget>[0] & Parameters<typeof lateReason>[0], today: string): string {
  const state = classifyTarget(t, today);
  const why = state === "late" ? lateReason(t, today) : null;
  return why ? `${STATE_LABEL[state]}（${why}）` : STATE_LABEL[state];
}

/** A milestone reached after its due date: "逾期达成（9月27日）". */
export function reachedLateText(m: { reachedLateAt?: Date | null }): string | null {
  return m.reachedLateAt ? `逾期达成（${dateText(m.reachedLateAt)}）` : null;
}

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
