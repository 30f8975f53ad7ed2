import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { provinceFile } from "../excel/fixtures.js";
import { officeWorld, onConsole, textOf } from "./world.js";

/** 动态目标 (§2.7): issued at any time after the initial set, from a document and with its deadline. */
let w: Awaited<ReturnType<typeof officeWorld>>;
beforeAll(async () => {
  w = await officeWorld("dynamic-target");
  expect(textOf(await w.sendFile("mbb_zhang", provinceFile()))).toContain("导入完成");
  await w.chat.say("mbb_zhang", "审核 省交通运输厅");
  await w.chat.say("mbb_zhang", "下达 省交通运输厅");
  expect(await w.chat.say("mbb_zhang", "确认")).toContain("已下达");
  w.clock.set(new Date("2026-05-20T02:00:00Z"));
});
afterAll(async () => w.db.$disconnect());

const COMMAND = "动态目标 省交通运输厅 黔府办发[2026]25号 8月31日 推进低空经济交通基础设施建设";

describe("动态目标", () => {
  it("asks to confirm with the code, document and deadline it will use", async () => {
    expect(await w.chat.say("mbb_zhang", COMMAND)).toBe(
      "将依据黔府办发〔2026〕25号向贵州省交通运输厅下达动态目标 JTT-12“推进低空经济交通基础设施建设”，完成时限8月31日，并通知该单位目标办。\n请回复“确认”执行，或回复“取消”。",
    );
  });

  it("creates the target issued, with a milestone at its deadline, and tells the agency's officer", async () => {
    expect(await w.chat.say("mbb_zhang", "确认")).toBe(
      "已向省交通运输厅下达动态目标 JTT-12“推进低空经济交通基础设施建设”（依据黔府办发〔2026〕25号，完成时限8月31日），已通知单位目标办 1 人。",
    );
    const t = await w.db.target.findFirstOrThrow({ where: { code: "JTT-12" }, include: { milestones: true } });
    expect(t).toMatchObject({ category: "functional", source: "superior", managementType: "dynamic", documentNo: "黔府办发〔2026〕25号", status: "issued", weight: 0 });
    expect(t.deadline).toEqual(fromBeijingDate("2026-08-31"));
    expect(t.milestones.map((m) => [m.quarter, m.expectedProgress, m.dueOn.getTime()])).toEqual([[3, 100, fromBeijingDate("2026-08-31").getTime()]]);
    const officer = await w.db.user.findUniqueOrThrow({ where: { account: "jtt_officer" } });
    const message = await w.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `issued:${t.id}:${officer.id}` } });
    expect(JSON.parse(message.payload).text).toContain("【动态目标下达】依据黔府办发〔2026〕25号，向贵州省交通运输厅下达动态目标（§2.7）：");
  });

  it("is visible to the agency at once", async () => {
    await onConsole(w.db, "jtt_officer");
    expect(await w.chat.say("jtt_officer", "目标 JTT-12")).toContain("职能绩效目标·上级目标·动态目标（黔府办发〔2026〕25号）");
  });

  it("refuses the same task from the same document twice", async () => {
    expect(await w.chat.say("mbb_zhang", COMMAND)).toBe("省交通运输厅已有依据黔府办发〔2026〕25号的目标“推进低空经济交通基础设施建设”（JTT-12），不能重复下达。");
  });

  it("refuses an agency whose initial targets are not issued yet", async () => {
    expect(await w.chat.say("mbb_zhang", "动态目标 省供销社 黔府办发〔2026〕30号 2026-09-30 开展农村寄递物流专项行动")).toBe(
      "贵州省供销合作社联合社的初始目标尚未下达。动态目标在初始目标下达后设定（§2.7），请先下达初始目标。",
    );
  });

  it("explains a bad document number, a past deadline and missing parts with the right form", async () => {
    const usage = "正确格式：动态目标 <单位> <文号> <截止日期> <目标名称>";
    expect(await w.chat.say("mbb_zhang", "动态目标 省交通运输厅 12号文 2026-09-30 开展专项整治")).toBe(
      `文号“12号文”格式不正确，应如 黔府办发〔2026〕12号（§2.7）。\n${usage}`,
    );
    expect(await w.chat.say("mbb_zhang", "动态目标 省交通运输厅 黔府发〔2026〕3号 2026-05-10 开展专项整治")).toBe(
      `截止日期 5月10日 已过，请按文件要求填写今后的日期。\n${usage}`,
    );
    expect(await w.chat.say("mbb_zhang", "动态目标 省交通运输厅")).toBe(`请依次写明单位、文号、截止日期和目标名称。\n${usage}`);
  });
});
