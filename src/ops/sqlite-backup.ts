import { existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { committedMigrations } from "../infra/migrate.js";

/**
 * Online backup and restore of the SQLite database through SQLite's backup API (better-sqlite3's
 * `backup()`), never a file copy: with WAL the main file alone misses committed transactions, and a
 * copy taken while the server writes can be torn. The backup API copies pages under a read snapshot
 * and starts over when another connection writes in between, so the copy is one consistent moment.
 */
export interface BackupResult {
  file: string;
  bytes: number;
  /** When the copy was started: every transaction committed before it is in the copy. */
  startedAt: Date;
  finishedAt: Date;
  migrations: string[];
}

/** Pages per step: the whole database in one step, so a busy server cannot make the copy restart forever. */
const ALL_PAGES = 2_000_000_000;

export async function backupSqlite(dbFile: string, target: string): Promise<BackupResult> {
  if (!existsSync(dbFile)) throw new BackupError(`数据库文件 ${dbFile} 不存在，请检查 DATABASE_URL。`);
  const out = path.resolve(target);
  mkdirSync(path.dirname(out), { recursive: true });
  // Written beside the target and renamed at the end: a half-written backup never carries its name.
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  const startedAt = new Date();
  const source = new Database(dbFile, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 30000");
    await source.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  const copy = new Database(partial);
  let migrations: string[];
  try {
    // One self-contained file to carry away: no -wal beside it.
    copy.pragma("journal_mode = DELETE");
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new BackupError(`备份副本完整性检查未通过（${String(check)}），请重试。`);
    migrations = appliedMigrations(copy);
  } finally {
    copy.close();
  }
  renameSync(partial, out);
  return { file: out, bytes: statSync(out).size, startedAt, finishedAt: new Date(), migrations };
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** Tables every database of this project has; a file without them is someone else's. */
const OWN_TABLES = ["_prisma_migrations", "Agency", "Cycle", "Target", "ProgressReport"];

export interface BackupInfo {
  migrations: string[];
  agencies: number;
  reports: number;
}

/**
 * Checks that a file is a sound backup of this project that this version can run: a SQLite file,
 * intact, with this project's tables, and no migration newer than the ones committed here.
 */
export function inspectBackup(file: string, migrationsDir?: string): BackupInfo {
  if (!existsSync(file)) throw new BackupError(`文件 ${file} 不存在。`);
  if (!hasSqliteHeader(file)) throw new BackupError(`文件 ${file} 不是 SQLite 数据库，不能用于恢复。`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    const missing = OWN_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw new BackupError(`文件 ${file} 不是本系统的数据库（缺少数据表 ${missing.join("、")}），不能用于恢复。`);
    const check = db.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new BackupError(`文件 ${file} 已损坏（完整性检查：${String(check)}），不能用于恢复。`);
    const migrations = appliedMigrations(db);
    const known = new Set(committedMigrations(migrationsDir));
    const newer = migrations.filter((m) => !known.has(m));
    if (newer.length) {
      throw new BackupError(`文件 ${file} 来自更新版本的系统（含本版本没有的数据库迁移 ${newer.join("、")}），不能恢复到当前版本。请先升级本系统再恢复。`);
    }
    const count = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n;
    return { migrations, agencies: count("Agency"), reports: count("ProgressReport") };
  } finally {
    db.close();
  }
}

/**
 * Puts a checked backup in place of the database file. The current database is first saved beside
 * it (`<db>.before-restore-<time>`, through the backup API so its WAL is included), and its -wal and
 * -shm go before the new file arrives, so no old log is replayed onto the restored pages.
 */
export async function restoreSqlite(dbFile: string, backupFile: string, now = new Date()): Promise<{ savedAs: string | null }> {
  const target = path.resolve(dbFile);
  mkdirSync(path.dirname(target), { recursive: true });
  let savedAs: string | null = null;
  if (existsSync(target)) {
    savedAs = `${target}.before-restore-${now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}`;
    await backupSqlite(target, savedAs);
  }
  const incoming = `${target}.restoring`;
  rmSync(incoming, { force: true });
  const source = new Database(path.resolve(backupFile), { readonly: true, fileMustExist: true });
  try {
    await source.backup(incoming, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${target}${suffix}`, { force: true });
  renameSync(incoming, target);
  return { savedAs };
}

function appliedMigrations(db: Database.Database): string[] {
  const rows = db
    .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`)
    .all() as { migration_name: string }[];
  return rows.map((r) => r.migration_name);
}

function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    return head.toString("latin1") === "SQLite format 3\0";
  } finally {
    closeSync(fd);
  }
}
