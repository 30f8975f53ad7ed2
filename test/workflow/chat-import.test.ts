import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileReply } from "../../src/messages/reply.js";
import { clone, counts, provinceFile, setCell } from "../excel/fixtures.js";
import { officeWorld, onConsole, textOf } from "./world.js";

/** An office user sends the 目标任务分解表 to the bot as a file; the core runs the import. */
let w: Awaited<ReturnType<typeof officeWorld>>;
beforeAll(async () => {
  w = await officeWorld("chat-import");
});
afterAll(async () => w.db.$disconnect());

describe("a 目标任务分解表 sent to the bot", () => {
  it("is refused with the places to fix when invalid, and writes nothing", async () => {
    const file = clone(provinceFile());
    setCell(file, "目标", 7, "来源", "本级任务");
    const answer = textOf(await w.sendFile("mbb_zhang", file));
    expect(answer).toBe(
      [
        "《2026年目标任务分解表.xlsx》校验未通过，未导入任何数据。共发现 1 处问题：",
        "1. 目标 表第 7 行 E 列（来源）：“本级任务”不是有效的来源，应填写脱贫攻坚目标、本级目标、上级目标之一。",
        "请按上述位置修改后重新导入。",
      ].join("\n"),
    );
    expect((await counts(w.db)).targets).toBe(0);
    expect(await w.db.agency.count()).toBe(0);
  });

  it("comes back as a workbook of problems when there are too many for a message", async () => {
    const file = clone(provinceFile());
    for (let row = 2; row <= 31; row++) setCell(file, "目标", row, "完成时限", "年底");
    const replies = await w.sendFile("mbb_zhang", file);
    expect(textOf(replies)).toContain("共发现 30 处问题");
    expect(textOf(replies)).toContain("……另有 10 处问题未列出");
    const attachment = replies.find((r) => r.kind === "file") as FileReply;
    expect(attachment).toMatchObject({ fileName: "导入问题清单.xlsx", caption: "共 30 处问题" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(attachment.base64, "base64") as never);
    const ws = wb.getWorksheet("问题清单")!;
    expect(ws.getCell("B3").value).toBe("目标 表第 2 行 K 列（完成时限）：“年底”不是有效日期，请填写如 2026-12-20 的日期。");
    expect(ws.getCell("A32").value).toBe(30);
  });

  it("is imported in the same event, as drafts awaiting review", async () => {
    const answer = textOf(await w.sendFile("mbb_zhang", provinceFile(), "2026年目标任务分解表.xlsx", "wecom-msg-1"));
    expect(answer).toContain("《2026年目标任务分解表.xlsx》导入完成（2026 年度）。");
    expect(answer).toContain("请发送“审核 <单位|全部>”审核");
    expect(await counts(w.db)).toMatchObject({ agencies: 3, users: 12, targets: 33, milestones: 108 });
  });

  it("is not imported twice when the platform retries the delivery", async () => {
    const before = await counts(w.db);
    const again = textOf(await w.sendFile("mbb_zhang", provinceFile(), "2026年目标任务分解表.xlsx", "wecom-msg-1"));
    expect(again).toContain("导入完成");
    expect(await counts(w.db)).toEqual(before);
  });

  it("changes nothing when the same file is sent again", async () => {
    const before = await counts(w.db);
    expect(textOf(await w.sendFile("mbb_zhang", provinceFile()))).toBe("《2026年目标任务分解表.xlsx》与系统中的数据一致，未作任何修改（2026 年度目标 33 项均无变化）。");
    expect(await counts(w.db)).toEqual(before);
  });

  it("is only for the office", async () => {
    await onConsole(w.db, "jtt_officer");
    expect(textOf(await w.sendFile("jtt_officer", provinceFile()))).toBe(
      "已收到文件“2026年目标任务分解表.xlsx”。通过 Excel 导入目标仅限省目标办使用；如为佐证材料，请先汇报进度（汇报 <目标编号> <进度> <说明>），再发送文件。",
    );
  });

  it("must be an .xlsx workbook", async () => {
    expect(textOf(await w.sendFile("mbb_zhang", Buffer.from("a,b\n"), "目标.csv"))).toBe(
      "文件“目标.csv”不是 .xlsx 格式。请用系统模板（发送“导出 模板”获取）填写目标任务分解表，保存为 .xlsx 后重新发送。",
    );
    expect(textOf(await w.sendFile("mbb_zhang", Buffer.from("\xd0\xcf\x11\xe0 old xls", "latin1"), "目标.xlsx"))).toBe(
      "无法读取该文件：请使用 .xlsx 格式（在 Excel 或 WPS 中“另存为”Excel 工作簿 .xlsx）后重新发送。",
    );
    expect(textOf(await w.sendFile("mbb_zhang", Buffer.from("PK\x03\x04broken", "latin1"), "目标.xlsx"))).toBe(
      "无法读取该文件：文件已损坏或不是 Excel 工作簿（.xlsx）。请用系统生成的模板重新填写。",
    );
  });
});

describe("导出 模板", () => {
  it("gives the office the template, which imports like any filled-in file", async () => {
    const replies = await w.chat.send("mbb_zhang", { type: "text", text: "导出 模板" });
    const file = replies[0] as FileReply;
    expect(file).toMatchObject({ kind: "file", fileName: "目标任务分解表模板.xlsx" });
    expect(textOf(await w.sendFile("mbb_zhang", Buffer.from(file.base64, "base64"), "模板.xlsx"))).toBe(
      "《模板.xlsx》校验未通过，未导入任何数据。共发现 1 处问题：\n1. 目标 表：文件中没有填写任何数据。请从第 2 行起逐行填写后重新导入。\n请按上述位置修改后重新导入。",
    );
  });
});
