import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReply } from "../../src/channels/console/render.js";
import { demoProvince } from "../helpers/province.js";

/**
 * 未登记 and 绑定: someone writes from an unbound WeCom/DingTalk account, gets today's answer and is
 * remembered; the office (or the person's own agency officer) binds the account to an imported person,
 * who is told they can start.
 */
let p: Awaited<ReturnType<typeof demoProvince>>;
beforeAll(async () => {
  p = await demoProvince("registration");
});
afterAll(async () => p.db.$disconnect());

async function fromPlatform(platform: "wecom" | "dingtalk", senderId: string, text: string): Promise<string> {
  const replies = await p.core.handle({ platform, eventKey: randomUUID(), senderId, conversationId: `${platform}:${senderId}`, receivedAt: p.clock.now(), body: { type: "text", text } });
  return replies.map((r) => renderReply(r, () => 0)).join("\n");
}

describe("an unknown sender", () => {
  it("gets the usual answer and is remembered with platform, account, first and last seen and the last text", async () => {
    expect(await fromPlatform("wecom", "ZhaoLei", "我的目标")).toBe("您的账号（ZhaoLei）尚未在目标绩效管理系统中登记。请联系本单位目标办或省目标办开通后再使用。");
    p.clock.advance(90 * 60_000);
    await fromPlatform("wecom", "ZhaoLei", "汇报 FGW-01 80 已完成");
    const row = await p.db.unknownSender.findUniqueOrThrow({ where: { platform_externalId: { platform: "wecom", externalId: "ZhaoLei" } } });
    expect(row).toMatchObject({ firstSeenAt: new Date("2026-11-20T02:00:00Z"), lastSeenAt: new Date("2026-11-20T03:30:00Z"), lastText: "汇报 FGW-01 80 已完成" });
  });

  it("keeps a last text cut at 100 characters whole, even when the cut falls inside an emoji", async () => {
    // 99 characters, then an emoji (two UTF-16 units): a cut at unit 100 would leave half a character.
    const text = `${"字".repeat(99)}😀之后的内容`;
    expect(await fromPlatform("wecom", "EmojiUser", text)).toContain("尚未在目标绩效管理系统中登记");
    const row = await p.db.unknownSender.findUniqueOrThrow({ where: { platform_externalId: { platform: "wecom", externalId: "EmojiUser" } } });
    expect(row.lastText).toBe(`${"字".repeat(99)}😀`);
    await p.db.unknownSender.delete({ where: { id: row.id } });
  });

  it("keeps no control characters of the last text (PostgreSQL refuses NUL in text)", async () => {
    expect(await fromPlatform("dingtalk", "NulUser", "你好\u0000\u0007世界")).toContain("尚未在目标绩效管理系统中登记");
    const row = await p.db.unknownSender.findUniqueOrThrow({ where: { platform_externalId: { platform: "dingtalk", externalId: "NulUser" } } });
    expect(row.lastText).toBe("你好世界");
    await p.db.unknownSender.delete({ where: { id: row.id } });
  });

  it("is listed by 未登记 for the office", async () => {
    await fromPlatform("dingtalk", "0931224", "你好");
    const text = await p.chat.say("mbb_zhang", "未登记");
    expect(text).toContain("未登记的账号 2 个（按最近发送时间）：");
    expect(text).toContain("1. 钉钉 0931224（首次 11月20日 11:30，最近 11月20日 11:30：“你好”）");
    expect(text).toContain("2. 企业微信 ZhaoLei（首次 11月20日 10:00，最近 11月20日 11:30：“汇报 FGW-01 80 已完成”）");
  });

  it("is not listed to an agency officer, who cannot tell which are theirs", async () => {
    expect(await p.chat.say("fgw_officer", "未登记")).toContain("未登记账号只向目标办列出");
    expect(await p.chat.say("fgw_zhao", "未登记")).toContain("“未登记”仅供");
  });
});

describe("绑定", () => {
  it("lets an officer bind only people of their own agency", async () => {
    expect(await p.chat.say("jyt_officer", "绑定 ZhaoLei fgw_zhao")).toContain("赵磊（账号 fgw_zhao）不是本单位人员，您只能绑定本单位人员。");
    expect(await p.db.platformIdentity.count({ where: { externalId: "ZhaoLei" } })).toBe(0);
  });

  it("binds a remembered account, forgets it as 未登记 and tells the person they can start", async () => {
    expect(await p.chat.say("fgw_officer", "绑定 ZhaoLei fgw_zhao")).toBe("已将企业微信账号 ZhaoLei 绑定到赵磊（账号 fgw_zhao），并已通知本人可以开始使用。");
    const zhao = await p.db.user.findUniqueOrThrow({ where: { account: "fgw_zhao" } });
    expect(await p.db.platformIdentity.findFirst({ where: { platform: "wecom", externalId: "ZhaoLei" } })).toMatchObject({ userId: zhao.id });
    expect(await p.db.unknownSender.count({ where: { externalId: "ZhaoLei" } })).toBe(0);
    const welcome = await p.db.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `bound:wecom:ZhaoLei:${zhao.id}` } });
    expect(welcome).toMatchObject({ platform: "wecom", recipient: "ZhaoLei", status: "pending", notBefore: p.clock.now() });
    expect(JSON.parse(welcome.payload).text).toBe("您的企业微信账号已登记为赵磊（目标责任人），现在可以开始使用。发送“帮助”查看可用的命令。");
    expect(await fromPlatform("wecom", "ZhaoLei", "我的目标")).toContain("FGW-01");
  });

  it("refuses a platform account already bound to someone else", async () => {
    const text = await p.chat.say("mbb_zhang", "绑定 ZhaoLei fgw_sun 企业微信");
    expect(text).toContain("企业微信账号“ZhaoLei”已绑定赵磊（账号 fgw_zhao），不能再绑定给孙婷。请核对账号。");
    expect(await p.db.platformIdentity.count({ where: { externalId: "ZhaoLei" } })).toBe(1);
  });

  it("refuses an account the bot has never seen, and names the right form", async () => {
    const text = await p.chat.say("mbb_zhang", "绑定 NoSuchId fgw_sun");
    expect(text).toContain("未登记账号中没有“NoSuchId”。请让本人先向机器人发送任意消息");
    expect(await p.chat.say("mbb_zhang", "绑定 0931224")).toContain("绑定 <平台账号> <账号> [企业微信|钉钉]");
  });

  it("tells a disabled person so when they write, and keeps their ledger", async () => {
    const sun = await p.db.user.findUniqueOrThrow({ where: { account: "fgw_sun" }, include: { _count: { select: { reports: true } } } });
    await p.chat.say("mbb_zhang", "绑定 0931224 fgw_sun");
    await p.db.user.update({ where: { id: sun.id }, data: { active: false } });
    expect(await fromPlatform("dingtalk", "0931224", "我的目标")).toBe("您的账号已停用。如有疑问，请联系本单位目标办。");
    expect(await p.db.progressReport.count({ where: { reporterId: sun.id } })).toBe(sun._count.reports);
  });
});
