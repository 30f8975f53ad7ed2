import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_NOW, demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("office");
});
afterAll(async () => p.db.$disconnect());

const ref = (e: { seq: number; list: { period: string } }) => `${e.list.period}-${e.seq}`;

async function fgwEntry(period = "2026Q3") {
  return p.db.negativeListEntry.findFirstOrThrow({ where: { list: { period, agency: { code: "FGW" } }, status: "active" }, include: { list: true } });
}

describe("负面清单 (§2.23)", () => {
  it("shows the head the agency's newest list, and that its appeal window is over by now", async () => {
    const answer = await p.chat.say("fgw_head", "负面清单");
    expect(answer).toContain("贵州省发展和改革委员会2026年第三季度负面清单");
    expect(answer).toContain("超额完成不加分");
    expect(answer).toContain("申诉期已于 10月20日 结束。");
    expect(p.chat.last.some((r) => r.kind === "card")).toBe(false);
  });

  it("shows a named quarter, written either way", async () => {
    expect(await p.chat.say("fgw_officer", "负面清单 2026Q1")).toContain("2026年第一季度负面清单");
    expect(await p.chat.say("fgw_officer", "负面清单 2026年第二季度")).toContain("2026年第二季度负面清单");
  });

  it("refuses a quarter it cannot read", async () => {
    expect(await p.chat.say("fgw_head", "负面清单 明年")).toContain("无法识别季度");
  });

  it("gives the office the province summary", async () => {
    const answer = await p.chat.say("mbb_zhang", "负面清单 2026Q3");
    for (const a of ["省发改委", "省教育厅", "省农业农村厅", "省文物局"]) expect(answer).toContain(a);
  });

  it("is not shown to staff", async () => {
    expect(await p.chat.say("fgw_zhao", "负面清单")).toContain("仅供");
  });
});

describe("申诉 and 受理 (§5.3e)", () => {
  // The Q3 list was sent on 5 Oct; appeals run inside its 15-day window.
  beforeAll(() => p.clock.set(new Date("2026-10-12T02:00:00Z")));
  afterAll(() => p.clock.set(DEMO_NOW));

  it("files an appeal against an entry and tells every office user", async () => {
    const entry = await fgwEntry();
    const answer = await p.chat.say("fgw_head", `申诉 ${ref(entry)} 该节点已于9月29日完成，佐证已上传台账`);
    expect(answer).toMatch(/申诉已提交（申诉号 \d+）/);
    const office = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "appeal-filed:" } } });
    expect(office.map((o) => o.recipient).sort()).toEqual(["mbb_li", "mbb_zhang"]);
  });

  it("refuses a second appeal while the first is pending", async () => {
    const entry = await fgwEntry();
    expect(await p.chat.say("fgw_officer", `申诉 ${ref(entry)} 重复提交的申诉理由`)).toContain("已有待受理的申诉");
  });

  it("asks for the reason when it is left out", async () => {
    const entry = await p.db.negativeListEntry.findFirstOrThrow({ where: { list: { period: "2026Q3", agency: { code: "FGW" } }, appeals: { none: {} } }, include: { list: true } });
    expect(await p.chat.say("fgw_officer", `申诉 ${ref(entry)}`)).toContain("请写明对");
    expect(await p.chat.say("fgw_officer", "上级文件调整了该节点的时限")).toContain("申诉已提交");
  });

  it("refuses another agency's target, staff, and appeals after the window", async () => {
    const jyt = await p.db.negativeListEntry.findFirstOrThrow({ where: { list: { agency: { code: "JYT" } } }, include: { target: true } });
    expect(await p.chat.say("fgw_head", `申诉 ${jyt.target.code} 不属于本单位的目标`)).toContain("只能查看本单位");
    expect(await p.chat.say("fgw_zhao", "申诉 2026Q3-1 员工不能申诉")).toContain("仅供");
    const q1 = await fgwEntry("2026Q1");
    expect(await p.chat.say("fgw_head", `申诉 ${ref(q1)} 第一季度的事项早已过期`)).toContain("申诉期");
  });

  it("lists pending appeals for the office", async () => {
    const answer = await p.chat.say("mbb_zhang", "申诉列表");
    expect(answer).toContain("待受理申诉（2 件）");
    expect(answer).toContain("省发改委");
  });

  it("asks the office to confirm, then withdraws the entry and restores its points", async () => {
    const appeal = await p.db.appeal.findFirstOrThrow({ where: { status: "pending" }, include: { negativeEntry: { include: { list: true } } } });
    const totalBefore = appeal.negativeEntry!.list.totalPoints;
    const question = await p.chat.say("mbb_zhang", `受理 ${appeal.id} 同意 经核查该节点已按期完成`);
    expect(question).toContain("将同意省发改委的申诉");
    expect(question).toContain("请回复“确认”");
    expect((await p.db.appeal.findUniqueOrThrow({ where: { id: appeal.id } })).status).toBe("pending");
    const done = await p.chat.say("mbb_zhang", "确认");
    expect(done).toContain(`已同意申诉 ${appeal.id}`);
    const entry = await p.db.negativeListEntry.findUniqueOrThrow({ where: { id: appeal.negativeEntryId! }, include: { list: true } });
    expect(entry.status).toBe("withdrawn");
    expect(entry.list.totalPoints).toBeCloseTo(totalBefore - entry.points);
    const notices = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `appeal-decided:${appeal.id}:` } } });
    expect(notices.map((n) => n.recipient).sort()).toEqual(["fgw_head"]);
    expect(JSON.parse(notices[0].payload).text).toContain("已获同意");
    expect(await p.chat.say("mbb_zhang", `受理 ${appeal.id} 驳回 再次处理`)).toContain("将驳回");
    expect(await p.chat.say("mbb_zhang", "确认")).toContain("不能重复受理");
  });

  it("rejects with a reply that reaches the filer and the head", async () => {
    const appeal = await p.db.appeal.findFirstOrThrow({ where: { status: "pending" } });
    await p.chat.say("mbb_zhang", `受理 ${appeal.id} 驳回 时限调整文件晚于节点截止日`);
    expect(await p.chat.say("mbb_zhang", "确认")).toContain(`已驳回申诉 ${appeal.id}`);
    const notices = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `appeal-decided:${appeal.id}:` } } });
    expect(notices.map((n) => n.recipient).sort()).toEqual(["fgw_head", "fgw_officer"]);
    const events = await p.db.appealEvent.findMany({ where: { appealId: appeal.id } });
    expect(events.map((e) => e.action)).toEqual(["filed", "rejected"]);
  });

  it("refuses a malformed decision with the right form", async () => {
    const answer = await p.chat.say("mbb_zhang", "受理 1 也许 再看看");
    expect(answer).toContain("请写明“同意”或“驳回”");
    expect(answer).toContain("正确格式：受理 <申诉号> 同意|驳回 <受理意见>");
  });
});

describe("沟通 and 回复 (§2.22)", () => {
  it("carries a question to the office and the answer back to the asker", async () => {
    const asked = await p.chat.say("jyt_he", "沟通 第四季度节点能否以阶段报告代替验收材料？");
    const id = Number(/沟通号 (\d+)/.exec(asked)![1]);
    expect(await p.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: `communication-asked:${id}:` } } })).toBe(2);
    expect(await p.chat.say("mbb_li", "回复")).toContain("第四季度节点能否");
    expect(await p.chat.say("mbb_li", `回复 ${id} 可以，须附阶段报告和会议纪要`)).toContain(`已答复沟通 ${id}`);
    const back = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `communication-answered:${id}:` } } });
    expect(back.recipient).toBe("jyt_he");
    expect(JSON.parse(back.payload).text).toContain("须附阶段报告");
  });

  it("asks for the question when it is left out, and refuses a too short one", async () => {
    expect(await p.chat.say("nyt_tian", "沟通")).toContain("请输入您要咨询的问题");
    expect(await p.chat.say("nyt_tian", "啥")).toContain("请把问题写完整");
  });

  it("refuses an unknown thread", async () => {
    expect(await p.chat.say("mbb_li", "回复 999 答复内容")).toContain("未找到沟通号 999");
  });
});

describe("office views", () => {
  it("统计 counts issued, on track, late and done per agency", async () => {
    const answer = await p.chat.say("mbb_zhang", "统计");
    expect(answer).toContain("| 单位 | 已下达 | 正常推进 | 逾期 | 已完成 | 预警 |");
    const row = answer.split("\n").find((l) => l.startsWith("| 省文物局"))!;
    const [issued, onTrack, late, done] = row.split("|").slice(2, 6).map((c) => Number(c.trim()));
    expect(issued).toBe(10);
    expect(onTrack + late + done).toBe(issued);
    expect(answer).toContain("| 合计 | 40 |");
  });

  it("查询 finds an agency by its short name and lists its targets", async () => {
    const answer = await p.chat.say("mbb_zhang", "查询 文物局");
    expect(answer).toContain("贵州省文物局（SWJ）");
    expect(answer).toContain("SWJ-01");
  });

  it("查询 refuses an unknown agency", async () => {
    expect(await p.chat.say("mbb_zhang", "查询 海关")).toContain("未找到单位“海关”");
  });

  it("逾期 lists overdue milestones, for the province or the agency", async () => {
    const all = await p.chat.say("mbb_zhang", "逾期");
    expect(all).toContain("逾期事项");
    expect(all).toContain("省教育厅");
    const own = await p.chat.say("jyt_officer", "逾期");
    expect(own).toContain("省教育厅");
    expect(own).not.toContain("省发改委");
  });
});

describe("the negative-list appeal card", () => {
  beforeAll(() => p.clock.set(new Date("2026-10-12T02:00:00Z")));
  afterAll(() => p.clock.set(DEMO_NOW));

  it("lets each entry's button be used once, independently of the others", async () => {
    await p.chat.say("nyt_head", "负面清单 2026Q3");
    const card = p.chat.last.find((r) => r.kind === "card");
    if (card?.kind !== "card") throw new Error("no appeal card");
    expect(card.card.actions.length).toBeGreaterThan(1);
    const [a, b] = card.card.actions;
    expect(await p.chat.click("nyt_head", card.card.key, a.key)).toContain("请写明对");
    expect(await p.chat.say("nyt_head", "该节点材料已于9月28日报送")).toContain("申诉已提交");
    expect(await p.chat.click("nyt_head", card.card.key, b.key)).toContain("请写明对");
    expect(await p.chat.say("nyt_head", "上级通知调整了该节点")).toContain("申诉已提交");
    expect(await p.chat.click("nyt_head", card.card.key, a.key)).toContain("已提交过，不能重复提交");
    expect(await p.db.appeal.count({ where: { filer: { account: "nyt_head" } } })).toBe(2);
  });
});
