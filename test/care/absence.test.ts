import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delegateFor, parseDateRange, reminderRecipient } from "../../src/domain/care/absence.js";
import { beijingDate, fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { DEMO_NOW, demoProvince } from "../helpers/province.js";

let p: Awaited<ReturnType<typeof demoProvince>>;
let ids: Record<string, number>;
beforeAll(async () => {
  p = await demoProvince("absence");
  const users = await p.db.user.findMany({ where: { account: { in: ["fgw_zhao", "fgw_sun", "fgw_officer", "fgw_head", "jyt_he"] } } });
  ids = Object.fromEntries(users.map((u) => [u.account, u.id]));
});
afterAll(async () => p.db.$disconnect());

const absencesOf = (account: string) => p.db.absence.findMany({ where: { user: { account } }, orderBy: { id: "asc" } });
const day = (d: Date) => beijingDate(d);

describe("reading 请假 dates", () => {
  const today = "2026-11-20";
  it.each([
    ["11月23日 至 11月27日", "2026-11-23", "2026-11-27"],
    ["11月23日至11月27日", "2026-11-23", "2026-11-27"],
    ["2026-11-23 至 2026-11-27", "2026-11-23", "2026-11-27"],
    ["11月23日-11月27日", "2026-11-23", "2026-11-27"],
    ["11月23号到11月27号", "2026-11-23", "2026-11-27"],
    ["１１月２３日 至 １１月２７日", "2026-11-23", "2026-11-27"],
    ["明天", "2026-11-21", "2026-11-21"],
    ["12月30日 至 1月3日", "2026-12-30", "2027-01-03"],
    ["1月5日 至 1月8日", "2027-01-05", "2027-01-08"],
  ])("%s → %s … %s", (text, from, to) => {
    expect(parseDateRange(text, today)).toEqual({ from, to });
  });

  it("refuses what is not a date, with the right form", () => {
    expect(() => parseDateRange("下周一 至 下周五", today)).toThrow(/无法识别日期“下周一”.*5月6日 至 5月10日/);
    expect(() => parseDateRange("2月30日", today)).toThrow(/无法识别日期/);
    expect(() => parseDateRange("2026-11-27 至 2026-11-23", today)).toThrow(/早于开始日期/);
  });
});

describe("请假 and 出差 with delegation", () => {
  it("records the speaker's leave with a named colleague as delegate", async () => {
    const answer = await p.chat.say("fgw_zhao", "请假 11月23日 至 11月27日 孙婷");
    expect(answer).toContain("已登记：赵磊 11月23日至11月27日请假（共 5 天）");
    expect(answer).toContain("代理人孙婷");
    const [a] = await absencesOf("fgw_zhao");
    expect({ kind: a.kind, from: day(a.startsOn), to: day(a.endsOn), delegateId: a.delegateId, recordedById: a.recordedById }).toEqual({
      kind: "leave",
      from: "2026-11-23",
      to: "2026-11-27",
      delegateId: ids.fgw_sun,
      recordedById: ids.fgw_zhao,
    });
    const notice = await p.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `absence-delegate:${a.id}:${ids.fgw_sun}` } });
    expect(notice.recipient).toBe("fgw_sun");
    expect(JSON.parse(notice.payload).text).toContain("赵磊11月23日至11月27日请假，期间其负责目标的进度提醒将转给您");
  });

  it("routes reminders to the delegate only while the person is away", async () => {
    expect(await delegateFor(p.db, ids.fgw_zhao, "2026-11-22")).toBeNull();
    expect(await delegateFor(p.db, ids.fgw_zhao, "2026-11-23")).toBe(ids.fgw_sun);
    expect(await delegateFor(p.db, ids.fgw_zhao, fromBeijingDate("2026-11-27"))).toBe(ids.fgw_sun);
    expect(await delegateFor(p.db, ids.fgw_zhao, "2026-11-28")).toBeNull();
    expect(await reminderRecipient(p.db, ids.fgw_zhao, "2026-11-24")).toEqual({ userId: ids.fgw_sun, forUserId: ids.fgw_zhao });
    expect(await reminderRecipient(p.db, ids.fgw_zhao, "2026-11-30")).toEqual({ userId: ids.fgw_zhao, forUserId: null });
  });

  it("lets the agency officer record a trip for a colleague, defaulting the delegate to the officer", async () => {
    const answer = await p.chat.say("fgw_officer", "出差 孙婷 11月25日 至 11月26日");
    expect(answer).toContain("已登记：孙婷 11月25日至11月26日出差（共 2 天）");
    expect(answer).toContain("转给您（本单位目标办）");
    const [a] = await absencesOf("fgw_sun");
    expect({ kind: a.kind, delegateId: a.delegateId, recordedById: a.recordedById }).toEqual({ kind: "trip", delegateId: null, recordedById: ids.fgw_officer });
    expect(await delegateFor(p.db, ids.fgw_sun, "2026-11-25")).toBe(ids.fgw_officer);
    const told = await p.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `absence-recorded:${a.id}` } });
    expect(told.recipient).toBe("fgw_sun");
    expect(JSON.parse(told.payload).text).toContain("本单位目标办刘晓燕已为您登记11月25日至11月26日出差");
  });

  it("follows a delegate who is away too, to the agency officer", async () => {
    // 赵磊's delegate 孙婷 is on a trip on the 25th: the reminder goes on to 孙婷's delegate, the officer.
    expect(await reminderRecipient(p.db, ids.fgw_zhao, "2026-11-25")).toEqual({ userId: ids.fgw_officer, forUserId: ids.fgw_zhao });
  });

  it("refuses an overlapping absence, a finished one, and dates it cannot read", async () => {
    expect(await p.chat.say("fgw_zhao", "出差 11月26日 至 11月30日")).toContain("已登记11月23日至11月27日请假，与本次时间重叠");
    expect(await p.chat.say("fgw_zhao", "请假 11月2日 至 11月5日")).toContain("结束日期11月5日已过");
    const bad = await p.chat.say("fgw_zhao", "请假 下周");
    expect(bad).toContain("请写明请假的起止日期");
    expect(bad).toContain("正确格式：请假 <开始日期> 至 <结束日期> [代理人]");
    expect(await absencesOf("fgw_zhao")).toHaveLength(1);
  });

  it("refuses a delegate from another agency and staff recording for others", async () => {
    expect(await p.chat.say("fgw_zhao", "请假 12月1日 至 12月2日 何静")).toContain("本单位未找到“何静”");
    expect(await p.chat.say("fgw_zhao", "请假 孙婷 12月1日 至 12月2日")).toContain("只有单位目标办可以为他人登记请假");
    expect(await p.chat.say("mbb_zhang", "请假 12月1日 至 12月2日")).toContain("仅供");
  });

  it("ends a running leave with 销假 and routes reminders back", async () => {
    p.clock.set(new Date("2026-11-24T02:00:00Z"));
    try {
      const answer = await p.chat.say("fgw_zhao", "销假");
      expect(answer).toContain("已销假：您原登记的11月23日至11月27日请假提前结束");
      const [a] = await absencesOf("fgw_zhao");
      expect(day(a.endsOn)).toBe("2026-11-23");
      expect(await delegateFor(p.db, ids.fgw_zhao, "2026-11-24")).toBeNull();
      expect(await p.chat.say("fgw_zhao", "销假")).toContain("目前没有登记中的请假或出差");
    } finally {
      p.clock.set(DEMO_NOW);
    }
  });

  it("lets the officer cancel a colleague's coming trip", async () => {
    expect(await p.chat.say("fgw_officer", "销假 孙婷")).toContain("已取消孙婷登记的11月25日至11月26日出差");
    expect(await absencesOf("fgw_sun")).toHaveLength(0);
  });
});
