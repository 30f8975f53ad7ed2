import { isUniqueViolation } from "../infra/db-errors.js";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import { recordJobRun } from "../metrics/registry.js";

/**
 * The job runs: one JobRun row per job and period (unique), so with any number of processes
 * and restarts a period's run happens once. A succeeded run is never repeated; a run that is already
 * going (fresh heartbeat) is left alone; a failed run, or one whose process died (stale heartbeat),
 * is taken over with a conditional update and resumed from its stored cursor.
 */
export interface JobContext<C> {
  /** Where the last attempt stopped ({} on a first run). */
  readonly cursor: C;
  /** True when this run continues a failed or abandoned one. */
  readonly resumed: boolean;
  /** Stores progress (and proves the run is alive), so a failure resumes after it. */
  saveCursor(cursor: C): Promise<void>;
}

export type JobOutcome<S> =
  | { status: "succeeded"; summary: S; resumed: boolean }
  | { status: "already-succeeded"; finishedAt: Date | null }
  | { status: "busy"; claimedBy: string | null }
  | { status: "failed"; error: string };

export interface JobRunOptions {
  clock: Clock;
  log?: Logger;
  /** Names this process in claimedBy. */
  owner?: string;
  /** A running row without a heartbeat for this long is taken to be abandoned. */
  staleAfterMs?: number;
}

/** A heartbeat every 30 s; a run silent for 90 s has lost its process (issue 14: not ten minutes). */
export const DEFAULT_STALE_AFTER_MS = 90_000;

export async function runJobOnce<C extends object, S>(
  db: Db,
  job: string,
  period: string,
  fn: (ctx: JobContext<C>) => Promise<S>,
  opts: JobRunOptions,
): Promise<JobOutcome<S>> {
  const outcome = await runClaimed(db, job, period, fn, opts);
  recordJobRun(job, outcome.status);
  return outcome;
}

async function runClaimed<C extends object, S>(
  db: Db,
  job: string,
  period: string,
  fn: (ctx: JobContext<C>) => Promise<S>,
  opts: JobRunOptions,
): Promise<JobOutcome<S>> {
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const now = opts.clock.now();
  const claim = await claimRun(db, job, period, owner, now, staleAfterMs);
  if (claim.status !== "claimed") return claim;
  const { run, resumed } = claim;
  const log = opts.log?.child({ job, period, run: run.id });
  if (resumed) log?.info({ msg: "resuming job run", cursor: run.cursor });
  const mine = { id: run.id, status: "running", claimedBy: owner };
  // A heartbeat while fn works, so a long run is not mistaken for a dead one by another process.
  const beat = setInterval(() => {
    db.jobRun.updateMany({ where: mine, data: { heartbeatAt: opts.clock.now() } }).catch((err: unknown) => log?.warn({ msg: "job heartbeat failed", err }));
  }, Math.max(1_000, Math.floor(staleAfterMs / 3)));
  beat.unref();
  const ctx: JobContext<C> = {
    cursor: JSON.parse(run.cursor) as C,
    resumed,
    async saveCursor(cursor) {
      await db.jobRun.updateMany({ where: mine, data: { cursor: JSON.stringify(cursor), heartbeatAt: opts.clock.now() } });
    },
  };
  try {
    const summary = await fn(ctx);
    await db.jobRun.updateMany({ where: mine, data: { status: "succeeded", finishedAt: opts.clock.now(), summary: JSON.stringify(summary ?? null), error: null } });
    log?.info({ msg: "job run succeeded", summary });
    return { status: "succeeded", summary, resumed };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await db.jobRun.updateMany({ where: mine, data: { status: "failed", finishedAt: opts.clock.now(), error: error.slice(0, 2000) } });
    log?.error({ msg: "job run failed; the next run for this period resumes from its cursor", err });
    return { status: "failed", error };
  } finally {
    clearInterval(beat);
  }
}

type Run = NonNullable<Awaited<ReturnType<Db["jobRun"]["findUnique"]>>>;
type Claim = { status: "claimed"; run: Run; resumed: boolean } | Exclude<JobOutcome<never>, { status: "succeeded" | "failed" }>;

async function claimRun(db: Db, job: string, period: string, owner: string, now: Date, staleAfterMs: number): Promise<Claim> {
  try {
    const run = await db.jobRun.create({ data: { job, period, status: "running", claimedBy: owner, heartbeatAt: now, startedAt: now } });
    return { status: "claimed", run, resumed: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const existing = await db.jobRun.findUniqueOrThrow({ where: { job_period: { job, period } } });
  if (existing.status === "succeeded") return { status: "already-succeeded", finishedAt: existing.finishedAt };
  const abandoned = existing.status === "running" && (!existing.heartbeatAt || now.getTime() - existing.heartbeatAt.getTime() > staleAfterMs);
  if (existing.status === "running" && !abandoned) return { status: "busy", claimedBy: existing.claimedBy };
  // Take over only the row as we read it: of two processes resuming at once, one wins.
  const taken = await db.jobRun.updateMany({
    where: { id: existing.id, status: existing.status, claimedBy: existing.claimedBy, heartbeatAt: existing.heartbeatAt },
    data: { status: "running", claimedBy: owner, heartbeatAt: now, error: null, finishedAt: null },
  });
  if (taken.count !== 1) return { status: "busy", claimedBy: null };
  return { status: "claimed", run: await db.jobRun.findUniqueOrThrow({ where: { id: existing.id } }), resumed: true };
}

