import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileReply } from "../../src/messages/reply.js";
import { provinceStats } from "../../src/domain/supervision/statistics.js";
import { demoProvince } from "../helpers/province.js";

/** Exports open in Excel with the content the office expects (§7.3 台账, §2.23 负面清单, §7.4 统计). */
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("exports");
});
afterAll(async () => p.db.$disconnect());

async function exported(account: string, command: string): Promise<{ file: FileReply; wb: ExcelJS.Workbook }> {
  const replies = await p.chat.send(account, { type: "text", text: command });
  const file = replies.find((r) => r.kind === "file") as FileReply | undefined;
  if (!file) throw new Error(`no file in ${JSON.stringify(replies)}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(file.base64, "base64") as never);
  return { file, wb };
}

/** Data rows of a report sheet (title in row 1, header in row 2) as plain values. */
function rows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n > 2) out.push((row.values as unknown[]).slice(1));
  });
  return out;
}

const header = (ws: ExcelJS.Worksheet) => (ws.getRow(2).values as unknown[]).slice(1);

describe("导出 台账", () => {
  it("gives the office an agency's every report with its evidence", async () => {
    const report = await p.db.progressReport.findFirstOrThrow({ where: { target: { code: "FGW-03" } }, include: { reporter: true }, orderBy: { id: "asc" } });
    await p.db.reportEvidence.create({ data: { reportId: report.id, kind: "link", name: "调度会议纪要", ref: "https://example.gov.cn/fgw/minutes-1", sha256: "ab12" } });
    const { file, wb } = await exported("mbb_zhang", "导出 台账 省发改委");
    const total = await p.db.progressReport.count({ where: { target: { agency: { code: "FGW" } } } });
    expect(file.fileName).toBe("省发改委2026年度台账.xlsx");
    expect(file.caption).toBe(`贵州省发展和改革委员会2026年度台账：目标 10 项，台账记录 ${total} 条。`);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["目标", "台账", "佐证材料", "核查记录", "改进措施"]);

    const ledger = wb.getWorksheet("台账")!;
    expect(ledger.getCell("A1").value).toMatch(/^贵州省发展和改革委员会2026年度目标台账（导出时间 \d{4}-\d{2}-\d{2}）$/);
    expect(header(ledger)).toEqual(["目标编号", "目标名称", "记录号", "汇报时间", "汇报人", "代报对象", "进度", "数值", "PDCA 阶段", "进度说明", "对应季度节点", "更正记录号", "渠道", "佐证材料"]);
    const data = rows(ledger);
    expect(data).toHaveLength(total);
    const first = data.find((r) => r[2] === report.id)!;
    expect(first.slice(0, 3)).toEqual(["FGW-03", "营商环境评价", report.id]);
    expect([first[4], first[6], first[8], first[12], first[13]]).toEqual([report.reporter.name, report.progress, "执行", "控制台", "调度会议纪要"]);
    // Reported 28 Mar 2026 at 10:00 Beijing time (02:00 UTC): the cell shows Beijing wall-clock time.
    expect((first[3] as Date).toISOString().slice(0, 16)).toBe("2026-03-28T10:00");

    const evidence = rows(wb.getWorksheet("佐证材料")!);
    expect(evidence).toEqual([[report.id, "FGW-03", "链接", "调度会议纪要", "https://example.gov.cn/fgw/minutes-1", "ab12", expect.any(Date)]]);
    const targets = rows(wb.getWorksheet("目标")!);
    expect(targets[0].slice(0, 5)).toEqual(["FGW-01", "省发改委定点帮扶巩固拓展脱贫攻坚成果", "职能绩效目标·脱贫攻坚目标", "初始目标", "执行中"]);
    expect(targets[7][3]).toBe("动态目标（黔府办发〔2026〕12号）");
  });

  it("gives an officer their own agency without naming it, and nothing of others", async () => {
    const { file } = await exported("fgw_officer", "导出 台账");
    expect(file.fileName).toBe("省发改委2026年度台账.xlsx");
    expect(await p.chat.say("fgw_officer", "导出 台账 省教育厅")).toBe("您只能查看本单位的信息，无权查看其他单位的台账。");
  });

  it("asks the office which agency", async () => {
    expect(await p.chat.say("mbb_zhang", "导出 台账")).toBe("请写明要导出台账的单位，例如：导出 台账 省发改委。\n正确格式：导出 台账 [单位] | 负面清单 <季度> | 统计 | 模板");
  });
});

describe("导出 负面清单", () => {
  it("gives the office every agency's list of the quarter", async () => {
    const { file, wb } = await exported("mbb_zhang", "导出 负面清单 2026Q1");
    const lists = await p.db.negativeList.findMany({ where: { period: "2026Q1" }, include: { agency: true, entries: true }, orderBy: { agencyId: "asc" } });
    const active = lists.flatMap((l) => l.entries.filter((e) => e.status === "active"));
    expect(file.fileName).toBe("负面清单-2026Q1.xlsx");
    expect(file.caption).toBe(`2026年第一季度负面清单：4 个单位，有效条目 ${active.length} 项。`);
    const summary = rows(wb.getWorksheet("汇总")!);
    expect(summary.map((r) => [r[0], r[1], r[2]])).toEqual(lists.map((l) => [l.agency.name, l.entries.length, l.totalPoints]));
    const detail = wb.getWorksheet("明细")!;
    expect(header(detail)).toEqual(["单位", "条目号", "目标编号", "目标名称", "季度节点", "节点截止日期", "事由", "分值", "状态", "撤销时间", "原因分析", "改进措施"]);
    const entries = rows(detail);
    expect(entries).toHaveLength(active.length);
    expect(entries[0][4]).toBe("第一季度");
    expect((entries[0][5] as Date).toISOString().slice(0, 10)).toBe("2026-03-31");
    expect(entries[0][7]).toBe(-0.5);
    expect(entries[0][8]).toBe("有效");
  });

  it("gives a head only their agency's list, and reads the quarter either way", async () => {
    const { wb } = await exported("fgw_head", "导出 负面清单 2026年第三季度");
    expect(rows(wb.getWorksheet("汇总")!).map((r) => r[0])).toEqual(["贵州省发展和改革委员会"]);
  });

  it("says so when the quarter's list is not computed yet", async () => {
    expect(await p.chat.say("mbb_zhang", "导出 负面清单 2026Q4")).toBe("2026年第四季度负面清单尚未生成，暂无可导出的内容。\n正确格式：导出 台账 [单位] | 负面清单 <季度> | 统计 | 模板");
  });
});

describe("导出 统计", () => {
  it("gives the board of all agencies, with totals and the overdue items", async () => {
    const { wb } = await exported("mbb_zhang", "导出 统计");
    const cycle = await p.db.cycle.findFirstOrThrow();
    const stats = await provinceStats(p.db, cycle.id, p.clock.now());
    const board = rows(wb.getWorksheet("统计")!);
    expect(board.slice(0, 4)).toEqual(stats.map((s) => [s.agency, s.issued, s.onTrack, s.late, s.done, s.notCompleted]));
    expect(board[4]).toEqual(["合计", 40, ...[2, 3, 4, 5].map((i) => board.slice(0, 4).reduce((n, r) => n + (r[i] as number), 0))]);
    const overdue = rows(wb.getWorksheet("逾期事项")!);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue[0][4]).toMatch(/季度节点/);
  });

  it("is not for agencies", async () => {
    expect(await p.chat.say("fgw_head", "导出 统计")).toBe("统计报表汇总全省各单位情况，仅供目标办、第三方机构导出。");
    expect(await p.chat.say("fgw_zhao", "导出 台账")).toContain("“导出”仅供");
  });
});
