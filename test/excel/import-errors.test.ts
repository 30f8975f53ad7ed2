import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";
import { HEADERS, type Sheets, clone, counts, d, importSheets, provinceFile, setCell, targetRow } from "./fixtures.js";

/**
 * Every kind of mistake in a 目标任务分解表 is reported with its sheet, row and column, in wording an
 * office clerk can act on — and a file with any mistake writes nothing at all.
 */
let db: Db;
beforeAll(async () => {
  ({ db } = await freshDb("import-errors"));
});
afterAll(async () => db.$disconnect());

async function problems(file: Sheets, opts: Parameters<typeof importSheets>[2] = {}): Promise<string[]> {
  const { result, text } = await importSheets(db, file, opts);
  expect(result.ok).toBe(false);
  expect(text).toContain("校验未通过，未导入任何数据");
  return result.ok ? [] : result.problems;
}

const base = () => clone(provinceFile());

describe("problems in the 目标 sheet", () => {
  it("names the sheet, row and column of a source that is not 1+6+N vocabulary", async () => {
    const file = base();
    setCell(file, "目标", 7, "来源", "本级任务");
    const list = await problems(file);
    expect(list).toContain("目标 表第 7 行 E 列（来源）：“本级任务”不是有效的来源，应填写脱贫攻坚目标、本级目标、上级目标之一。");
  });

  it("reports an agency that neither the system nor the 单位 sheet knows", async () => {
    const file = base();
    setCell(file, "目标", 3, "单位", "省水利厅");
    expect(await problems(file)).toContain("目标 表第 3 行 B 列（单位）：未找到单位“省水利厅”。请填写系统中已有单位的代码、全称或简称，或在“单位”表中补充该单位。");
  });

  it("checks category, item and source against each other", async () => {
    const file = base();
    setCell(file, "目标", 2, "目标类别", "职能目标");
    const inst = targetRow(file, "JTT-09");
    setCell(file, "目标", inst, "机关建设项目", null);
    setCell(file, "目标", inst, "来源", "本级目标");
    setCell(file, "目标", targetRow(file, "JTT-02"), "机关建设项目", "组织建设");
    const list = await problems(file);
    expect(list).toContain("目标 表第 2 行 C 列（目标类别）：“职能目标”不是有效的目标类别，应填写机关建设目标、职能绩效目标之一。");
    expect(list).toContain(`目标 表第 ${inst} 行 D 列（机关建设项目）：此项必填，应填写思想建设、组织建设、党风廉政建设、队伍建设、同步小康驻村、省领导评价、创新项目评选、二级考评、公众测评、讲规矩守纪律之一。`);
    expect(list).toContain(`目标 表第 ${inst} 行 E 列（来源）：机关建设目标不填写来源（“1+6+N”只适用于职能绩效目标，§6.2）。`);
    expect(list).toContain(`目标 表第 ${targetRow(file, "JTT-02")} 行 D 列（机关建设项目）：职能绩效目标不填写机关建设项目。`);
  });

  it("requires the document number of a dynamic target and checks its form", async () => {
    const file = base();
    setCell(file, "目标", targetRow(file, "JTT-11"), "文号", null);
    setCell(file, "目标", targetRow(file, "WJW-11"), "文号", "黔府办发2026-12");
    const list = await problems(file);
    expect(list).toContain(`目标 表第 ${targetRow(file, "JTT-11")} 行 G 列（文号）：动态目标须填写所依据文件的文号（§2.7），如 黔府办发〔2026〕12号。`);
    expect(list).toContain(`目标 表第 ${targetRow(file, "WJW-11")} 行 G 列（文号）：文号“黔府办发2026-12”格式不正确，应如 黔府办发〔2026〕12号。`);
  });

  it("keeps deadlines inside the cycle and reads only real dates", async () => {
    const file = base();
    setCell(file, "目标", 4, "完成时限", d("2027-01-15"));
    setCell(file, "目标", 5, "完成时限", "年底前");
    const list = await problems(file);
    expect(list).toContain("目标 表第 4 行 K 列（完成时限）：日期 2027-01-15 不在 2026 年度考评周期（1月1日至12月31日，§2.20）内。");
    expect(list).toContain("目标 表第 5 行 K 列（完成时限）：“年底前”不是有效日期，请填写如 2026-12-20 的日期。");
  });

  it("requires owners to exist and to belong to the target's agency", async () => {
    const file = base();
    setCell(file, "目标", 2, "责任人", "wjw_zhou");
    setCell(file, "目标", 3, "责任人", "张三");
    const list = await problems(file);
    expect(list).toContain("目标 表第 2 行 L 列（责任人）：责任人“wjw_zhou”（账号 wjw_zhou）属于省卫生健康委，不是省交通运输厅的人员。");
    expect(list).toContain("目标 表第 3 行 L 列（责任人）：未找到责任人“张三”。请填写省交通运输厅人员的账号或姓名，或在“人员”表中补充。");
  });

  it("reports a repeated target code and a required cell left empty", async () => {
    const file = base();
    setCell(file, "目标", 6, "目标编号", "JTT-01");
    setCell(file, "目标", 8, "目标名称", null);
    const list = await problems(file);
    expect(list).toContain("目标 表第 6 行 A 列（目标编号）：目标编号 JTT-01 与第 2 行重复。");
    expect(list).toContain("目标 表第 8 行 H 列（目标名称）：此项必填，不能为空。");
  });
});

describe("problems with an agency's whole set", () => {
  it("refuses a set that breaks 1+6+N, naming the agency and the rows", async () => {
    const file = base();
    setCell(file, "目标", targetRow(file, "WJW-07"), "来源", "上级目标");
    const first = targetRow(file, "WJW-01");
    const list = await problems(file);
    const rows = ["WJW-01", "WJW-02", "WJW-03", "WJW-04", "WJW-05", "WJW-06", "WJW-07", "WJW-08", "WJW-11"].map((c) => targetRow(file, c)).join("、");
    expect(list).toEqual([`目标 表第 ${first} 行 E 列（来源）：省卫生健康委的职能绩效目标不符合“1+6+N”要求（§6.2）：本级目标至少 6 项（现有 5 项）。（该单位职能绩效目标在第 ${rows} 行）`]);
  });

  it("requires the initial functional weights to add up to 50", async () => {
    const file = base();
    setCell(file, "目标", targetRow(file, "GXS-03"), "权重", 5);
    const first = targetRow(file, "GXS-01");
    const list = await problems(file);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(new RegExp(`^目标 表第 ${first} 行 J 列（权重）：省供销社：初始职能绩效目标权重合计应为 50 分（§6.2 职能绩效目标占 50%），现为 49 分。（涉及第 ${first}、`));
  });

  it("checks 机关建设 weights per item (§6.1)", async () => {
    const file = base();
    const survey = targetRow(file, "JTT-10");
    setCell(file, "目标", survey, "机关建设项目", "公众测评");
    setCell(file, "目标", targetRow(file, "JTT-09"), "权重", 42);
    const list = await problems(file);
    expect(list).toContain(`目标 表第 ${survey} 行 J 列（权重）：公众测评不计分（§8.3，作为考评等次的参考），权重应为 0。`);
    expect(list).toContain(`目标 表第 ${targetRow(file, "JTT-09")} 行 J 列（权重）：省交通运输厅：机关党建目标（思想建设、组织建设、党风廉政建设、队伍建设、同步小康驻村）权重合计不能超过 41 分（§6.1），现为 42 分。（涉及第 ${targetRow(file, "JTT-09")} 行）`);
  });
});

describe("problems in the 指标 and 季度节点 sheets", () => {
  it("checks indicator levels 1–3 and their parents", async () => {
    const file = base();
    file.指标.push(
      ["JTT-01", "1.2", "二级", null, "无上级的二级指标", "", "", null, null, null],
      ["JTT-01", "1.3", "二级", "9", "上级不存在", "", "", null, null, null],
      ["JTT-01", "1.1.2", "三级", "1", "跳级的三级指标", "", "", null, null, null],
      ["JTT-01", "2", "四级", null, "没有四级", "", "", null, null, null],
      ["JTT-99", "1", "一级", null, "目标不在文件中", "", "", null, null, null],
    );
    const n = file.指标.length + 1;
    const list = await problems(file);
    expect(list).toEqual([
      `指标 表第 ${n - 4} 行 D 列（上级指标编号）：二级指标须填写上级指标编号。`,
      `指标 表第 ${n - 3} 行 D 列（上级指标编号）：上级指标“9”不在目标 JTT-01 的指标中。`,
      `指标 表第 ${n - 2} 行 D 列（上级指标编号）：上级指标“1”是一级指标，三级指标的上级应为二级指标。`,
      `指标 表第 ${n - 1} 行 C 列（指标级别）：“四级”不是有效的指标级别，应填写一级、二级、三级之一。`,
      `指标 表第 ${n} 行 A 列（目标编号）：目标编号 JTT-99 不在本文件“目标”表中。指标须与其目标一并导入。`,
    ]);
  });

  it("checks quarters, due dates inside the quarter, repeats and rising progress", async () => {
    const file = base();
    const at = (code: string, quarter: string) => file.季度节点.findIndex((r) => r[0] === code && r[1] === quarter) + 2;
    setCell(file, "季度节点", at("JTT-02", "第一季度"), "季度", "第五季度");
    setCell(file, "季度节点", at("JTT-03", "第二季度"), "截止日期", d("2026-07-05"));
    setCell(file, "季度节点", at("JTT-04", "第三季度"), "应达进度", 40);
    setCell(file, "季度节点", at("JTT-11", "第四季度"), "截止日期", d("2026-12-20"));
    file.季度节点.push(["JTT-05", "第二季度", d("2026-06-15"), 50, "重复的第二季度"]);
    const list = await problems(file);
    expect(list).toEqual([
      `季度节点 表第 ${at("JTT-02", "第五季度")} 行 B 列（季度）：“第五季度”不是有效的季度，应填写第一季度、第二季度、第三季度、第四季度之一。`,
      `季度节点 表第 ${at("JTT-03", "第二季度")} 行 C 列（截止日期）：截止日期 2026-07-05 不在 2026 年第二季度（4月1日至6月30日）内。`,
      `季度节点 表第 ${at("JTT-04", "第三季度")} 行 D 列（应达进度）：第三季度应达进度 40% 低于第二季度的 50%，应逐季度不减。`,
      `季度节点 表第 ${at("JTT-11", "第四季度")} 行 C 列（截止日期）：截止日期（12月20日）晚于目标完成时限（11月30日）。`,
      `季度节点 表第 ${file.季度节点.length + 1} 行 B 列（季度）：目标 JTT-05 的第二季度节点与第 ${at("JTT-05", "第二季度")} 行重复，每项目标每季度只填一行。`,
    ]);
  });
});

describe("problems in the 单位 and 人员 sheets", () => {
  it("checks management types, roles and agencies of people", async () => {
    const file = base();
    setCell(file, "单位", 3, "管理方式", "直管");
    setCell(file, "人员", 2, "角色", "科员");
    setCell(file, "人员", 3, "所属单位", "交通厅");
    const list = await problems(file);
    expect(list.slice(0, 3)).toEqual([
      "单位 表第 3 行 D 列（管理方式）：“直管”不是有效的管理方式，应填写直接管理、委托管理之一。",
      "人员 表第 2 行 C 列（角色）：“科员”不是有效的角色，应填写单位目标办、单位主要负责人、目标责任人、目标办、第三方机构之一。",
      "人员 表第 3 行 D 列（所属单位）：未找到单位“交通厅”。请填写系统中已有单位的代码、全称或简称，或在“单位”表中补充该单位。",
    ]);
  });

  it("wants 所属单位 empty for 目标办 and 第三方机构 and filled for an agency's people", async () => {
    const file = base();
    file.人员.push(["mbb_wang", "王明", "目标办", "省交通运输厅", null, null], ["dsf_li", "李平", "第三方机构", null, null, null]);
    setCell(file, "人员", 3, "所属单位", null);
    setCell(file, "人员", 4, "手机号", "1380000");
    const list = await problems(file);
    expect(list).toEqual([
      "人员 表第 3 行 D 列（所属单位）：单位主要负责人须填写所属单位（单位代码、全称或简称）。",
      "人员 表第 4 行 G 列（手机号）：手机号“1380000”应为 11 位数字，如 13800000000。",
      `人员 表第 ${file.人员.length} 行 D 列（所属单位）：目标办人员不属于任何单位，请将“所属单位”留空。`,
    ]);
  });

  it("does not turn an agency's person into a province role", async () => {
    const file = base();
    setCell(file, "人员", 2, "角色", "目标办");
    setCell(file, "人员", 2, "所属单位", null);
    const { db: other } = await freshDb("import-errors-roles");
    expect((await importSheets(other, base())).result.ok).toBe(true);
    const { result } = await importSheets(other, file);
    await other.$disconnect();
    expect(!result.ok && result.problems).toContain("人员 表第 2 行 C 列（角色）：账号 jtt_officer 在系统中是单位目标办，不能通过导入改为目标办。");
  });

  it("uses the real column letter when columns were moved", async () => {
    const file = base();
    const headers = { 目标: [...HEADERS.目标] };
    // Swap 来源 (E) and 机关建设项目 (D) in the header and in every row.
    [headers.目标[3], headers.目标[4]] = [headers.目标[4], headers.目标[3]];
    file.目标 = file.目标.map((r) => [r[0], r[1], r[2], r[4], r[3], ...r.slice(5)]);
    file.目标[5][3] = "本级任务";
    expect(await problems(file, { headers })).toContain("目标 表第 7 行 D 列（来源）：“本级任务”不是有效的来源，应填写脱贫攻坚目标、本级目标、上级目标之一。");
  });

  it("refuses a file whose header lost a required column", async () => {
    const file = base();
    const headers = { 目标: HEADERS.目标.filter((h) => h !== "权重*") };
    file.目标 = file.目标.map((r) => [...r.slice(0, 9), ...r.slice(10)]);
    expect(await problems(file, { headers })).toEqual(["目标 表：第 1 行（表头）缺少“权重”列。请使用系统生成的模板，不要删改表头。"]);
  });

  it("refuses a workbook that is not a 目标任务分解表", async () => {
    expect(await problems({})).toEqual(["目标 表：文件中没有找到“单位”“人员”“目标”“指标”“季度节点”工作表。请使用系统生成的目标任务分解表模板填写。"]);
  });
});

describe("an invalid file", () => {
  it("writes nothing at all, even where most rows are fine", async () => {
    const file = base();
    setCell(file, "目标", 7, "来源", "本级任务");
    await problems(file);
    expect(await counts(db)).toEqual({ cycles: 0, agencies: 0, users: 0, identities: 0, targets: 0, owners: 0, indicators: 0, milestones: 0 });
  });

  it("lists every problem of a file with many, in file order", async () => {
    const file = base();
    setCell(file, "目标", 12, "来源", "本级任务");
    setCell(file, "目标", 3, "单位", "省水利厅");
    setCell(file, "人员", 4, "角色", "科员");
    const { text } = await importSheets(db, file);
    const lines = text.split("\n");
    expect(lines[0]).toBe("《目标任务分解表.xlsx》校验未通过，未导入任何数据。共发现 3 处问题：");
    expect(lines[1]).toMatch(/^1\. 人员 表第 4 行 C 列（角色）/);
    expect(lines[2]).toMatch(/^2\. 目标 表第 3 行 B 列（单位）/);
    expect(lines[3]).toMatch(/^3\. 目标 表第 12 行 E 列（来源）/);
    expect(lines.at(-1)).toBe("请按上述位置修改后重新导入。");
  });
});
