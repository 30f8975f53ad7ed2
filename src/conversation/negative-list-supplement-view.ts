import { entryRefText } from "../domain/appeals/subject.js";
import { chineseDate, parsePeriod, quarterLabel } from "../domain/calendar/calendar.js";
import type { Supplement } from "../domain/negative-list/supplement.js";
import { appealCard } from "./negative-list-view.js";
import type { Reply } from "../messages/reply.js";

/**
 * The head's notice of entries a 不属实 finding (§2.17) added to a list already sent (§2.23): what the
 * finding was, the entries with their numbers, the new total, and the appeal window opened by this
 * notice (§5.3e) — as a message plus an appeal card, like the list itself.
 */
export function supplementReplies(agencyName: string, s: Supplement, finding: { method: string; text: string }, lastDay: string): Reply[] {
  const label = quarterLabel(parsePeriod(s.list.period)!);
  const form = s.entries.length === 1 ? entryRefText(s.list.period, s.entries[0].seq) : entryRefText(s.list.period, "<条目号>");
  const text = [
    `**【负面清单补充】${agencyName}${label}负面清单**`,
    `经${finding.method}，结论不属实：${finding.text}。以下事项补充列入本季度负面清单：`,
    ...s.entries.map((e) => `${e.seq}. ${e.reason}｜${e.points} 分`),
    `本季度负面清单现合计 ${s.list.totalPoints} 分。`,
    `如有异议，请于 ${chineseDate(lastDay)}（含）前申诉：申诉 ${form} <理由>。`,
  ].join("\n");
  return [{ kind: "markdown", title: `${label}负面清单补充`, text }, appealCard(s.list.period, s.entries.slice(0, 6), lastDay)];
}
