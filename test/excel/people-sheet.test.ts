import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { targetTemplate } from "../../src/excel/template.js";

/** The template's 人员 sheet offers the province roles, so a new province's first office account can come from it. */
describe("the template's 人员 sheet", () => {
  it("offers 目标办 and 第三方机构 in the drop-down and explains that their 所属单位 stays empty", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await targetTemplate()) as never);
    const people = wb.getWorksheet("人员")!;
    expect((people.getRow(1).values as unknown[]).slice(1)).toEqual(["账号*", "姓名*", "角色*", "所属单位", "企业微信账号", "钉钉账号", "手机号"]);
    expect(people.getCell("C2").dataValidation.formulae).toEqual(['"单位目标办,单位主要负责人,目标责任人,目标办,第三方机构"']);
    const notes: string[] = [];
    wb.getWorksheet("填写说明")!.eachRow((row) => notes.push((row.values as unknown[]).slice(1).map(String).join(" | ")));
    expect(notes).toContain("人员 | 角色 | 是 | 单位目标办、单位主要负责人、目标责任人，或 目标办（省目标办人员）、第三方机构 | 单位目标办、单位主要负责人、目标责任人、目标办、第三方机构");
    expect(notes).toContain("人员 | 所属单位 | 否 | 单位代码、全称或简称；单位人员必填，目标办、第三方机构人员不填 | ");
    expect(notes.some((n) => n.includes("新省份的第一个目标办账号可在“人员”表中填写：角色选“目标办”，所属单位留空"))).toBe(true);
  });
});
