import { beijingDate, chineseDate } from "../domain/calendar/calendar.js";
import type { StatusBoard } from "../domain/supervision/exports.js";
import { addReportSheet, excelDay, newWorkbook, toBuffer } from "./workbook.js";
import { COLUMN } from "./columns.js";

/** The status board (§7.4 实时监督) for all agencies: counts per agency and every overdue item. */
export async function boardWorkbook(year: number, board: StatusBoard, now: Date): Promise<Buffer> {
  const wb = newWorkbook();
  const asOf = `截至${chineseDate(beijingDate(now))}`;
  const total = board.stats.reduce(
    (s, r) => ({ issued: s.issued + r.issued, onTrack: s.onTrack + r.onTrack, late: s.late + r.late, done: s.done + r.done, notCompleted: s.notCompleted + r.notCompleted }),
    { issued: 0, onTrack: 0, late: 0, done: 0, notCompleted: 0 },
  );
  addReportSheet(
    wb,
    "统计",
    `${year}年度目标进展统计（${asOf}）`,
    [
      { header: "单位", width: 18 },
      { header: "已下达", width: 10 },
      { header: "正常推进", width: 10 },
      { header: "逾期", width: 10 },
      { header: "已完成", width: 10 },
      { header: "未完成", width: 10 },
    ],
    [
      ...board.stats.map((r) => [r.agency, r.issued, r.onTrack, r.late, r.done, r.notCompleted]),
      ["合计", total.issued, total.onTrack, total.late, total.done, total.notCompleted],
    ],
  );
  addReportSheet(
    wb,
    "逾期事项",
    `${year}年度逾期未完成事项（${asOf}）`,
    [
      COLUMN.agencyShort,
      COLUMN.targetCode,
      { header: "目标名称", width: 30 },
      { header: "责任人", width: 14 },
      { header: "事项", width: 28 },
      COLUMN.dueOn,
      { header: "逾期天数", width: 10 },
      { header: "逾期达成日期", width: 12, format: "day" },
    ],
    board.overdue.map((i) => [i.agency, i.code, i.title, i.owners, i.what, excelDay(i.dueOn), i.daysLate, i.reachedLateOn ? excelDay(i.reachedLateOn) : null]),
  );
  return toBuffer(wb);
}
