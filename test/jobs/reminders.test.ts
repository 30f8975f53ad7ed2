import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fromBeijingDate } from "../../src/domain/calendar/calendar.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import type { JobDeps } from "../../src/jobs/deps.js";
import { failInserts, freshDb } from "../helpers/db.js";
import { at, jobDeps, makeAgency, makeCycle, makeTarget } from "./province.js";

/** Deadline reminders, one behaviour at a time, on a day when targets are due in 7 days. */
let db: Db;
let deps: JobDeps;
const clock = new FixedClock(at("2026-03-24"));
let cycleId: number;
let agency: Awaited<ReturnType<typeof makeAgency>>;

beforeAll(async () => {
  const fresh = await freshDb("reminders");
  db = fresh.db;
  deps = jobDeps(db, fresh.url, clock);
  cycleId = (await makeCycle(db)).id;
  agency = await makeAgency(db, "FGW", [["head", "head"], ["officer", "officer"], ["zhao", "staff"], ["sun", "staff"]]);
});
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await db.outboxMessage.deleteMany();
  await db.cardInstance.deleteMany();
  await db.jobRun.deleteMany();
  await db.absence.deleteMany();
  await db.target.deleteMany();
  clock.set(at("2026-03-24"));
});

/** Targets due on 31 March (Tuesday): 24 March is 7 days ahead. */
async function targets(n: number, ownerIds = [agency.users.zhao.id]) {
  const made = [];
  for (let i = 1; i <= n; i++) made.push(await makeTarget(db, { cycleId, agencyId: agency.agency.id, code: `FGW-${String(i).padStart(2, "0")}`, ownerIds, deadline: "2026-03-31" }));
  return made;
}

const keys = async () => (await db.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((r) => r.idempotencyKey);

describe("deadline reminders", () => {
  it("reminds the owner with the text and a report card, keyed per item, kind, day and person", async () => {
    const [t] = await targets(1);
    expect(await runNamedJob(deps, "reminders")).toMatchObject({ status: "succeeded", summary: { day: "2026-03-24", queued: 2 } });
    const rows = await db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.idempotencyKey)).toEqual([`reminder:target:${t.id}:ahead:2026-03-24:${agency.users.zhao.id}`, `reminder:target:${t.id}:ahead:2026-03-24:${agency.users.zhao.id}:card`]);
    expect(JSON.parse(rows[0].payload).text).toBe(
      "【到期提醒】您负责的目标 FGW-01「FGW-01任务」完成时限将于3月31日到期，距到期还有 7 天，当前进度 0%。请抓紧推进。请及时汇报进度：汇报 FGW-01 <进度> <说明>，或使用下方卡片。",
    );
    const card = JSON.parse(rows[1].payload);
    expect(card.card.actions[0].command).toBe("汇报 FGW-01 {progress}");
    // The card is remembered for the owner, so the click can be matched (src/conversation/cards.ts).
    expect(await db.cardInstance.count({ where: { cardKey: card.card.key, userId: agency.users.zhao.id } })).toBe(1);
  });

  it("queues nothing twice for the same day, even when the JobRun table is lost", async () => {
    await targets(2);
    await runNamedJob(deps, "reminders");
    const first = await keys();
    await db.jobRun.deleteMany();
    expect(await runNamedJob(deps, "reminders")).toMatchObject({ status: "succeeded", summary: { queued: 0, alreadyQueued: 4 } });
    expect(await keys()).toEqual(first);
  });

  it("resumes a failed run after the last targets it had finished", async () => {
    const made = await targets(30);
    const victim = made[27].id;
    const lift = await failInserts(db, "OutboxMessage", "idempotencyKey", `reminder:target:${victim}:%`);
    expect(await runNamedJob(deps, "reminders")).toMatchObject({ status: "failed" });
    expect((await db.jobRun.findFirstOrThrow()).cursor).toBe(JSON.stringify({ afterTargetId: made[24].id }));
    expect(await db.outboxMessage.count()).toBe(50);
    await lift();
    expect(await runNamedJob(deps, "reminders")).toMatchObject({ status: "succeeded", resumed: true, summary: { queued: 10, alreadyQueued: 0 } });
    const all = await keys();
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
  });

  it("sends nothing on a weekend or holiday", async () => {
    await targets(1);
    clock.set(at("2026-04-05"));
    expect(await runNamedJob(deps, "reminders")).toMatchObject({ status: "succeeded", summary: { day: "2026-04-05", workingDay: false, queued: 0 } });
  });

  it("holds a reminder queued after hours until the next working morning", async () => {
    await targets(1);
    clock.set(at("2026-03-24", "20:00"));
    await runNamedJob(deps, "reminders");
    for (const r of await db.outboxMessage.findMany()) expect(r.notBefore).toEqual(at("2026-03-25", "08:30"));
  });

  it("sends an absent owner's reminders to the delegate, with the card only if the delegate may report", async () => {
    const [t] = await targets(1);
    const absence = { userId: agency.users.zhao.id, kind: "leave", startsOn: fromBeijingDate("2026-03-23"), endsOn: fromBeijingDate("2026-03-24"), recordedById: agency.users.officer.id };
    await db.absence.create({ data: { ...absence, delegateId: agency.users.sun.id } });
    await runNamedJob(deps, "reminders");
    const rows = await db.outboxMessage.findMany();
    expect(rows.map((r) => r.idempotencyKey)).toEqual([`reminder:target:${t.id}:ahead:2026-03-24:${agency.users.sun.id}`]);
    expect(JSON.parse(rows[0].payload).text).toMatch(/^【到期提醒】（zhao请假期间，由您代为接收）zhao负责的目标 .*请转告责任人及时汇报，或联系本单位目标办代为汇报。$/);

    await db.outboxMessage.deleteMany();
    await db.jobRun.deleteMany();
    await db.absence.updateMany({ data: { delegateId: agency.users.officer.id } });
    await runNamedJob(deps, "reminders");
    expect(await keys()).toEqual([`reminder:target:${t.id}:ahead:2026-03-24:${agency.users.officer.id}`, `reminder:target:${t.id}:ahead:2026-03-24:${agency.users.officer.id}:card`]);
  });

  it("sends them to the agency's 目标办 when the absent owner named nobody", async () => {
    const [t] = await targets(1);
    await db.absence.create({ data: { userId: agency.users.zhao.id, kind: "trip", startsOn: fromBeijingDate("2026-03-24"), endsOn: fromBeijingDate("2026-03-27"), recordedById: agency.users.zhao.id } });
    await runNamedJob(deps, "reminders");
    const rows = await db.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.userId)).toEqual([agency.users.officer.id, agency.users.officer.id]);
    expect(JSON.parse(rows[0].payload).text).toContain(`（zhao出差期间，由您代为接收）zhao负责的目标 ${t.code}`);
  });

  it("reminds the agency's 目标办 about a target with no owner", async () => {
    const [t] = await targets(1, []);
    await runNamedJob(deps, "reminders");
    expect(await keys()).toEqual([`reminder:target:${t.id}:ahead:2026-03-24:${agency.users.officer.id}`, `reminder:target:${t.id}:ahead:2026-03-24:${agency.users.officer.id}:card`]);
  });
});
