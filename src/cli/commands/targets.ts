import { fstatSync, ftruncateSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { findAgency } from "../../domain/people/agencies.js";
import { beijingDate } from "../../domain/calendar/calendar.js";
import { currentCycle } from "../../domain/calendar/cycles.js";
import { exportBoard, exportLedger, exportNegativeList, type ExportFile } from "../../excel/exports.js";
import { importTargetFile } from "../../excel/import-file.js";
import { targetTemplate } from "../../excel/template.js";
import { EX_DATAERR, flag, withDatabase } from "../bootstrap.js";
import type { CliCommand } from "./types.js";

/** template / import / export of targets (Excel). Exit codes follow sysexits: 64 usage, 65 bad data, 66 no file. */
const EX_USAGE = 64;
const EX_NOINPUT = 66;

/** Positional arguments, without "--name value" pairs. */
function positional(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
}

/**
 * Writes binary output to stdout. `npm run` prints its "> script" banner to stdout before starting us;
 * when stdout is redirected to a regular file, the file is rewritten from its start so that
 * `npm run cli -- template targets > file.xlsx` yields a valid workbook (pipes need `npm run -s`).
 */
function writeBinaryToStdout(content: Buffer): void {
  if (fstatSync(1).isFile()) {
    ftruncateSync(1, 0);
    writeSync(1, content, 0, content.length, 0);
  } else {
    writeSync(1, content);
  }
}

const template: CliCommand = {
  name: "template",
  usage: "template targets [文件.xlsx]",
  summary: "生成目标任务分解表模板（不写文件名时输出到标准输出，请重定向到 .xlsx 文件）",
  async run(args) {
    const [kind, out] = positional(args);
    if (kind !== "targets") {
      console.error("用法：npm run cli -- template targets [文件.xlsx]");
      return EX_USAGE;
    }
    const content = await targetTemplate();
    if (out) {
      writeFileSync(out, content);
      console.error(`已生成模板：${out}`);
    } else if (process.stdout.isTTY) {
      console.error("模板是二进制文件，请重定向到文件：npm run cli -- template targets > 目标任务分解表.xlsx");
      return EX_USAGE;
    } else writeBinaryToStdout(content);
    return 0;
  },
};

const importCmd: CliCommand = {
  name: "import",
  usage: "import targets <文件.xlsx> [--year 2026]",
  summary: "导入目标任务分解表（全部校验通过才写入，再次导入同一文件不会重复）",
  async run(args) {
    const [kind, file] = positional(args);
    const yearText = flag("year", args);
    if (kind !== "targets" || !file || (yearText !== undefined && !/^\d{4}$/.test(yearText))) {
      console.error("用法：npm run cli -- import targets <文件.xlsx> [--year 2026]");
      return EX_USAGE;
    }
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch {
      console.error(`无法读取文件：${file}`);
      return EX_NOINPUT;
    }
    return withDatabase(async ({ db, clock }) => {
      const year = yearText ? Number(yearText) : Number(beijingDate(clock.now()).slice(0, 4));
      const { result, text } = await db.$transaction((tx) => importTargetFile(tx, content, { fileName: path.basename(file), year }), { timeout: 120_000, maxWait: 20_000 });
      console.log(text);
      return result.ok ? 0 : EX_DATAERR;
    });
  },
};

const exportCmd: CliCommand = {
  name: "export",
  usage: "export ledger <单位> <文件.xlsx> | export negative-list <季度> <文件.xlsx> | export board <文件.xlsx> [--year 2026]",
  summary: "导出单位台账、季度负面清单或全省目标统计",
  async run(args) {
    const [kind, ...rest] = positional(args);
    const out = rest.at(-1);
    const usage = () => {
      console.error(`用法：npm run cli -- ${exportCmd.usage}`);
      return EX_USAGE;
    };
    if (!out?.endsWith(".xlsx")) return usage();
    if ((kind === "ledger" || kind === "negative-list") && rest.length !== 2) return usage();
    if (kind === "board" && rest.length !== 1) return usage();
    if (!["ledger", "negative-list", "board"].includes(kind ?? "")) return usage();
    return withDatabase(async ({ db, clock }) => {
      const now = clock.now();
      const yearText = flag("year", args);
      const cycle = yearText ? await db.cycle.findUnique({ where: { year: Number(yearText) } }) : await currentCycle(db, now);
      if (!cycle) {
        console.error(`系统中没有 ${yearText} 年度考评周期。`);
        return EX_DATAERR;
      }
      let file: ExportFile;
      if (kind === "ledger") file = await exportLedger(db, cycle, await findAgency(db, rest[0]), now);
      else if (kind === "negative-list") file = await exportNegativeList(db, rest[0], now);
      else file = await exportBoard(db, cycle, now);
      writeFileSync(out, file.content);
      console.log(`已导出：${out}（${file.caption}）`);
      return 0;
    });
  },
};

export const targetsCli: CliCommand[] = [template, importCmd, exportCmd];
