import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportEvaluationReports } from "../../src/cli/commands/evaluation.js";
import { runEvaluation } from "../../src/domain/evaluation/service.js";
import { loadRules } from "../../src/domain/rules.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";
import { EVAL_NOW, seedEvaluationProvince } from "./fixture.js";

let db: Db;
const dir = mkdtempSync(path.join(tmpdir(), "evaluation-reports-"));
const out: string[] = [];

beforeAll(async () => {
  ({ db } = await freshDb("evaluation-reports"));
  const { cycle } = await seedEvaluationProvince(db);
  await db.$transaction((tx) => runEvaluation(tx, cycle, loadRules(2026), EVAL_NOW));
  const deps = { db, clock: new FixedClock(EVAL_NOW), rulesDir: "rules", io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l) } };
  expect(await exportEvaluationReports(deps, { year: 2026, dir })).toBe(0);
});
afterAll(async () => db.$disconnect());

async function open(name: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path.join(dir, name));
  return wb;
}

/** Rows as arrays of cell values (1-based columns dropped), for readable assertions. */
function rows(ws: ExcelJS.Worksheet): unknown[][] {
  const all: unknown[][] = [];
  ws.eachRow((row) => all.push((row.values as unknown[]).slice(1)));
  return all;
}

describe("export evaluation (§9 结果运用)", () => {
  it("writes one report per audience and one per agency", () => {
    expect(readdirSync(dir).sort()).toEqual(
      [
        "2026年度目标绩效考评结果（领导小组成员单位）.xlsx",
        "2026年度目标绩效考评个人获奖比例（省委组织部、省公务员局）.xlsx",
        ...["省发改委", "省教育厅", "省农业农村厅", "省文物局", "省财政厅", "省统计局"].map((s) => `2026年度目标绩效考评结果反馈（${s}）.xlsx`),
      ].sort(),
    );
    expect(out.at(-1)).toContain("考评报告 8 份");
  });

  it("gives the leadership-group member units the ranking and tiers (§9.1)", async () => {
    const wb = await open("2026年度目标绩效考评结果（领导小组成员单位）.xlsx");
    const table = rows(wb.getWorksheet("考评结果")!);
    expect(table[0][0]).toBe("2026年度省直机关目标绩效考评结果");
    expect(table[1].slice(0, 4)).toEqual(["排名", "单位", "管理方式", "总分"]);
    const body = table.slice(2, 8).map((r) => [r[0], r[1], r[3], r[10]]);
    expect(body).toEqual([
      [1, "贵州省发展和改革委员会", 92, "一等奖"],
      [2, "贵州省教育厅", 91.7, "二等奖"],
      [3, "贵州省农业农村厅", 89.65, "三等奖"],
      [4, "贵州省文物局", 86.8, "二等奖"],
      [4, "贵州省财政厅", 86.8, "三等奖"],
      [6, "贵州省统计局", 63.5, "无等次"],
    ]);
    expect(table[2][9]).toBe(12);
    expect(table[1][9]).toBe("不满意度(%)（参考）");
    expect(table[4][11]).toContain("讲规矩守纪律降 1 等");
    expect(String(table.at(-1)![0])).toContain("§9.1");
    expect(String(table.at(-1)![0])).toContain("参考之一（§8.3），不计分");
    expect(rows(wb.getWorksheet("等次汇总")!).slice(1)).toEqual([
      ["一等奖", 1, "省发改委"],
      ["二等奖", 2, "省教育厅、省文物局"],
      ["三等奖", 2, "省农业农村厅、省财政厅"],
      ["无等次", 1, "省统计局"],
    ]);
  });

  it("lists the −0.5 过程管理扣分 so that 机关建设 = 党建 + 管理 + 过程管理扣分 in the §9 workbook", async () => {
    const wb = await open("2026年度目标绩效考评结果（领导小组成员单位）.xlsx");
    const table = rows(wb.getWorksheet("考评结果")!);
    expect(table[1].slice(4, 9)).toEqual(["机关建设", "其中：机关党建", "其中：机关管理", "其中：过程管理扣分", "职能绩效"]);
    // TJJ: 27.20 + 4.80 − 0.50 = 31.50.
    const tjj = table.find((r) => r[1] === "贵州省统计局")!;
    expect(tjj.slice(4, 8)).toEqual([31.5, 27.2, 4.8, -0.5]);
    for (const r of table.slice(2, 8)) expect(Math.round((r[5] as number) * 100 + (r[6] as number) * 100 + (r[7] as number) * 100)).toBe(Math.round((r[4] as number) * 100));
    const own = Object.fromEntries(rows((await open("2026年度目标绩效考评结果反馈（省统计局）.xlsx")).getWorksheet("考评结果")!).slice(1).filter((r) => r.length === 2));
    expect([own["机关建设"], own["其中：机关党建"], own["其中：机关管理"], own["其中：过程管理扣分"]]).toEqual([31.5, 27.2, 4.8, -0.5]);
  });

  it("gives the organisation department and civil-service bureau each agency's individual quotas (§9.2)", async () => {
    const wb = await open("2026年度目标绩效考评个人获奖比例（省委组织部、省公务员局）.xlsx");
    const table = rows(wb.getWorksheet("个人获奖比例")!);
    expect(table[1]).toEqual(["单位", "单位获奖等次", "总分", "排名", "不满意度(%)（参考）", "优秀比例上限(%)", "达标比例(%)", "不达标比例下限(%)", "参评人数", "优秀名额上限", "不达标名额下限", "说明"]);
    const byName = Object.fromEntries(table.slice(2, 8).map((r) => [r[0], r.slice(1, 11)]));
    expect(byName["贵州省发展和改革委员会"]).toEqual(["一等奖", 92, 1, 12, 30, 70, 0, 85, 25, 0]);
    expect(byName["贵州省农业农村厅"]).toEqual(["三等奖", 89.65, 3, 8, 10, 85, 5, 64, 6, 3]);
    expect(byName["贵州省文物局"]).toEqual(["二等奖", 86.8, 4, "未测评", 20, 80, 0, "未录入", "—", "—"]);
    expect(rows(wb.getWorksheet("比例规则")!)).toContainEqual(["无等次", 0, 90, 10]);
  });

  it("gives each agency its own explained score, tier reasons and negative lists (§9.3)", async () => {
    const wb = await open("2026年度目标绩效考评结果反馈（省发改委）.xlsx");
    const summary = Object.fromEntries(rows(wb.getWorksheet("考评结果")!).slice(1).filter((r) => r.length === 2));
    expect(summary["总分"]).toBe(92);
    expect(summary["获奖等次"]).toBe("一等奖");
    expect(summary["公众测评不满意度"]).toContain("12.00%（参考");
    expect(summary["个人获奖比例"]).toContain("参评 85 人：优秀至多 25 人");
    const lines = rows(wb.getWorksheet("得分明细")!);
    const body = lines.slice(1, -1);
    const total = lines.at(-1)!;
    expect(total[2]).toBe("合计");
    expect(total[5]).toBe(92);
    expect(Math.round(body.reduce((s, r) => s + (r[5] as number), 0) * 100)).toBe(9200);
    expect(body.find((r) => String(r[2]).startsWith("FGW-03"))!.slice(3, 6)).toEqual([7, "本级目标；未完成，不得分", 0]);
    expect(rows(wb.getWorksheet("等次评定")!).flat().join()).toContain("最终获奖等次：一等奖");
    const negative = rows(wb.getWorksheet("负面清单")!).slice(1);
    expect(negative.map((r) => [r[0], r[2], r[4], r[6], r[7]])).toEqual([
      ["2026Q2", "FGW-03", -0.5, "有效", "是"],
      ["2026Q3", "FGW-03", -0.5, "有效", "是"],
      ["2026Q3", "FGW-05", -0.5, "已撤销（申诉成立）", "否"],
    ]);
  });

  it("does not put other agencies' details in an agency's report", async () => {
    const wb = await open("2026年度目标绩效考评结果反馈（省发改委）.xlsx");
    const text = wb.worksheets.flatMap((ws) => rows(ws).flat()).join("|");
    expect(text).not.toContain("省教育厅");
    expect(text).not.toContain("JYT-");
  });
});
