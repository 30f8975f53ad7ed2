import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadReportData } from "../../domain/evaluation/report-data.js";
import { evaluationCycle, parseYear } from "../../domain/evaluation/service.js";
import { loadRules } from "../../domain/rules.js";
import { problemText, importEvaluationWorkbook } from "../../excel/evaluation-import.js";
import { allReports } from "../../excel/evaluation-reports.js";
import { buildEvaluationTemplate } from "../../excel/evaluation-template.js";
import type { Clock } from "../../infra/clock.js";
import type { Db } from "../../infra/db.js";
import { bootstrap, flag } from "../bootstrap.js";
import type { CliCommand } from "./types.js";

/**
 * Evaluation inputs and results (Excel): `template evaluation`, `import evaluation <file.xlsx>`,
 * `export evaluation <year> <dir>`. Each job is a function of (db, options) so tests call it directly;
 * the CliCommand wrappers only bootstrap, print and choose the exit code.
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

interface Deps {
  db: Db;
  clock: Clock;
  rulesDir: string;
  io: CliIo;
}

/** Writes the input template, prefilled with the province's agencies. */
export async function writeEvaluationTemplate(deps: Deps, opts: { year?: number | null; file?: string }): Promise<number> {
  const cycle = await evaluationCycle(deps.db, deps.clock.now(), opts.year);
  const agencies = await deps.db.agency.findMany({ orderBy: { id: "asc" }, select: { name: true } });
  const buffer = await buildEvaluationTemplate({ year: cycle.year, agencies, rules: loadRules(cycle.year, deps.rulesDir).evaluation });
  const file = path.resolve(opts.file ?? `${cycle.year}年度目标考评数据录入模板.xlsx`);
  writeFileSync(file, buffer);
  deps.io.out(`已生成 ${cycle.year} 年度考评数据录入模板：${file}（${agencies.length} 个单位）`);
  return 0;
}

/** Validates the whole file; writes all rows in one transaction, or nothing and lists every problem. */
export async function importEvaluationFile(deps: Deps, opts: { file: string; year?: number | null; by?: string }): Promise<number> {
  const cycle = await evaluationCycle(deps.db, deps.clock.now(), opts.year);
  let enteredById: number | null = null;
  if (opts.by) {
    const user = await deps.db.user.findUnique({ where: { account: opts.by } });
    if (!user || user.role !== "office") {
      deps.io.err(`账号 ${opts.by} 不存在或不是目标办人员，不能作为录入人。`);
      return 64;
    }
    enteredById = user.id;
  }
  let buffer: Buffer;
  try {
    buffer = readFileSync(opts.file);
  } catch {
    deps.io.err(`无法读取文件 ${opts.file}，请检查路径。`);
    return 66;
  }
  const outcome = await importEvaluationWorkbook(deps.db, buffer, {
    cycleId: cycle.id,
    rules: loadRules(cycle.year, deps.rulesDir).evaluation,
    fileName: path.basename(opts.file),
    enteredById,
    now: deps.clock.now(),
  });
  if (!outcome.ok) {
    deps.io.err(`文件校验未通过，未导入任何数据。共 ${outcome.problems.length} 处问题：`);
    for (const p of outcome.problems) deps.io.err(`  · ${problemText(p)}`);
    return 65;
  }
  deps.io.out(`已导入 ${cycle.year} 年度考评数据：${outcome.agencies} 个单位，新增或更正 ${outcome.written} 项，与现有记录相同 ${outcome.unchanged} 项。重新执行“考评 ${cycle.year}”后计入结果。`);
  return 0;
}

/** Writes every §9 report of a year into a folder. */
export async function exportEvaluationReports(deps: Deps, opts: { year: number; dir: string }): Promise<number> {
  const cycle = await evaluationCycle(deps.db, deps.clock.now(), opts.year);
  const data = await loadReportData(deps.db, cycle, loadRules(cycle.year, deps.rulesDir));
  const files = await allReports(data);
  mkdirSync(opts.dir, { recursive: true });
  for (const f of files) writeFileSync(path.join(opts.dir, f.fileName), f.buffer);
  deps.io.out(`已导出 ${cycle.year} 年度考评报告 ${files.length} 份到 ${path.resolve(opts.dir)}：\n${files.map((f) => `  · ${f.fileName}`).join("\n")}`);
  return 0;
}

const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs a job against the configured database and reports domain errors as plain Chinese lines. */
async function withDeps(job: (deps: Deps) => Promise<number>): Promise<number> {
  const { db, clock, settings } = await bootstrap();
  try {
    return await job({ db, clock, rulesDir: settings.RULES_DIR, io: consoleIo });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await db.$disconnect();
  }
}

const SUBJECT = "evaluation";

function wrongSubject(usage: string): number {
  console.error(`用法：npm run cli -- ${usage}`);
  return 64;
}

export const evaluationCli: CliCommand[] = [
  {
    name: "template",
    usage: "template evaluation [文件.xlsx] [--year 年度]",
    summary: "生成考评数据录入模板（Excel）",
    async run(args) {
      if (args[0] !== SUBJECT) return wrongSubject(this.usage);
      const file = args[1] && !args[1].startsWith("--") ? args[1] : undefined;
      return withDeps((deps) => writeEvaluationTemplate(deps, { file, year: parseYear(flag("year", args)) }));
    },
  },
  {
    name: "import",
    usage: "import evaluation <文件.xlsx> [--year 年度] [--by 目标办账号]",
    summary: "导入考评数据（全部校验通过才写入）",
    async run(args) {
      if (args[0] !== SUBJECT || !args[1]) return wrongSubject(this.usage);
      return withDeps((deps) => importEvaluationFile(deps, { file: args[1], year: parseYear(flag("year", args)), by: flag("by", args) }));
    },
  },
  {
    name: "export",
    usage: "export evaluation <年度> <目录>",
    summary: "导出考评结果报告（成员单位、组织部和公务员局、各单位）",
    async run(args) {
      const year = parseYear(args[1]);
      if (args[0] !== SUBJECT || !year || !args[2]) return wrongSubject(this.usage);
      return withDeps((deps) => exportEvaluationReports(deps, { year, dir: args[2] }));
    },
  },
];
