import { type Quarter, beijingDate, fromBeijingDate, parsePeriod, periodOf, previousQuarter, quarterOf } from "../domain/calendar/calendar.js";
import type { JobDeps } from "./deps.js";
import { type JobOutcome, runJobOnce } from "./job-runs.js";
import { assertQuarterClosed, runNegativeListJob } from "./negative-list-job.js";
import { runReminders } from "./reminders.js";
import { runRollups } from "./rollup-job.js";
import { runImprovements } from "./improvement-job.js";

/**
 * The scheduled jobs by name, shared by the scheduler and `npm run job`. Each names its period (the
 * JobRun key): the Beijing date for reminders, the quarter (2026Q1) for the negative list.
 */
export const reminderJob = {
  name: "reminders",
  defaultPeriod: (now: Date) => beijingDate(now),
  parsePeriod(text: string): string {
    try {
      return beijingDate(fromBeijingDate(text.trim()));
    } catch {
      throw new RangeError(`reminders period must be a date such as 2026-03-24, got "${text}"`);
    }
  },
};

/** Its period is a Quarter from the moment it is read; the JobRun key (2026Q1) is written from it. */
export const negativeListJob = {
  name: "negative-list",
  /** The last quarter that has closed. */
  defaultQuarter: (now: Date): Quarter => previousQuarter(quarterOf(beijingDate(now))),
  parseQuarter(text: string): Quarter {
    const q = parsePeriod(text);
    if (!q) throw new RangeError(`negative-list period must be a quarter such as 2026Q1, got "${text}"`);
    return q;
  },
};

/** Who-has-not-reported roll-ups; runs daily and acts on the working days the rules file names. */
export const rollupJob = { ...reminderJob, name: "rollups" };

/** 改进措施 requests and reminders (§7.2); daily. */
export const improvementJob = { ...reminderJob, name: "improvements" };

export const JOB_NAMES = [reminderJob.name, negativeListJob.name, rollupJob.name, improvementJob.name] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Runs a job for a period through the JobRun table: once per period, resumable, safe across processes. */
export async function runNamedJob(deps: JobDeps, name: JobName, period?: string): Promise<JobOutcome<unknown>> {
  const now = deps.clock.now();
  const opts = { clock: deps.clock, log: deps.log };
  if (name === "reminders") {
    const day = period ? reminderJob.parsePeriod(period) : reminderJob.defaultPeriod(now);
    return runJobOnce(deps.db, name, day, (ctx) => runReminders(deps, day, ctx), opts);
  }
  if (name === "rollups") {
    const day = period ? rollupJob.parsePeriod(period) : rollupJob.defaultPeriod(now);
    return runJobOnce(deps.db, name, day, (ctx) => runRollups(deps, day, ctx), opts);
  }
  if (name === "improvements") {
    const day = period ? improvementJob.parsePeriod(period) : improvementJob.defaultPeriod(now);
    return runJobOnce(deps.db, name, day, (ctx) => runImprovements(deps, day, ctx), opts);
  }
  const q = period ? negativeListJob.parseQuarter(period) : negativeListJob.defaultQuarter(now);
  // Refused before a JobRun is claimed: asking too early is an operator's mistake, not a failed run to resume.
  assertQuarterClosed(q, now);
  return runJobOnce(deps.db, name, periodOf(q), (ctx) => runNegativeListJob(deps, q, ctx), opts);
}
