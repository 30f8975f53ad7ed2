import { provinceBoard } from "../src/board/data.js";
import { loadSettings } from "../src/config/settings.js";
import { fromBeijingDate } from "../src/domain/calendar/calendar.js";
import { monthWindow, provinceRollup } from "../src/domain/care/rollup.js";
import { overdueItems, provinceStats } from "../src/domain/supervision/statistics.js";
import { DEFAULT_WARNING_RULES } from "../src/domain/care/warnings.js";
import { createDb } from "../src/infra/db.js";
import { systemClock } from "../src/infra/clock.js";
import { createLogger } from "../src/infra/logger.js";
import { createJobDeps } from "../src/jobs/deps.js";
import { planReminders } from "../src/jobs/reminders.js";
import { measure, table } from "./measure.js";
import { syntheticProvince } from "./synthetic-province.js";

/**
 * The province-wide jobs and views on synthetic provinces of growing size (agencies × 100 issued
 * targets × 4 milestones, bench/synthetic-province.ts): the day's reminder plan, the monthly
 * roll-up, 统计, the office's 逾期 list and the province 看板's data. One run each (the largest take seconds); the growth
 * table shows whether time grows with the province or faster.
 */
export async function benchJobs(sizes = (process.env.BENCH_SIZES ?? "100,1000,3000").split(",").map(Number), targetsPerAgency = 100): Promise<string> {
  const day = "2026-09-28"; // a Monday two days before the Q3 milestones fall due: reminders go out
  const now = fromBeijingDate(day);
  const rows: (string | number)[][] = [];
  for (const agencies of sizes) {
    const url = syntheticProvince(agencies, targetsPerAgency);
    const db = await createDb(url);
    const deps = createJobDeps({ db, settings: loadSettings({ DATABASE_URL: url, LOG_LEVEL: "silent" }), clock: systemClock, log: createLogger("silent") });
    const cycle = await db.cycle.findFirstOrThrow();
    const runs: (() => Promise<unknown>)[] = [
      () => planReminders(db, deps, day, now),
      () => provinceRollup(db, { cycleId: cycle.id, window: monthWindow(day), asOf: now }),
      () => provinceStats(db, cycle.id, now),
      () => overdueItems(db, { id: 0, account: "bench", name: "bench", role: "office", agencyId: null }, cycle.id, now),
      () => provinceBoard(db, cycle, now, DEFAULT_WARNING_RULES),
    ];
    const row: (string | number)[] = [agencies, agencies * targetsPerAgency];
    let peak = 0;
    for (const run of runs) {
      // A job that cannot run at this size is a finding to print, not a reason to stop the bench.
      try {
        const m = await measure(run);
        row.push(m.ms);
        peak = Math.max(peak, m.peakRssMb);
      } catch (err) {
        row.push(`fails: ${(err as { code?: string }).code ?? (err as Error).message.slice(0, 40)}`);
      }
    }
    await db.$disconnect();
    rows.push([...row, peak]);
  }
  const first = rows[0];
  const ratio = (r: (string | number)[], i: number) => (typeof r[i] === "number" && typeof first[i] === "number" ? (r[i] as number) / (first[i] as number) : "—");
  const growth = rows.map((r) => [r[0], (r[0] as number) / (first[0] as number), ...[2, 3, 4, 5, 6].map((i) => ratio(r, i))]);
  return (
    table("Province-wide jobs and views (one run each; target: < 1,000 ms at 3,000 agencies)", ["agencies", "targets", "reminder plan ms", "monthly roll-up ms", "统计 ms", "逾期 ms", "看板 data ms", "peak RSS MB"], rows) +
    table("Growth relative to the smallest province", ["agencies", "size ×", "reminders ×", "roll-up ×", "统计 ×", "逾期 ×", "看板 ×"], growth)
  );
}
