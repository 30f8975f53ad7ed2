import { describe, expect, it } from "vitest";
import { weekday } from "../../src/domain/calendar.js";
import {
  type PendingRow,
  type PlanContext,
  digestReply,
  fingerprint,
  isDeliverable,
  isMuted,
  nextDeliveryTime,
  parseQuietHours,
  planDelivery,
  startOfBeijingDay,
} from "../../src/outbox/calm.js";

/** Beijing wall-clock time → instant. */
const bj = (s: string) => new Date(`${s}+08:00`);
const window = parseQuietHours("08:30-18:00");
/** Weekends off, and the 2026 国庆 holiday (1–7 Oct) with Saturday 10 Oct worked (调休). */
const isWorkingDay = (day: string) => (day === "2026-10-10" ? true : day >= "2026-10-01" && day <= "2026-10-07" ? false : ![0, 6].includes(weekday(day)));

describe("quiet hours", () => {
  it("reads QUIET_HOURS and refuses windows that make no sense", () => {
    expect(parseQuietHours("08:30-18:00")).toEqual({ start: 510, end: 1080 });
    expect(() => parseQuietHours("18:00-08:30")).toThrow(/start must be before the end/);
    expect(() => parseQuietHours("8:30-18")).toThrow(/08:30-18:00/);
  });

  it("sends at once inside the window on a working day", () => {
    const at = bj("2026-11-20T10:15:00");
    expect(isDeliverable(at, window, isWorkingDay)).toBe(true);
    expect(nextDeliveryTime(at, window, isWorkingDay)).toEqual(at);
  });

  it("holds an early-morning push until 08:30 the same day", () => {
    expect(nextDeliveryTime(bj("2026-11-20T06:00:00"), window, isWorkingDay)).toEqual(bj("2026-11-20T08:30:00"));
  });

  it("holds an evening push until the next working morning, over the weekend", () => {
    expect(nextDeliveryTime(bj("2026-11-20T18:00:00"), window, isWorkingDay)).toEqual(bj("2026-11-23T08:30:00"));
    expect(nextDeliveryTime(bj("2026-11-21T11:00:00"), window, isWorkingDay)).toEqual(bj("2026-11-23T08:30:00"));
  });

  it("waits out a public holiday and lands on the make-up working Saturday", () => {
    expect(nextDeliveryTime(bj("2026-09-30T19:00:00"), window, isWorkingDay)).toEqual(bj("2026-10-08T08:30:00"));
    expect(isDeliverable(bj("2026-10-10T09:00:00"), window, isWorkingDay)).toBe(true);
  });

  it("follows a changed window", () => {
    expect(nextDeliveryTime(bj("2026-11-20T08:45:00"), parseQuietHours("09:00-17:30"), isWorkingDay)).toEqual(bj("2026-11-20T09:00:00"));
  });
});

describe("the mute rule", () => {
  it("silences optional messages for a muted person, never mandatory ones", () => {
    expect(isMuted({ mandatory: false }, { muteOptional: true })).toBe(true);
    expect(isMuted({ mandatory: true }, { muteOptional: true })).toBe(false);
    expect(isMuted({ mandatory: false }, { muteOptional: false })).toBe(false);
  });
});

let nextId = 1;
function row(userId: number, text: string, over: Partial<PendingRow> = {}): PendingRow {
  const id = nextId++;
  return { id, userId, platform: "wecom", recipient: `u${userId}`, idempotencyKey: `k${id}`, payload: JSON.stringify({ kind: "text", text }), mandatory: false, ...over };
}

function ctx(over: Partial<PlanContext> = {}): PlanContext {
  return { now: bj("2026-11-20T09:00:00"), window, isWorkingDay, users: new Map(), sentToday: new Map(), ...over };
}

describe("planning a batch of due messages", () => {
  it("defers everything to the next window when called outside it", () => {
    const rows = [row(1, "到期提醒 A"), row(2, "负面清单", { mandatory: true })];
    const plan = planDelivery(rows, ctx({ now: bj("2026-11-20T21:00:00") }));
    expect(plan.send).toEqual([]);
    expect(plan.defer).toEqual({ rowIds: rows.map((r) => r.id), notBefore: bj("2026-11-23T08:30:00") });
  });

  it("merges several optional reminders for one person into one digest", () => {
    const a = row(1, "【到期提醒】FGW-01 第四季度节点将于12月31日到期");
    const b = row(1, "【未报提醒】FGW-03 本月尚未汇报");
    const c = row(1, "【到期提醒】FGW-05 完成时限12月20日");
    const other = row(2, "【到期提醒】JYT-01");
    const plan = planDelivery([a, b, c, other], ctx());
    expect(plan.skip).toEqual([]);
    const digest = plan.send.find((s) => s.digest)!;
    expect(digest.rowIds).toEqual([a.id, b.id, c.id]);
    expect(digest.recipient).toBe("u1");
    expect(digest.reply.kind).toBe("markdown");
    const text = (digest.reply as { text: string }).text;
    expect(text).toContain("今日提醒汇总（共 3 条）");
    expect(text.indexOf("FGW-01")).toBeLessThan(text.indexOf("FGW-03"));
    expect(text).toContain("**3.** 【到期提醒】FGW-05");
    expect(plan.send.filter((s) => !s.digest).map((s) => s.rowIds)).toEqual([[other.id]]);
  });

  it("keeps mandatory notices and cards out of the digest", () => {
    const a = row(1, "提醒一");
    const b = row(1, "提醒二");
    const list = row(1, "2026年第三季度负面清单", { mandatory: true });
    const card = row(1, "", { payload: JSON.stringify({ kind: "card", card: { key: "report-x", title: "汇报", actions: [] } }) });
    const plan = planDelivery([a, b, list, card], ctx());
    expect(plan.send.filter((s) => s.digest).map((s) => s.rowIds)).toEqual([[a.id, b.id]]);
    expect(plan.send.filter((s) => !s.digest).map((s) => s.rowIds[0]).sort()).toEqual([list.id, card.id].sort());
  });

  it("sends a single reminder as it is", () => {
    const a = row(1, "只有一条提醒");
    expect(planDelivery([a], ctx()).send).toEqual([{ rowIds: [a.id], platform: "wecom", recipient: "u1", userId: 1, reply: { kind: "text", text: "只有一条提醒" }, digest: false }]);
  });

  it("drops optional messages for a muted person but delivers the mandatory ones", () => {
    const opt = row(1, "到期提醒");
    const must = row(1, "逾期督办", { mandatory: true });
    const plan = planDelivery([opt, must], ctx({ users: new Map([[1, { muteOptional: true }]]) }));
    expect(plan.skip).toEqual([{ rowId: opt.id, reason: "muted" }]);
    expect(plan.send.map((s) => s.rowIds)).toEqual([[must.id]]);
  });

  it("never sends the same message twice on one day, in a batch or after an earlier send", () => {
    const first = row(1, "【到期提醒】FGW-01 将于12月31日到期");
    const again = row(1, "【到期提醒】FGW-01 将于12月31日到期");
    const plan = planDelivery([first, again], ctx());
    expect(plan.skip).toEqual([{ rowId: again.id, reason: "duplicate" }]);
    const later = row(1, "【到期提醒】FGW-01 将于12月31日到期");
    const sentToday = new Map([[1, new Set([fingerprint(first.payload)])]]);
    expect(planDelivery([later], ctx({ sentToday })).skip).toEqual([{ rowId: later.id, reason: "duplicate" }]);
    // Another person may get the same words.
    expect(planDelivery([row(2, "【到期提醒】FGW-01 将于12月31日到期")], ctx({ sentToday })).send).toHaveLength(1);
  });

  it("recognises the same card under a new card key", () => {
    const card = (key: string) => ({ kind: "card" as const, card: { key, title: "汇报", actions: [] } });
    expect(fingerprint(card("report-a"))).toBe(fingerprint(card("report-b")));
    expect(fingerprint({ kind: "text", text: "a" })).not.toBe(fingerprint({ kind: "text", text: "b" }));
  });

  it("counts a day from 00:00 Beijing time", () => {
    expect(startOfBeijingDay(bj("2026-11-20T00:30:00"))).toEqual(bj("2026-11-20T00:00:00"));
    expect(startOfBeijingDay(new Date("2026-11-19T16:30:00Z"))).toEqual(bj("2026-11-20T00:00:00"));
  });

  it("numbers a digest's parts and offers 退订", () => {
    const d = digestReply([{ kind: "text", text: "甲" }, { kind: "markdown", title: "t", text: "**乙**" }]);
    expect(d).toMatchObject({ kind: "markdown", title: "提醒汇总（2 条）" });
    expect((d as { text: string }).text).toContain("**1.** 甲\n\n**2.** **乙**");
    expect((d as { text: string }).text).toContain("退订 提醒");
  });
});
