import { beijingDate } from "../domain/calendar/calendar.js";
import ExcelJS from "exceljs";
import { toBuffer } from "./workbook.js";
import { adjustmentNote, type ReportData } from "../domain/evaluation/report-data.js";
import { GROUP_LABEL, processH, quotaText, tierLabel } from "../domain/evaluation/describe.js";
import { fromH } from "../domain/evaluation/hundredths.js";
import type { StoredResult } from "../domain/evaluation/results-store.js";
import { TIER_LABEL, TIERS } from "../domain/evaluation/vocabulary.js";
import { AGENCY_MANAGEMENT_LABEL, type AgencyManagement } from "../domain/vocabulary.js";
import { styleHeader } from "./evaluation-sheets.js";

/**
 * 结果运用 (§9): one workbook per audience. The leadership-group member units get the ranking and
 * tiers (§9.1), the organisation department and civil-service bureau the individual quotas per agency
 * (§9.2), and each agency its own explained score, tier reasons and negative lists (§9.3).
 */
export interface ReportFile {
  fileName: string;
  buffer: Buffer;
}

const SCORE_FMT = "0.00";

export async function memberUnitsReport(data: ReportData): Promise<ReportFile> {
  const wb = workbook();
  const ws = wb.addWorksheet("考评结果");
  const headers = ["排名", "单位", "管理方式", "总分", "机关建设", "其中：机关党建", "其中：机关管理", "其中：过程管理扣分", "职能绩效", "不满意度(%)（参考）", "获奖等次", "等次说明"];
  title(ws, `${data.year}年度省直机关目标绩效考评结果`, headers.length);
  ws.addRow(headers);
  for (const r of data.results) {
    const d = r.detail;
    ws.addRow([
      r.rank,
      r.agency.name,
      AGENCY_MANAGEMENT_LABEL[r.agency.managementType as AgencyManagement] ?? r.agency.managementType,
      r.score,
      fromH(d.institutionH),
      fromH(d.partyH),
      fromH(d.managementH),
      fromH(processH(d)),
      fromH(d.functionalH),
      d.dissatisfactionH === null ? "未测评" : fromH(d.dissatisfactionH),
      tierLabel(r.tier),
      adjustmentNote(r),
    ]);
  }
  styleHeader(ws, [8, 30, 12, 10, 10, 12, 12, 14, 10, 14, 10, 40], 2);
  numberFormat(ws, [4, 5, 6, 7, 8, 9, 10], 3);
  footnote(ws, "报送省直机关目标绩效管理领导小组成员单位，作为省委、省政府行政决策、资源调整的参考依据之一（DB52/T 第1部分 §9.1）。机关建设 = 机关党建 + 机关管理 + 过程管理扣分。同分同名次；等次依次按职能绩效、机关党建得分和不满意度排序确定。不满意度作为考评等次的参考之一（§8.3），不计分。");

  const summary = wb.addWorksheet("等次汇总");
  summary.addRow(["获奖等次", "单位数", "单位"]);
  for (const t of [...TIERS, "excluded" as const]) {
    const units = data.results.filter((r) => r.tier === t);
    if ((t === "none" || t === "excluded") && units.length === 0) continue;
    summary.addRow([TIER_LABEL[t], units.length, units.map((u) => u.agency.shortName).join("、")]);
  }
  styleHeader(summary, [12, 10, 80]);
  return { fileName: `${data.year}年度目标绩效考评结果（领导小组成员单位）.xlsx`, buffer: await write(wb) };
}

export async function orgDepartmentReport(data: ReportData): Promise<ReportFile> {
  const wb = workbook();
  const ws = wb.addWorksheet("个人获奖比例");
  const headers = ["单位", "单位获奖等次", "总分", "排名", "不满意度(%)（参考）", "优秀比例上限(%)", "达标比例(%)", "不达标比例下限(%)", "参评人数", "优秀名额上限", "不达标名额下限", "说明"];
  title(ws, `${data.year}年度省直机关目标绩效考评个人获奖比例`, headers.length);
  ws.addRow(headers);
  for (const r of data.results) {
    const q = r.detail.quota;
    const survey = r.detail.dissatisfactionH === null ? "未测评" : fromH(r.detail.dissatisfactionH);
    ws.addRow([r.agency.name, tierLabel(r.tier), r.score, r.rank, survey, q.excellentPercent, q.qualifiedPercent, q.unqualifiedPercent, q.headcount ?? "未录入", q.excellentMax ?? "—", q.unqualifiedMin ?? "—", adjustmentNote(r)]);
  }
  styleHeader(ws, [30, 12, 10, 8, 14, 14, 12, 16, 10, 12, 14, 40], 2);
  numberFormat(ws, [3, 5], 3);
  footnote(ws, "报送省委组织部、省公务员局，作为干部任用、个人年度考核、奖励和问责的依据之一（§9.2）。单位获奖等次决定个人获奖比例（§2.19）：优秀不超过上限，不达标不少于下限，名额按参评人数向下取整。");

  const rules = wb.addWorksheet("比例规则");
  rules.addRow(["单位获奖等次", "优秀(%)", "达标(%)", "不达标(%)"]);
  for (const t of TIERS) rules.addRow([TIER_LABEL[t], data.quotas[t].excellent, data.quotas[t].qualified, data.quotas[t].unqualified]);
  styleHeader(rules, [16, 10, 10, 12]);
  return { fileName: `${data.year}年度目标绩效考评个人获奖比例（省委组织部、省公务员局）.xlsx`, buffer: await write(wb) };
}

export async function agencyReport(data: ReportData, r: StoredResult): Promise<ReportFile> {
  const d = r.detail;
  const wb = workbook();
  const summary = wb.addWorksheet("考评结果");
  title(summary, `${r.agency.name}${data.year}年度目标绩效考评结果反馈`, 2);
  const rows: [string, string | number][] = [
    ["单位", r.agency.name],
    ["年度", data.year],
    ["总分", r.score],
    ["排名", `第 ${r.rank} 名（共 ${data.results.length} 个单位）`],
    ["获奖等次", tierLabel(r.tier)],
    ["机关建设", fromH(d.institutionH)],
    ["其中：机关党建", fromH(d.partyH)],
    ["其中：机关管理", fromH(d.managementH)],
    ["其中：过程管理扣分", fromH(processH(d))],
    ["职能绩效", fromH(d.functionalH)],
    ["公众测评不满意度", d.dissatisfactionH === null ? "未测评" : `${fromH(d.dissatisfactionH).toFixed(2)}%（参考：作为考评等次的参考之一，不计分，§8.3）`],
    ["个人获奖比例", quotaText(d.quota)],
    ["发布时间", r.publishedAt ? beijingDate(r.publishedAt) : "尚未发布"],
  ];
  for (const [k, v] of rows) summary.addRow([k, v]);
  summary.getColumn(1).width = 20;
  summary.getColumn(2).width = 90;
  summary.getColumn(1).font = { bold: true };
  footnote(summary, "反馈纳入管理部门，作为优化管理方法和手段和新年度目标管理的参考依据（§9.3）。如有异议，可在发布之日起规定期限内通过“考评申诉 <理由>”提出。");

  const lines = wb.addWorksheet("得分明细");
  lines.addRow(["序号", "类别", "项目", "权重", "录入或完成情况", "得分", "依据", "影响"]);
  d.lines.forEach((l, i) => lines.addRow([i + 1, GROUP_LABEL[l.group], l.item, l.weight ?? "", l.input, fromH(l.pointsH), l.source, l.effect ?? ""]));
  const total = lines.addRow(["", "", "合计", "", "", fromH(d.lines.reduce((s, l) => s + l.pointsH, 0)), "各行得分之和即总分", ""]);
  total.font = { bold: true };
  styleHeader(lines, [6, 24, 28, 8, 50, 10, 44, 44]);
  numberFormat(lines, [6], 2);

  const tier = wb.addWorksheet("等次评定");
  tier.addRow(["等次评定过程"]);
  for (const t of d.tierReasons) tier.addRow([t]);
  styleHeader(tier, [120]);

  const neg = wb.addWorksheet("负面清单");
  neg.addRow(["季度", "条目号", "目标编号", "目标名称", "扣分", "原因", "状态", "计入考评"]);
  for (const list of data.negativeLists.get(r.agencyId) ?? []) {
    if (list.entries.length === 0) neg.addRow([list.period, "", "", "本季度无负面清单事项", 0, "", "", ""]);
    for (const e of list.entries) {
      const active = e.status === "active";
      neg.addRow([list.period, e.id, e.targetCode, e.targetTitle, e.points, e.reason, active ? "有效" : "已撤销（申诉成立）", active ? "是" : "否"]);
    }
  }
  styleHeader(neg, [10, 8, 12, 30, 8, 60, 18, 10]);
  numberFormat(neg, [5], 2);
  return { fileName: `${data.year}年度目标绩效考评结果反馈（${r.agency.shortName}）.xlsx`, buffer: await write(wb) };
}

/** All §9 reports: member units, organisation department, and one per agency. */
export async function allReports(data: ReportData): Promise<ReportFile[]> {
  return [await memberUnitsReport(data), await orgDepartmentReport(data), ...(await Promise.all(data.results.map((r) => agencyReport(data, r))))];
}

function workbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "省直机关目标绩效管理领导小组办公室";
  return wb;
}

function title(ws: ExcelJS.Worksheet, text: string, columns: number): void {
  const row = ws.addRow([text]);
  ws.mergeCells(row.number, 1, row.number, columns);
  row.font = { bold: true, size: 14 };
  row.alignment = { horizontal: "center" };
}

function footnote(ws: ExcelJS.Worksheet, text: string): void {
  ws.addRow([]);
  ws.addRow([`注：${text}`]).font = { italic: true, color: { argb: "FF555555" } };
}

function numberFormat(ws: ExcelJS.Worksheet, columns: number[], fromRow: number): void {
  for (const c of columns) ws.getColumn(c).eachCell((cell, row) => {
    if (row >= fromRow && typeof cell.value === "number") cell.numFmt = SCORE_FMT;
  });
}

async function write(wb: ExcelJS.Workbook): Promise<Buffer> {
  return toBuffer(wb);
}
