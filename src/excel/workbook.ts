import ExcelJS from "exceljs";
import { InputError } from "../domain/errors.js";
import { checkArchiveBounds } from "./archive-bounds.js";

/**
 * Shared workbook plumbing: create, serialise and open .xlsx files, and write Beijing dates so that
 * Excel and WPS show the same calendar day the bot means (an Excel date has no time zone).
 */
export type Workbook = ExcelJS.Workbook;
export type Worksheet = ExcelJS.Worksheet;

/** Uploaded workbooks above this size are refused before parsing (a 目标任务分解表 is far smaller). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export function newWorkbook(): Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "机关目标绩效管理机器人";
  wb.created = new Date();
  return wb;
}

/** Every workbook the bot hands out is serialised here, so no text cell can act as a formula. */
export async function toBuffer(wb: Workbook): Promise<Buffer> {
  neutraliseFormulaText(wb);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/**
 * Text from users (report notes, names, reasons) that begins with = + - @ (or a tab or carriage
 * return) is written with a leading apostrophe, as OWASP's CSV-injection advice says: stored as text
 * it is inert, but an edit of the cell or a save as CSV would otherwise make it a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormulaText(wb: Workbook): void {
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value;
        if (typeof v === "string" && FORMULA_START.test(v)) cell.value = `'${v}`;
        else if (v && typeof v === "object" && "hyperlink" in v && typeof v.text === "string" && FORMULA_START.test(v.text)) {
          cell.value = { ...v, text: `'${v.text}` };
        } else if (v && typeof v === "object" && "richText" in v && FORMULA_START.test(v.richText[0]?.text ?? "")) {
          cell.value = { richText: [{ ...v.richText[0], text: `'${v.richText[0].text}` }, ...v.richText.slice(1)] };
        }
      });
    });
  }
}

/** The checks that cost nothing: size and the zip signature. */
export function checkUpload(content: Buffer): void {
  if (content.length > MAX_UPLOAD_BYTES) throw new InputError(`文件过大（${(content.length / 1048576).toFixed(1)} MB），目标任务分解表不应超过 10 MB。`, "file_too_large");
  // .xlsx is a zip archive ("PK"); old .xls files and other formats are refused with the fix.
  if (content.subarray(0, 2).toString("latin1") !== "PK") {
    throw new InputError("无法读取该文件：请使用 .xlsx 格式（在 Excel 或 WPS 中“另存为”Excel 工作簿 .xlsx）后重新发送。", "bad_file");
  }
}

/** Opens an uploaded workbook; called in the parse worker (parse-worker.ts), never on the request path. */
export async function loadWorkbook(content: Buffer): Promise<Workbook> {
  checkUpload(content);
  checkArchiveBounds(content);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new InputError("无法读取该文件：文件已损坏或不是 Excel 工作簿（.xlsx）。请用系统生成的模板重新填写。", "bad_file");
  }
  return wb;
}

/** An Excel date cell showing the Beijing day "2026-03-31". */
export function excelDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** An Excel date-time cell showing the Beijing wall-clock time of the instant. */
export function excelTime(d: Date): Date {
  return new Date(d.getTime() + 8 * 3600_000);
}

export const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
const THIN: Partial<ExcelJS.Borders> = { top: { style: "thin" }, bottom: { style: "thin" }, left: { style: "thin" }, right: { style: "thin" } };

export interface ColumnSpec {
  header: string;
  width: number;
  /** "day": a Beijing date; "time": date and time; "number": numbers with up to two decimals. */
  format?: "day" | "time" | "number" | "percent";
}

export type Cell = string | number | Date | null;

/**
 * A report sheet: a title line, the header row, then data. The header stays visible when scrolling,
 * and an auto-filter lets the reader sort and filter by column.
 */
export function addReportSheet(wb: Workbook, name: string, title: string, columns: ColumnSpec[], rows: Cell[][]): Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 2 }] });
  ws.columns = columns.map((c) => ({ width: c.width }));
  ws.mergeCells(1, 1, 1, columns.length);
  const titleCell = ws.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { bold: true, size: 14 };
  titleCell.alignment = { horizontal: "center" };
  const header = ws.getRow(2);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  });
  rows.forEach((values, r) => {
    const row = ws.getRow(r + 3);
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.value = v;
      cell.border = THIN;
      cell.alignment = { vertical: "top", wrapText: true };
      const f = columns[i]?.format;
      if (f === "day") cell.numFmt = "yyyy-mm-dd";
      if (f === "time") cell.numFmt = "yyyy-mm-dd hh:mm";
      if (f === "number") cell.numFmt = "0.##";
      if (f === "percent") cell.numFmt = '0"%"';
    });
  });
  if (rows.length) ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: rows.length + 2, column: columns.length } };
  return ws;
}
