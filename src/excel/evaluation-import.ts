import ExcelJS from "exceljs";
import type { Db } from "../infra/db.js";
import {
  awardInput,
  disciplineInput,
  headcountInput,
  parseAward,
  parseDisciplineKind,
  parseGroup,
  parseHeadcount,
  parseRecordNo,
  parseRate,
  parseScore,
  scoredInput,
  surveyInput,
  type NewInput,
  type Parsed,
} from "../domain/evaluation/input-values.js";
import { declinedAward } from "../domain/evaluation/input-text.js";
import { declineRefusal } from "../domain/evaluation/innovation.js";
import type { EvaluationRules } from "../domain/evaluation/rules-schema.js";
import { recordInput } from "../domain/evaluation/store.js";
import { AGENCY_HEADER, DISCIPLINE_HEADERS, NOTE_HEADER, SCORE_HEADERS, SHEET, SURVEY_GROUP_HEADER, SURVEY_HEADERS, cellText, columnLetter } from "./evaluation-sheets.js";

/**
 * `npm run cli -- import evaluation <file.xlsx>`: reads every row of the evaluation input workbook,
 * reports each problem by sheet, row and column in Chinese, and writes nothing unless all rows are
 * valid — then writes all of them in one transaction.
 */
export interface ImportProblem {
  sheet: string;
  row?: number;
  column?: string;
  header?: string;
  message: string;
}

export interface ImportRecord {
  agencyId: number;
  agencyName: string;
  input: NewInput;
  at: string;
}

interface AgencyRef {
  id: number;
  code: string;
  name: string;
  shortName: string;
  managementType: string;
  adminLevel: string | null;
}

/** Problems about the file as a whole rather than a cell. */
const WHOLE_FILE = "（文件）";

export function problemText(p: ImportProblem): string {
  if (p.sheet === WHOLE_FILE) return `文件：${p.message}`;
  const where = `工作表“${p.sheet}”${p.row ? `第 ${p.row} 行` : ""}${p.column ? ` ${p.column} 列${p.header ? `（${p.header}）` : ""}` : ""}`;
  return `${where}：${p.message}`;
}

export async function parseEvaluationWorkbook(buffer: Buffer, agencies: AgencyRef[], rules: EvaluationRules): Promise<{ records: ImportRecord[]; problems: ImportProblem[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    return { records: [], problems: [{ sheet: WHOLE_FILE, message: "无法读取该文件，请确认是 .xlsx 格式的 Excel 工作簿（可用 template evaluation 生成模板）。" }] };
  }
  const records: ImportRecord[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, string>();

  const add = (agency: AgencyRef, input: NewInput, at: string, sheet: string, row: number, column?: string, header?: string) => {
    const key = `${agency.id}|${input.item}|${input.key}`;
    const first = seen.get(key);
    if (first) return problems.push({ sheet, row, column, header, message: `与${first}重复（同一单位同一项目只能填写一次）` });
    const refusal = declinedAward(input) ? declineRefusal(agency) : null;
    if (refusal) return problems.push({ sheet, row, column, header, message: refusal });
    seen.set(key, at);
    records.push({ agencyId: agency.id, agencyName: agency.shortName, input, at });
  };

  const sheets = [SHEET.scores, SHEET.survey, SHEET.discipline].filter((n) => wb.getWorksheet(n));
  if (sheets.length === 0) {
    problems.push({ sheet: WHOLE_FILE, message: `未找到可识别的工作表，应至少包含“${SHEET.scores}”“${SHEET.survey}”“${SHEET.discipline}”之一。` });
  }

  for (const name of sheets) {
    const ws = wb.getWorksheet(name)!;
    const headers = readHeaders(ws);
    const known = new Set<string>([AGENCY_HEADER, NOTE_HEADER, ...expectedHeaders(name)]);
    for (const [h, col] of headers) if (!known.has(h)) problems.push({ sheet: name, row: 1, column: columnLetter(col), message: `无法识别的列标题“${h}”` });
    const required = name === SHEET.scores ? [AGENCY_HEADER] : name === SHEET.survey ? [AGENCY_HEADER, SURVEY_GROUP_HEADER] : [AGENCY_HEADER, DISCIPLINE_HEADERS.recordNo, DISCIPLINE_HEADERS.kind];
    const absent = required.filter((h) => !headers.has(h));
    if (absent.length) {
      problems.push({ sheet: name, row: 1, message: `缺少列“${absent.join("”“")}”` });
      continue;
    }

    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const text = (h: string) => (headers.has(h) ? cellText(row.getCell(headers.get(h)!)) : "");
      const cells = [...headers.keys()].map(text);
      if (cells.every((c) => c === "")) continue;
      const at = (h: string) => `工作表“${name}”第 ${r} 行${headers.has(h) ? ` ${columnLetter(headers.get(h)!)} 列` : ""}`;
      const problem = (h: string, message: string) =>
        problems.push({ sheet: name, row: r, column: headers.has(h) ? columnLetter(headers.get(h)!) : undefined, header: h, message });
      const note = text(NOTE_HEADER) || undefined;
      const agencyName = text(AGENCY_HEADER);
      const agency = agencyName ? findAgency(agencies, agencyName) : null;

      // Values first, so one row reports all its problems at once.
      const values: { h: string; make: () => NewInput }[] = [];
      const check = <T>(h: string, p: Parsed<T>, make: (v: T) => NewInput) => {
        if (!p.ok) problem(h, p.message);
        else values.push({ h, make: () => make(p.value) });
      };
      if (name === SHEET.scores) {
        for (const { header, item } of SCORE_HEADERS) {
          const raw = text(header);
          if (!raw) continue;
          if (item === "innovation") check(header, parseAward(raw), (v) => awardInput(v, note));
          else if (item === "headcount") check(header, parseHeadcount(raw), (v) => headcountInput(v, note));
          else check(header, parseScore(raw, rules), (v) => scoredInput(item, v, note));
        }
      } else if (name === SHEET.survey) {
        const g = parseGroup(text(SURVEY_GROUP_HEADER));
        if (!g.ok) problem(SURVEY_GROUP_HEADER, text(SURVEY_GROUP_HEADER) ? g.message : "测评群体不能为空");
        for (const { header, dimension } of SURVEY_HEADERS) {
          const raw = text(header);
          if (!raw) continue;
          const rate = parseRate(raw);
          if (!rate.ok) problem(header, rate.message);
          else if (g.ok) values.push({ h: header, make: () => surveyInput(g.value, dimension, rate.value, note) });
        }
      } else {
        const no = parseRecordNo(text(DISCIPLINE_HEADERS.recordNo));
        if (!no.ok) problem(DISCIPLINE_HEADERS.recordNo, no.message);
        const rawKind = text(DISCIPLINE_HEADERS.kind);
        const kind = rawKind ? parseDisciplineKind(rawKind, rules) : ({ ok: false, message: "类型不能为空" } as const);
        if (!kind.ok) problem(DISCIPLINE_HEADERS.kind, kind.message);
        if (no.ok && kind.ok) values.push({ h: DISCIPLINE_HEADERS.recordNo, make: () => disciplineInput(no.value, kind.value, note) });
      }

      if (!agencyName) problem(AGENCY_HEADER, "单位不能为空");
      else if (!agency) problem(AGENCY_HEADER, `未找到单位“${agencyName}”，请填写单位全称、简称或代码`);
      if (!agency) continue;
      for (const v of values) {
        const input = v.make();
        add(agency, input, at(v.h), name, r, headers.has(v.h) ? columnLetter(headers.get(v.h)!) : undefined, v.h);
      }
    }
  }
  if (problems.length === 0 && records.length === 0 && sheets.length > 0) {
    problems.push({ sheet: WHOLE_FILE, message: `${sheets.map((n) => `“${n}”`).join("")}均未填写考评数据。` });
  }
  problems.sort((a, b) => sheetOrder(a.sheet) - sheetOrder(b.sheet) || (a.row ?? 0) - (b.row ?? 0) || (a.column ?? "").localeCompare(b.column ?? ""));
  return { records, problems };
}

function expectedHeaders(sheet: string): string[] {
  if (sheet === SHEET.scores) return SCORE_HEADERS.map((h) => h.header);
  if (sheet === SHEET.survey) return [SURVEY_GROUP_HEADER, ...SURVEY_HEADERS.map((h) => h.header)];
  return [DISCIPLINE_HEADERS.recordNo, DISCIPLINE_HEADERS.kind];
}

function sheetOrder(name: string): number {
  const i = [SHEET.scores, SHEET.survey, SHEET.discipline].indexOf(name as never);
  return i < 0 ? -1 : i;
}

function readHeaders(ws: ExcelJS.Worksheet): Map<string, number> {
  const headers = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const h = cellText(cell).replace(/\s+/g, "");
    if (h && !headers.has(h)) headers.set(h, col);
  });
  return headers;
}

function findAgency(agencies: AgencyRef[], name: string): AgencyRef | null {
  const q = name.trim();
  return agencies.find((a) => a.name === q || a.shortName === q || a.code === q.toUpperCase()) ?? null;
}

export interface ImportOutcome {
  ok: boolean;
  problems: ImportProblem[];
  written: number;
  unchanged: number;
  agencies: number;
}

/** Validates the whole file, then writes every record in one transaction (or nothing). */
export async function importEvaluationWorkbook(
  db: Db,
  buffer: Buffer,
  opts: { cycleId: number; rules: EvaluationRules; fileName: string; enteredById: number | null; now: Date },
): Promise<ImportOutcome> {
  const agencies = await db.agency.findMany({ select: { id: true, code: true, name: true, shortName: true, managementType: true, adminLevel: true } });
  const { records, problems } = await parseEvaluationWorkbook(buffer, agencies, opts.rules);
  if (problems.length) return { ok: false, problems, written: 0, unchanged: 0, agencies: 0 };
  let written = 0;
  await db.$transaction(
    async (tx) => {
      for (const r of records) {
        const { changed } = await recordInput(tx, r.input, {
          cycleId: opts.cycleId,
          agencyId: r.agencyId,
          source: `import:${opts.fileName}`,
          enteredById: opts.enteredById,
          now: opts.now,
        });
        if (changed) written += 1;
      }
    },
    { timeout: 60_000, maxWait: 20_000 },
  );
  return { ok: true, problems: [], written, unchanged: records.length - written, agencies: new Set(records.map((r) => r.agencyId)).size };
}
