import type { Tx } from "../infra/db.js";
import { beijingDate, parsePeriod, periodOf, quarterLabel } from "../domain/calendar/calendar.js";
import { InputError, NotFoundError } from "../domain/errors.js";
import { agencyLedger, quarterNegativeLists, statusBoard } from "../domain/supervision/exports.js";
import { improvementsBySubject } from "../domain/care/improvements.js";
import { boardWorkbook } from "./board-export.js";
import { ledgerWorkbook } from "./ledger-export.js";
import { negativeListWorkbook } from "./negative-list-export.js";

/** The three exports, each as a named file with a caption: shared by the chat command and the CLI. */
export interface ExportFile {
  fileName: string;
  content: Buffer;
  caption: string;
}

type CycleRef = { id: number; year: number };

export async function exportLedger(tx: Tx, cycle: CycleRef, agency: { id: number; name: string; shortName: string }, now: Date): Promise<ExportFile> {
  const targets = await agencyLedger(tx, cycle.id, agency.id);
  const records = targets.reduce((n, t) => n + t.reports.length, 0);
  return {
    fileName: `${agency.shortName}${cycle.year}年度台账.xlsx`,
    content: await ledgerWorkbook(agency, cycle.year, targets, now),
    caption: `${agency.name}${cycle.year}年度台账：目标 ${targets.length} 项，台账记录 ${records} 条。`,
  };
}

/** Only lists already computed and stored are exported (the quarterly job makes them, §2.23). */
export async function exportNegativeList(tx: Tx, periodText: string, now: Date, agency?: { id: number; shortName: string }): Promise<ExportFile> {
  const q = parsePeriod(periodText);
  if (!q) throw new InputError(`无法识别季度“${periodText}”。请写成 2026Q1 或 2026年第一季度。`, "bad_period");
  const period = periodOf(q);
  const label = quarterLabel(q);
  const lists = await quarterNegativeLists(tx, period, agency?.id);
  if (lists.length === 0) throw new NotFoundError(`${label}${agency ? `${agency.shortName}` : ""}负面清单尚未生成，暂无可导出的内容。`);
  const entries = lists.reduce((n, l) => n + l.entries.filter((e) => e.status === "active").length, 0);
  return {
    fileName: `${agency ? agency.shortName : ""}负面清单-${period}.xlsx`,
    content: await negativeListWorkbook(period, lists, now, await improvementsBySubject(tx, lists.flatMap((l) => l.entries))),
    caption: `${label}负面清单：${lists.length} 个单位，有效条目 ${entries} 项。`,
  };
}

export async function exportBoard(tx: Tx, cycle: CycleRef, now: Date): Promise<ExportFile> {
  const board = await statusBoard(tx, cycle.id, now);
  return {
    fileName: `目标统计-${beijingDate(now)}.xlsx`,
    content: await boardWorkbook(cycle.year, board, now),
    caption: `${cycle.year}年度目标进展统计：${board.stats.length} 个单位，逾期事项 ${board.overdue.length} 项。`,
  };
}
