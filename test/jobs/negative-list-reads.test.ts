import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/infra/clock.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { newQueryCount } from "../../src/infra/query-count.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import { freshDb } from "../helpers/db.js";
import { at, jobDeps, makeAgency, makeCycle, makeTarget } from "./province.js";

/**
 * The quarterly push (§2.23) reads each agency's stored list once, however many heads (一把手) it
 * has: the three heads of one agency get the same list, so it is not read again per person.
 */
const count = newQueryCount({ keepSql: true });
let db: Db;
let url: string;
const clock = new FixedClock(at("2026-04-07"));

beforeAll(async () => {
  const fresh = await freshDb("negative-list-reads");
  url = fresh.url;
  const cycle = await makeCycle(fresh.db);
  const a = await makeAgency(fresh.db, "FGW", [["head1", "head"], ["head2", "head"], ["head3", "head"], ["staff", "staff"]]);
  await makeTarget(fresh.db, { cycleId: cycle.id, agencyId: a.agency.id, code: "FGW-01", ownerIds: [a.users.staff.id], deadline: "2026-12-20", milestones: [{ quarter: 1, dueOn: "2026-03-31", expectedProgress: 25 }] });
  await fresh.db.$disconnect();
  db = await createDb(url, { count });
});
afterAll(() => db?.$disconnect());

/** Reads of a stored list by agency and period once the list is marked delivered: the push's own reads. */
function pushReads(): string[] {
  const marked = count.sql.findIndex((sql) => /^\s*UPDATE/i.test(sql) && /NegativeList[`"]\s+SET\s+[`"]notifiedAt/.test(sql));
  const byAgencyAndPeriod = (sql: string) => /^\s*SELECT/i.test(sql) && /NegativeList[`"]\.[`"]agencyId[`"] = /.test(sql) && /NegativeList[`"]\.[`"]period[`"] = /.test(sql);
  return marked < 0 ? [] : count.sql.slice(marked).filter(byAgencyAndPeriod);
}

describe("the quarterly negative list push", () => {
  it("reads an agency's list once for its three heads and queues the list to each", async () => {
    count.reset();
    expect(await runNamedJob(jobDeps(db, url, clock), "negative-list", "2026Q1")).toMatchObject({ status: "succeeded", summary: { notified: 1 } });
    const queued = await db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "negative-list:2026Q1:" } }, select: { idempotencyKey: true } });
    expect(queued.filter((m) => !m.idempotencyKey.endsWith(":appeal-card") && !m.idempotencyKey.includes(":summary:"))).toHaveLength(3);
    expect(pushReads()).toHaveLength(1);
  });
});
