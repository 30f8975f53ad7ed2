import type ExcelJS from "exceljs";
import { InputError } from "../domain/errors.js";
import { type CellValue, type ImportInput, type ImportRow, emptySheet } from "../domain/import/problems.js";
import { SHEETS, type SheetSpec, fieldForHeader } from "../domain/import/sheets.js";
import type { Workbook } from "./workbook.js";

/**
 * Turns a filled-in 目标任务分解表 into the import's plain input: header cells are matched to fields by
 * their text (so moved columns still work and problems name the real column letter), and every cell is
 * reduced to text, a number, a date or a boolean.
 */
export const MAX_ROWS_PER_SHEET = 5000;

export function readImportInput(wb: Workbook): ImportInput {
  const input = Object.fromEntries(SHEETS.map((s) => [s.key, emptySheet()])) as ImportInput;
  for (const spec of SHEETS) {
    const ws = findSheet(wb, spec);
    if (ws) input[spec.key] = readSheet(ws, spec);
  }
  return input;
}

/** "目标" also matches a sheet renamed "目标表" or with stray spaces. */
function findSheet(wb: Workbook, spec: SheetSpec): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((ws) => {
    const name = ws.name.replace(/\s/g, "");
    return name === spec.name || name === `${spec.name}表`;
  });
}

function readSheet(ws: ExcelJS.Worksheet, spec: SheetSpec) {
  const columns: Partial<Record<string, string>> = {};
  const indexes: [string, number][] = [];
  ws.getRow(1).eachCell((cell, col) => {
    const field = fieldForHeader(spec.key, textOf(cellValue(cell)));
    if (field && !columns[field.key]) {
      columns[field.key] = letterOf(cell.address);
      indexes.push([field.key, col]);
    }
  });
  const rows: ImportRow[] = [];
  const tooMany = () =>
    new InputError(`“${spec.name}”表超过单次导入上限 ${MAX_ROWS_PER_SHEET} 行，请分批导入。`, "file_too_large");
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: ImportRow["cells"] = {};
    let filled = false;
    for (const [key, col] of indexes) {
      const v = cellValue(row.getCell(col));
      cells[key] = v;
      if (textOf(v) !== "") filled = true;
    }
    if (!filled) return;
    rows.push({ row: rowNumber, cells });
    // Counted while reading: the sheet is refused at its first row over the limit.
    if (rows.length > MAX_ROWS_PER_SHEET) throw tooMany();
  });
  return { present: true, columns, rows };
}

function letterOf(address: string): string {
  return address.replace(/\d+$/, "");
}

function textOf(v: CellValue): string {
  return v === null ? "" : v instanceof Date ? "date" : String(v).trim();
}

/** Rich text, formulas, hyperlinks and percentages reduced to what the user sees. */
function cellValue(cell: ExcelJS.Cell): CellValue {
  return plain(cell.value, cell.numFmt);
}

function plain(v: ExcelJS.CellValue | undefined, numFmt: string | undefined): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return numFmt?.includes("%") ? `${Math.round(v * 100 * 1e6) / 1e6}%` : v;
  if (typeof v === "string" || typeof v === "boolean" || v instanceof Date) return v;
  if ("richText" in v) return v.richText.map((t) => t.text).join("");
  if ("formula" in v || "sharedFormula" in v) return plain((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt);
  if ("hyperlink" in v) return plain(v.text as ExcelJS.CellValue, numFmt);
  if ("error" in v) return String(v.error);
  return null;
}
