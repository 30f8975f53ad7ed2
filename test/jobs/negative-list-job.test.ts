import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CardReply, MarkdownReply, TextReply } from "../../src/messages/reply.js";
import { loadRules } from "../../src/domain/rules.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import type { JobDeps } from "../../src/jobs/deps.js";
import { failInserts, freshDb } from "../helpers/db.js";
import { at, jobDeps, makeAgency, makeCycle, makeOffice, makeTarget } from "./province.js";

/**
 * The quarterly negative list (§2.23) for four agencies: one with missed milestones, one that
 * over-completed, one without a head, one without targets. Run on 5 April (清明, a Sunday).
 */
let db: Db;
let deps: JobDeps;
const clock = new FixedClock(at("2026-04-05"));
const POINTS = loadRules(2026).negativeList.pointsPerMilestone;
let ids: Record<string, number>;
let people: Record<string, number>;

beforeAll(async () => {
  const fresh = await freshDb("negative-list-job");
  db = fresh.db;
  deps = jobDeps(db, fresh.url, clock);
  const cycle = await makeCycle(db);
  const office = await makeOffice(db, ["mbb1", "mbb2"]);
  const a = await makeAgency(db, "FGW", [["fgw_head", "head"], ["fgw_officer", "officer"], ["fgw_staff", "staff"]]);
  const b = await makeAgency(db, "JYT", [["jyt_head1", "head"], ["jyt_head2", "head"], ["jyt_staff", "staff"]]);
  const c = await makeAgency(db, "NYT", [["nyt_officer", "officer"], ["nyt_staff", "staff"]]);
  const d = await makeAgency(db, "SWJ", [["swj_head", "head"]]);
  ids = { A: a.agency.id, B: b.agency.id, C: c.agency.id, D: d.agency.id };
  people = Object.fromEntries([...office.map((u) => [u.account, u.id]), ...[a, b, c, d].flatMap((x) => Object.values(x.users).map((u) => [u.account, u.id]))]);
  const t = (agencyId: number, code: string, owner: number, q1: { achievedAt?: Date } | null, extra: { status?: string; progress?: number; q2?: boolean } = {}) =>
    makeTarget(db, {
      cycleId: cycle.id,
      agencyId,
      code,
      ownerIds: [owner],
      deadline: "2026-12-20",
      status: extra.status,
      progress: extra.progress,
      milestones: [...(q1 ? [{ quarter: 1, dueOn: "2026-03-31", expectedProgress: 25, ...q1 }] : []), ...(extra.q2 ? [{ quarter: 2, dueOn: "2026-06-30", expectedProgress: 50 }] : [])],
    });
  await t(ids.A, "FGW-01", people.fgw_staff, {});
  await t(ids.A, "FGW-02", people.fgw_staff, { achievedAt: at("2026-03-20", "10:00") });
  await t(ids.A, "FGW-03", people.fgw_staff, { achievedAt: at("2026-04-02", "10:00") });
  await t(ids.A, "FGW-04", people.fgw_staff, {}, { status: "draft" });
  await t(ids.A, "FGW-05", people.fgw_staff, null, { q2: true });
  // Over-completed: done in March at 100%, far beyond the 25% the milestone asked.
  await t(ids.B, "JYT-01", people.jyt_staff, { achievedAt: at("2026-03-10", "10:00") }, { status: "completed", progress: 100 });
  await t(ids.C, "NYT-01", people.nyt_staff, {});
});
afterAll(() => db.$disconnect());

const outbox = () => db.outboxMessage.findMany({ orderBy: { id: "asc" } });
/** The first quarter's run, made once by whichever step needs it first, so each step also runs alone. */
let q1Run: ReturnType<typeof runNamedJob> | undefined;
const runQ1 = () => (q1Run ??= runNamedJob(deps, "negative-list"));
const payload = (r: { payload: string }) => JSON.parse(r.payload) as MarkdownReply | TextReply | CardReply;

describe("the quarterly negative list job", () => {
  it("computes every agency's list from the rules file: 0 for completed, negative for missed, no bonus", async () => {
    const outcome = await runQ1();
    expect(outcome).toEqual({ status: "succeeded", resumed: false, summary: { period: "2026Q1", agencies: 4, withEntries: 2, entries: 3, notified: 4 } });
    const lists = await db.negativeList.findMany({ where: { period: "2026Q1" }, include: { entries: { include: { target: true } } }, orderBy: { agencyId: "asc" } });
    const byAgency = Object.fromEntries(lists.map((l) => [l.agencyId, l]));
    expect(byAgency[ids.A].entries.map((e) => [e.target.code, e.points])).toEqual([["FGW-01", POINTS], ["FGW-03", POINTS]]);
    expect(byAgency[ids.A].totalPoints).toBe(2 * POINTS);
    expect(byAgency[ids.B]).toMatchObject({ totalPoints: 0, entries: [] });
    expect(byAgency[ids.C].totalPoints).toBe(POINTS);
    expect(byAgency[ids.D]).toMatchObject({ totalPoints: 0, entries: [] });
  });

  it("holds delivery to the next working morning and opens the appeal window then", async () => {
    await runQ1();
    const lists = await db.negativeList.findMany({ where: { period: "2026Q1" } });
    // 5 April is 清明 (and a Sunday), 6 April too: the lists reach the heads on Tuesday 7 April at 08:30.
    for (const l of lists) expect(l.notifiedAt).toEqual(at("2026-04-07", "08:30"));
    for (const r of await outbox()) expect(r.notBefore).toEqual(at("2026-04-07", "08:30"));
  });

  it("pushes the list and an appeal card to every head, as mandatory notices with one key each", async () => {
    await runQ1();
    const rows = await outbox();
    const forA = rows.filter((r) => r.idempotencyKey.startsWith(`negative-list:2026Q1:${ids.A}:`));
    expect(forA.map((r) => r.idempotencyKey)).toEqual([`negative-list:2026Q1:${ids.A}:${people.fgw_head}`, `negative-list:2026Q1:${ids.A}:${people.fgw_head}:appeal-card`]);
    expect(forA.every((r) => r.mandatory && r.userId === people.fgw_head && r.recipient === "fgw_head")).toBe(true);
    const list = payload(forA[0]) as MarkdownReply;
    expect(list.text).toContain("共 2 项，合计 -1 分");
    expect(list.text).toContain("请于 4月22日（含）前申诉");
    const card = payload(forA[1]) as CardReply;
    expect(card.card.actions.map((a) => a.command)).toEqual(["申诉 2026Q1-1", "申诉 2026Q1-2"]);
  });

  it("tells agencies with nothing on the list so, every head of them", async () => {
    await runQ1();
    const rows = await outbox();
    for (const head of ["jyt_head1", "jyt_head2"]) {
      const mine = rows.filter((r) => r.userId === people[head]);
      expect(mine.map((r) => r.idempotencyKey)).toEqual([`negative-list:2026Q1:${ids.B}:${people[head]}`]);
      expect((payload(mine[0]) as TextReply).text).toBe("测试单位JYT2026年第一季度：本季度无负面清单事项。");
    }
    const swj = rows.filter((r) => r.userId === people.swj_head);
    expect((payload(swj[0]) as TextReply).text).toContain("本季度无负面清单事项");
  });

  it("sends the list of an agency without a head to its 目标办, and a summary to the office", async () => {
    await runQ1();
    const rows = await outbox();
    expect(rows.filter((r) => r.userId === people.nyt_officer).map((r) => r.idempotencyKey)).toEqual([
      `negative-list:2026Q1:${ids.C}:${people.nyt_officer}`,
      `negative-list:2026Q1:${ids.C}:${people.nyt_officer}:appeal-card`,
    ]);
    const summary = rows.filter((r) => r.idempotencyKey.startsWith("negative-list:2026Q1:summary:"));
    expect(summary.map((r) => r.userId)).toEqual([people.mbb1, people.mbb2]);
    expect((payload(summary[0]) as TextReply).text).toContain("共 4 个单位，其中 2 个单位有负面清单事项，合计 3 项");
  });

  it("does nothing the second time, even with the JobRun row gone", async () => {
    await runQ1();
    const before = (await outbox()).length;
    expect(await runNamedJob(deps, "negative-list", "2026Q1")).toMatchObject({ status: "already-succeeded" });
    await db.jobRun.deleteMany({ where: { job: "negative-list" } });
    expect(await runNamedJob(deps, "negative-list", "2026Q1")).toMatchObject({ status: "succeeded", summary: { notified: 0 } });
    expect((await outbox()).length).toBe(before);
  });

  it("refuses a quarter that has not closed, without leaving a run behind", async () => {
    await expect(runNamedJob(deps, "negative-list", "2026Q2")).rejects.toThrow("2026年第二季度尚未结束");
    expect(await db.jobRun.count({ where: { period: "2026Q2" } })).toBe(0);
  });

  it("resumes a run that failed part-way, without notifying anyone twice", async () => {
    clock.set(at("2026-07-06"));
    // A real failure inside the database: queueing agency C's list aborts.
    const lift = await failInserts(db, "OutboxMessage", "idempotencyKey", `negative-list:2026Q2:${ids.C}:%`);
    const failed = await runNamedJob(deps, "negative-list");
    expect(failed).toMatchObject({ status: "failed" });
    expect(await db.jobRun.findFirst({ where: { period: "2026Q2" } })).toMatchObject({ status: "failed", cursor: JSON.stringify({ afterAgencyId: ids.B }) });
    const notified = await db.negativeList.findMany({ where: { period: "2026Q2", notifiedAt: { not: null } }, orderBy: { agencyId: "asc" } });
    expect(notified.map((l) => l.agencyId)).toEqual([ids.A, ids.B]);
    const before = await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "negative-list:2026Q2:" } } });

    await lift();
    const resumed = await runNamedJob(deps, "negative-list");
    expect(resumed).toMatchObject({ status: "succeeded", resumed: true, summary: { period: "2026Q2", notified: 2 } });
    const q2 = await db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "negative-list:2026Q2:" } } });
    expect(q2.length).toBe(before + 2 + 2);
    expect(new Set(q2.map((r) => r.userId)).size).toBe(q2.filter((r) => !r.idempotencyKey.endsWith(":appeal-card")).length);
    expect(await db.negativeList.count({ where: { period: "2026Q2", notifiedAt: null } })).toBe(0);
  });
});
