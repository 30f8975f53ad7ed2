import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importEvaluationFile, writeEvaluationTemplate } from "../../src/cli/commands/evaluation.js";
import { problemText } from "../../src/excel/evaluation-import.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";
import { EVAL_NOW, seedEvaluationProvince } from "./fixture.js";
import { parseEvaluationWorkbook } from "../../src/excel/evaluation-import.js";
import { evaluationRulesSchema } from "../../src/domain/evaluation/rules-schema.js";

let db: Db;
const dir = mkdtempSync(path.join(tmpdir(), "evaluation-import-"));
const out: string[] = [];
const err: string[] = [];
let deps: Parameters<typeof importEvaluationFile>[0];

beforeAll(async () => {
  ({ db } = await freshDb("evaluation-import"));
  await seedEvaluationProvince(db);
  deps = { db, clock: new FixedClock(EVAL_NOW), rulesDir: "rules", io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
});
afterAll(async () => db.$disconnect());

async function workbook(fill: (wb: ExcelJS.Workbook) => void, from?: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  if (from) await wb.xlsx.readFile(from);
  fill(wb);
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

describe("template evaluation", () => {
  it("writes the three input sheets prefilled with the province's agencies", async () => {
    const file = path.join(dir, "template.xlsx");
    expect(await writeEvaluationTemplate(deps, { file })).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["填写说明", "机关建设评分", "公众测评", "讲规矩守纪律"]);
    const scores = wb.getWorksheet("机关建设评分")!;
    expect(scores.getRow(1).values).toEqual([undefined, "单位", "思想建设", "组织建设", "党风廉政建设", "队伍建设", "同步小康驻村", "省领导评价", "二级考评", "创新项目评选", "参评人数", "说明"]);
    expect(scores.getCell("A2").value).toBe("贵州省发展和改革委员会");
    expect(wb.getWorksheet("公众测评")!.rowCount).toBe(1 + 6 * 5);
    expect(out.at(-1)).toContain("2026 年度");
  });
});

describe("import evaluation", () => {
  it("imports a filled template and leaves unchanged values alone on a second import", async () => {
    const file = await workbook((wb) => {
      const scores = wb.getWorksheet("机关建设评分")!;
      scores.getCell("B2").value = 98; // FGW 思想建设 (was 100)
      scores.getCell("I2").value = "二等奖";
      scores.getCell("K2").value = "年终复核更正";
      scores.getCell("J7").value = 40; // TJJ 参评人数
      const survey = wb.getWorksheet("公众测评")!;
      survey.getCell("C2").value = "6.5%"; // FGW 人大代表 执行能力
      wb.getWorksheet("讲规矩守纪律")!.addRow(["省统计局", "黔纪通〔2026〕9号", "约谈问责", "数据报送不及时"]);
    }, path.join(dir, "template.xlsx"));
    const before = await db.evaluationInput.count();
    expect(await importEvaluationFile(deps, { file, by: "mbb_zhang" })).toBe(0);
    expect(out.at(-1)).toContain("新增或更正 5 项");
    expect(await db.evaluationInput.count()).toBe(before + 5);
    const fgw = await db.evaluationInput.findFirstOrThrow({ where: { item: "ideology", agency: { code: "FGW" } }, orderBy: { id: "desc" } });
    expect([fgw.value, fgw.source, JSON.parse(fgw.text!).note]).toEqual([98, `import:${path.basename(file)}`, "年终复核更正"]);
    expect(await importEvaluationFile(deps, { file })).toBe(0);
    expect(out.at(-1)).toContain("新增或更正 0 项，与现有记录相同 5 项");
  });

  it("reports every problem by sheet, row and column in Chinese, and writes nothing", async () => {
    const file = await workbook((wb) => {
      const scores = wb.addWorksheet("机关建设评分");
      scores.addRow(["单位", "思想建设", "组织建设", "党风廉政建设", "队伍建设", "同步小康驻村", "省领导评价", "二级考评", "创新项目评选", "参评人数", "说明", "备注2"]);
      scores.addRow(["省发改委", "九十五", 95, null, null, null, 120]);
      scores.addRow(["省不存在局", 90]);
      scores.addRow(["省教育厅", null, null, null, null, null, null, null, "特等奖"]);
      scores.addRow(["省发改委", null, 96]);
      const survey = wb.addWorksheet("公众测评");
      survey.addRow(["单位", "测评群体", "执行能力", "办事效率", "服务态度", "依法行政", "廉洁自律"]);
      survey.addRow(["省发改委", "群众", 5]);
      survey.addRow(["省发改委", "社会公众", "12%", -1]);
      const discipline = wb.addWorksheet("讲规矩守纪律");
      discipline.addRow(["单位", "记录号", "类型", "说明"]);
      discipline.addRow(["省农业农村厅", "N-1", "警告"]);
      discipline.addRow(["省农业农村厅", null, "通报批评"]);
    });
    const before = await db.evaluationInput.count();
    err.length = 0;
    expect(await importEvaluationFile(deps, { file })).toBe(65);
    expect(await db.evaluationInput.count()).toBe(before);
    expect(err[0]).toBe("文件校验未通过，未导入任何数据。共 10 处问题：");
    expect(err.slice(1).map((l) => l.replace(/^\s+·\s/, ""))).toEqual([
      "工作表“机关建设评分”第 1 行 L 列：无法识别的列标题“备注2”",
      "工作表“机关建设评分”第 2 行 B 列（思想建设）：应为 0–100 之间的分值（最多两位小数），实际为“九十五”",
      "工作表“机关建设评分”第 2 行 G 列（省领导评价）：应为 0–100 之间的分值（最多两位小数），实际为“120”",
      "工作表“机关建设评分”第 3 行 A 列（单位）：未找到单位“省不存在局”，请填写单位全称、简称或代码",
      "工作表“机关建设评分”第 4 行 I 列（创新项目评选）：应为一等奖、二等奖、三等奖、鼓励奖、申报未获奖、未申报、不参评之一，实际为“特等奖”",
      "工作表“机关建设评分”第 5 行 C 列（组织建设）：与工作表“机关建设评分”第 2 行 C 列重复（同一单位同一项目只能填写一次）",
      "工作表“公众测评”第 2 行 B 列（测评群体）：测评群体应为人大代表、政协委员、机关干部、企事业单位人员、社会公众之一，实际为“群众”",
      "工作表“公众测评”第 3 行 D 列（办事效率）：应为 0–100 之间的不满意率（百分数，最多两位小数），实际为“-1”",
      "工作表“讲规矩守纪律”第 2 行 C 列（类型）：记录类型应为通报批评、约谈问责、党纪政务处分、取消评奖资格、撤销之一，实际为“警告”",
      "工作表“讲规矩守纪律”第 3 行 B 列（记录号）：记录号不能为空，且不超过 60 个字",
    ]);
  });

  it("refuses a file that is not a workbook or has no known sheet", async () => {
    const rules = evaluationRulesSchema.parse({});
    const notExcel = await parseEvaluationWorkbook(Buffer.from("not a workbook"), [], rules);
    expect(problemText(notExcel.problems[0])).toContain("无法读取该文件");
    const other = await workbook((wb) => wb.addWorksheet("Sheet1").addRow(["x"]));
    err.length = 0;
    expect(await importEvaluationFile(deps, { file: other })).toBe(65);
    expect(err.join("\n")).toContain("未找到可识别的工作表");
    err.length = 0;
    expect(await importEvaluationFile(deps, { file: path.join(dir, "template.xlsx") })).toBe(65);
    expect(err.at(-1)).toContain("文件：“机关建设评分”“公众测评”“讲规矩守纪律”均未填写考评数据。");
  });
});
