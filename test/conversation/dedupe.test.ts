import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoProvince } from "../helpers/province.js";

/**
 * Issue 14 §5: a platform message id is unique per sender at best. Deduplication keys on platform +
 * sender + message id, so a stored reply goes back only to the one it answered.
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("dedupe");
});
afterAll(async () => p.db.$disconnect());

describe("duplicate deliveries are recognised per sender", () => {
  it("answers another user's message with the same id afresh, never with the first user's stored reply", async () => {
    const office = await p.chat.say("mbb_zhang", "统计", "msg:4242");
    expect(office).toContain("目标统计");
    const staff = await p.chat.say("fgw_zhao", "我的目标", "msg:4242");
    expect(staff).not.toBe(office);
    expect(staff).toContain("FGW-01");
  });

  it("still answers the same sender's redelivery with the stored reply, recording nothing twice", async () => {
    const first = await p.chat.say("fgw_zhao", "汇报 FGW-05 66 同号重发测试", "msg:4343");
    const before = await p.db.progressReport.count();
    expect(await p.chat.say("fgw_zhao", "汇报 FGW-05 66 同号重发测试", "msg:4343")).toBe(first);
    expect(await p.db.progressReport.count()).toBe(before);
  });
});
