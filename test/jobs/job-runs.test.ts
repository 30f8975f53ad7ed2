import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { type JobContext, runJobOnce } from "../../src/jobs/job-runs.js";
import { freshDb } from "../helpers/db.js";

let db: Db;
const clock = new FixedClock(new Date("2026-03-24T01:00:00Z"));

beforeAll(async () => {
  ({ db } = await freshDb("job-ledger"));
});
afterAll(() => db.$disconnect());

describe("the JobRun table", () => {
  it("runs a period once: the second run for the same period does nothing", async () => {
    let calls = 0;
    const fn = async () => ({ n: ++calls });
    expect(await runJobOnce(db, "demo", "2026-03-24", fn, { clock })).toEqual({ status: "succeeded", summary: { n: 1 }, resumed: false });
    expect(await runJobOnce(db, "demo", "2026-03-24", fn, { clock })).toMatchObject({ status: "already-succeeded" });
    expect(calls).toBe(1);
    expect(await runJobOnce(db, "demo", "2026-03-25", fn, { clock })).toMatchObject({ status: "succeeded", summary: { n: 2 } });
    expect(await db.jobRun.findUnique({ where: { job_period: { job: "demo", period: "2026-03-24" } } })).toMatchObject({ status: "succeeded", summary: '{"n":1}' });
  });

  it("resumes a failed run from the cursor it saved", async () => {
    const seen: number[] = [];
    const work = (failAt: number | null) => async (ctx: JobContext<{ done?: number }>) => {
      for (let i = (ctx.cursor.done ?? 0) + 1; i <= 5; i++) {
        if (i === failAt) throw new Error(`item ${i} failed`);
        seen.push(i);
        await ctx.saveCursor({ done: i });
      }
      return { resumed: ctx.resumed };
    };
    expect(await runJobOnce(db, "resume", "2026Q1", work(4), { clock })).toEqual({ status: "failed", error: "item 4 failed" });
    expect(await db.jobRun.findFirst({ where: { job: "resume" } })).toMatchObject({ status: "failed", cursor: '{"done":3}', error: "item 4 failed" });
    expect(await runJobOnce(db, "resume", "2026Q1", work(null), { clock })).toEqual({ status: "succeeded", summary: { resumed: true }, resumed: true });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("leaves a live run alone but takes over one whose heartbeat went stale (its process died)", async () => {
    await db.jobRun.create({ data: { job: "stale", period: "p", status: "running", claimedBy: "dead-host:1", heartbeatAt: clock.now(), cursor: '{"at":7}' } });
    const fn = async (ctx: JobContext<{ at?: number }>) => ctx.cursor.at;
    expect(await runJobOnce(db, "stale", "p", fn, { clock, staleAfterMs: 60_000 })).toEqual({ status: "busy", claimedBy: "dead-host:1" });
    const later = new FixedClock(new Date(clock.now().getTime() + 60_001));
    expect(await runJobOnce(db, "stale", "p", fn, { clock: later, staleAfterMs: 60_000, owner: "me" })).toEqual({ status: "succeeded", summary: 7, resumed: true });
    expect(await db.jobRun.findFirst({ where: { job: "stale" } })).toMatchObject({ status: "succeeded", claimedBy: "me" });
  });

  it("gives a racing second process nothing to do", async () => {
    let calls = 0;
    let release!: () => void;
    let running!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const claimed = new Promise<void>((r) => (running = r));
    const slow = async () => {
      calls += 1;
      running();
      await gate;
      return "done";
    };
    const first = runJobOnce(db, "race", "2026-03-24", slow, { clock, owner: "first" });
    // The first process holds the claim once its work has begun.
    await claimed;
    const second = await runJobOnce(db, "race", "2026-03-24", slow, { clock, owner: "second" });
    release();
    expect(second).toEqual({ status: "busy", claimedBy: "first" });
    expect(await first).toMatchObject({ status: "succeeded" });
    expect(calls).toBe(1);
  });
});
