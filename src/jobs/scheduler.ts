import cron, { type ScheduledTask } from "node-cron";
import type { OutboxWorker } from "../outbox/worker.js";
import type { JobDeps } from "./deps.js";
import { type JobName, runNamedJob } from "./definitions.js";
import { recordIfDatabaseError, recordJobRun } from "../metrics/registry.js";

/**
 * node-cron timers in Asia/Shanghai (DESIGN.md §3) from the CRON_* settings. Every instance may run
 * the same timers: the JobRun table lets one of them do a period's work, and the outbox's claims
 * let them share the sending. A timer never throws: failures are logged and the JobRun table keeps them
 * for the next run to resume.
 */
export interface Scheduler {
  stop(): Promise<void>;
}

export const TIME_ZONE = "Asia/Shanghai";

export function startScheduler(deps: JobDeps, worker: OutboxWorker, opts: { jobs: boolean }): Scheduler {
  const { settings, log } = deps;
  const running = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  };
  const job = (name: JobName) => async () => {
    await track(
      runNamedJob(deps, name)
        .then((outcome) => {
          log.info({ msg: "scheduled job finished", job: name, outcome: outcome.status });
          // What the job queued goes out now rather than at the next outbox tick.
          if (outcome.status === "succeeded") void worker.drainOnce().catch((err: unknown) => log.error({ msg: "outbox drain failed", err }));
        })
        .catch((err: unknown) => {
          recordJobRun(name, "crashed");
          log.error({ msg: "scheduled job crashed", job: name, err });
        }),
    );
  };
  const tasks: ScheduledTask[] = [];
  // node-cron's own lines (missed executions, overlaps) go through our JSON log, not console text.
  const cronLog = log.child({ component: "node-cron" });
  const logger = {
    info: (message: string) => cronLog.info({ msg: message }),
    warn: (message: string) => cronLog.warn({ msg: message }),
    error: (message: string | Error, err?: Error) => cronLog.error({ msg: message instanceof Error ? message.message : message, err: err ?? message }),
    debug: (message: string | Error, err?: Error) => cronLog.debug({ msg: message instanceof Error ? message.message : message, err }),
  };
  const options = (name: string) => ({ timezone: TIME_ZONE, name, noOverlap: true, logger });
  if (opts.jobs) {
    tasks.push(cron.schedule(settings.CRON_REMINDERS, job("reminders"), options("reminders")));
    tasks.push(cron.schedule(settings.CRON_REMINDERS, job("rollups"), options("rollups")));
    tasks.push(cron.schedule(settings.CRON_REMINDERS, job("improvements"), options("improvements")));
    tasks.push(cron.schedule(settings.CRON_NEGATIVE_LIST, job("negative-list"), options("negative-list")));
  }
  tasks.push(
    cron.schedule(settings.CRON_OUTBOX, async () => {
      await track(
        worker.drainOnce().catch((err: unknown) => {
          recordIfDatabaseError("outbox", err);
          log.error({ msg: "outbox drain failed", err });
        }),
      );
    }, options("outbox")),
  );
  log.info({ msg: "scheduler started", timeZone: TIME_ZONE, jobs: opts.jobs ? { reminders: settings.CRON_REMINDERS, negativeList: settings.CRON_NEGATIVE_LIST } : "disabled", outbox: settings.CRON_OUTBOX });
  return {
    async stop() {
      for (const t of tasks) await t.destroy();
      await Promise.allSettled([...running]);
      await worker.idle();
    },
  };
}
