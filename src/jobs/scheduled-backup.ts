import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import cron from "node-cron";
import type { Settings } from "../config/settings.js";
import { beijingDate } from "../domain/calendar/calendar.js";
import type { Clock } from "../infra/clock.js";
import { isSqliteUrl, sqlitePath, type Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import { runJobOnce, type JobOutcome } from "./job-runs.js";
import { backupSqlite } from "../ops/sqlite-backup.js";

/**
 * The daily backup (BACKUP_DIR, CRON_BACKUP, BACKUP_KEEP; off while BACKUP_DIR is empty): one file per
 * Beijing day, `jxmb-2026-11-28.db`, the newest BACKUP_KEEP kept. It runs through the JobRun table, so
 * with several instances one of them makes the day's copy. PostgreSQL is backed up with pg_dump.
 */
export const BACKUP_FILE = /^jxmb-\d{4}-\d{2}-\d{2}\.db$/;

export async function runDailyBackup(deps: { db: Db; settings: Settings; clock: Clock; log: Logger }, day = beijingDate(deps.clock.now())): Promise<JobOutcome<unknown>> {
  const dir = path.resolve(deps.settings.BACKUP_DIR!);
  return runJobOnce(
    deps.db,
    "backup",
    day,
    async () => {
      const result = await backupSqlite(sqlitePath(deps.settings.DATABASE_URL), path.join(dir, `jxmb-${day}.db`));
      const removed = pruneBackups(dir, deps.settings.BACKUP_KEEP);
      return { file: result.file, bytes: result.bytes, removed };
    },
    { clock: deps.clock, log: deps.log },
  );
}

/** Deletes all but the newest `keep` daily files (names sort by date). */
export function pruneBackups(dir: string, keep: number): string[] {
  const files = readdirSync(dir).filter((f) => BACKUP_FILE.test(f)).sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) rmSync(path.join(dir, f), { force: true });
  return old;
}

export function startScheduledBackup(deps: { db: Db; settings: Settings; clock: Clock; log: Logger }): { stop(): Promise<void> } {
  const { settings, log } = deps;
  if (!settings.BACKUP_DIR) return { stop: async () => undefined };
  if (!isSqliteUrl(settings.DATABASE_URL)) {
    log.warn({ msg: "BACKUP_DIR is set but the database is PostgreSQL; back it up with pg_dump (README 部署)" });
    return { stop: async () => undefined };
  }
  let running: Promise<unknown> = Promise.resolve();
  const task = cron.schedule(
    settings.CRON_BACKUP,
    async () => {
      running = runDailyBackup(deps)
        .catch((err: unknown) => log.error({ msg: "scheduled backup crashed", err }));
      await running;
    },
    { timezone: "Asia/Shanghai", name: "backup", noOverlap: true },
  );
  log.info({ msg: "daily backup scheduled", dir: settings.BACKUP_DIR, cron: settings.CRON_BACKUP, keep: settings.BACKUP_KEEP });
  return {
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
