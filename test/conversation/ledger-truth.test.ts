import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_NOW, demoProvince } from "../helpers/province.js";

/**
 * The ledger's truth in every list (issue 13): what 逾期, the target lines, 未报 and the report
 * dialog say must agree with the 台账 (§7.3). Demo: FGW-03 (赵磊) reported 45% by 6月27日 and 75% on
 * 9月27日, so its second-quarter milestone (6月30日, 50%) was reached late; FGW-04 (孙婷) reached
 * its first-quarter milestone late (50% on 6月27日) and is still short of the third (70% of 75%).
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("ledger-truth");
});
afterAll(async () => p.db.$disconnect());

describe("逾期 and the board: a milestone reached late", () => {
  it("is shown 逾期达成（9月27日）, not still 逾期 N 天", async () => {
    const answer = await p.chat.say("fgw_officer", "逾期");
    const line = answer.split("\n").find((l) => l.includes("FGW-03") && l.includes("第二季度节点"));
    expect(line).toContain("逾期达成（9月27日）");
    expect(line).not.toMatch(/逾期 \d+ 天/);
  });

  it("a milestone still not reached keeps its days overdue", async () => {
    const answer = await p.chat.say("fgw_officer", "逾期");
    const line = answer.split("\n").find((l) => l.includes("FGW-04") && l.includes("第三季度节点"));
    // 9月30日 to 11月20日: 51 days.
    expect(line).toContain("逾期 51 天");
  });

  it("the board's milestone reads 逾期达成（6月27日）", async () => {
    const { agencyBoard } = await import("../../src/board/data.js");
    const { DEFAULT_WARNING_RULES } = await import("../../src/domain/care/warnings.js");
    const cycle = await p.db.cycle.findFirstOrThrow();
    const fgw = await p.db.agency.findUniqueOrThrow({ where: { code: "FGW" } });
    const board = await agencyBoard(p.db, cycle, fgw.id, DEMO_NOW, DEFAULT_WARNING_RULES);
    const t4 = board!.targets.find((t) => t.code === "FGW-04")!;
    expect(t4.milestones[0].status).toBe("逾期达成（6月27日）");
    expect(t4.milestones[2].status).toBe("未按期达成");
  });
});

describe("“已逾期” on a target says which milestone or deadline", () => {
  it("我的目标 names the missed milestone and its due date", async () => {
    const answer = await p.chat.say("fgw_officer", "我的目标");
    const line = answer.split("\n").find((l) => l.includes("FGW-04"));
    expect(line).toContain("已逾期（第三季度节点9月30日）");
  });

  it("a target late only by a milestone reached late says so", async () => {
    const answer = await p.chat.say("fgw_officer", "目标 FGW-03");
    expect(answer).toContain("已逾期（第二季度节点，9月27日逾期达成）");
    expect(answer).toContain("逾期达成（9月27日）");
  });
});

describe("未报 for a past period counts only reports within that period", () => {
  it("a November report is not October's; it is shown 逾期补报", async () => {
    const before = await p.chat.say("fgw_officer", "未报 10月");
    expect(before).toContain("本期应报 9 项，已报 0 项；未报 9 项：");
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-01 80 十月工作十一月补报")).toContain("已记入台账");
    const after = await p.chat.say("fgw_officer", "未报 10月");
    expect(after).toContain("本期应报 9 项，已报 0 项；未报 9 项（其中逾期补报 1 项）");
    const line = after.split("\n").find((l) => l.includes("FGW-01"));
    expect(line).toContain("逾期补报（11月20日）");
  });

  it("the same report counts for November", async () => {
    const answer = await p.chat.say("fgw_officer", "未报 11月");
    const line = answer.split("\n").find((l) => l.includes("FGW-01"));
    expect(line).toBeUndefined();
  });

  it("提醒未报 does not remind an owner for a period already reported late", async () => {
    const answer = await p.chat.say("fgw_officer", "提醒未报 10月");
    const sent = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "unreported-remind:" } } });
    const texts = sent.map((m) => JSON.parse(m.payload).text as string).join("\n");
    expect(answer).toContain("已向");
    expect(texts).not.toContain("FGW-01");
    expect(texts).toContain("FGW-03");
  });
});

describe("a report much lower than the previous one asks to confirm", () => {
  it("5 after 85 (a typo for 85) is not recorded unasked", async () => {
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-05 85 预案完成")).toContain("已记入台账");
    const before = await p.db.progressReport.count({ where: { target: { code: "FGW-05" } } });
    const answer = await p.chat.say("fgw_zhao", "汇报 FGW-05 5 补充材料");
    expect(answer).toContain("比上次汇报的 85% 低 80 个百分点");
    expect(answer).toContain("确认请回复“确认”");
    expect(await p.db.progressReport.count({ where: { target: { code: "FGW-05" } } })).toBe(before);
    const fixed = await p.chat.say("fgw_zhao", "86");
    expect(fixed).toContain("进度 86%");
    const t = await p.db.target.findFirstOrThrow({ where: { code: "FGW-05" } });
    expect(t.progress).toBe(86);
  });

  it("records the lower figure once confirmed", async () => {
    await p.chat.say("fgw_zhao", "汇报 FGW-05 40 上级文件调整，部分任务重新开展");
    const answer = await p.chat.say("fgw_zhao", "确认");
    expect(answer).toContain("进度 40%");
    const t = await p.db.target.findFirstOrThrow({ where: { code: "FGW-05" } });
    expect(t.progress).toBe(40);
  });

  it("a drop within the rules file's threshold is recorded at once", async () => {
    // Default threshold: 20 percentage points (rules/README.md, reporting.confirmDropAbovePoints).
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-05 30 核减重复统计的部分")).toContain("已记入台账");
  });

  it("the card's percentage asks the same way", async () => {
    await p.chat.say("fgw_zhao", "汇报 FGW-05 90 已全面完成预案修订");
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-05 10")).toContain("请简要说明目标 FGW-05 本期进展");
    const answer = await p.chat.say("fgw_zhao", "补充了材料");
    expect(answer).toContain("比上次汇报的 90% 低 80 个百分点");
  });
});
