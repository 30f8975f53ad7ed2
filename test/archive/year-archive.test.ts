import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveYear, verifyArchiveDir } from "../../src/cli/commands/archive.js";
import { listFiles, sha256File, type Manifest } from "../../src/archive/manifest.js";
import { loadSettings } from "../../src/config/settings.js";
import { createCore } from "../../src/conversation/create-core.js";
import { FixedClock } from "../../src/infra/clock.js";
import { createLogger } from "../../src/infra/logger.js";
import { EVAL_NOW, seedEvaluationProvince } from "../evaluation/fixture.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { demoProvince, DEMO_NOW } from "../helpers/province.js";

/**
 * The year-end archive (§2.20, §7.3) of the demo year, with the records a year gathers on top of the
 * seed: an evidence file, a verification, an appeal with its decision, evaluation inputs.
 */
const root = mkdtempSync(path.resolve("test/.tmp/archive-"));
const evidenceDir = path.join(root, "evidence");
let p: Awaited<ReturnType<typeof demoProvince>>;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}
const deps = (o: ReturnType<typeof io>) => ({ db: p.db, clock: p.clock, rulesDir: "rules", io: o.io });

beforeAll(async () => {
  p = await demoProvince("archive", { EVIDENCE_DIR: evidenceDir });
  expect(await p.chat.say("fgw_zhao", "汇报 FGW-01 95 年度总结报告已定稿")).toContain("已记入台账");
  const pdf = Buffer.from("%PDF-1.4 年度总结报告（演示）");
  const sent = await p.chat.send("fgw_zhao", { type: "file", fileName: "年度总结报告.pdf", fetch: async () => pdf });
  expect(JSON.stringify(sent)).toContain("佐证材料");
  expect(await p.chat.say("mbb_zhang", "核查 FGW-01 实地核查 属实 现场查阅了年度总结报告")).toContain("已记录目标 FGW-01 的核查结果");
  p.clock.set(new Date("2026-10-12T02:00:00Z"));
  const entry = await p.db.negativeListEntry.findFirstOrThrow({ where: { list: { period: "2026Q3", agency: { code: "FGW" } } }, orderBy: { seq: "asc" } });
  expect(await p.chat.say("fgw_head", `申诉 2026Q3-${entry.seq} 该节点已于9月29日完成，佐证已上传台账`)).toContain("申诉已提交");
  const appeal = await p.db.appeal.findFirstOrThrow({ where: { negativeEntryId: entry.id } });
  expect(await p.chat.say("mbb_zhang", `受理 ${appeal.id} 同意 经核实节点已按期完成`)).toContain("确认");
  expect(await p.chat.say("mbb_zhang", "确认")).toContain("申诉");
  p.clock.set(DEMO_NOW);
  expect(await p.chat.say("mbb_zhang", "考评录入 省发改委 思想建设 95 理论学习中心组学习记录完整")).toContain("思想建设");
}, 60_000);
afterAll(async () => p?.db.$disconnect());

async function rows(file: string, sheet: string): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  // Title line and header row come first.
  return Math.max(0, wb.getWorksheet(sheet)!.actualRowCount - 2);
}

describe("npm run cli -- archive <年度> <目录>", () => {
  it("refuses politely while the cycle is still open", async () => {
    const o = io();
    expect(await archiveYear(deps(o), { year: 2026, dir: path.join(root, "early"), force: false })).toBe(65);
    expect(o.err.join("")).toContain("2026 年度考评周期尚未结束");
    expect(o.err.join("")).toContain("--force");
    expect(existsSync(path.join(root, "early"))).toBe(false);
  });

  it("writes the whole year with --force, marked provisional, and its counts equal the database", async () => {
    const dir = path.join(root, "forced");
    const o = io();
    expect(await archiveYear(deps(o), { year: 2026, dir, force: true })).toBe(0);
    expect(o.err.join("")).toContain("非最终版");
    const m = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(m.provisional).toBe(true);

    const cycleId = (await p.db.cycle.findUniqueOrThrow({ where: { year: 2026 } })).id;
    const inYear = { target: { cycleId } };
    expect(m.counts).toEqual({
      agencies: await p.db.agency.count({ where: { targets: { some: { cycleId } } } }),
      targets: await p.db.target.count({ where: { cycleId } }),
      indicators: await p.db.indicator.count({ where: inYear }),
      milestones: await p.db.milestone.count({ where: inYear }),
      progressReports: await p.db.progressReport.count({ where: inYear }),
      evidence: await p.db.reportEvidence.count({ where: { report: inYear } }),
      evidenceFiles: 1,
      negativeLists: await p.db.negativeList.count({ where: { cycleId } }),
      negativeListEntries: await p.db.negativeListEntry.count({ where: { list: { cycleId } } }),
      appeals: 1,
      appealEvents: await p.db.appealEvent.count(),
      verifications: 1,
      evaluationInputs: 1,
      evaluationResults: 0,
    });
    expect(m.counts.progressReports).toBeGreaterThan(30);
    expect(m.counts.negativeLists).toBe(12);

    // The sheets hold the same numbers of rows.
    const files = listFiles(dir);
    let ledgerRows = 0;
    for (const f of files.filter((f) => f.startsWith("02-台账/"))) ledgerRows += await rows(path.join(dir, f), "台账");
    expect(ledgerRows).toBe(m.counts.progressReports);
    expect(files.filter((f) => f.startsWith("02-台账/"))).toHaveLength(m.counts.agencies);
    expect(files.filter((f) => f.startsWith("03-负面清单/"))).toEqual(["03-负面清单/负面清单-2026Q1.xlsx", "03-负面清单/负面清单-2026Q2.xlsx", "03-负面清单/负面清单-2026Q3.xlsx"]);
    expect(await rows(path.join(dir, "01-目标与指标.xlsx"), "目标")).toBe(m.counts.targets);
    expect(await rows(path.join(dir, "01-目标与指标.xlsx"), "绩效指标")).toBe(m.counts.indicators);
    expect(await rows(path.join(dir, "01-目标与指标.xlsx"), "季度节点")).toBe(m.counts.milestones);
    expect(await rows(path.join(dir, "04-申诉及处理.xlsx"), "申诉")).toBe(1);
    expect(await rows(path.join(dir, "05-目标核查.xlsx"), "目标核查")).toBe(1);
    expect(await rows(path.join(dir, "06-考评录入数据.xlsx"), "考评数据")).toBe(1);

    // The evidence file is there, byte for byte, and the manifest lists every file.
    const evidence = files.filter((f) => f.startsWith("08-佐证材料/"));
    expect(evidence).toHaveLength(1);
    const stored = await p.db.reportEvidence.findFirstOrThrow({ where: { kind: "file" } });
    expect(sha256File(path.join(dir, evidence[0]))).toBe(stored.sha256);
    expect(m.files.map((f) => f.path).sort()).toEqual(files.filter((f) => f !== "manifest.json" && f !== "SHA256SUMS"));
    expect(m.missingEvidence).toEqual([]);
  });

  it("takes an evidence file missing from this server's disk from its copy in the database", async () => {
    const stored = await p.db.reportEvidence.findFirstOrThrow({ where: { kind: "file" } });
    const original = readFileSync(stored.ref);
    rmSync(stored.ref);
    try {
      const dir = path.join(root, "other-instance");
      const o = io();
      expect(await archiveYear(deps(o), { year: 2026, dir, force: true })).toBe(0);
      const m = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
      expect(m.missingEvidence).toEqual([]);
      const evidence = listFiles(dir).filter((f) => f.startsWith("08-佐证材料/"));
      expect(evidence).toHaveLength(1);
      expect(readFileSync(path.join(dir, evidence[0]))).toEqual(original);
    } finally {
      writeFileSync(stored.ref, original);
    }
  });

  it("after the cycle closes, writes the final archive without --force", async () => {
    await p.db.cycle.update({ where: { year: 2026 }, data: { status: "closed" } });
    const dir = path.join(root, "final");
    const o = io();
    expect(await archiveYear(deps(o), { year: 2026, dir, force: false })).toBe(0);
    expect(o.err).toEqual([]);
    expect(o.out.join("")).toContain("已生成 2026 年度归档");
    expect((JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest).provisional).toBe(false);
    // An existing archive is never overwritten.
    const again = io();
    expect(await archiveYear(deps(again), { year: 2026, dir, force: false })).toBe(65);
    expect(again.err.join("")).toContain("已存在且不为空");
  });
});

describe("npm run cli -- archive verify <目录>", () => {
  it("passes an untouched archive and names every changed, missing or added file", async () => {
    const dir = path.join(root, "final");
    const ok = io();
    expect(verifyArchiveDir(dir, ok.io)).toBe(0);
    expect(ok.out.join("")).toContain("归档校验通过");

    appendFileSync(path.join(dir, "说明.txt"), "改动");
    writeFileSync(path.join(dir, "多出的文件.txt"), "x");
    const bad = io();
    expect(verifyArchiveDir(dir, bad.io)).toBe(65);
    expect(bad.err.join("\n")).toContain("文件内容与清单不符：说明.txt");
    expect(bad.err.join("\n")).toContain("清单外的文件：多出的文件.txt");
    expect(verifyArchiveDir(path.join(root, "evidence"), io().io)).toBe(65);
  });
});

describe("the archive of a year evaluated and published (考评 → 考评发布 closes the cycle)", () => {
  it("is written without --force and carries the results with their explanations", async () => {
    const fresh = await freshDb("archive-evaluated");
    await seedEvaluationProvince(fresh.db);
    const clock = new FixedClock(EVAL_NOW);
    const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: fresh.url, LOG_LEVEL: "silent" });
    const chat = chatWith(createCore({ settings, db: fresh.db, clock, log: createLogger("silent") }), clock);
    try {
      for (const command of ["考评 2026", "考评发布 2026"]) {
        expect(await chat.say("mbb_zhang", command)).toContain("请回复“确认”执行");
        await chat.say("mbb_zhang", "确认");
      }
      expect((await fresh.db.cycle.findUniqueOrThrow({ where: { year: 2026 } })).status).toBe("closed");
      const dir = path.join(root, "evaluated");
      const o = io();
      expect(await archiveYear({ db: fresh.db, clock, rulesDir: "rules", io: o.io }, { year: 2026, dir, force: false })).toBe(0);
      const m = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
      const results = await fresh.db.evaluationResult.count();
      expect(results).toBe(6);
      expect(m.counts.evaluationResults).toBe(results);
      expect(m.counts.evaluationInputs).toBe(await fresh.db.evaluationInput.count());
      // §9: the report for the member units, the one for the organisation department, one per agency.
      const reports = listFiles(dir).filter((f) => f.startsWith("07-考评结果/"));
      expect(reports).toHaveLength(2 + results);
      expect(verifyArchiveDir(dir, io().io)).toBe(0);
    } finally {
      await fresh.db.$disconnect();
    }
  }, 60_000);
});
