import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { createDb } from "../../src/infra/db.js";
import { migrate } from "../../src/infra/migrate.js";
import { DEMO_NOW } from "../helpers/province.js";
import { buildXlsx, clone, provinceFile, setCell } from "./fixtures.js";

/**
 * `npm run cli -- template | import | export …` as an operator runs them, against real SQLite files.
 * The child processes open files by path, so they live in a folder of this test's own.
 */
const dir = mkdtempSync(path.join(tmpdir(), "jxmb-cli-"));
const tmp = (name: string) => path.join(dir, name);

async function database(name: string) {
  const url = `file:${tmp(`${name}.db`)}`;
  await migrate(url);
  return { url, db: await createDb(url) };
}

function cli(args: string[], databaseUrl: string) {
  return spawnSync("npx", ["tsx", "src/cli/main.ts", ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" }, timeout: 60_000 });
}

async function open(file: string | Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((typeof file === "string" ? readFileSync(file) : file) as never);
  return wb;
}

let importUrl: string;
let demoUrl: string;
beforeAll(async () => {
  const a = await database("cli-import");
  importUrl = a.url;
  await a.db.$disconnect();
  const b = await database("cli-export");
  demoUrl = b.url;
  await seedDemoProvince(b.db, { now: DEMO_NOW });
  await b.db.$disconnect();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function templateDb(): Promise<string> {
  const { url, db } = await database("cli-template");
  await db.$disconnect();
  return url;
}

describe("template", { timeout: 90_000 }, () => {
  it("writes a workbook with the instructions and the five sheets, also through npm's redirect", async () => {
    const out = tmp("template-npm.xlsx");
    const run = spawnSync("sh", ["-c", `npm run cli -- template targets > '${out}'`], { timeout: 60_000 });
    expect(run.status).toBe(0);
    const wb = await open(out);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["填写说明", "单位", "人员", "目标", "指标", "季度节点"]);
    const targets = wb.getWorksheet("目标")!;
    expect((targets.getRow(1).values as unknown[]).slice(1)).toEqual(["目标编号*", "单位*", "目标类别*", "机关建设项目", "来源", "管理方式*", "文号", "目标名称*", "目标要求", "权重*", "完成时限*", "责任人"]);
    expect(targets.getCell("C500").dataValidation).toMatchObject({ type: "list", formulae: ['"机关建设目标,职能绩效目标"'] });
    expect(targets.getCell("D2").dataValidation.formulae).toEqual(['"思想建设,组织建设,党风廉政建设,队伍建设,同步小康驻村,省领导评价,创新项目评选,二级考评,公众测评,讲规矩守纪律"']);
    expect(targets.getCell("E2").dataValidation.formulae).toEqual(['"脱贫攻坚目标,本级目标,上级目标"']);
    expect(targets.getCell("F2").dataValidation.formulae).toEqual(['"初始目标,动态目标"']);
    expect(wb.getWorksheet("季度节点")!.getCell("B2").dataValidation.formulae).toEqual(['"第一季度,第二季度,第三季度,第四季度"']);
    const notes: string[] = [];
    wb.getWorksheet("填写说明")!.eachRow((row) => notes.push(String(row.getCell(1).value ?? "")));
    expect(notes.join("\n")).toContain("初始职能绩效目标的权重合计为 50 分（§6.2）");
    expect(notes.join("\n")).toContain("至少 1 项脱贫攻坚目标、至少 6 项本级目标");
  });

  it("imports once filled in, as the office would fill it", async () => {
    const blank = await open(spawnSync("npx", ["tsx", "src/cli/main.ts", "template", "targets"], { timeout: 60_000 }).stdout);
    const file = provinceFile();
    for (const [name, rows] of Object.entries(file)) for (const r of rows) blank.getWorksheet(name)!.addRow(r);
    const filled = tmp("template-filled.xlsx");
    writeFileSync(filled, Buffer.from((await blank.xlsx.writeBuffer()) as ArrayBuffer));
    const run = cli(["import", "targets", filled, "--year", "2026"], await templateDb());
    expect(run.stdout.toString()).toContain("目标：新增 33 项，更新 0 项，无变化 0 项");
    expect(run.status).toBe(0);
  });
});

describe("import targets", { timeout: 90_000 }, () => {
  it("imports a valid file, then finds nothing to change the second time", async () => {
    const file = tmp("cli-valid.xlsx");
    writeFileSync(file, await buildXlsx(provinceFile()));
    const first = cli(["import", "targets", file, "--year", "2026"], importUrl);
    expect(first.status).toBe(0);
    expect(first.stdout.toString()).toContain("《cli-valid.xlsx》导入完成（2026 年度）");
    const second = cli(["import", "targets", file, "--year", "2026"], importUrl);
    expect(second.status).toBe(0);
    expect(second.stdout.toString().trim()).toBe("《cli-valid.xlsx》与系统中的数据一致，未作任何修改（2026 年度目标 33 项均无变化）。");
  });

  it("exits 65 with the report when the file has problems", async () => {
    const sheets = clone(provinceFile());
    setCell(sheets, "目标", 7, "来源", "本级任务");
    const file = tmp("cli-invalid.xlsx");
    writeFileSync(file, await buildXlsx(sheets));
    const run = cli(["import", "targets", file, "--year", "2026"], importUrl);
    expect(run.status).toBe(65);
    expect(run.stdout.toString()).toContain("1. 目标 表第 7 行 E 列（来源）：“本级任务”不是有效的来源");
  });
});

describe("export", { timeout: 90_000 }, () => {
  it("writes an agency's ledger, a quarter's negative list and the board", async () => {
    const ledger = tmp("cli-ledger.xlsx");
    const negative = tmp("cli-negative.xlsx");
    const board = tmp("cli-board.xlsx");
    const runs = [
      cli(["export", "ledger", "省教育厅", ledger], demoUrl),
      cli(["export", "negative-list", "2026Q2", negative], demoUrl),
      cli(["export", "board", board], demoUrl),
    ];
    expect(runs.map((r) => r.status)).toEqual([0, 0, 0]);
    expect(runs[0].stdout.toString()).toContain(`已导出：${ledger}（贵州省教育厅2026年度台账：目标 10 项`);
    expect((await open(ledger)).getWorksheet("台账")!.getCell("A1").value).toMatch(/^贵州省教育厅2026年度目标台账/);
    expect((await open(negative)).getWorksheet("汇总")!.getCell("A1").value).toMatch(/^2026年第二季度负面清单汇总/);
    expect((await open(board)).getWorksheet("统计")!.getCell("A7").value).toBe("合计");
  });

  it("explains its usage", () => {
    const run = cli(["export", "ledger", "out.xlsx"], demoUrl);
    expect(run.status).toBe(64);
    expect(run.stderr.toString()).toContain("用法：npm run cli -- export ledger <单位> <文件.xlsx>");
  });
});
