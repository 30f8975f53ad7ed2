import { beijingDate, chineseDate, parsePeriod, quarterLabel } from "../domain/calendar/calendar.js";
import { appealLastDay } from "../domain/appeals/appeals.js";
import { entryRefText } from "../domain/appeals/subject.js";
import { improvementLine, subjectKeyOf } from "../domain/care/improvements.js";
import { newCardKey } from "../messages/cards.js";
import type { Reply } from "../messages/reply.js";

interface ListView {
  period: string;
  totalPoints: number;
  notifiedAt: Date | null;
  computedAt: Date;
  agency: { name: string };
  /** `seq` numbers an entry within its list; a supplementary entry (§2.17 核查) has its own notice time. */
  entries: { seq: number; points: number; reason: string; status: string; notifiedAt?: Date | null; verificationId?: number | null }[];
}

/** The owners' 原因分析 and 改进措施 (§7.2) by subject key, for the office's reading of a list. */
export type ImprovementsBySubject = Map<string, { cause: string | null; measures: string | null }>;

/**
 * The list as the office reads it: each entry numbered within the list as the head sees it, with the
 * owner's 原因分析 and 改进措施 (§7.2) under it, and no appeal prompt (appeals are the agency's).
 */
export function negativeListForOffice(
  list: Omit<ListView, "entries"> & { entries: (ListView["entries"][number] & { targetId: number; milestoneId: number | null })[] },
  improvements: ImprovementsBySubject,
): Reply {
  const q = parsePeriod(list.period)!;
  const active = list.entries.filter((e) => e.status === "active");
  const lines = list.entries.flatMap((e) => [
    `${e.seq}. ${e.reason}｜${e.points} 分${e.verificationId ? "（核查后补充）" : ""}${e.status === "withdrawn" ? "（已撤销）" : ""}`,
    `\u3000${improvementLine(improvements.get(subjectKeyOf(e)))}`,
  ]);
  return {
    kind: "markdown",
    title: `${quarterLabel(q)}负面清单`,
    text: [`**${list.agency.name}${quarterLabel(q)}负面清单**`, `共 ${active.length} 项，合计 ${list.totalPoints} 分。`, ...(lines.length ? lines : ["本季度无负面清单事项。"])].join("\n"),
  };
}

/**
 * The negative list as its head reads it (§2.23): the entries numbered 1, 2, 3 … within the list, the
 * total, and how to appeal — as a message plus a card whose buttons start an appeal per entry while
 * the appeal window (§5.3e) is open. `now` decides whether it still is (default: when the list went out).
 */
export function negativeListReplies(list: ListView, appealWindowDays: number, now: Date = list.notifiedAt ?? list.computedAt): Reply[] {
  const q = parsePeriod(list.period)!;
  const active = list.entries.filter((e) => e.status === "active");
  if (list.entries.length === 0) {
    return [{ kind: "text", text: `${list.agency.name}${quarterLabel(q)}：本季度无负面清单事项。` }];
  }
  const today = beijingDate(now);
  const listLastDay = appealLastDay(list.notifiedAt ?? list.computedAt, appealWindowDays);
  const lastDayOf = (e: ListView["entries"][number]) => (e.notifiedAt ? appealLastDay(e.notifiedAt, appealWindowDays) : listLastDay);
  const open = active.filter((e) => today <= lastDayOf(e));
  const lines = list.entries.map(
    (e) => `${e.seq}. ${e.reason}｜${e.points} 分${e.verificationId ? "（核查后补充）" : ""}${e.status === "withdrawn" ? "（已撤销）" : ""}`,
  );
  const form = `申诉 ${entryRefText(list.period, "<条目号>")} <理由>`;
  const late = open.filter((e) => lastDayOf(e) !== listLastDay);
  const howToAppeal =
    today <= listLastDay
      ? `如有异议，请于 ${chineseDate(listLastDay)}（含）前申诉：${form}。`
      : [`申诉期已于 ${chineseDate(listLastDay)} 结束。`, ...late.map((e) => `核查后补充的第 ${e.seq} 项可于 ${chineseDate(lastDayOf(e))}（含）前申诉：申诉 ${entryRefText(list.period, e.seq)} <理由>。`)].join("");
  const replies: Reply[] = [
    {
      kind: "markdown",
      title: `${quarterLabel(q)}负面清单`,
      text: [
        `**${list.agency.name}${quarterLabel(q)}负面清单**`,
        `共 ${active.length} 项，合计 ${list.totalPoints} 分（完成目标记 0 分，未完成记负分，超额完成不加分）。`,
        ...lines,
        howToAppeal,
      ].join("\n"),
    },
  ];
  if (open.length) replies.push(appealCard(list.period, open.slice(0, 6), open.map(lastDayOf).sort().at(-1)!));
  return replies;
}

/** One button per entry; after `lastDay` the card answers that the window is over and takes no clicks. */
export function appealCard(period: string, entries: { seq: number }[], lastDay: string): Reply {
  const q = parsePeriod(period)!;
  return {
    kind: "card",
    card: {
      key: newCardKey("appeal"),
      title: `${quarterLabel(q)}负面清单申诉`,
      description: `点击条目发起申诉，随后按提示填写理由。申诉截止：${chineseDate(lastDay)}（含）`,
      actions: entries.map((e) => ({ key: `entry-${e.seq}`, label: `申诉第 ${e.seq} 项`, style: "default", command: `申诉 ${entryRefText(period, e.seq)}` })),
      openUntil: { lastDay, closedStatus: "申诉期已过", closedText: `申诉期已于 ${chineseDate(lastDay)} 结束，本卡片不再受理申诉。如有疑问，请通过“沟通”联系目标办。` },
    },
  };
}
