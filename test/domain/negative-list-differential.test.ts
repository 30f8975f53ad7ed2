import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, fromBeijingDate, periodOf, type Quarter } from "../../src/domain/calendar/calendar.js";
import { computeNegativeLists, storeNegativeLists } from "../../src/domain/negative-list/negative-list.js";
import { loadRules } from "../../src/domain/rules.js";
import type { Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";
import { makeCycle } from "../jobs/province.js";
import { referenceNegativeLists } from "./negative-list-reference.js";

/**
 * 负面清单 (§2.23) computed by set-based SQL must give exactly the figures the row-by-row code gave:
 * the same entries (target, milestone, points, wording, day), the same order and totals, for every
 * quarter of a seeded random province. The province is made to sit on the rule's edges: items due
 * at any time of a Beijing day, achieved or closed a millisecond before or at the end of that day,
 * a deadline and a milestone on the same day, targets that are not scored (draft, reviewed), targets
 * with no milestones, dynamic targets with and without a document, codes that sort numerically, text
 * with control characters.
 */
let db: Db;
let cycleId: number;
const rules = loadRules(2026);
const QUARTERS: Quarter[] = [1, 2, 3, 4].map((quarter) => ({ year: 2026, quarter: quarter as Quarter["quarter"] }));
const targetIds: number[] = [];

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function generator(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(20261129);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const DAY_MS = 86_400_000;

/** A random Beijing day of 2026, with quarter ends and their neighbours more often than not. */
function someDay(): string {
  if (random() < 0.5) return addDays(pick(["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]), pick([-1, 0, 0, 0, 1]));
  return addDays("2026-01-01", Math.floor(random() * 365));
}

/** An instant on that Beijing day: midnight mostly, else any time up to the last millisecond. */
function onDay(day: string): Date {
  const start = fromBeijingDate(day).getTime();
  return new Date(start + pick([0, 0, 0, 9 * 3600_000 + 30 * 60_000, DAY_MS - 1, Math.floor(random() * DAY_MS)]));
}

/** When something was done, around the end of the day it was due: before, on the edge, after, or never. */
function doneAround(day: string): Date | null {
  const end = fromBeijingDate(addDays(day, 1)).getTime();
  const offset = pick([null, -DAY_MS * 20, -3600_000, -1, 0, 1, 3600_000, DAY_MS * 5]);
  return offset === null ? null : new Date(end + offset);
}

beforeAll(async () => {
  db = (await freshDb("negative-list-differential")).db;
  cycleId = (await makeCycle(db)).id;
  for (let a = 1; a <= 30; a++) {
    const agency = await db.agency.create({ data: { code: `R${a}`, name: `随机单位${a}`, shortName: `R${a}`, managementType: "direct" } });
    const targets = Math.floor(random() * 13);
    for (let n = 1; n <= targets; n++) {
      const deadlineDay = someDay();
      const status = pick(["draft", "reviewed", "issued", "in_progress", "in_progress", "completed", "completed", "not_completed"]);
      const dynamic = random() < 0.25;
      const quarters = [1, 2, 3, 4].filter(() => random() < 0.6);
      const t = await db.target.create({
        data: {
          code: `R${a}-${n}`,
          cycleId,
          agencyId: agency.id,
          category: "functional",
          source: "local",
          // Now and then with control characters and an emoji, which the database's aggregation must carry intact.
          title: random() < 0.15 ? `随机目标${a}-${n}\x1f\x1e\x1d😀` : `随机目标${a}-${n}`,
          deadline: onDay(deadlineDay),
          status,
          managementType: dynamic ? "dynamic" : "initial",
          documentNo: dynamic && random() < 0.7 ? `黔府办发〔2026〕${n}号` : null,
          closedAt: status === "completed" || (status === "not_completed" && random() < 0.5) ? doneAround(deadlineDay) : null,
          milestones: {
            create: quarters.map((quarter) => {
              // Now and then the milestone falls on the deadline's own day (at another hour).
              const day = random() < 0.3 ? deadlineDay : someDay();
              return { quarter, dueOn: onDay(day), description: random() < 0.15 ? `随机节点\x1de${quarter}\x1f` : `随机节点${quarter}`, expectedProgress: quarter * 25, achievedAt: doneAround(day) };
            }),
          },
        },
      });
      targetIds.push(t.id);
    }
  }
});
afterAll(() => db.$disconnect());

describe("§2.23 负面清单 by set-based SQL equals the row-by-row reference", () => {
  it.each(QUARTERS)("every agency's list of 2026 Q$quarter, entry by entry", async (q) => {
    const expected = await referenceNegativeLists(db, q, rules);
    const actual = await computeNegativeLists(db, q, rules);
    expect(expected.flatMap((l) => l.entries).length).toBeGreaterThan(10);
    expect(actual).toEqual(expected);
  });

  it("the seeded province reaches every wording the rule has", async () => {
    const reasons = (await Promise.all(QUARTERS.map((q) => referenceNegativeLists(db, q, rules)))).flatMap((ls) => ls.flatMap((l) => l.entries.map((e) => e.reason)));
    for (const wording of ["\x1f\x1e\x1d😀", "\x1de", "节点未按期完成", "同日到期，一并计为一项", "才完成", "（动态目标，黔府办发", "（动态目标）未按期完成"]) {
      expect(reasons.some((r) => r.includes(wording)), wording).toBe(true);
    }
  });

  it("a list narrowed to some targets (a 核查 finding) equals the reference's", async () => {
    const some = targetIds.filter(() => random() < 0.2);
    for (const q of QUARTERS) expect(await computeNegativeLists(db, q, rules, some)).toEqual(await referenceNegativeLists(db, q, rules, some));
  });

  it("stored lists hold exactly the computed entries, numbered 1, 2, 3 … in each list", async () => {
    for (const q of QUARTERS) {
      const expected = await referenceNegativeLists(db, q, rules);
      await db.$transaction((tx) => storeNegativeLists(tx, cycleId, q, expected, fromBeijingDate("2027-01-05")));
      const stored = await db.negativeList.findMany({ where: { period: periodOf(q) }, include: { entries: { orderBy: { seq: "asc" } } }, orderBy: { agencyId: "asc" } });
      expect(stored.map((l) => ({ agencyId: l.agencyId, totalPoints: l.totalPoints, status: l.entries.map((e) => e.status) }))).toEqual(
        expected.map((l) => ({ agencyId: l.agencyId, totalPoints: l.totalPoints, status: l.entries.map(() => "active") })),
      );
      expect(stored.map((l) => l.entries.map((e) => ({ seq: e.seq, targetId: e.targetId, milestoneId: e.milestoneId, points: e.points, reason: e.reason })))).toEqual(
        expected.map((l) => l.entries.map((e, i) => ({ seq: i + 1, targetId: e.targetId, milestoneId: e.milestoneId, points: e.points, reason: e.reason }))),
      );
    }
  });
});
