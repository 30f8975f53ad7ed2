import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("verify-assign");
});
afterAll(async () => p.db.$disconnect());

describe("核查 (§2.17)", () => {
  it("records a third party's finding, tells the agency's officer, and shows it on the target", async () => {
    const answer = await p.chat.say("dsf_wang", "核查 NYT-02 实地核查 属实 现场查阅了高标准农田验收记录和影像资料");
    expect(answer).toMatch(/已记录目标 NYT-02 的核查结果（核查记录 \d+）：目标标记为已核查，并通知省农业农村厅目标办/);
    const v = await p.db.verification.findFirstOrThrow({ include: { verifier: true } });
    expect(v).toMatchObject({ method: "field_check", result: "confirmed", verifier: { account: "dsf_wang" } });
    const notice = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `verification:${v.id}:` } } });
    expect(notice.recipient).toBe("nyt_officer");
    expect(await p.chat.say("nyt_head", "目标 NYT-02")).toContain("最近核查");
  });

  it("refuses an unknown method, an unknown finding, and roles other than office and assessor", async () => {
    expect(await p.chat.say("mbb_zhang", "核查 NYT-02 打电话 属实 电话核实情况")).toContain("核查方式“打电话”无法识别");
    expect(await p.chat.say("mbb_zhang", "核查 NYT-02 网上评审 差不多 材料基本齐全")).toContain("请写“属实”或“不属实”");
    expect(await p.chat.say("nyt_officer", "核查 NYT-02 网上评审 属实 自查")).toContain("仅供");
    expect(await p.db.verification.count()).toBe(1);
  });
});

describe("指定责任人", () => {
  it("lets the officer replace a target's owners and tells the new ones", async () => {
    const answer = await p.chat.say("fgw_officer", "指定责任人 FGW-03 孙婷、fgw_zhao");
    expect(answer).toContain("目标 FGW-03 的责任人已设为：孙婷、赵磊");
    const owners = await p.db.targetOwner.findMany({ where: { target: { code: "FGW-03" } }, include: { user: true } });
    expect(owners.map((o) => o.user.account).sort()).toEqual(["fgw_sun", "fgw_zhao"]);
    expect(await p.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "owner-assigned:" } } })).toBe(2);
    expect(await p.chat.say("fgw_sun", "我的目标")).toContain("FGW-03");
  });

  it("refuses people of another agency, other agencies' targets, and non-officers", async () => {
    expect(await p.chat.say("fgw_officer", "指定责任人 FGW-03 何静")).toContain("本单位未找到“何静”");
    expect(await p.chat.say("jyt_officer", "指定责任人 FGW-03 何静")).toContain("只能查看本单位");
    expect(await p.chat.say("fgw_zhao", "指定责任人 FGW-03 孙婷")).toContain("仅供");
    expect(await p.chat.say("fgw_officer", "指定责任人 FGW-03 陈志远")).toContain("不能指定为责任人");
  });
});
