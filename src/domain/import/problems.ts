import { type SheetKey, SHEETS, fieldSpec, sheetSpec } from "./sheets.js";

/**
 * What the Excel reader hands to the import: per sheet, the column letter each field was found in and
 * the non-empty rows with their cell values. Nothing here knows about Excel itself.
 */
export type CellValue = string | number | boolean | Date | null;

export interface ImportRow {
  /** Row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  cells: Partial<Record<string, CellValue>>;
}

export interface ImportSheet {
  present: boolean;
  /** Column letter per field key, from the header row. */
  columns: Partial<Record<string, string>>;
  rows: ImportRow[];
}

export type ImportInput = Record<SheetKey, ImportSheet>;

export function emptySheet(): ImportSheet {
  return { present: false, columns: {}, rows: [] };
}

/** One problem, placed as precisely as it can be: sheet, then row, then column. */
export interface ImportProblem {
  sheet: SheetKey;
  row?: number;
  field?: string;
  message: string;
}

/** Collects problems; a row parser asks whether it added any. */
export class Problems {
  readonly list: ImportProblem[] = [];

  add(sheet: SheetKey, row: number | undefined, field: string | undefined, message: string): void {
    this.list.push({ sheet, row, field, message });
  }

  get count(): number {
    return this.list.length;
  }
}

/** “目标 表第 7 行 E 列（来源）：…” — where the user finds the cell to fix. */
export function formatProblem(input: ImportInput, p: ImportProblem): string {
  const sheet = sheetSpec(p.sheet).name;
  if (p.row === undefined) return `${sheet} 表：${p.message}`;
  const field = p.field ? fieldSpec(p.sheet, p.field) : undefined;
  const letter = p.field ? input[p.sheet].columns[p.field] : undefined;
  if (!field) return `${sheet} 表第 ${p.row} 行：${p.message}`;
  return `${sheet} 表第 ${p.row} 行${letter ? ` ${letter} 列` : ""}（${field.header}）：${p.message}`;
}

/** Sheet order of the template, then row, then column, so the report reads like the file. */
export function sortProblems(input: ImportInput, problems: ImportProblem[]): ImportProblem[] {
  const sheetIndex = (k: SheetKey) => SHEETS.findIndex((s) => s.key === k);
  const colIndex = (p: ImportProblem) => {
    const letter = p.field ? input[p.sheet].columns[p.field] : undefined;
    return letter ? letter.length * 100 + letter.charCodeAt(letter.length - 1) : 0;
  };
  return [...problems].sort(
    (a, b) => sheetIndex(a.sheet) - sheetIndex(b.sheet) || (a.row ?? 0) - (b.row ?? 0) || colIndex(a) - colIndex(b),
  );
}
