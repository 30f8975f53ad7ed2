import { ABSENCE_LABEL, type AbsenceKind } from "../domain/care/absence.js";
import { chineseDate, daysBetween, weekday } from "../domain/calendar/calendar.js";
import type { ReminderKind } from "./reminder-schedule.js";

/**
 * The words of each reminder, in the tone of a government notice. Every reminder to someone who can
 * report says how to do it at once (the report card follows it, §7.3 台账).
 */
export interface ReminderItem {
  code: string;
  title: string;
  /** "第一季度节点（完成第一季度阶段任务，应达进度 25%）" or "完成时限". */
  part: string;
  due: string;
  progress: number;
  owners: string;
}

export interface ReminderWording {
  today: string;
  /** Name of the holiday the deadline falls on, when it does. */
  dueHoliday: string | null;
  escalateOfficerAfterDays: number;
  escalateHeadAfterDays: number;
  /** Set when the message goes to someone standing in for an absent owner. */
  standingInFor?: { name: string; kind: string };
  /** Whether the report card follows (only people who may report get one). */
  withCard: boolean;
}


export function reminderText(kind: ReminderKind, item: ReminderItem, w: ReminderWording): string {
  const what = `目标 ${item.code}「${item.title}」${item.part}`;
  const date = chineseDate(item.due);
  const late = daysBetween(item.due, w.today);
  const howToReport = w.withCard
    ? `请及时汇报进度：汇报 ${item.code} <进度> <说明>，或使用下方卡片。`
    : "请转告责任人及时汇报，或联系本单位目标办代为汇报。";
  const proxy = w.standingInFor ? `（${w.standingInFor.name}${ABSENCE_LABEL[w.standingInFor.kind as AbsenceKind] ?? "不在岗"}期间，由您代为接收）` : "";
  const whose = w.standingInFor ? `${w.standingInFor.name}负责的` : "您负责的";
  switch (kind) {
    case "ahead":
      return `【到期提醒】${proxy}${whose}${what}将于${date}到期，距到期还有 ${-late} 天，当前进度 ${item.progress}%。请抓紧推进。${howToReport}`;
    case "due":
      return late === 0
        ? `【到期提醒】${proxy}${whose}${what}今日（${date}）到期，当前进度 ${item.progress}%。请于今日完成。${howToReport}`
        : `【到期提醒】${proxy}${whose}${what}将于${date}（${w.dueHoliday ?? `星期${"日一二三四五六"[weekday(item.due)]}`}）到期，今日为到期前最后一个工作日，当前进度 ${item.progress}%。${howToReport}`;
    case "overdue": {
      const next: string[] = [];
      if (late < w.escalateOfficerAfterDays) next.push(`逾期满 ${w.escalateOfficerAfterDays} 天将提请单位目标办督办`);
      if (late < w.escalateHeadAfterDays) next.push(`满 ${w.escalateHeadAfterDays} 天将报告单位主要负责人`);
      return [
        `【逾期提醒】${proxy}${whose}${what}已于${date}到期，现已逾期 ${late} 天，当前进度 ${item.progress}%。`,
        `按照负面清单管理要求（完成目标记 0 分，未完成目标记负分），请尽快完成。${howToReport}`,
        next.length ? `${next.join("，")}。` : "",
      ].join("");
    }
    case "escalate-officer":
      return `【逾期督办】本单位${what}已于${date}到期，现已逾期 ${late} 天，尚未完成（责任人：${item.owners}，当前进度 ${item.progress}%）。请督促责任人尽快完成；责任人不在岗的，可代为汇报：汇报 ${item.code} <进度> <说明>。`;
    case "escalate-head":
      return `【逾期报告】本单位${what}已于${date}到期，现已逾期 ${late} 天，经提醒和督办仍未完成（责任人：${item.owners}，当前进度 ${item.progress}%）。特此报告，请督促落实。`;
  }
}
