import { fromBeijingDate } from "../calendar/calendar.js";
import type { CellValue, ImportRow, Problems } from "./problems.js";
import { type SheetKey, fieldSpec } from "./sheets.js";

/**
 * Reading one cell of the 目标任务分解表 the way people fill it in: dates typed as text or entered as
 * Excel dates, numbers as text, labels with or without the trailing “目标”. Each reader records a
 * problem against its cell and returns null, so one pass finds every problem of a row.
 */

/** Excel serial day 0 is 1899-12-30 (the 1900 leap-year bug is already folded into that origin). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return dayOfExcelDate(v);
  if (typeof v === "boolean") return v ? "是" : "否";
  return String(v).replace(/\u00a0/g, " ").trim();
}

/**
 * An Excel date cell holds a calendar day without a zone; exceljs hands it over as that day at 00:00 UTC.
 * Rounded to the minute because serial fractions can land a hair before midnight.
 */
function dayOfExcelDate(d: Date): string {
  return new Date(Math.round(d.getTime() / 60_000) * 60_000).toISOString().slice(0, 10);
}

/** "2026-03-31", "2026/3/31", "2026.3.31", "2026年3月31日", an Excel date or serial → "2026-03-31". */
export function parseDay(v: CellValue | undefined): string | null {
  let day: string | null = null;
  if (v instanceof Date) day = Number.isNaN(v.getTime()) ? null : dayOfExcelDate(v);
  else if (typeof v === "number") day = v > 0 && v < 100_000 ? new Date(EXCEL_EPOCH_MS + Math.floor(v) * DAY_MS).toISOString().slice(0, 10) : null;
  else {
    const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(cellText(v));
    if (m) day = `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
  }
  if (!day) return null;
  try {
    fromBeijingDate(day);
    return day;
  } catch {
    return null;
  }
}

export function parseNumber(v: CellValue | undefined): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  const s = cellText(v).replace(/[０-９．]/g, (c) => (c === "．" ? "." : String(c.charCodeAt(0) - 0xff10)));
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** Label lookup: the exact label, the label without its trailing “目标”, or the stored code. */
export function matchLabel<T extends string>(text: string, labels: Record<T, string>, aliases: Record<string, T> = {}): T | null {
  const t = text.replace(/\s/g, "");
  for (const [key, label] of Object.entries(labels) as [T, string][]) {
    if (t === label || t === label.replace(/目标$/, "") || t.toLowerCase() === key) return key;
  }
  return aliases[t] ?? null;
}

/** “黔府办发〔2026〕12号”, also typed with [2026], (2026) or full-width brackets. */
export function normaliseDocumentNo(text: string): string | null {
  const m = /^(\S+?)\s*[〔[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,4})\s*号$/.exec(text.trim());
  return m ? `${m[1]}〔${m[2]}〕${Number(m[3])}号` : null;
}

/** Owners are written “赵磊、孙婷”, “fgw_zhao,fgw_sun” or one per line. */
export function splitList(text: string): string[] {
  return text.split(/[、,，;；\s]+/).map((s) => s.trim()).filter(Boolean);
}

/** Parses the cells of one row, recording a problem per bad cell. */
export class RowReader {
  private readonly start: number;

  constructor(
    readonly sheet: SheetKey,
    readonly row: ImportRow,
    private readonly problems: Problems,
  ) {
    this.start = problems.count;
  }

  /** True while no problem has been recorded for this row. */
  get ok(): boolean {
    return this.problems.count === this.start;
  }

  fail(field: string, message: string): null {
    this.problems.add(this.sheet, this.row.row, field, message);
    return null;
  }

  raw(field: string): CellValue | undefined {
    return this.row.cells[field];
  }

  text(field: string, opts: { required?: boolean; max?: number } = {}): string {
    const t = cellText(this.raw(field));
    if (!t && opts.required) this.fail(field, "此项必填，不能为空。");
    if (opts.max && t.length > opts.max) this.fail(field, `内容过长（${t.length} 字），最多 ${opts.max} 字。`);
    return t;
  }

  day(field: string, opts: { required?: boolean } = {}): string | null {
    const t = cellText(this.raw(field));
    if (!t) return opts.required ? this.fail(field, "此项必填，请填写日期，如 2026-12-20。") : null;
    return parseDay(this.raw(field)) ?? this.fail(field, `“${t}”不是有效日期，请填写如 2026-12-20 的日期。`);
  }

  number(field: string, opts: { required?: boolean; min?: number; max?: number; integer?: boolean; percent?: boolean } = {}): number | null {
    const t = cellText(this.raw(field));
    if (!t) return opts.required ? this.fail(field, "此项必填，请填写数字。") : null;
    const n = parseNumber(opts.percent ? t.replace(/[%％]$/, "") : this.raw(field));
    if (n === null) return this.fail(field, `“${t}”不是有效数字。`);
    if (opts.integer && !Number.isInteger(n)) return this.fail(field, `应为整数，现为 ${n}。`);
    if (opts.min !== undefined && n < opts.min) return this.fail(field, `不能小于 ${opts.min}，现为 ${n}。`);
    if (opts.max !== undefined && n > opts.max) return this.fail(field, `不能大于 ${opts.max}，现为 ${n}。`);
    return n;
  }

  choice<T extends string>(field: string, labels: Record<T, string>, opts: { required?: boolean; aliases?: Record<string, T> } = {}): T | null {
    const t = cellText(this.raw(field));
    if (!t) return opts.required ? this.fail(field, `此项必填，应填写${Object.values(labels).join("、")}之一。`) : null;
    const header = fieldSpec(this.sheet, field)?.header ?? "选项";
    return matchLabel(t, labels, opts.aliases) ?? this.fail(field, `“${t}”不是有效的${header}，应填写${Object.values(labels).join("、")}之一。`);
  }
}
