import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../src/demo/seed.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";

/**
 * Several bot instances share one database (PostgreSQL in production, and in CI's second pass):
 * their schedulers fire the same job for the same period at the same moment, as two real processes.
 * The JobRun table lets exactly one of them compute and queue the quarter's negative list.
 */
let db: Db;
let url: string;
beforeAll(async () => {
  ({ db, url } = await freshDb("jobs-two-processes"));
  await seedDemoProvince(db, { now: new Date("2026-09-25T02:00:00Z") });
}, 60_000);
afterAll(() => db.$disconnect());

const runInChild = async (at: string) => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/jobs/job-process.ts", url, "negative-list", "2026Q3", at], { timeout: 60_000 });
  return (JSON.parse(stdout) as { status: string }).status;
};

describe("two instances firing the quarterly job together", () => {
  it("compute and push the negative list exactly once", async () => {
    const statuses = await Promise.all([runInChild("2026-10-09T01:00:00Z"), runInChild("2026-10-09T01:00:00Z")]);
    expect(statuses.filter((s) => s === "succeeded")).toHaveLength(1);
    expect(statuses.filter((s) => s === "busy" || s === "already-succeeded")).toHaveLength(1);
    expect(await db.jobRun.count({ where: { job: "negative-list", period: "2026Q3" } })).toBe(1);
    expect(await db.negativeList.count({ where: { period: "2026Q3" } })).toBe(4);
    const pushes = await db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "negative-list:2026Q3:" } } });
    // Each head gets the list once (and its appeal card once); nothing was queued twice.
    for (const head of ["fgw_head", "jyt_head", "nyt_head", "swj_head"]) {
      const mine = pushes.filter((p) => p.recipient === head);
      expect(mine.filter((p) => !p.idempotencyKey.endsWith(":appeal-card"))).toHaveLength(1);
      expect(mine.filter((p) => p.idempotencyKey.endsWith(":appeal-card"))).toHaveLength(1);
    }
    // A third instance arriving later finds the period done.
    expect(await runInChild("2026-10-09T01:05:00Z")).toBe("already-succeeded");
  }, 90_000);
});
