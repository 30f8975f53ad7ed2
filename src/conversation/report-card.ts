import { beijingDate } from "../domain/calendar/calendar.js";
import { newCardKey } from "../messages/cards.js";
import { dateText } from "./format.js";
import type { CardReply } from "../messages/reply.js";

/** Ten choices: WeCom allows at most ten options in a select (doc 90236). */
const STEPS = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

/**
 * The card for reporting progress (used in 目标 replies and reminders): pick a percentage, submit;
 * the bot then asks for the note in chat, since cards on both platforms lack free-text fields.
 */
export function reportCard(t: {
  code: string;
  title: string;
  progress: number;
  deadline: Date;
  milestones: { quarter: number; dueOn: Date; expectedProgress: number; achievedAt: Date | null }[];
}, now: Date): CardReply {
  const today = beijingDate(now);
  const next = t.milestones.find((m) => !m.achievedAt && beijingDate(m.dueOn) >= today);
  const suggested = STEPS.find((s) => s > t.progress) ?? 100;
  return {
    kind: "card",
    card: {
      key: newCardKey("report"),
      title: `汇报进度：${t.code}`,
      description: t.title,
      fields: [
        { label: "当前进度", value: `${t.progress}%` },
        { label: "完成时限", value: dateText(t.deadline) },
        ...(next ? [{ label: "下一节点", value: `${dateText(next.dueOn)} 前达到 ${next.expectedProgress}%` }] : []),
      ],
      selects: [{ key: "progress", label: "本次进度", options: STEPS.map((s) => ({ id: String(s), label: `${s}%` })), selected: String(suggested) }],
      actions: [{ key: "submit", label: "提交进度", style: "primary", command: `汇报 ${t.code} {progress}` }],
    },
  };
}
