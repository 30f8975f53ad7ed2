import { beijingDate, parsePeriod, quarterLabel } from "../domain/calendar/calendar.js";
import type { StoredNegativeList } from "../domain/supervision/exports.js";
import { subjectKeyOf } from "../domain/care/improvements.js";
import { QUARTER_TEXT } from "./labels.js";
import { addReportSheet, excelDay, excelTime, newWorkbook, toBuffer } from "./workbook.js";
import { COLUMN } from "./columns.js";

/**
 * A quarter's 负面清单 (§2.23, “完成目标记0分，未完成目标记负分、超额完成目标不加分”): a summary per
 * agency and every entry, numbered within its list as the head saw it (the number 申诉 takes), withdrawn
 * ones kept and marked so the appeal history stays visible (§5.3e). An entry for a target's own deadline
 * shows that deadline where a milestone entry shows the milestone's due date.
 */
export async function negativeListWorkbook(
  period: string,
  lists: StoredNegativeList[],
  now: Date,
  improvements: Map<string, { cause: string | null; measures: string | null }> = new Map(),
): Promise<Buffer> {
  const label = quarterLabel(parsePeriod(period)!);
  const wb = newWorkbook();
  const stamp = `导出时间 ${beijingDate(now)}`;
  addReportSheet(
    wb,
    "汇总",
    `${label}负面清单汇总（${stamp}）`,
    [
      { header: "单位", width: 28 },
      { header: "有效条目", width: 10 },
      { header: "合计分值", width: 10, format: "number" },
      { header: "已撤销条目", width: 10 },
      { header: "生成时间", width: 17, format: "time" },
      { header: "送达时间", width: 17, format: "time" },
    ],
    lists.map((l) => [
      l.agency.name,
      l.entries.filter((e) => e.status === "active").length,
      l.totalPoints,
      l.entries.filter((e) => e.status === "withdrawn").length,
      excelTime(l.computedAt),
      l.notifiedAt ? excelTime(l.notifiedAt) : null,
    ]),
  );
  addReportSheet(
    wb,
    "明细",
    `${label}负面清单明细（${stamp}）`,
    [
      COLUMN.agencyShort,
      { header: "条目号", width: 8 },
      COLUMN.targetCode,
      COLUMN.targetTitle,
      COLUMN.milestone,
      { header: "节点截止日期", width: 12, format: "day" },
      { header: "事由", width: 48 },
      { header: "分值", width: 8, format: "number" },
      { header: "状态", width: 8 },
      { header: "撤销时间", width: 17, format: "time" },
      // §7.2: the owner's answer after the miss, or 未填报.
      { header: "原因分析", width: 36 },
      { header: "改进措施", width: 36 },
    ],
    lists.flatMap((l) =>
      l.entries.map((e) => [
        l.agency.shortName,
        e.seq,
        e.target.code,
        e.target.title,
        e.milestone ? QUARTER_TEXT[e.milestone.quarter - 1] : "目标完成时限",
        excelDay(beijingDate(e.milestone ? e.milestone.dueOn : e.target.deadline)),
        e.verificationId ? `${e.reason}（核查后补充）` : e.reason,
        e.points,
        e.status === "active" ? "有效" : "已撤销",
        e.withdrawnAt ? excelTime(e.withdrawnAt) : null,
        improvements.get(subjectKeyOf(e))?.cause ?? "未填报",
        improvements.get(subjectKeyOf(e))?.measures ?? "未填报",
      ]),
    ),
  );
  return toBuffer(wb);
}
