import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBoardToken, verifyBoardToken } from "../../src/board/link.js";
import { demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("subscription", { LINK_SECRET: "test-link-secret" });
});
afterAll(async () => p.db.$disconnect());

const muted = async (account: string) => (await p.db.user.findUniqueOrThrow({ where: { account } })).muteOptional;

describe("退订 提醒 and 订阅 提醒", () => {
  it("mutes optional reminders and says the mandatory ones still come", async () => {
    const answer = await p.chat.say("fgw_head", "退订 提醒");
    expect(answer).toContain("已退订非必要提醒");
    expect(answer).toContain("负面清单、逾期督办等按规定必须送达的通知仍会照常发送");
    expect(await muted("fgw_head")).toBe(true);
  });

  it("subscribes again", async () => {
    expect(await p.chat.say("fgw_head", "订阅 提醒")).toContain("已恢复接收提醒");
    expect(await muted("fgw_head")).toBe(false);
  });

  it("refuses a topic it does not know", async () => {
    expect(await p.chat.say("fgw_head", "退订 负面清单")).toContain("目前可退订的只有“提醒”");
    expect(await muted("fgw_head")).toBe(false);
  });
});

describe("看板 links", () => {
  const linkIn = (text: string) => /\((http:\/\/[^)]+)\)/.exec(text)![1];
  const tokenOf = (url: string) => decodeURIComponent(new URL(url).searchParams.get("t")!);
  const secret = "test-link-secret";

  it("gives the office a province link valid for the configured hours", async () => {
    const answer = await p.chat.say("mbb_zhang", "看板");
    expect(answer).toContain("全省目标进度看板");
    expect(answer).toContain("链接有效期至 11月21日 10:00");
    const check = verifyBoardToken(tokenOf(linkIn(answer)), secret, p.clock.now());
    expect(check).toEqual({ ok: true, scope: { kind: "province" }, expiresAt: new Date("2026-11-21T02:00:00Z") });
  });

  it("gives officers and heads their own agency only", async () => {
    const fgw = await p.db.agency.findUniqueOrThrow({ where: { code: "FGW" } });
    for (const account of ["fgw_officer", "fgw_head"]) {
      const check = verifyBoardToken(tokenOf(linkIn(await p.chat.say(account, "看板"))), secret, p.clock.now());
      expect(check).toMatchObject({ ok: true, scope: { kind: "agency", agencyId: fgw.id } });
    }
    expect(await p.chat.say("fgw_zhao", "看板")).toContain("仅供");
  });

  it("refuses an expired, tampered or malformed token", () => {
    const now = new Date("2026-11-20T02:00:00Z");
    const token = signBoardToken({ kind: "agency", agencyId: 2 }, new Date(now.getTime() + 3600_000), secret);
    expect(verifyBoardToken(token, secret, new Date(now.getTime() + 3600_000))).toEqual({ ok: false, reason: "expired" });
    expect(verifyBoardToken(token.replace(".a2.", ".a1."), secret, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyBoardToken(token, "another-secret", now)).toEqual({ ok: false, reason: "tampered" });
    const [v, s, e, sig] = token.split(".");
    expect(verifyBoardToken([v, s, String(Number(e) + 86_400), sig].join("."), secret, now)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyBoardToken("v1.p.123", secret, now)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyBoardToken(undefined, secret, now)).toEqual({ ok: false, reason: "malformed" });
  });
});
