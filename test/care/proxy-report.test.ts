import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("proxy");
  expect(await p.chat.say("fgw_officer", "请假 赵磊 11月19日 至 11月24日")).toContain("已登记");
});
afterAll(async () => p.db.$disconnect());

const reportsOf = (code: string) => p.db.progressReport.count({ where: { target: { code } } });

describe("代报 (an officer reports for an absent owner, §7.3 台账)", () => {
  it("records who reported and for whom, and tells the owner", async () => {
    const before = await reportsOf("FGW-03");
    const answer = await p.chat.say("fgw_officer", "代报 赵磊 FGW-03 85 营商环境评价报告已报送省政府");
    expect(answer).toMatch(/已代赵磊记入台账：FGW-03 营商环境评价，进度 85%（台账记录 \d+，代报人：刘晓燕）/);
    expect(await reportsOf("FGW-03")).toBe(before + 1);
    const rec = await p.db.progressReport.findFirstOrThrow({ where: { target: { code: "FGW-03" } }, orderBy: { id: "desc" }, include: { reporter: true, onBehalfOf: true } });
    expect({ reporter: rec.reporter.account, onBehalfOf: rec.onBehalfOf?.account, progress: rec.progress }).toEqual({ reporter: "fgw_officer", onBehalfOf: "fgw_zhao", progress: 85 });
    expect((await p.db.target.findFirstOrThrow({ where: { code: "FGW-03" } })).progress).toBe(85);
    const notice = await p.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `proxy-report:${rec.id}` } });
    expect(notice.recipient).toBe("fgw_zhao");
    expect(JSON.parse(notice.payload).text).toContain("本单位目标办刘晓燕已代您汇报目标 FGW-03 进度 85%");
  });

  it("shows the proxy in the 台账", async () => {
    expect(await p.chat.say("fgw_head", "台账 FGW-03")).toContain("刘晓燕（代赵磊）｜85%");
  });

  it("accepts the owner's account instead of the name", async () => {
    expect(await p.chat.say("fgw_officer", "代报 fgw_zhao FGW-05 80 迎峰度冬保供方案已印发")).toContain("已代赵磊记入台账：FGW-05");
  });

  it("refuses an owner who is not away, a target they do not own, and writes nothing", async () => {
    const before = await p.db.progressReport.count();
    expect(await p.chat.say("fgw_officer", "代报 孙婷 FGW-02 90 说明文字")).toContain("孙婷今日未登记请假或出差，应由本人汇报");
    expect(await p.chat.say("fgw_officer", "代报 赵磊 FGW-02 90 说明文字")).toContain("目标 FGW-02 的责任人是孙婷，不是赵磊");
    expect(await p.db.progressReport.count()).toBe(before);
  });

  it("refuses staff, other agencies' people, and a missing note with the right form", async () => {
    expect(await p.chat.say("fgw_sun", "代报 赵磊 FGW-03 90 同事代报")).toContain("仅供单位目标办使用");
    expect(await p.chat.say("jyt_officer", "代报 赵磊 FGW-03 90 跨单位代报")).toContain("本单位未找到“赵磊”");
    const missing = await p.chat.say("fgw_officer", "代报 赵磊 FGW-03 90");
    expect(missing).toContain("请写明责任人、目标编号、进度和进度说明");
    expect(missing).toContain("正确格式：代报 <姓名或账号> <目标编号> <进度0-100> <进度说明>");
  });
});
