import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoProvince } from "../helpers/province.js";

/**
 * §2.22 绩效沟通 runs both ways: 省直目标绩效管理机构与纳入管理部门……及时展开绩效沟通. The office opens a
 * thread to an agency; the agency's target office (单位目标办) is told and answers; the thread is kept.
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("office-communication");
});
afterAll(async () => p.db.$disconnect());

const textOf = (payload: string) => JSON.parse(payload).text as string;

describe("the office opens a 绩效沟通 thread to an agency (§2.22)", () => {
  let id = 0;

  it("reaches the agency's officer, who is told how to answer", async () => {
    const answer = await p.chat.say("mbb_zhang", "发起沟通 发改委 请说明FGW-04第三季度节点未达成的原因及下一步安排");
    const m = /沟通号 (\d+)/.exec(answer);
    expect(m).not.toBeNull();
    id = Number(m![1]);
    expect(answer).toContain(`已向省发改委目标办发起绩效沟通（沟通号 ${id}）`);
    const notices = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `communication-opened:${id}:` } } });
    expect(notices.map((n) => n.recipient)).toEqual(["fgw_officer"]);
    expect(textOf(notices[0].payload)).toBe(
      `【绩效沟通】目标办张明（沟通号 ${id}）：\n请说明FGW-04第三季度节点未达成的原因及下一步安排\n答复：回复 ${id} <答复内容>`,
    );
  });

  it("the officer sees it waiting and answers; the office is told", async () => {
    expect(await p.chat.say("fgw_officer", "回复")).toContain(`${id}. 目标办张明`);
    expect(await p.chat.say("fgw_officer", `回复 ${id} 已召开专题会分析原因，10月底前补齐进度`)).toBe(`已答复沟通 ${id}，并通知张明。`);
    const back = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `communication-answered:${id}:` } } });
    expect(back.recipient).toBe("mbb_zhang");
    expect(textOf(back.payload)).toBe(
      `【绩效沟通答复】您发起的绩效沟通（沟通号 ${id}）：请说明FGW-04第三季度节点未达成的原因及下一步安排\n省发改委刘晓燕答复：已召开专题会分析原因，10月底前补齐进度`,
    );
  });

  it("keeps the thread with both messages", async () => {
    const thread = await p.db.communicationThread.findUniqueOrThrow({ where: { id }, include: { messages: { orderBy: { id: "asc" } }, agency: true } });
    expect(thread.agency?.code).toBe("FGW");
    expect(thread.status).toBe("answered");
    expect(thread.messages.map((m) => m.body)).toEqual(["请说明FGW-04第三季度节点未达成的原因及下一步安排", "已召开专题会分析原因，10月底前补齐进度"]);
  });

  it("another agency's officer may not answer it", async () => {
    const opened = await p.chat.say("mbb_zhang", "发起沟通 教育厅 请报送第三季度节点佐证材料清单");
    const other = Number(/沟通号 (\d+)/.exec(opened)![1]);
    expect(await p.chat.say("fgw_officer", `回复 ${other} 代为答复`)).toContain("只能答复目标办向本单位发起的绩效沟通");
  });

  it("an office user does not answer the office's own thread as if an agency had asked", async () => {
    const open = await p.chat.say("mbb_li", "回复");
    expect(open).not.toContain("请报送第三季度节点佐证材料清单");
  });

  it("names an unknown agency with the right form", async () => {
    const answer = await p.chat.say("mbb_zhang", "发起沟通 海关 请说明情况");
    expect(answer).toContain("未找到单位“海关”");
  });

  it("is for the office only", async () => {
    expect(await p.chat.say("fgw_officer", "发起沟通 发改委 自己问自己")).toMatch(/仅供|您的角色不能/);
  });
});
