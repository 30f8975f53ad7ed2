import { chineseDate, beijingDate } from "../domain/calendar/calendar.js";
import { type AgencyRollup, type RollupItem, ownerText } from "../domain/care/rollup.js";
import { newCardKey } from "../messages/cards.js";
import { dateText } from "./format.js";
import type { Reply } from "../messages/reply.js";

/** How many unreported items a chat message lists before pointing to the board. */
const LIST_LIMIT = 30;

function itemLine(i: RollupItem): string {
  const owners = i.owners.length ? i.owners.map(ownerText).join("、") : "未指定责任人";
  const late = i.lateReportAt ? `｜逾期补报（${dateText(i.lateReportAt)}）` : "";
  return `· ${i.code} ${i.title}｜${owners}｜${i.what}，截止${chineseDate(i.deadline)}${late}`;
}

/**
 * The officer's roll-up (未报): "本期应报 12 项，已报 9 项；未报：…" with owners and deadlines, plus a
 * card whose button queues reminders to those owners (提醒未报). `withCard` is false for heads, who
 * read the roll-up but leave reminding to their target office.
 */
export function agencyRollupReplies(r: AgencyRollup, opts: { withCard: boolean }): Reply[] {
  const head = `**${r.shortName}${r.window.label}目标进度汇报情况（截至${dateText(r.asOf)}）**`;
  if (r.items.length === 0) return [{ kind: "markdown", title: "未报情况", text: `${head}\n本期无应报事项。` }];
  const summary = `本期应报 ${r.items.length} 项，已报 ${r.reportedCount} 项；${r.unreported.length ? `未报 ${r.unreported.length} 项${r.lateCount ? `（其中逾期补报 ${r.lateCount} 项）` : ""}：` : "均已汇报。"}`;
  const lines = r.unreported.slice(0, LIST_LIMIT).map(itemLine);
  if (r.unreported.length > LIST_LIMIT) lines.push(`……另有 ${r.unreported.length - LIST_LIMIT} 项，请发送“看板”查看。`);
  const away = r.unreported.some((i) => i.owners.some((o) => o.away));
  const hints = [
    ...(away ? ["责任人请假或出差的，可由本单位目标办代报：代报 <姓名或账号> <编号> <进度> <说明>。"] : []),
    ...(r.unreported.length && opts.withCard ? [`提醒未报人员：点击下方按钮，或发送“提醒未报 ${r.window.period}”。`] : []),
  ];
  const replies: Reply[] = [{ kind: "markdown", title: "未报情况", text: [head, summary, ...lines, ...hints].join("\n") }];
  if (r.unreported.length && opts.withCard) {
    const people = new Set(r.unreported.flatMap((i) => i.owners.map((o) => o.userId)));
    replies.push({
      kind: "card",
      card: {
        key: newCardKey("rollup"),
        title: `${r.window.label}未报提醒`,
        description: `未报 ${r.unreported.length} 项，涉及 ${people.size} 名责任人。请假或出差人员的提醒转给其代理人。`,
        actions: [{ key: "remind", label: "提醒未报人员", style: "primary", command: `提醒未报 ${r.window.period}` }],
      },
    });
  }
  return replies;
}

/** The office's province summary, one row per agency in agency order. */
export function provinceRollupReply(rows: AgencyRollup[], asOf: Date): Reply {
  const label = rows[0]?.window.label ?? "";
  const total = { due: 0, reported: 0, unreported: 0, away: 0 };
  const lines = rows.map((r) => {
    const away = new Set(r.unreported.flatMap((i) => i.owners.filter((o) => o.away).map((o) => o.userId))).size;
    total.due += r.items.length;
    total.reported += r.reportedCount;
    total.unreported += r.unreported.length;
    total.away += away;
    return `| ${r.shortName} | ${r.items.length} | ${r.reportedCount} | ${r.unreported.length} | ${away} |`;
  });
  return {
    kind: "markdown",
    title: "全省未报情况",
    text: [
      `**全省${label}目标进度汇报情况（截至${chineseDate(beijingDate(asOf))}）**`,
      "| 单位 | 应报 | 已报 | 未报 | 请假出差 |",
      "| --- | --- | --- | --- | --- |",
      ...lines,
      `| 合计 | ${total.due} | ${total.reported} | ${total.unreported} | ${total.away} |`,
      "“请假出差”为未报事项中正在请假或出差的责任人数。查看单位明细：查询 <单位>。",
    ].join("\n"),
  };
}
