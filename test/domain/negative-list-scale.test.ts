import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeNegativeLists } from "../../src/domain/negative-list.js";
import { loadRules } from "../../src/domain/rules.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { syntheticProvince } from "../../bench/synthetic-province.js";

/**
 * The negative list (§2.23) on a province large enough that its missed milestones span several
 * detail queries (the SQLite adapter binds at most 999 parameters per query).
 */
let db: Db;
beforeAll(async () => {
  db = await createDb(syntheticProvince(30, 60, "test/.tmp"));
});
afterAll(() => db.$disconnect());

describe("a large quarter's negative list", () => {
  it("counts every missed milestone once, whatever the number", async () => {
    const rules = loadRules(2026);
    const lists = await computeNegativeLists(db, { year: 2026, quarter: 3 }, rules);
    const entries = lists.flatMap((l) => l.entries);
    // The synthetic province misses a milestone where (a·7 + t·3 + q) is a multiple of 3, i.e. where a·7 + 3 ≡ 0.
    const expected = Array.from({ length: 30 }, (_, i) => i + 1).filter((a) => (a * 7 + 3) % 3 === 0).length * 60;
    expect(entries.length).toBe(expected);
    expect(entries.length).toBeGreaterThan(500);
    expect(new Set(entries.map((e) => e.milestoneId)).size).toBe(entries.length);
    for (const l of lists) expect(l.totalPoints).toBeCloseTo(l.entries.length * rules.negativeList.pointsPerMilestone);
  });
});
