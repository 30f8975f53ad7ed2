import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, beijingDate } from "../../src/domain/calendar/calendar.js";
import { recordProgress } from "../../src/domain/ledger/progress-reports.js";
import { getVisibleTarget, permitReport } from "../../src/domain/targets/targets.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { loadWorkingDays } from "../../src/domain/calendar/working-days.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import { freshDb } from "../helpers/db.js";
import { at, jobDeps, makeAgency, makeCycle, makeTarget, QUARTER_ENDS } from "./province.js";

/**
 * A whole year of the daily reminders job on a FixedClock, at 09:00 Beijing time every day of 2026,
 * each day run twice, with owners reporting along the way. Then the outbox is read back.
 */
let db: Db;
const wd = loadWorkingDays("rules");
const clock = new FixedClock(at("2026-01-01"));
type Row = { key: string; item: string; kind: string; day: string; userId: number; card: boolean; runDay: string; id: number; mandatory: boolean; text: string };
let rows: Row[] = [];
let users: Record<string, { id: number }>;
const targetIds: Record<string, number> = {};
const milestoneIds: Record<string, number> = {};
let secondRunsQueued = 0;

beforeAll(async () => {
  const fresh = await freshDb("reminders-year");
  db = fresh.db;
  const deps = jobDeps(db, fresh.url, clock);
  const cycle = await makeCycle(db);
  const people: [string, Role][] = [["head", "head"], ["officer", "officer"], ["good", "staff"], ["lazy", "staff"], ["muted", "staff"]];
  const a = await makeAgency(db, "FGW", people);
  users = a.users;
  await db.user.update({ where: { id: users.muted.id }, data: { muteOptional: true } });
  const quarterly = (pct = 25) => QUARTER_ENDS.map((dueOn, i) => ({ quarter: i + 1, dueOn, expectedProgress: pct * (i + 1) }));
  const specs = [
    { code: "FGW-01", owner: "good", deadline: "2026-12-20", milestones: quarterly() },
    { code: "FGW-02", owner: "lazy", deadline: "2026-12-20", milestones: quarterly() },
    { code: "FGW-03", owner: "lazy", deadline: "2026-10-03", milestones: [] },
    { code: "FGW-04", owner: "good", deadline: "2026-03-02", milestones: [] },
    { code: "FGW-05", owner: "muted", deadline: "2026-06-10", milestones: [] },
    { code: "FGW-06", owner: "lazy", deadline: "2026-12-20", milestones: quarterly().slice(0, 1) },
    { code: "FGW-07", owner: "lazy", deadline: "2026-05-20", milestones: [], status: "draft" },
  ];
  for (const s of specs) {
    const t = await makeTarget(db, { cycleId: cycle.id, agencyId: a.agency.id, code: s.code, ownerIds: [users[s.owner].id], deadline: s.deadline, milestones: s.milestones, status: s.status });
    targetIds[s.code] = t.id;
    for (const m of t.milestones) milestoneIds[`${s.code}:Q${m.quarter}`] = m.id;
  }
  // Reports made at 08:00 on these days, before that day's 09:00 run.
  const reports: Record<string, [string, string, number][]> = {
    "2026-03-03": [["good", "FGW-04", 100]],
    "2026-03-26": [["good", "FGW-01", 25]],
    "2026-04-15": [["lazy", "FGW-06", 30]],
    "2026-06-25": [["good", "FGW-01", 50]],
    "2026-09-24": [["good", "FGW-01", 75]],
    "2026-12-16": [["good", "FGW-01", 100]],
  };
  for (let day = "2026-01-01"; day <= "2026-12-31"; day = addDays(day, 1)) {
    for (const [account, code, pct] of reports[day] ?? []) {
      clock.set(at(day, "08:00"));
      await db.$transaction(async (tx) => {
        const u = await tx.user.findUniqueOrThrow({ where: { account } });
        const actor = { id: u.id, account, name: u.name, role: u.role as Role, agencyId: u.agencyId };
        await recordProgress(tx, actor, permitReport(actor, await getVisibleTarget(tx, actor, cycle.id, code)), { progress: pct, note: "按计划推进", channel: "console" }, clock.now());
      });
    }
    clock.set(at(day, "09:00"));
    const first = await runNamedJob(deps, "reminders");
    expect(first.status, day).toBe("succeeded");
    const before = await db.outboxMessage.count();
    expect((await runNamedJob(deps, "reminders")).status).toBe("already-succeeded");
    secondRunsQueued += (await db.outboxMessage.count()) - before;
  }
  rows = (await db.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((r) => {
    const [, item, id, kind, day, userId, card] = r.idempotencyKey.split(":");
    const payload = JSON.parse(r.payload) as { kind: string; text?: string };
    return { key: r.idempotencyKey, item: `${item}:${id}`, kind, day, userId: Number(userId), card: card === "card", runDay: beijingDate(r.createdAt), id: r.id, mandatory: r.mandatory, text: payload.text ?? "" };
  });
}, 180_000);
afterAll(() => db.$disconnect());

const ofItem = (item: string, kind?: string, userId?: number) => rows.filter((r) => r.item === item && !r.card && (!kind || r.kind === kind) && (userId === undefined || r.userId === userId));
const days = (rs: Row[]) => [...new Set(rs.map((r) => r.runDay))];

describe("a year of deadline reminders", () => {
  it("sends something, and nothing more when a day is run again", () => {
    expect(rows.length).toBeGreaterThan(50);
    expect(secondRunsQueued).toBe(0);
  });

  it("never lands on a weekend or a public holiday", () => {
    for (const r of rows) expect(wd.isWorkingDay(r.runDay), `${r.key} on ${r.runDay}`).toBe(true);
    const holidays = rows.filter((r) => wd.holidayName(r.runDay) !== null);
    expect(holidays).toEqual([]);
  });

  it("reminds 7, 3 and 1 days ahead and on the due day, moving earlier off weekends", () => {
    // Q2 milestone due Tuesday 30 June: 23 June, 27 June (Sat) → Fri 26 June, 29 June, 30 June.
    const q2 = ofItem(`milestone:${milestoneIds["FGW-02:Q2"]}`).filter((r) => r.kind === "ahead" || r.kind === "due");
    expect(days(q2)).toEqual(["2026-06-23", "2026-06-26", "2026-06-29", "2026-06-30"]);
    expect(q2.at(-1)?.text).toContain("今日（6月30日）到期");
  });

  it("moves ahead reminders into the make-up working days around 春节", () => {
    // Due Monday 2 March: 7 days ahead is in 春节 → the make-up Saturday 14 Feb; 1 day ahead is Sunday → make-up Saturday 28 Feb.
    const spring = ofItem(`target:${targetIds["FGW-04"]}`);
    expect(days(spring)).toEqual(["2026-02-14", "2026-02-27", "2026-02-28", "2026-03-02"]);
    // Completed the next morning, before that day's run: no overdue reminder follows.
    expect(spring.every((r) => r.kind !== "overdue")).toBe(true);
  });

  it("sends the due-day reminder of a deadline inside 国庆 on the last working day before, and overdue ones after", () => {
    const item = `target:${targetIds["FGW-03"]}`;
    const due = ofItem(item, "due");
    expect(days(due)).toEqual(["2026-09-30"]);
    expect(due[0].text).toContain("10月3日（国庆节）到期，今日为到期前最后一个工作日");
    expect(days(ofItem(item, "overdue"))[0]).toBe("2026-10-08");
    expect(days(ofItem(item, "escalate-officer"))).toEqual(["2026-10-08"]);
    // Seven days overdue is Saturday 10 October, a make-up working day.
    expect(days(ofItem(item, "escalate-head"))).toEqual(["2026-10-10"]);
  });

  it("escalates to the agency's officer first and to the head after, each once, as mandatory notices", () => {
    const item = `milestone:${milestoneIds["FGW-02:Q2"]}`;
    const officer = ofItem(item, "escalate-officer");
    const head = ofItem(item, "escalate-head");
    expect(officer.map((r) => [r.userId, r.runDay])).toEqual([[users.officer.id, "2026-07-03"]]);
    expect(head.map((r) => [r.userId, r.runDay])).toEqual([[users.head.id, "2026-07-07"]]);
    expect(officer[0].id).toBeLessThan(head[0].id);
    expect([...officer, ...head].every((r) => r.mandatory)).toBe(true);
    expect(head[0].text).toMatch(/^【逾期报告】.*已逾期 7 天/);
    for (const esc of rows.filter((r) => r.kind === "escalate-head")) {
      const o = rows.find((r) => r.item === esc.item && r.kind === "escalate-officer" && !r.card);
      expect(o, esc.key).toBeDefined();
      expect(o!.id).toBeLessThan(esc.id);
      expect(o!.runDay <= esc.runDay).toBe(true);
    }
  });

  it("repeats the owner's overdue reminder weekly, on working days, until the work catches up", () => {
    const q2 = ofItem(`milestone:${milestoneIds["FGW-02:Q2"]}`, "overdue");
    expect(days(q2).slice(0, 4)).toEqual(["2026-07-01", "2026-07-08", "2026-07-15", "2026-07-22"]);
    expect(q2.every((r) => !r.mandatory && r.userId === users.lazy.id)).toBe(true);
    // FGW-06 reached its Q1 level (25%) on 15 April, late: reminders about that milestone stop.
    const caughtUp = ofItem(`milestone:${milestoneIds["FGW-06:Q1"]}`, "overdue");
    expect(days(caughtUp)).toEqual(["2026-04-01", "2026-04-08"]);
  });

  it("sends nothing about milestones met on time", () => {
    for (const q of ["Q1", "Q2", "Q3", "Q4"]) {
      const r = ofItem(`milestone:${milestoneIds[`FGW-01:${q}`]}`);
      expect(r.every((x) => x.kind === "ahead" || x.kind === "due"), q).toBe(true);
    }
    expect(rows.filter((r) => r.item === `target:${targetIds["FGW-07"]}`)).toEqual([]);
  });

  it("gives owners the report card with each reminder, and respects 退订 except for escalations", () => {
    for (const r of rows.filter((x) => !x.card && ["ahead", "due", "overdue"].includes(x.kind))) {
      expect(rows.some((c) => c.card && c.key === `${r.key}:card`), r.key).toBe(true);
    }
    const muted = `target:${targetIds["FGW-05"]}`;
    expect(rows.filter((r) => r.userId === users.muted.id)).toEqual([]);
    expect(ofItem(muted, "escalate-officer")).toHaveLength(1);
    expect(ofItem(muted, "escalate-head")).toHaveLength(1);
  });
});
