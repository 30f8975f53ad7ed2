import { chineseDate, parsePeriod, quarterLabel } from "../domain/calendar.js";
import { appealLastDay } from "../domain/appeals.js";
import { improvementLine, subjectKeyOf } from "../domain/improvements.js";
import { newCardKey } from "./cards.js";
import type { Reply } from "./reply.js";

interface ListView {
  period: string;
  totalPoints: number;
  notifiedAt: Date | null;
  computedAt: Date;
  agency: { name: string };
  entries: { id: number; points: number; reason: string; status: string }[];
}

/** The owners' 原因分析 and 改进措施 (§7.2) by subject key, for the office's reading of a list. */
export type ImprovementsBySubject = Map<string, { cause: string | null; measures: string | null }>;

/**
 * The list as the office reads it: each entry with the owner's 原因分析 and 改进措施 (§7.2) under it,
 * and no appeal prompt (appeals are the agency's).
 */
export function negativeListForOffice(
  list: Omit<ListView, "entries"> & { entries: (ListView["entries"][number] & { targetId: number; milestoneId: number | null })[] },
  improvements: ImprovementsBySubject,
): Reply {
  const q = parsePeriod(list.period)!;
  const active = list.entries.filter((e) => e.status === "active");
  const lines = list.entries.flatMap((e) => [
    `${e.id}. ${e.reason}｜${e.points} 分${e.status === "withdrawn" ? "（已撤销）" : ""}`,
    `\u3000${improvementLine(improvements.get(subjectKeyOf(e)))}`,
  ]);
  return {
    kind: "markdown",
    title: `${quarterLabel(q)}负面清单`,
    text: [`**${list.agency.name}${quarterLabel(q)}负面清单**`, `共 ${active.length} 项，合计 ${list.totalPoints} 分。`, ...(lines.length ? lines : ["本季度无负面清单事项。"])].join("\n"),
  };
}

/**
 * The negative list as its head reads it (§2.23): the entries, the total, and how to appeal — as a
 * message plus a card whose buttons start an appeal per entry.
 */
export function negativeListReplies(list: ListView, appealWindowDays: number): Reply[] {
  const q = parsePeriod(list.period)!;
  const active = list.entries.filter((e) => e.status === "active");
  if (list.entries.length === 0) {
    return [{ kind: "text", text: `${list.agency.name}${quarterLabel(q)}：本季度无负面清单事项。` }];
  }
  const opened = list.notifiedAt ?? list.computedAt;
  const lastDay = chineseDate(appealLastDay(opened, appealWindowDays));
  const lines = list.entries.map((e) => `${e.id}. ${e.reason}｜${e.points} 分${e.status === "withdrawn" ? "（已撤销）" : ""}`);
  const replies: Reply[] = [
    {
      kind: "markdown",
      title: `${quarterLabel(q)}负面清单`,
      text: [
        `**${list.agency.name}${quarterLabel(q)}负面清单**`,
        `共 ${active.length} 项，合计 ${list.totalPoints} 分（完成目标记 0 分，未完成记负分，超额完成不加分）。`,
        ...lines,
        `如有异议，请于 ${lastDay}（含）前申诉：申诉 <条目号> <理由>。`,
      ].join("\n"),
    },
  ];
  if (active.length) {
    replies.push({
      kind: "card",
      card: {
        key: newCardKey("appeal"),
        title: `${quarterLabel(q)}负面清单申诉`,
        description: `点击条目发起申诉，随后按提示填写理由。申诉截止：${lastDay}（含）`,
        actions: active.slice(0, 6).map((e) => ({ key: `entry-${e.id}`, label: `申诉条目 ${e.id}`, style: "default", command: `申诉 ${e.id}` })),
      },
    });
  }
  return replies;
}
