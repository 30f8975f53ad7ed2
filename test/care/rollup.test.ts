import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weekday } from "../../src/domain/calendar/calendar.js";
import { agencyRollup, monthWindow, parseWindow, quarterWindow, rollupWindowsDue } from "../../src/domain/care/rollup.js";
import { demoProvince } from "../helpers/province.js";

/**
 * 20 Nov 2026 in the demo province: no target has reported since September. During November 赵磊
 * reports, 孙婷 goes on leave naming 赵磊 as delegate, and 何静 (省教育厅) goes on a trip.
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
let fgw: number;
let cycleId: number;
beforeAll(async () => {
  p = await demoProvince("rollup");
  fgw = (await p.db.agency.findUniqueOrThrow({ where: { code: "FGW" } })).id;
  cycleId = (await p.db.cycle.findUniqueOrThrow({ where: { year: 2026 } })).id;
  expect(await p.chat.say("fgw_zhao", "汇报 FGW-01 85 第四季度帮扶项目已验收")).toContain("已记入台账");
  expect(await p.chat.say("fgw_zhao", "汇报 FGW-03 80 营商环境评价报告已形成初稿")).toContain("已记入台账");
  expect(await p.chat.say("fgw_sun", "请假 11月18日 至 11月25日 赵磊")).toContain("已登记");
  expect(await p.chat.say("jyt_he", "出差 11月20日 至 11月24日")).toContain("已登记");
});
afterAll(async () => p.db.$disconnect());

const lines = (text: string) => text.split("\n");

describe("the roll-up of one agency", () => {
  it("counts what was due, what was reported, and flags owners on leave", async () => {
    const r = await agencyRollup(p.db, { agencyId: fgw, cycleId, window: monthWindow("2026-11-20"), asOf: p.clock.now() });
    // FGW-06 was completed in September: nothing more is owed.
    expect(r.items.map((i) => i.code)).toEqual(["FGW-01", "FGW-02", "FGW-03", "FGW-04", "FGW-05", "FGW-07", "FGW-08", "FGW-09", "FGW-10"]);
    expect(r.reportedCount).toBe(2);
    expect(r.unreported.map((i) => i.code)).toEqual(["FGW-02", "FGW-04", "FGW-05", "FGW-07", "FGW-08", "FGW-09", "FGW-10"]);
    const sun = r.unreported.find((i) => i.code === "FGW-02")!.owners[0];
    expect(sun).toMatchObject({ name: "孙婷", away: { kind: "leave", from: "2026-11-18", to: "2026-11-25", delegateName: "赵磊" } });
    expect(r.unreported.find((i) => i.code === "FGW-05")!.owners[0].away).toBeNull();
    expect(r.unreported[0]).toMatchObject({ what: "月度进度", deadline: "2026-11-30" });
  });

  it("owes milestones and deadlines in a quarter window", async () => {
    const r = await agencyRollup(p.db, { agencyId: fgw, cycleId, window: quarterWindow({ year: 2026, quarter: 4 }), asOf: p.clock.now() });
    expect(r.items.find((i) => i.code === "FGW-02")).toMatchObject({ what: "第四季度节点（应达100%）、完成时限", deadline: "2026-12-20" });
  });

  it("reads the period people type", () => {
    expect(parseWindow("", "2026-11-20")).toMatchObject({ period: "2026-11", from: "2026-11-01", to: "2026-11-30", label: "2026年11月" });
    expect(parseWindow("上月", "2026-11-20")).toMatchObject({ period: "2026-10" });
    expect(parseWindow("2026年第三季度", "2026-11-20")).toMatchObject({ period: "2026Q3", from: "2026-07-01", to: "2026-09-30" });
    expect(parseWindow("2月", "2026-11-20")).toMatchObject({ period: "2026-02", to: "2026-02-28" });
    // Quarters as people type them, without a year: this year's (issue 17 §6).
    for (const q of ["Q3", "q3", "三季度", "第三季度", "第3季度"]) expect(parseWindow(q, "2026-11-20"), q).toMatchObject({ period: "2026Q3", from: "2026-07-01", to: "2026-09-30" });
    expect(parseWindow("明年", "2026-11-20")).toBeNull();
  });
});

describe("when roll-ups go out", () => {
  const isWorkingDay = (day: string) => ![0, 6].includes(weekday(day));
  it("sends the previous month on the third working day and the quarter three working days before it closes", () => {
    expect(rollupWindowsDue("2026-11-03", isWorkingDay)).toEqual([]);
    expect(rollupWindowsDue("2026-11-04", isWorkingDay).map((w) => w.period)).toEqual(["2026-10"]);
    expect(rollupWindowsDue("2026-12-29", isWorkingDay).map((w) => w.period)).toEqual(["2026Q4"]);
    expect(rollupWindowsDue("2026-11-07", isWorkingDay)).toEqual([]);
  });
});

describe("未报 in chat", () => {
  it("gives the officer the short summary with owners, deadlines and who is away", async () => {
    const answer = await p.chat.say("fgw_officer", "未报");
    expect(answer).toContain("省发改委2026年11月目标进度汇报情况（截至11月20日）");
    expect(answer).toContain("本期应报 9 项，已报 2 项；未报 7 项：");
    expect(lines(answer)).toContain("· FGW-02 重大项目投资调度｜孙婷（请假，11月18日至11月25日，代理人赵磊）｜月度进度，截止11月30日");
    expect(lines(answer)).toContain("· FGW-05 能源保供方案｜赵磊｜月度进度，截止11月30日");
    expect(answer).not.toContain("FGW-01");
    expect(answer).toContain("代报 <姓名或账号> <编号> <进度> <说明>");
    expect(p.chat.last.at(-1)).toMatchObject({ kind: "card", card: { actions: [{ label: "提醒未报人员", command: "提醒未报 2026-11" }] } });
  });

  it("gives heads the summary without the remind button", async () => {
    await p.chat.say("fgw_head", "未报");
    expect(p.chat.last.some((r) => r.kind === "card")).toBe(false);
  });

  it("gives the office the province summary in agency order", async () => {
    const answer = await p.chat.say("mbb_zhang", "未报");
    const rows = lines(answer).filter((l) => l.startsWith("| 省"));
    expect(rows).toEqual(["| 省发改委 | 9 | 2 | 7 | 1 |", "| 省教育厅 | 9 | 0 | 9 | 1 |", "| 省农业农村厅 | 9 | 0 | 9 | 0 |", "| 省文物局 | 9 | 0 | 9 | 0 |"]);
    expect(answer).toContain("| 合计 | 36 | 2 | 34 | 2 |");
  });

  it("refuses staff and a period it cannot read", async () => {
    expect(await p.chat.say("fgw_zhao", "未报")).toContain("仅供");
    expect(await p.chat.say("fgw_officer", "未报 去年底")).toContain("无法识别期间“去年底”");
  });
});

describe("提醒未报", () => {
  it("queues one reminder per person, the absent owner's items going to their delegate", async () => {
    await p.chat.say("fgw_officer", "未报");
    const card = p.chat.last.find((r) => r.kind === "card");
    if (card?.kind !== "card") throw new Error("the roll-up came without its card");
    const answer = await p.chat.click("fgw_officer", card.card.key, "remind");
    expect(answer).toContain("已向 1 人发出2026年11月未报提醒：赵磊");
    const rows = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "unreported-remind:" } } });
    expect(rows.map((r) => r.recipient)).toEqual(["fgw_zhao"]);
    const text: string = JSON.parse(rows[0].payload).text;
    expect(text).toContain("【未报提醒】省发改委目标办提醒：2026年11月以下目标尚未汇报进度。");
    expect(text).toContain("· FGW-05 能源保供方案（月度进度，截止11月30日）");
    expect(text).toContain("您是孙婷（请假或出差中）的代理人");
    expect(text).toContain("· FGW-02 重大项目投资调度（月度进度，截止11月30日）");
    expect(rows[0].mandatory).toBe(false);
  });

  it("does not remind the same person twice on one day", async () => {
    const answer = await p.chat.say("fgw_officer", "提醒未报");
    expect(answer).toContain("赵磊 今日已提醒过，不再重复发送");
    expect(await p.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "unreported-remind:" } } })).toBe(1);
  });

  it("hands items back to the officer when the officer is the delegate, and names muted people", async () => {
    await p.chat.say("nyt_tian", "退订 提醒");
    const jyt = await p.chat.say("jyt_officer", "提醒未报");
    expect(jyt).toContain("今日没有需要新发出的提醒");
    expect(jyt).toContain("以下目标的责任人请假或出差中，代理人为您本人，请代报：");
    expect(jyt).toContain("何静：代报 何静 JYT-01 <进度> <说明>");
    const nyt = await p.chat.say("nyt_officer", "提醒未报");
    expect(nyt).toContain("今日没有需要新发出的提醒");
    expect(nyt).toContain("田勇 已退订非必要提醒，未向其发送，请另行联系");
    const tian = await p.db.user.findUniqueOrThrow({ where: { account: "nyt_tian" } });
    expect(await p.db.outboxMessage.count({ where: { userId: tian.id, idempotencyKey: { startsWith: "unreported-remind:" } } })).toBe(0);
  });

  it("is for the agency officer only", async () => {
    expect(await p.chat.say("fgw_head", "提醒未报")).toContain("仅供");
  });
});
