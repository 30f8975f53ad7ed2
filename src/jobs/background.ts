import type { Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import type { ChannelSender } from "../outbox/sender.js";
import { OutboxWorker } from "../outbox/worker.js";
import { createJobDeps } from "./deps.js";
import { startScheduler } from "./scheduler.js";
import { startScheduledBackup } from "../ops/scheduled-backup.js";
import { deliveryPolicy } from "./reminder-digest.js";

export interface BackgroundDeps {
  settings: Settings;
  db: Db;
  clock: Clock;
  log: Logger;
  senders: ChannelSender[];
}

/**
 * Scheduled jobs and the outbox worker; started by `npm start`, stopped on shutdown. With
 * SCHEDULER_ENABLED=false the jobs do not run here (run them with `npm run job`, or on another
 * instance), but the outbox still delivers: replies to appeals and 绩效沟通 must not wait for a timer.
 */
export function startBackground(deps: BackgroundDeps): { stop(): Promise<void>; flush(): Promise<unknown> } {
  const log = deps.log.child({ component: "background" });
  if (!deps.settings.SCHEDULER_ENABLED) log.info({ msg: "scheduled jobs disabled (SCHEDULER_ENABLED=false); the outbox worker still runs" });
  const worker = new OutboxWorker({ db: deps.db, senders: deps.senders, clock: deps.clock, log, policy: deliveryPolicy, leaseMs: deps.settings.OUTBOX_LEASE_SECONDS * 1000 });
  const jobDeps = createJobDeps({ db: deps.db, settings: deps.settings, clock: deps.clock, log });
  const scheduler = startScheduler(jobDeps, worker, { jobs: deps.settings.SCHEDULER_ENABLED });
  const backup = startScheduledBackup({ db: deps.db, settings: deps.settings, clock: deps.clock, log });
  return { stop: async () => void (await Promise.all([scheduler.stop(), backup.stop()])), flush: () => worker.drainOnce() };
}
