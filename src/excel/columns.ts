import type { ColumnSpec } from "./workbook.js";

/**
 * Columns that several sheets share (the 台账 export, the negative list, the status board and the
 * year-end archive), so one record reads alike wherever it is exported: one header, width and format.
 */
export const COLUMN = {
  agency: { header: "单位", width: 22 },
  agencyShort: { header: "单位", width: 16 },
  targetCode: { header: "目标编号", width: 12 },
  targetTitle: { header: "目标名称", width: 28 },
  targetTitleWide: { header: "目标名称", width: 32 },
  category: { header: "类别", width: 24 },
  status: { header: "状态", width: 10 },
  progress: { header: "进度", width: 8, format: "percent" },
  owners: { header: "责任人", width: 16 },
  deadline: { header: "完成时限", width: 12, format: "day" },
  dueOn: { header: "应完成日期", width: 12, format: "day" },
  milestone: { header: "季度节点", width: 10 },
  pdcaStage: { header: "PDCA 阶段", width: 10 },
  recordNo: { header: "记录号", width: 8 },
  appealNo: { header: "申诉号", width: 8 },
  verifiedAt: { header: "核查时间", width: 17, format: "time" },
  verifier: { header: "核查人", width: 10 },
  finding: { header: "核查情况", width: 40 },
} as const satisfies Record<string, ColumnSpec>;
