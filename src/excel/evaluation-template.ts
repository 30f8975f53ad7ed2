import ExcelJS from "exceljs";
import { toBuffer } from "./workbook.js";
import type { EvaluationRules } from "../domain/evaluation/rules-schema.js";
import { AWARD_LABEL, AWARDS, DISCIPLINE_WITHDRAWN, SURVEY_GROUP_LABEL, SURVEY_GROUPS } from "../domain/evaluation/vocabulary.js";
import { AGENCY_HEADER, DISCIPLINE_HEADERS, NOTE_HEADER, SCORE_HEADERS, SHEET, SURVEY_GROUP_HEADER, SURVEY_HEADERS, columnLetter, styleHeader } from "./evaluation-sheets.js";

/**
 * `npm run cli -- template evaluation`: the workbook the office fills with evaluation inputs
 * (§8: 党建 item scores, 省领导评价, 二级考评, 创新项目 awards, 公众测评, 讲规矩守纪律), prefilled
 * with the province's agencies and with drop-down lists for the closed vocabularies.
 */
export async function buildEvaluationTemplate(opts: { year: number; agencies: { name: string }[]; rules: EvaluationRules }): Promise<Buffer> {
  const { year, agencies, rules } = opts;
  const wb = new ExcelJS.Workbook();
  wb.creator = "目标绩效管理机器人";
  const full = rules.inputFullMarks;
  const kinds = Object.keys(rules.discipline.lowerTiersByKind);

  const readme = wb.addWorksheet(SHEET.readme);
  readme.getColumn(1).width = 110;
  [
    `${year}年度目标考评数据录入模板`,
    "",
    `一、“${SHEET.scores}”：每个单位一行。思想建设、组织建设、党风廉政建设、队伍建设、同步小康驻村、省领导评价、二级考评按 0–${full} 分填写（最多两位小数），系统按各项权重折算得分。`,
    `    创新项目评选填写：${AWARDS.map((a) => AWARD_LABEL[a]).join("、")}（§2.16）。“不参评”仅适用于直接管理单位和副厅级以上委托管理单位（§2.16 自愿申报），分值不高于“申报未获奖”。参评人数为参加个人考评的人数，用于计算个人获奖名额（§2.19）。`,
    `二、“${SHEET.survey}”：每个单位每个测评群体一行，按五个方面填写“不满意”比例（百分数，0–100）。不满意度作为考评等次的参考之一，不计分（§8.3）。`,
    `三、“${SHEET.discipline}”：每条记录一行。类型填写：${[...kinds, DISCIPLINE_WITHDRAWN].join("、")}。只扣奖不扣分（§6.1）。更正或撤销记录时，沿用原记录号，类型填写“${DISCIPLINE_WITHDRAWN}”。`,
    "四、空白单元格表示不录入、不改变已有数据；同一项目再次录入以最后一次为准，历次记录均予保留。",
    "五、导入时逐行校验，任一单元格有误则整份文件不导入，并列出出错的工作表、行、列，请修改后重新导入。",
    "导入命令：npm run cli -- import evaluation <文件.xlsx> [--year 年度]",
  ].forEach((t, i) => {
    readme.getCell(i + 1, 1).value = t;
    if (i === 0) readme.getCell(1, 1).font = { bold: true, size: 14 };
  });

  const scores = wb.addWorksheet(SHEET.scores);
  scores.addRow([AGENCY_HEADER, ...SCORE_HEADERS.map((h) => h.header), NOTE_HEADER]);
  for (const a of agencies) scores.addRow([a.name]);
  styleHeader(scores, [30, ...SCORE_HEADERS.map(() => 13), 30]);
  const awardCol = SCORE_HEADERS.findIndex((h) => h.item === "innovation") + 2;
  const lastRow = Math.max(agencies.length + 1, 2) + 20;
  for (let r = 2; r <= lastRow; r++) {
    SCORE_HEADERS.forEach((h, i) => {
      const cell = scores.getCell(`${columnLetter(i + 2)}${r}`);
      if (h.item === "innovation") return;
      cell.dataValidation =
        h.item === "headcount"
          ? { type: "whole", operator: "greaterThan", allowBlank: true, formulae: [0], showErrorMessage: true, error: "请填写正整数人数" }
          : { type: "decimal", operator: "between", allowBlank: true, formulae: [0, full], showErrorMessage: true, error: `请填写 0–${full} 之间的分值` };
    });
    scores.getCell(`${columnLetter(awardCol)}${r}`).dataValidation = list(AWARDS.map((a) => AWARD_LABEL[a]));
  }

  const survey = wb.addWorksheet(SHEET.survey);
  survey.addRow([AGENCY_HEADER, SURVEY_GROUP_HEADER, ...SURVEY_HEADERS.map((h) => h.header), NOTE_HEADER]);
  for (const a of agencies) for (const g of SURVEY_GROUPS) survey.addRow([a.name, SURVEY_GROUP_LABEL[g]]);
  styleHeader(survey, [30, 16, ...SURVEY_HEADERS.map(() => 12), 30]);

  const discipline = wb.addWorksheet(SHEET.discipline);
  discipline.addRow([AGENCY_HEADER, DISCIPLINE_HEADERS.recordNo, DISCIPLINE_HEADERS.kind, NOTE_HEADER]);
  styleHeader(discipline, [30, 26, 16, 50]);
  for (let r = 2; r <= 51; r++) discipline.getCell(`C${r}`).dataValidation = list([...kinds, DISCIPLINE_WITHDRAWN]);

  return toBuffer(wb);
}

function list(values: string[]): ExcelJS.DataValidation {
  return { type: "list", allowBlank: true, formulae: [`"${values.join(",")}"`], showErrorMessage: true, error: `请从下拉列表中选择：${values.join("、")}` };
}
