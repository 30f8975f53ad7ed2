import type ExcelJS from "exceljs";
import type { ScoredItem } from "../domain/evaluation/vocabulary.js";
import { INPUT_ITEM_LABEL, SCORED_ITEMS, SURVEY_DIMENSION_LABEL, SURVEY_DIMENSIONS } from "../domain/evaluation/vocabulary.js";

/**
 * The evaluation input workbook's layout, shared by the template and the import so they cannot
 * drift apart. Columns are found by their header text in row 1, so people may reorder or drop
 * columns they do not fill.
 */
export const SHEET = {
  readme: "填写说明",
  scores: "机关建设评分",
  survey: "公众测评",
  discipline: "讲规矩守纪律",
} as const;

export const AGENCY_HEADER = "单位";
export const NOTE_HEADER = "说明";

/** 机关建设评分: one row per agency. */
export const SCORE_HEADERS: { header: string; item: ScoredItem | "innovation" | "headcount" }[] = [
  ...SCORED_ITEMS.map((item) => ({ header: INPUT_ITEM_LABEL[item], item })),
  { header: INPUT_ITEM_LABEL.innovation, item: "innovation" },
  { header: INPUT_ITEM_LABEL.headcount, item: "headcount" },
];

/** 公众测评: one row per agency and respondent group, one column per dimension (§8.3). */
export const SURVEY_GROUP_HEADER = "测评群体";
export const SURVEY_HEADERS = SURVEY_DIMENSIONS.map((d) => ({ header: SURVEY_DIMENSION_LABEL[d], dimension: d }));

/** 讲规矩守纪律: one row per record. */
export const DISCIPLINE_HEADERS = { recordNo: "记录号", kind: "类型" } as const;

/** "A", "B", … "AA" for a 1-based column number. */
export function columnLetter(n: number): string {
  let s = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/** A cell as the text a person sees, whatever exceljs made of it (rich text, formula result, link). */
export function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(Number(v.toFixed(6)));
  if (typeof v === "string") return v.trim();
  if (typeof v === "boolean") return v ? "是" : "否";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join("").trim();
    if ("result" in o) return o.result === undefined || o.result === null ? "" : typeof o.result === "number" ? String(Number(o.result.toFixed(6))) : String(o.result).trim();
    if (typeof o.text === "string") return o.text.trim();
    if (o.error) return String(o.error);
  }
  return String(v).trim();
}

/** Header row in bold with a light fill, frozen, with sensible widths. */
export function styleHeader(ws: ExcelJS.Worksheet, widths: number[], headerRow = 1): void {
  const row = ws.getRow(headerRow);
  row.font = { bold: true };
  row.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  row.eachCell((c) => {
    c.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
    c.border = { bottom: { style: "thin" } };
  });
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.views = [{ state: "frozen", ySplit: headerRow }];
}
