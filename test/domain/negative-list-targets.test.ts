import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ComputedList, computeNegativeLists, getNegativeList, storeNegativeLists } from "../../src/domain/negative-list/negative-list.js";
import { loadRules } from "../../src/domain/rules.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";
import { at, makeAgency, makeCycle, makeTarget } from "../jobs/province.js";

/**
 * 负面清单 (§2.23): “完成目标记0分，未完成目标记负分、超额完成目标不加分”. Every target whose own
 * deadline and every milestone whose due date falls in the quarter is scored, initial (§2.6) and
 * dynamic (§2.7) targets alike; one miss is one entry. Each agency below holds one case of 2026Q3.
 */
let db: Db;
let cycleId: number;
const POINTS = loadRules(2026).negativeList.pointsPerMilestone;
const Q3 = { year: 2026, quarter: 3 } as const;
const agencyIds: Record<string, number> = {};
let lists: ComputedList[];

const listOf = (code: string) => lists.find((l) => l.agencyId === agencyIds[code])!;

async function agency(code: string) {
  const a = await makeAgency(db, code, [[`${code.toLowerCase()}_staff`, "staff"]]);
  agencyIds[code] = a.agency.id;
  return { agencyId: a.agency.id, ownerIds: [a.users[`${code.toLowerCase()}_staff`].id], cycleId };
}

beforeAll(async () => {
  db = (await freshDb("negative-list-targets")).db;
  cycleId = (await makeCycle(db)).id;
  // A milestone due 30 September, never reached.
  const ms = await agency("MS");
  await makeTarget(db, { ...ms, code: "MS-01", deadline: "2026-12-20", milestones: [{ quarter: 3, dueOn: "2026-09-30", expectedProgress: 75 }] });
  // One target over-completed early (100% by mid-August, deadline 30 September), one milestone missed.
  const oc = await agency("OC");
  await makeTarget(db, { ...oc, code: "OC-01", deadline: "2026-09-30", status: "completed", progress: 100, closedAt: at("2026-08-15"), milestones: [{ quarter: 3, dueOn: "2026-09-30", expectedProgress: 60, achievedAt: at("2026-08-15") }] });
  await makeTarget(db, { ...oc, code: "OC-02", deadline: "2026-12-20", milestones: [{ quarter: 3, dueOn: "2026-09-30", expectedProgress: 75 }] });
  // Deadline 31 August, unfinished at 80%; its milestones (Q1, Q2) were met, none falls in Q3.
  const td = await agency("TD");
  await makeTarget(db, { ...td, code: "TD-01", deadline: "2026-08-31", status: "in_progress", progress: 80, milestones: [{ quarter: 1, dueOn: "2026-03-31", expectedProgress: 30, achievedAt: at("2026-03-20") }, { quarter: 2, dueOn: "2026-06-30", expectedProgress: 60, achievedAt: at("2026-06-20") }] });
  // No milestones at all (the import allows it), deadline 15 September, never reported.
  const nm = await agency("NM");
  await makeTarget(db, { ...nm, code: "NM-01", deadline: "2026-09-15" });
  // The last milestone and the deadline on the same day, 30 September, both missed.
  const sd = await agency("SD");
  await makeTarget(db, { ...sd, code: "SD-01", deadline: "2026-09-30", status: "in_progress", progress: 70, milestones: [{ quarter: 3, dueOn: "2026-09-30", expectedProgress: 100 }] });
  // Dynamic targets (§2.7): one missed its document's deadline, one was done in time.
  const dy = await agency("DY");
  await makeTarget(db, { ...dy, code: "DY-01", deadline: "2026-09-10", status: "in_progress", progress: 40, managementType: "dynamic" });
  await makeTarget(db, { ...dy, code: "DY-02", deadline: "2026-09-10", status: "completed", progress: 100, closedAt: at("2026-09-01"), managementType: "dynamic" });
  // Completed, but only after its deadline.
  const lt = await agency("LT");
  await makeTarget(db, { ...lt, code: "LT-01", deadline: "2026-08-31", status: "completed", progress: 100, closedAt: at("2026-09-05") });
  // Three misses in one list, for the numbering.
  const nb = await agency("NB");
  await makeTarget(db, { ...nb, code: "NB-01", deadline: "2026-12-20", milestones: [{ quarter: 2, dueOn: "2026-06-30", expectedProgress: 50 }, { quarter: 3, dueOn: "2026-09-30", expectedProgress: 75 }] });
  await makeTarget(db, { ...nb, code: "NB-02", deadline: "2026-07-31" });
  await makeTarget(db, { ...nb, code: "NB-03", deadline: "2026-09-15", managementType: "dynamic" });
  lists = await computeNegativeLists(db, Q3, loadRules(2026));
});
afterAll(() => db.$disconnect());

describe("§2.23 负面清单 counts targets, not only milestones", () => {
  it("a missed milestone is an entry", () => {
    const l = listOf("MS");
    expect(l.entries).toMatchObject([{ points: POINTS, reason: expect.stringContaining("MS-01「MS-01任务」第三季度节点未按期完成") }]);
    expect(l.entries[0].milestoneId).not.toBeNull();
    expect(l.totalPoints).toBe(POINTS);
  });

  it("an over-completed target scores 0 and no bonus offsets another entry", () => {
    const l = listOf("OC");
    expect(l.entries.map((e) => e.reason.slice(0, 5))).toEqual(["OC-02"]);
    expect(l.totalPoints).toBe(POINTS);
  });

  it("a target whose deadline falls in the quarter, unfinished at the deadline, with no milestone that quarter, is an entry", () => {
    const l = listOf("TD");
    expect(l.entries).toEqual([{ targetId: expect.any(Number), milestoneId: null, points: POINTS, dueDay: "2026-08-31", reason: "TD-01「TD-01任务」未按期完成（完成时限 8月31日）" }]);
  });

  it("a target with no milestones, deadline in the quarter, never reported, is an entry", () => {
    const l = listOf("NM");
    expect(l.entries).toEqual([{ targetId: expect.any(Number), milestoneId: null, points: POINTS, dueDay: "2026-09-15", reason: "NM-01「NM-01任务」未按期完成（完成时限 9月15日）" }]);
  });

  it("a target's last milestone and its deadline on the same day, both missed, are one entry, not two", () => {
    const l = listOf("SD");
    expect(l.entries).toHaveLength(1);
    expect(l.entries[0]).toMatchObject({ milestoneId: null, points: POINTS, reason: "SD-01「SD-01任务」未按期完成（完成时限 9月30日；第三季度节点同日到期，一并计为一项）" });
    expect(l.totalPoints).toBe(POINTS);
  });

  it("dynamic targets (§2.7) are scored alike: missed → entry, done in time → 0", () => {
    const l = listOf("DY");
    expect(l.entries.map((e) => e.reason)).toEqual(["DY-01「DY-01任务」（动态目标，黔府办发〔2026〕12号）未按期完成（完成时限 9月10日）"]);
    expect(l.totalPoints).toBe(POINTS);
  });

  it("a target completed only after its deadline is an entry", () => {
    expect(listOf("LT").entries.map((e) => e.reason)).toEqual(["LT-01「LT-01任务」未按期完成（完成时限 8月31日，9月5日才完成）"]);
  });

  it("entries are numbered 1, 2, 3 … within each list, by target code", async () => {
    const q2 = await computeNegativeLists(db, { year: 2026, quarter: 2 }, loadRules(2026));
    await db.$transaction(async (tx) => {
      await storeNegativeLists(tx, cycleId, { year: 2026, quarter: 2 }, q2, at("2026-07-05"));
      await storeNegativeLists(tx, cycleId, Q3, lists, at("2026-10-05"));
    });
    const q3 = await getNegativeList(db, agencyIds.NB, "2026Q3");
    expect(q3!.entries.map((e) => [e.seq, e.target.code])).toEqual([[1, "NB-01"], [2, "NB-02"], [3, "NB-03"]]);
    const second = await getNegativeList(db, agencyIds.NB, "2026Q2");
    expect(second!.entries.map((e) => [e.seq, e.target.code])).toEqual([[1, "NB-01"]]);
  });
});
