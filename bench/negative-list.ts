import { createDb } from "../src/infra/db.js";
import { computeNegativeLists, storeNegativeLists } from "../src/domain/negative-list/negative-list.js";
import { loadRules } from "../src/domain/rules.js";
import { measure, median, table } from "./measure.js";
import { syntheticProvince } from "./synthetic-province.js";

/**
 * Negative-list computation and storage (§2.23) for provinces of growing size, beside a baseline
 * measured in the same run: one SQL GROUP BY over the same milestones, the least work any
 * implementation must do. Targets (issue 16): 3,000 agencies × 100 targets computed in < 1 s,
 * 100,000 entries stored in < 2 s.
 */
export async function benchNegativeList(sizes = (process.env.BENCH_SIZES ?? "100,1000,3000").split(",").map(Number), targetsPerAgency = 100, repeats = 3): Promise<string> {
  const rules = loadRules(2026);
  const rows: (string | number)[][] = [];
  for (const agencies of sizes) {
    const url = syntheticProvince(agencies, targetsPerAgency);
    const db = await createDb(url);
    const q = { year: 2026, quarter: 3 as const };
    const computeMs: number[] = [];
    const baselineMs: number[] = [];
    const storeMs: number[] = [];
    let peak = 0;
    let entries = 0;
    for (let i = 0; i < repeats; i++) {
      const base = await measure(() =>
        db.$queryRawUnsafe<{ n: number }[]>(
          `SELECT t."agencyId", COUNT(*) AS n FROM "Milestone" m JOIN "Target" t ON t."id" = m."targetId"
           WHERE m."dueOn" >= ? AND m."dueOn" < ? AND (m."achievedAt" IS NULL OR m."achievedAt" > m."dueOn") GROUP BY t."agencyId"`,
          "2026-06-30T16:00:00.000+00:00",
          "2026-09-30T16:00:00.000+00:00",
        ),
      );
      baselineMs.push(base.ms);
      const run = await measure(() => computeNegativeLists(db, q, rules));
      computeMs.push(run.ms);
      peak = Math.max(peak, run.peakRssMb);
      entries = run.result.reduce((s, l) => s + l.entries.length, 0);
      await db.negativeList.deleteMany({ where: { period: "2026Q3" } });
      const store = await measure(() => db.$transaction((tx) => storeNegativeLists(tx, 1, q, run.result, new Date()), { timeout: 600_000 }));
      storeMs.push(store.ms);
    }
    await db.negativeList.deleteMany({ where: { period: "2026Q3" } });
    await db.$disconnect();
    rows.push([agencies, agencies * targetsPerAgency, entries, median(baselineMs), median(computeMs), median(computeMs) / median(baselineMs), peak, median(storeMs)]);
  }
  const first = rows[0];
  const growth = rows.map((r) => [r[0], (r[0] as number) / (first[0] as number), (r[3] as number) / (first[3] as number), (r[4] as number) / (first[4] as number), (r[7] as number) / (first[7] as number)]);
  return (
    table(
      `Negative list (§2.23), quarter 2026Q3 — medians of ${repeats} runs (targets at 3,000 agencies: compute < 1,000 ms, store < 2,000 ms)`,
      ["agencies", "targets", "entries", "baseline SQL ms", "compute ms", "× baseline", "compute peak RSS MB", "store ms"],
      rows,
    ) + table("Growth relative to the smallest province", ["agencies", "size ×", "baseline ×", "compute ×", "store ×"], growth)
  );
}
