import type ExcelJS from "exceljs";
import { SHEETS, type FieldSpec } from "../domain/import/sheets.js";
import { FUNCTIONAL_POINTS, PARTY_POINTS } from "../domain/targets/weights.js";
import { HEADER_FILL, type Workbook, newWorkbook, toBuffer } from "./workbook.js";

/**
 * The 目标任务分解表 template: a 填写说明 sheet, then one sheet per part of the file with its header row,
 * an input prompt on every column and drop-down lists for the standard's closed vocabularies.
 */
const TEMPLATE_ROWS = 1000;

const GENERAL_NOTES = [
  "本工作簿用于导入年度绩效目标（图1 目标制定：制定→审核→下达）。填写后由目标办发送给机器人，或用命令行导入：npm run cli -- import targets 文件.xlsx --year 2026。",
  "共五张表：单位、人员、目标、指标、季度节点。第 1 行为表头，请勿修改；从第 2 行起每行填写一条。带 * 的列必填。系统中已有的单位和人员不必重复填写。",
  "新省份的第一个目标办账号可在“人员”表中填写：角色选“目标办”，所属单位留空；第三方机构人员同样填写。各单位人员须填写所属单位。",
  "导入前逐行校验。只要发现问题，就不导入任何数据，并逐条指出问题所在的表、行、列，修改后重新导入即可。",
  "系统以“目标编号”识别目标：同一文件再次导入不会重复新增；修改后再次导入，更新尚未下达的目标（更新后回到“制定中”，须重新审核）。已下达的目标不能通过导入修改。",
  "导入的目标处于“制定中”，经目标办“审核”“下达”后生效，下达时通知单位目标办和责任人。",
  "职能绩效目标按“1+6+N”制定（§6.2）：每个单位年度至少 1 项脱贫攻坚目标、至少 6 项本级目标，上级目标不限，合计不少于 7 项。",
  `权重规则：每个单位初始职能绩效目标的权重合计为 ${FUNCTIONAL_POINTS} 分（§6.2），每项大于 0；动态目标的权重不计入该 ${FUNCTIONAL_POINTS} 分。机关建设目标按项目核对（§6.1）：省领导评价、创新项目评选、二级考评各 3 分；公众测评、讲规矩守纪律不计分，权重填 0；思想建设、组织建设、党风廉政建设、队伍建设、同步小康驻村五项合计不超过 ${PARTY_POINTS} 分，五项齐全时合计为 ${PARTY_POINTS} 分。`,
  "动态目标（§2.7）须填写所依据文件的文号，如 黔府办发〔2026〕12号。所有日期须在考评年度（1月1日至12月31日，§2.20）内；季度节点的截止日期须在对应季度内，且不晚于目标完成时限。",
  "指标最多三级（§2.9）：一级指标不填上级指标编号；二级、三级指标填其上一级指标的指标编号。某项目标填写了指标或季度节点时，以文件为准替换该目标原有的指标或季度节点。",
];

export async function targetTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  addInstructions(wb);
  for (const sheet of SHEETS) {
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = sheet.fields.map((f) => ({ width: f.width ?? 14, style: f.date ? { numFmt: "yyyy-mm-dd" } : {} }));
    sheet.fields.forEach((f, i) => {
      const cell = ws.getRow(1).getCell(i + 1);
      cell.value = f.required ? `${f.header}*` : f.header;
      cell.font = { bold: true, color: f.required ? { argb: "FFC00000" } : undefined };
      cell.fill = HEADER_FILL;
      cell.alignment = { horizontal: "center", vertical: "middle" };
      addValidation(ws, i + 1, f);
    });
  }
  return toBuffer(wb);
}

function addValidation(ws: ExcelJS.Worksheet, col: number, f: FieldSpec): void {
  const letter = ws.getColumn(col).letter;
  const prompt = { showInputMessage: true, promptTitle: f.header, prompt: f.hint.slice(0, 250) };
  const validation: ExcelJS.DataValidation = f.choices
    ? {
        type: "list",
        allowBlank: !f.required,
        formulae: [`"${f.choices.join(",")}"`],
        showErrorMessage: true,
        errorStyle: "stop",
        errorTitle: `${f.header}填写有误`,
        error: `请从下拉列表中选择：${f.choices.join("、")}`,
        ...prompt,
      }
    : ({ type: "any", formulae: [], ...prompt } as unknown as ExcelJS.DataValidation);
  // exceljs writes a range key as one <dataValidation sqref="C2:C1001">; the typings omit the collection.
  (ws as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
    `${letter}2:${letter}${TEMPLATE_ROWS + 1}`,
    validation,
  );
}

function addInstructions(wb: Workbook): void {
  const ws = wb.addWorksheet("填写说明");
  ws.columns = [{ width: 14 }, { width: 16 }, { width: 8 }, { width: 60 }, { width: 50 }];
  ws.mergeCells("A1:E1");
  ws.getCell("A1").value = "目标任务分解表填写说明（DB52/T 机关目标绩效管理）";
  ws.getCell("A1").font = { bold: true, size: 14 };
  let r = 3;
  for (const [i, note] of GENERAL_NOTES.entries()) {
    ws.mergeCells(r, 1, r, 5);
    const cell = ws.getCell(r, 1);
    cell.value = `${i + 1}. ${note}`;
    cell.alignment = { wrapText: true, vertical: "top" };
    ws.getRow(r).height = Math.max(18, Math.ceil(note.length / 70) * 16);
    r++;
  }
  r++;
  const header = ws.getRow(r);
  ["工作表", "列", "必填", "填写要求", "可选值"].forEach((h, i) => {
    header.getCell(i + 1).value = h;
    header.getCell(i + 1).font = { bold: true };
    header.getCell(i + 1).fill = HEADER_FILL;
  });
  r++;
  for (const sheet of SHEETS) {
    ws.mergeCells(r, 1, r, 5);
    ws.getCell(r, 1).value = `【${sheet.name}】${sheet.purpose}`;
    ws.getCell(r, 1).font = { bold: true };
    ws.getCell(r, 1).alignment = { wrapText: true };
    r++;
    for (const f of sheet.fields) {
      ws.getRow(r).values = [sheet.name, f.header, f.required ? "是" : "否", f.hint, f.choices?.join("、") ?? ""];
      ws.getRow(r).alignment = { wrapText: true, vertical: "top" };
      r++;
    }
  }
}
