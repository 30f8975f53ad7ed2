import { beijingDate, chineseDate } from "../domain/calendar/calendar.js";
import { missText } from "../domain/care/improvements.js";
import { newCardKey } from "../messages/cards.js";
import type { CardReply, Reply } from "../messages/reply.js";

interface Asked {
  dueOn: Date;
  requestedAt: Date;
  milestone: { quarter: number; expectedProgress: number } | null;
  target: { code: string; title: string; progress: number };
}

/**
 * The request for 原因分析 and 改进措施 (§7.2) after a miss: one button starts the dialog in chat,
 * since cards on both platforms lack free-text fields.
 */
export function improvementCard(i: Asked): CardReply {
  return {
    kind: "card",
    card: {
      key: newCardKey("improvement"),
      title: `原因分析和改进措施：${i.target.code}`,
      description: `目标「${i.target.title}」${missText(i)}。请分析原因、提出改进措施，记入台账（PDCA：处理改进）。`,
      fields: [{ label: "当前进度", value: `${i.target.progress}%` }],
      actions: [{ key: "answer", label: "填写原因分析和改进措施", style: "primary", command: `改进 ${i.target.code}` }],
    },
  };
}

/** The reminder to an owner who has not answered. */
export function improvementReminder(i: Asked): Reply {
  return {
    kind: "text",
    text: `【改进措施提醒】目标 ${i.target.code}「${i.target.title}」${missText(i)}，已于${chineseDate(beijingDate(i.requestedAt))}请您分析原因、提出改进措施，至今尚未填报。请发送：改进 ${i.target.code}`,
  };
}
