import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("reporting");
});
afterAll(async () => p.db.$disconnect());

const reportsOf = async (code: string) => p.db.progressReport.count({ where: { target: { code } } });

describe("汇报 (progress report, §7.3 台账)", () => {
  it("records a one-line report and keeps the target's progress", async () => {
    const before = await reportsOf("FGW-01");
    const answer = await p.chat.say("fgw_zhao", "汇报 FGW-01 90 第四季度总结材料已完成初稿");
    expect(answer).toContain("已记入台账：FGW-01");
    expect(answer).toContain("进度 90%");
    expect(await reportsOf("FGW-01")).toBe(before + 1);
    const t = await p.db.target.findFirstOrThrow({ where: { code: "FGW-01" } });
    expect(t.progress).toBe(90);
    expect(t.status).toBe("in_progress");
  });

  it("accepts lower-case codes, full-width digits and a percent sign", async () => {
    const answer = await p.chat.say("fgw_zhao", "汇报 fgw-05 ８５％ 已完成迎峰度冬保供预案");
    expect(answer).toContain("已记入台账：FGW-05");
    expect(answer).toContain("进度 85%");
  });

  it("accepts the command word without a space after it", async () => {
    expect(await p.chat.say("fgw_zhao", "汇报FGW-05 86 补充完善预案")).toContain("已记入台账：FGW-05");
  });

  it("refuses a target the speaker does not own and writes nothing", async () => {
    const before = await reportsOf("FGW-02");
    const answer = await p.chat.say("fgw_zhao", "汇报 FGW-02 90 代同事汇报");
    expect(answer).toContain("责任人是孙婷");
    expect(answer).toContain("不能汇报");
    expect(await reportsOf("FGW-02")).toBe(before);
  });

  it("lets the agency officer report on any of the agency's targets", async () => {
    expect(await p.chat.say("fgw_officer", "汇报 FGW-02 85 目标办核实后补报")).toContain("已记入台账：FGW-02");
  });

  it("refuses a percentage above 100 with the right form", async () => {
    const answer = await p.chat.say("fgw_zhao", "汇报 FGW-01 120 超额完成");
    expect(answer).toContain("不能超过 100%");
    expect(answer).toContain("正确格式：汇报 <目标编号> <进度0-100> <进度说明>");
  });

  it("refuses a percentage that is not a number", async () => {
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-01 大半 说明")).toContain("不是有效的百分比");
  });

  it("refuses an unknown target code", async () => {
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-99 50 说明")).toContain("未找到编号为 FGW-99 的目标");
  });

  it("refuses another agency's target without revealing it", async () => {
    expect(await p.chat.say("fgw_zhao", "汇报 JYT-01 50 说明一下")).toContain("只能查看本单位");
  });

  it("refuses a report on a completed target", async () => {
    const done = await p.db.target.findFirstOrThrow({ where: { agency: { code: "FGW" }, status: "completed" }, include: { owners: { include: { user: true } } } });
    const answer = await p.chat.say(done.owners[0].user.account, `汇报 ${done.code} 100 再次汇报`);
    expect(answer).toContain("不再接受进度汇报");
  });

  it("refuses heads, who do not report (role)", async () => {
    expect(await p.chat.say("fgw_head", "汇报 FGW-01 50 说明")).toContain("仅供单位目标办、目标责任人使用");
  });

  it("refuses a note that is too short", async () => {
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-01 91 好")).toContain("请补充进度说明");
  });

  it("marks a quarterly milestone reached on time (§2.21)", async () => {
    const question = await p.chat.say("fgw_zhao", "汇报 FGW-03 100 全年任务完成并形成总结");
    expect(question).toContain("进度 100% 将把目标 FGW-03 标记为完成");
    expect((await p.db.target.findFirstOrThrow({ where: { code: "FGW-03" } })).status).toBe("in_progress");
    const answer = await p.chat.say("fgw_zhao", "确认");
    expect(answer).toContain("第四季度节点");
    expect(answer).toContain("已达成");
    expect(answer).toContain("目标已标记为完成");
  });
});

describe("汇报 of 100%", () => {
  it("takes a corrected percentage instead of closing the target", async () => {
    await p.chat.say("fgw_zhao", "汇报 FGW-09 100 年度验收材料已报送");
    expect(await p.chat.say("fgw_zhao", "95")).toContain("已记入台账：FGW-09 基层党组织标准化规范化建设，进度 95%");
    expect((await p.db.target.findFirstOrThrow({ where: { code: "FGW-09" } })).status).toBe("in_progress");
  });
});

describe("汇报 as a dialog", () => {
  it("asks for the target, then the percentage, then the note", async () => {
    const before = await reportsOf("FGW-07");
    expect(await p.chat.say("fgw_zhao", "汇报")).toContain("请输入要汇报的目标编号");
    expect(await p.chat.say("fgw_zhao", "FGW-07")).toContain("请输入目标 FGW-07 的当前进度");
    expect(await p.chat.say("fgw_zhao", "很多")).toContain("不是有效的百分比");
    expect(await p.chat.say("fgw_zhao", "80")).toContain("请简要说明目标 FGW-07 本期进展");
    expect(await p.chat.say("fgw_zhao", "完成区域协调发展评估报告送审稿")).toContain("已记入台账：FGW-07");
    expect(await reportsOf("FGW-07")).toBe(before + 1);
  });

  it("keeps asking for the note when it is too short", async () => {
    await p.chat.say("fgw_zhao", "汇报 FGW-07 81");
    expect(await p.chat.say("fgw_zhao", "好")).toContain("请补充进度说明");
    expect(await p.chat.say("fgw_zhao", "补充评估数据")).toContain("已记入台账：FGW-07");
  });

  it("takes a note that begins with a command word as the note", async () => {
    await p.chat.say("fgw_zhao", "汇报 FGW-07 84");
    const answer = await p.chat.say("fgw_zhao", "进度正常，目标调研已完成");
    expect(answer).toContain("已记入台账：FGW-07");
    const last = await p.db.progressReport.findFirstOrThrow({ where: { target: { code: "FGW-07" } }, orderBy: { id: "desc" } });
    expect(last.note).toBe("进度正常，目标调研已完成");
  });

  it("can be cancelled", async () => {
    const before = await reportsOf("FGW-07");
    await p.chat.say("fgw_zhao", "汇报 FGW-07 82");
    expect(await p.chat.say("fgw_zhao", "取消")).toBe("已取消。");
    expect(await p.chat.say("fgw_zhao", "这句话不是命令")).toContain("未识别的命令");
    expect(await reportsOf("FGW-07")).toBe(before);
  });

  it("gives way to a new command typed mid-way", async () => {
    await p.chat.say("fgw_zhao", "汇报 FGW-07 83");
    expect(await p.chat.say("fgw_zhao", "我的目标")).toContain("我负责的目标");
    expect(await p.chat.say("fgw_zhao", "补充说明")).toContain("未识别的命令");
  });
});

describe("汇报 by card", () => {
  it("submits the chosen percentage, asks for the note, and cannot be submitted twice", async () => {
    await p.chat.say("fgw_zhao", "目标 FGW-09");
    const card = p.chat.last.find((r) => r.kind === "card");
    expect(card?.kind).toBe("card");
    if (card?.kind !== "card") return;
    const after = await p.chat.click("fgw_zhao", card.card.key, "submit", { progress: "90" });
    expect(after).toContain("卡片已更新：已提交：提交进度");
    expect(after).toContain("请简要说明目标 FGW-09 本期进展（进度 90%）");
    expect(await p.chat.say("fgw_zhao", "基层党组织标准化建设年度验收完成")).toContain("已记入台账：FGW-09");
    const again = await p.chat.click("fgw_zhao", card.card.key, "submit", { progress: "90" });
    expect(again).toContain("不能重复提交");
    expect(await p.db.cardInstance.findUniqueOrThrow({ where: { cardKey: card.card.key } })).toMatchObject({ state: "done" });
  });

  it("refuses a card that belongs to someone else", async () => {
    await p.chat.say("fgw_zhao", "目标 FGW-05");
    const card = p.chat.last.find((r) => r.kind === "card");
    if (card?.kind !== "card") throw new Error("no card");
    expect(await p.chat.click("fgw_sun", card.card.key, "submit", { progress: "90" })).toContain("该卡片已失效");
  });
});

describe("retried deliveries", () => {
  it("change nothing the second time and get the same answer", async () => {
    const before = await reportsOf("FGW-05");
    const first = await p.chat.say("fgw_zhao", "汇报 FGW-05 88 第二次送审", "retry-1");
    const second = await p.chat.say("fgw_zhao", "汇报 FGW-05 88 第二次送审", "retry-1");
    expect(second).toBe(first);
    expect(await reportsOf("FGW-05")).toBe(before + 1);
  });

  it("answer a retried refusal the same way", async () => {
    const first = await p.chat.say("fgw_zhao", "汇报 FGW-05 188 错误", "retry-2");
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-05 18 正确说明", "retry-2")).toBe(first);
  });
});
