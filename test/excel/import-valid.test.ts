import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";
import { clone, counts, importSheets, provinceFile, setCell, targetRow } from "./fixtures.js";

let db: Db;
beforeAll(async () => {
  ({ db } = await freshDb("import-valid"));
});
afterAll(async () => db.$disconnect());

describe("importing a valid 目标任务分解表", () => {
  it("creates the cycle, agencies, people and every target as a draft", async () => {
    const { result, text, content } = await importSheets(db, provinceFile());
    expect(result.ok).toBe(true);
    expect(text).toContain("《目标任务分解表.xlsx》导入完成（2026 年度）");
    expect(text).toContain("已建立 2026 年度考评周期");
    expect(text).toContain("目标：新增 33 项，更新 0 项，无变化 0 项");
    expect(text).toContain("单位：新增 3 个，更新 0 个");
    expect(text).toContain("人员：新增 11 人，更新 0 人");
    expect(text).toContain("省交通运输厅 11 项、省卫生健康委 11 项、省供销社 11 项");
    expect(await counts(db)).toEqual({ cycles: 1, agencies: 3, users: 11, identities: 11, targets: 33, owners: 32, indicators: 69, milestones: 108 });
    const sha = createHash("sha256").update(content).digest("hex");
    const targets = await db.target.findMany();
    expect(new Set(targets.map((t) => t.status))).toEqual(new Set(["draft"]));
    expect(new Set(targets.map((t) => t.importBatch))).toEqual(new Set([sha]));
  });

  it("stores the cells as the standard means them", async () => {
    const t = await db.target.findFirstOrThrow({
      where: { code: "JTT-08" },
      include: { agency: true, owners: { include: { user: true } }, milestones: { orderBy: { quarter: "asc" } }, indicators: { orderBy: { level: "asc" } } },
    });
    // The agency was named by its full name in this row; owners were two names joined by “、”.
    expect(t.agency.code).toBe("JTT");
    expect(t).toMatchObject({ category: "functional", source: "superior", managementType: "initial", weight: 6 });
    expect(t.deadline).toEqual(fromBeijingDate("2026-12-20"));
    expect(t.owners.map((o) => o.user.account).sort()).toEqual(["jtt_li", "jtt_wang"]);
    // “2026-09-30” typed as text and “75%” as text read the same as date and number cells.
    expect(t.milestones.map((m) => [m.quarter, m.expectedProgress])).toEqual([[1, 25], [2, 50], [3, 75], [4, 100]]);
    expect(t.milestones[2].dueOn).toEqual(fromBeijingDate("2026-09-30"));
    const [l1, l2] = t.indicators;
    expect([l1.level, l1.parentId, l2.level, l2.parentId, l2.targetValue, l2.unit]).toEqual([1, null, 2, l1.id, 4, "个"]);
    const dynamic = await db.target.findFirstOrThrow({ where: { code: "WJW-11" } });
    expect(dynamic).toMatchObject({ managementType: "dynamic", documentNo: "黔府办发〔2026〕12号", weight: 0 });
    const institution = await db.target.findFirstOrThrow({ where: { code: "GXS-09" } });
    expect(institution).toMatchObject({ category: "institution", item: "organisation", source: null });
    const officer = await db.user.findUniqueOrThrow({ where: { account: "gxs_officer" }, include: { identities: true, agency: true } });
    expect(officer).toMatchObject({ role: "officer", agency: { code: "GXS", managementType: "entrusted" } });
    expect(officer.identities.map((i) => [i.platform, i.externalId])).toEqual([["wecom", "wx_gxs_officer"]]);
  });

  it("keeps a three-level indicator tree (§2.9)", async () => {
    const t = await db.target.findFirstOrThrow({ where: { code: "WJW-01" }, include: { indicators: { orderBy: { level: "asc" } } } });
    const [l1, l2, l3] = t.indicators;
    expect([l1.parentId, l2.parentId, l3.parentId]).toEqual([null, l1.id, l2.id]);
    expect(l3).toMatchObject({ level: 3, name: "帮扶村集体经济收入", targetValue: 10, unit: "万元" });
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = await counts(db);
    const stamps = (await db.target.findMany({ orderBy: { id: "asc" } })).map((t) => [t.id, t.updatedAt.getTime()]);
    const maxIndicator = await db.indicator.aggregate({ _max: { id: true } });
    const { result, text } = await importSheets(db, provinceFile());
    expect(result.ok).toBe(true);
    expect(text).toBe("《目标任务分解表.xlsx》与系统中的数据一致，未作任何修改（2026 年度目标 33 项均无变化）。");
    expect(await counts(db)).toEqual(before);
    expect((await db.target.findMany({ orderBy: { id: "asc" } })).map((t) => [t.id, t.updatedAt.getTime()])).toEqual(stamps);
    expect(await db.indicator.aggregate({ _max: { id: true } })).toEqual(maxIndicator);
  });

  it("updates only the changed target, by its code, and marks it with the new file", async () => {
    const file = clone(provinceFile());
    setCell(file, "目标", targetRow(file, "WJW-03"), "目标名称", "公共卫生应急能力提升工程");
    file.季度节点 = file.季度节点.map((r) => (r[0] === "WJW-03" && r[1] === "第二季度" ? [r[0], r[1], r[2], 55, r[4]] : r));
    const before = await counts(db);
    const { result, text, content } = await importSheets(db, file, { fileName: "目标任务分解表（修改）.xlsx" });
    expect(result.ok).toBe(true);
    expect(text).toContain("目标：新增 0 项，更新 1 项，无变化 32 项");
    expect(text).toContain("省卫生健康委 1 项");
    expect(await counts(db)).toEqual(before);
    const t = await db.target.findFirstOrThrow({ where: { code: "WJW-03" }, include: { milestones: { orderBy: { quarter: "asc" } } } });
    expect(t.title).toBe("公共卫生应急能力提升工程");
    expect(t.milestones.map((m) => m.expectedProgress)).toEqual([25, 55, 75, 100]);
    expect(t.importBatch).toBe(createHash("sha256").update(content).digest("hex"));
    const other = await db.target.findFirstOrThrow({ where: { code: "WJW-04" } });
    expect(other.importBatch).not.toBe(t.importBatch);
  });

  it("refuses to change an issued target but accepts it unchanged", async () => {
    await db.target.updateMany({ where: { code: { startsWith: "GXS-" } }, data: { status: "issued", issuedAt: new Date() } });
    const file = clone(provinceFile());
    setCell(file, "目标", targetRow(file, "WJW-03"), "目标名称", "公共卫生应急能力提升工程");
    file.季度节点 = file.季度节点.map((r) => (r[0] === "WJW-03" && r[1] === "第二季度" ? [r[0], r[1], r[2], 55, r[4]] : r));
    expect((await importSheets(db, file)).text).toContain("未作任何修改");
    const row = targetRow(file, "GXS-05");
    setCell(file, "目标", row, "权重", 5);
    setCell(file, "目标", targetRow(file, "GXS-06"), "权重", 7);
    const { result } = await importSheets(db, file);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      `目标 表第 ${row} 行 A 列（目标编号）：目标 GXS-05 已下达（当前状态：已下达），不能通过导入修改（本行改动了：权重）。如确需调整，请将本行恢复为系统中的内容，或依据文件另行下达动态目标（§2.7）。`,
      `目标 表第 ${row + 1} 行 A 列（目标编号）：目标 GXS-06 已下达（当前状态：已下达），不能通过导入修改（本行改动了：权重）。如确需调整，请将本行恢复为系统中的内容，或依据文件另行下达动态目标（§2.7）。`,
    ]);
  });

  it("updates people and binds a new platform account in place of the old one", async () => {
    const file = clone(provinceFile());
    const row = file.人员.findIndex((r) => r[0] === "wjw_wu") + 2;
    setCell(file, "人员", row, "角色", "单位目标办");
    setCell(file, "人员", row, "企业微信账号", "WuLin");
    setCell(file, "人员", row, "钉钉账号", "dt-0931");
    const { text } = await importSheets(db, file);
    expect(text).toContain("人员：新增 0 人，更新 1 人");
    const wu = await db.user.findUniqueOrThrow({ where: { account: "wjw_wu" }, include: { identities: { orderBy: { platform: "asc" } } } });
    expect(wu.role).toBe("officer");
    expect(wu.identities.map((i) => [i.platform, i.externalId])).toEqual([["dingtalk", "dt-0931"], ["wecom", "WuLin"]]);
    expect((await importSheets(db, file)).text).toContain("未作任何修改");
  });

  it("never turns a province account into agency staff", async () => {
    await db.user.create({ data: { account: "mbb_li", name: "李华", role: "office" } });
    const file = clone(provinceFile());
    file.人员.push(["mbb_li", "李华", "目标责任人", "省供销社", null, null]);
    const { result } = await importSheets(db, file);
    expect(!result.ok && result.problems).toEqual([`人员 表第 ${file.人员.length + 1} 行 C 列（角色）：账号 mbb_li 在系统中是目标办（领导小组办公室/目标部），不能通过导入改为目标责任人。`]);
  });

  it("creates the first 目标办 and 第三方机构 accounts without an agency, bound to their platform accounts", async () => {
    const file = clone(provinceFile());
    file.人员.push(["mbb_wang", "王明", "目标办", null, "WangMing", null, "+86 138-0000-0001"], ["dsf_li", "李平", "第三方机构", "", null, "dt-dsf-li"]);
    const { text } = await importSheets(db, file);
    expect(text).toContain("人员：新增 2 人");
    const people = await db.user.findMany({ where: { account: { in: ["mbb_wang", "dsf_li"] } }, include: { identities: true }, orderBy: { account: "asc" } });
    expect(people.map((u) => [u.account, u.role, u.agencyId, u.mobile, u.identities.map((i) => `${i.platform}:${i.externalId}`)])).toEqual([
      ["dsf_li", "assessor", null, null, ["dingtalk:dt-dsf-li"]],
      ["mbb_wang", "office", null, "13800000001", ["wecom:WangMing"]],
    ]);
    expect((await importSheets(db, file)).text).toContain("未作任何修改");
  });

  it("imports into the year asked for, creating that cycle", async () => {
    const file = provinceFile();
    const { result } = await importSheets(db, file, { year: 2027 });
    // 2026 dates are outside the 2027 cycle: every dated cell is reported, nothing is written.
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toContain("不在 2027 年度考评周期（1月1日至12月31日，§2.20）内");
    expect(await db.cycle.count()).toBe(1);
  });
});
