import path from "node:path";
import { ArchiveRefused, writeYearArchive } from "../../archive/write-archive.js";
import { verifyArchive } from "../../archive/manifest.js";
import { parseYear } from "../../domain/evaluation/service.js";
import type { Clock } from "../../infra/clock.js";
import type { Db } from "../../infra/db.js";
import { bootstrap } from "../bootstrap.js";
import type { CliCommand } from "./types.js";

/** `archive <year> <dir> [--force]` writes the year-end archive; `archive verify <dir>` checks one. */
export interface ArchiveIo {
  out(line: string): void;
  err(line: string): void;
}

export async function archiveYear(deps: { db: Db; clock: Clock; rulesDir: string; io: ArchiveIo }, opts: { year: number; dir: string; force: boolean }): Promise<number> {
  try {
    const m = await writeYearArchive(deps.db, { ...opts, rulesDir: deps.rulesDir, now: deps.clock.now() });
    if (m.provisional) deps.io.err(`注意：${opts.year} 年度考评周期尚未结束，本归档为非最终版（已在清单中注明）。考评结果发布后请重新归档。`);
    const c = m.counts;
    deps.io.out(
      `已生成 ${opts.year} 年度归档：${path.resolve(opts.dir)}\n` +
        `  单位 ${c.agencies} 个，目标 ${c.targets} 项（指标 ${c.indicators} 项、季度节点 ${c.milestones} 个），台账记录 ${c.progressReports} 条，佐证文件 ${c.evidenceFiles} 个；\n` +
        `  负面清单 ${c.negativeLists} 份（条目 ${c.negativeListEntries} 项），申诉 ${c.appeals} 件，核查 ${c.verifications} 次，考评录入 ${c.evaluationInputs} 项，考评结果 ${c.evaluationResults} 个；\n` +
        `  文件 ${m.files.length} 个，校验值见 manifest.json 和 SHA256SUMS。`,
    );
    if (m.missingEvidence.length) deps.io.err(`有 ${m.missingEvidence.length} 个佐证文件未找到或内容与台账记录的校验值不符，已列入 manifest.json 的 missingEvidence，请核对 EVIDENCE_DIR。`);
    return 0;
  } catch (err) {
    if (err instanceof ArchiveRefused) {
      deps.io.err(err.message);
      return 65;
    }
    throw err;
  }
}

export function verifyArchiveDir(dir: string, io: ArchiveIo): number {
  const r = verifyArchive(path.resolve(dir));
  if (!r.ok) {
    io.err(`归档校验未通过（${r.problems.length} 处）：\n${r.problems.map((p) => `  · ${p}`).join("\n")}`);
    return 65;
  }
  io.out(`归档校验通过：${r.manifest!.title}，${r.manifest!.files.length} 个文件与清单一致${r.manifest!.provisional ? "（非最终版）" : ""}。`);
  return 0;
}

const consoleIo: ArchiveIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export const archiveCli: CliCommand[] = [
  {
    name: "archive",
    usage: "archive <年度> <目录> [--force]",
    summary: "生成年度归档（目标、台账及佐证、负面清单、申诉、核查、考评），附校验清单",
    async run(args) {
      const year = parseYear(args[0]);
      if (!year || !args[1]) {
        console.error(`用法：npm run cli -- ${this.usage}`);
        return 64;
      }
      const { db, clock, settings } = await bootstrap();
      try {
        return await archiveYear({ db, clock, rulesDir: settings.RULES_DIR, io: consoleIo }, { year, dir: args[1], force: args.includes("--force") });
      } finally {
        await db.$disconnect();
      }
    },
  },
  {
    name: "archive",
    usage: "archive verify <目录>",
    summary: "按清单校验年度归档的每个文件",
    async run(args) {
      if (!args[1]) {
        console.error(`用法：npm run cli -- ${this.usage}`);
        return 64;
      }
      return verifyArchiveDir(args[1], consoleIo);
    },
  },
];
