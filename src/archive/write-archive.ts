import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadReportData } from "../domain/evaluation/report-data.js";
import { loadRules } from "../domain/rules.js";
import { exportLedger, exportNegativeList } from "../excel/exports.js";
import { allReports } from "../excel/evaluation-reports.js";
import type { Db } from "../infra/db.js";
import { sha256File, writeManifest, type Manifest } from "./manifest.js";
import { appealsWorkbook, evaluationInputsWorkbook, loadTargets, targetsWorkbook, verificationsWorkbook } from "./record-sheets.js";

/**
 * The year-end archive (考评周期 §2.20; 台账 §7.3): the year's whole record as Excel files plus the
 * evidence files, with a manifest of checksums, so the archive office can file it and anyone can
 * check it later. Written into `<dir>.partial` and renamed at the end: a folder that carries the
 * target name is always a complete archive.
 */
export class ArchiveRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveRefused";
  }
}

export interface ArchiveOptions {
  year: number;
  dir: string;
  rulesDir: string;
  now: Date;
  /** Write before the cycle is closed (a rehearsal); the manifest marks the archive provisional. */
  force?: boolean;
}

const CYCLE_STATUS_LABEL: Record<string, string> = { open: "进行中", evaluating: "考评中", closed: "已结束" };

export async function writeYearArchive(db: Db, o: ArchiveOptions): Promise<Manifest> {
  const cycle = await db.cycle.findUnique({ where: { year: o.year } });
  if (!cycle) throw new ArchiveRefused(`系统中没有 ${o.year} 年度考评周期，无法归档。`);
  const provisional = cycle.status !== "closed";
  if (provisional && !o.force) {
    throw new ArchiveRefused(
      `${o.year} 年度考评周期尚未结束（当前状态：${CYCLE_STATUS_LABEL[cycle.status] ?? cycle.status}），年度归档应在考评结果发布（“考评发布 ${o.year}”）后进行。` +
        `如需提前生成（例如演练），请加 --force；提前生成的归档在清单中标为“非最终版”。`,
    );
  }
  const dir = path.resolve(o.dir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ArchiveRefused(`目录 ${dir} 已存在且不为空。请指定一个新目录，已有的归档不会被覆盖。`);
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const put = (rel: string, content: Buffer | string) => {
    mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
    writeFileSync(path.join(work, rel), content);
  };

  const targets = await loadTargets(db, cycle.id);
  put("01-目标与指标.xlsx", await targetsWorkbook(o.year, targets));

  const agencies = await db.agency.findMany({ where: { targets: { some: { cycleId: cycle.id } } }, orderBy: { id: "asc" } });
  for (const a of agencies) {
    const f = await exportLedger(db, cycle, a, o.now);
    put(`02-台账/${f.fileName}`, f.content);
  }
  const periods = await db.negativeList.findMany({ where: { cycleId: cycle.id }, distinct: ["period"], select: { period: true }, orderBy: { period: "asc" } });
  for (const { period } of periods) {
    const f = await exportNegativeList(db, period, o.now);
    put(`03-负面清单/${f.fileName}`, f.content);
  }
  const appeals = await appealsWorkbook(db, o.year, cycle.id);
  put("04-申诉及处理.xlsx", appeals.content);
  const verifications = await verificationsWorkbook(db, o.year, cycle.id);
  put("05-目标核查.xlsx", verifications.content);
  const inputs = await evaluationInputsWorkbook(db, o.year, cycle.id);
  put("06-考评录入数据.xlsx", inputs.content);
  const results = await db.evaluationResult.count({ where: { cycleId: cycle.id } });
  if (results > 0) {
    const data = await loadReportData(db, cycle, loadRules(cycle.year, o.rulesDir));
    for (const f of await allReports(data)) put(`07-考评结果/${f.fileName}`, f.buffer);
  }
  const evidence = await copyEvidence(db, cycle.id, work);

  const where = { target: { cycleId: cycle.id } };
  const counts = {
    agencies: agencies.length,
    targets: targets.length,
    indicators: targets.reduce((n, t) => n + t.indicators.length, 0),
    milestones: targets.reduce((n, t) => n + t.milestones.length, 0),
    progressReports: await db.progressReport.count({ where }),
    evidence: await db.reportEvidence.count({ where: { report: where } }),
    evidenceFiles: evidence.copied,
    negativeLists: await db.negativeList.count({ where: { cycleId: cycle.id } }),
    negativeListEntries: await db.negativeListEntry.count({ where: { list: { cycleId: cycle.id } } }),
    appeals: appeals.appeals,
    appealEvents: appeals.events,
    verifications: verifications.rows,
    evaluationInputs: inputs.rows,
    evaluationResults: results,
  };
  put("说明.txt", readme(o.year, o.now, provisional, counts, evidence.missing.length));
  const manifest = writeManifest(work, {
    title: `${o.year}年度机关目标绩效管理归档`,
    year: o.year,
    createdAt: o.now.toISOString(),
    provisional,
    counts,
    missingEvidence: evidence.missing,
  });
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return manifest;
}

/**
 * Copies each evidence file of the year's 台账, named by report id, checking it against its recorded
 * hash. A file not on this server's disk (another instance received it) comes from its copy in the
 * database (EvidenceBlob).
 */
async function copyEvidence(db: Db, cycleId: number, work: string) {
  const files = await db.reportEvidence.findMany({ where: { kind: "file", report: { target: { cycleId } } }, orderBy: { id: "asc" } });
  const missing: Manifest["missingEvidence"] = [];
  let copied = 0;
  for (const e of files) {
    const source = path.resolve(e.ref);
    const dest = path.join(work, "08-佐证材料", `${e.reportId}-${e.id}-${path.basename(e.ref)}`);
    const onDisk = existsSync(source) && (!e.sha256 || sha256File(source) === e.sha256);
    const blob = onDisk || !e.sha256 ? null : await db.evidenceBlob.findUnique({ where: { sha256: e.sha256 } });
    if (!onDisk && !blob) {
      missing.push({ reportId: e.reportId, name: e.name, ref: e.ref });
      continue;
    }
    mkdirSync(path.dirname(dest), { recursive: true });
    if (blob) writeFileSync(dest, blob.content);
    else copyFileSync(source, dest);
    copied += 1;
  }
  return { copied, missing };
}

const COUNT_LABEL: Record<string, string> = {
  agencies: "单位",
  targets: "绩效目标",
  indicators: "绩效指标",
  milestones: "季度节点",
  progressReports: "台账记录",
  evidence: "佐证材料（条）",
  evidenceFiles: "佐证文件",
  negativeLists: "负面清单",
  negativeListEntries: "负面清单条目",
  appeals: "申诉",
  appealEvents: "申诉处理记录",
  verifications: "目标核查",
  evaluationInputs: "考评录入数据",
  evaluationResults: "考评结果",
};

function readme(year: number, now: Date, provisional: boolean, counts: Record<string, number>, missing: number): string {
  return [
    `${year}年度机关目标绩效管理归档`,
    `生成时间：${now.toISOString()}`,
    provisional ? "注意：本归档在考评周期结束前生成，为非最终版，正式归档请在考评结果发布后重新生成。" : "本归档在考评周期结束后生成。",
    "",
    "内容：",
    "  01-目标与指标.xlsx    绩效目标、绩效指标、季度节点",
    "  02-台账/              各单位年度台账（含佐证材料清单）",
    "  03-负面清单/          各季度负面清单",
    "  04-申诉及处理.xlsx    目标申诉及处理结果、处理记录",
    "  05-目标核查.xlsx      目标核查记录",
    "  06-考评录入数据.xlsx  考评录入数据（逐次记录）",
    "  07-考评结果/          考评结果运用报告（已考评时）",
    "  08-佐证材料/          台账所附佐证文件（文件名以台账记录号开头）",
    "",
    "数量：",
    ...Object.entries(counts).map(([k, v]) => `  ${COUNT_LABEL[k] ?? k}：${v}`),
    missing ? `  未找到的佐证文件：${missing}（见 manifest.json 的 missingEvidence）` : "",
    "",
    "校验：manifest.json 列出每个文件的 SHA-256。可执行 `npm run cli -- archive verify <目录>`，",
    "或在任意 Linux 计算机上于本目录执行 `sha256sum -c SHA256SUMS`。",
    "",
  ].join("\n");
}
