import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/infra/db.js";
import { targetTemplate } from "../../src/excel/template.js";
import { freshDb } from "../helpers/db.js";
import { HEADERS, clone, importSheets, provinceFile } from "./fixtures.js";

/**
 * The 单位 sheet's 级别 column (§2.16: 创新项目评选 is open to 直接管理 units and 副厅级以上 委托管理
 * units): optional, from a closed list, and a blank cell keeps what the system has.
 */
let db: Db;
beforeAll(async () => {
  ({ db } = await freshDb("agency-level"));
});
afterAll(async () => db.$disconnect());

const withLevel = { 单位: [...HEADERS.单位, "级别"] };

function levels(file: ReturnType<typeof provinceFile>, byCode: Record<string, string | null>) {
  file.单位 = file.单位.map((r) => [...r, byCode[String(r[0])] ?? null]);
  return file;
}

describe("单位 sheet: 级别 (§2.16)", () => {
  it("§2.16: the template offers 级别 with its drop-down list and a note on 创新项目评选", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await targetTemplate()) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("单位")!;
    expect(ws.getRow(1).getCell(5).value).toBe("级别");
    expect(ws.getCell("E2").dataValidation.formulae).toEqual(['"正厅级,副厅级,正处级,副处级"']);
    const notes = wb.worksheets.flatMap((w) => w.getSheetValues().flat()).join("|");
    expect(notes).toContain("副厅级以上可自愿申报创新项目评选（§2.16）");
  });

  it("§2.16: stores the 级别 given, and a blank 级别 on re-import keeps it", async () => {
    const file = levels(clone(provinceFile()), { GXS: "副厅级", JTT: "正厅级" });
    const { result } = await importSheets(db, file, { headers: withLevel });
    expect(result.ok).toBe(true);
    const level = async (code: string) => (await db.agency.findUniqueOrThrow({ where: { code } })).adminLevel;
    expect([await level("GXS"), await level("JTT"), await level("WJW")]).toEqual(["deputy_department", "department", null]);
    // The same file without the column (made before it existed) leaves the levels alone.
    expect((await importSheets(db, provinceFile())).result.ok).toBe(true);
    expect(await level("GXS")).toBe("deputy_department");
  });

  it("§2.16: refuses a 级别 outside the list, naming the sheet, row and column", async () => {
    const file = levels(clone(provinceFile()), { GXS: "科级" });
    const { result } = await importSheets(db, file, { headers: withLevel });
    expect(!result.ok && result.problems).toContainEqual("单位 表第 4 行 E 列（级别）：“科级”不是有效的级别，应填写正厅级、副厅级、正处级、副处级之一。");
  });
});
