import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeNegativeLists, storeNegativeLists } from "../../src/domain/negative-list/negative-list.js";
import { loadRules } from "../../src/domain/rules.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { newQueryCount } from "../../src/infra/query-count.js";
import { syntheticProvince } from "../../bench/synthetic-province.js";

/**
 * The negative list (§2.23) on provinces large enough that the misses span several aggregated rows
 * and the stored entries several multi-row INSERTs (10,000 entries per statement).
 */
let db: Db;
let large: Db;
const smallCount = newQueryCount({ keepSql: true });
const largeCount = newQueryCount({ keepSql: true });
const rules = loadRules(2026);
const Q3 = { year: 2026, quarter: 3 } as const;
/** The synthetic province misses a milestone where (a·7 + t·3 + q) is a multiple of 3: in Q3, every milestone of agencies a ≡ 0 (mod 3). */
const missingAgencies = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((a) => (a * 7 + 3) % 3 === 0).length;

beforeAll(async () => {
  db = await createDb(syntheticProvince(30, 60, "test/.tmp"), { count: smallCount });
  large = await createDb(syntheticProvince(330, 100, "test/.tmp"), { count: largeCount });
}, 120_000);
afterAll(async () => {
  await db.$disconnect();
  await large.$disconnect();
});

describe("a large quarter's negative list", () => {
  it("counts every missed milestone once, whatever the number", async () => {
    const lists = await computeNegativeLists(db, Q3, rules);
    const entries = lists.flatMap((l) => l.entries);
    expect(entries.length).toBe(missingAgencies(30) * 60);
    expect(entries.length).toBeGreaterThan(500);
    expect(new Set(entries.map((e) => e.milestoneId)).size).toBe(entries.length);
    for (const l of lists) expect(l.totalPoints).toBeCloseTo(l.entries.length * rules.negativeList.pointsPerMilestone);
  });

  it("is computed in the same 5 statements whatever the province's size: agencies, due days, one aggregation per rule, late completions", async () => {
    const statements = async (client: Db, count: typeof smallCount) => {
      count.reset();
      await computeNegativeLists(client, Q3, rules);
      return count.sql.map((sql) => sql.trim().split(/\s+/)[0]);
    };
    expect(await statements(db, smallCount)).toEqual(["SELECT", "SELECT", "SELECT", "SELECT", "SELECT"]);
    expect(await statements(large, largeCount)).toEqual(["SELECT", "SELECT", "SELECT", "SELECT", "SELECT"]);
    expect(largeCount.sql.filter((sql) => /string_agg/.test(sql))).toHaveLength(2);
  });

  it("stores 11,000 entries over two INSERTs, numbered 1 … 100 in each of the 110 lists, and keeps them on a second run", async () => {
    const lists = await computeNegativeLists(large, Q3, rules);
    const at = new Date("2026-10-05T01:00:00Z");
    largeCount.reset();
    await large.$transaction((tx) => storeNegativeLists(tx, 1, Q3, lists, at));
    // Lists kept, lists inserted, lists read back, entries in two INSERTs (10,000 + 1,000), COMMIT.
    expect(largeCount.sql.map((sql) => sql.trim().split(/\s+/)[0])).toEqual(["SELECT", "INSERT", "SELECT", "INSERT", "INSERT", "COMMIT"]);
    await large.$transaction((tx) => storeNegativeLists(tx, 1, Q3, lists, at));
    expect(await large.negativeList.count({ where: { period: "2026Q3" } })).toBe(330);
    expect(await large.negativeListEntry.count()).toBe(missingAgencies(330) * 100);
    expect(missingAgencies(330) * 100).toBe(11_000);
    const stored = await large.negativeList.findMany({ where: { period: "2026Q3" }, include: { entries: { orderBy: { seq: "asc" } } }, orderBy: { agencyId: "asc" } });
    for (const [i, l] of stored.entries()) {
      expect(l.entries.map((e) => e.seq)).toEqual(lists[i].entries.map((_, j) => j + 1));
      expect(l.entries.map((e) => e.reason)).toEqual(lists[i].entries.map((e) => e.reason));
      expect(l.totalPoints).toBe(lists[i].totalPoints);
    }
    expect(stored.filter((l) => l.entries.length === 100)).toHaveLength(110);
  });
});
