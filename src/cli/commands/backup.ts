import "dotenv/config";
import path from "node:path";
import { loadSettings } from "../../config/settings.js";
import { isSqliteUrl, sqlitePath } from "../../infra/db.js";
import { runningServers } from "../../ops/server-marker.js";
import { BackupError, backupSqlite, inspectBackup, restoreSqlite } from "../../ops/sqlite-backup.js";
import type { CliCommand } from "./types.js";

/**
 * `backup <file>` while the server runs, `restore <file>` while it is stopped (SQLite). On
 * PostgreSQL both point to pg_dump / pg_restore, which do the same job better there.
 */
export interface BackupIo {
  out(line: string): void;
  err(line: string): void;
}

const PG_HINT =
  "当前数据库为 PostgreSQL，请使用 PostgreSQL 自带工具备份和恢复：\n" +
  "  备份：pg_dump --format=custom --file=jxmb.dump \"$DATABASE_URL\"\n" +
  "  恢复（服务停止时）：pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" jxmb.dump\n" +
  "详见 README“部署”一节。";

export async function backupCommand(env: Record<string, string | undefined>, file: string, io: BackupIo): Promise<number> {
  const { DATABASE_URL } = loadSettings(env);
  if (!isSqliteUrl(DATABASE_URL)) {
    io.err(PG_HINT);
    return 69;
  }
  try {
    const r = await backupSqlite(sqlitePath(DATABASE_URL), file);
    io.out(`已备份数据库到 ${r.file}（${(r.bytes / 1048576).toFixed(1)} MB）。备份时点：${r.startedAt.toISOString()}，此前已确认的记录均在备份中。`);
    return 0;
  } catch (err) {
    io.err(err instanceof BackupError ? err.message : `备份失败：${(err as Error).message}`);
    return 1;
  }
}

export async function restoreCommand(env: Record<string, string | undefined>, file: string, io: BackupIo): Promise<number> {
  const { DATABASE_URL } = loadSettings(env);
  if (!isSqliteUrl(DATABASE_URL)) {
    io.err(PG_HINT);
    return 69;
  }
  const running = runningServers(DATABASE_URL);
  if (running.length) {
    const who = running.map((s) => `进程 ${s.pid}，端口 ${s.port}`).join("；");
    io.err(`服务正在使用该数据库（${who}），不能恢复。请先停止服务（如 systemctl stop jxmb-bot），再执行恢复。`);
    return 75;
  }
  try {
    const info = inspectBackup(path.resolve(file));
    const { savedAs } = await restoreSqlite(sqlitePath(DATABASE_URL), file);
    io.out(
      `已从 ${path.resolve(file)} 恢复数据库到 ${path.resolve(sqlitePath(DATABASE_URL))}：单位 ${info.agencies} 个，台账记录 ${info.reports} 条。` +
        (savedAs ? `\n恢复前的数据库已另存为 ${savedAs}。` : "") +
        "\n启动服务时会自动执行本版本新增的数据库迁移。",
    );
    return 0;
  } catch (err) {
    io.err(err instanceof BackupError ? err.message : `恢复失败：${(err as Error).message}`);
    return err instanceof BackupError ? 65 : 1;
  }
}

const consoleIo: BackupIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export const backupCli: CliCommand[] = [
  {
    name: "backup",
    usage: "backup <文件>",
    summary: "在线备份 SQLite 数据库（服务运行时可用）",
    async run(args) {
      if (!args[0]) return usage(this.usage);
      return backupCommand(process.env, args[0], consoleIo);
    },
  },
  {
    name: "restore",
    usage: "restore <文件>",
    summary: "从备份恢复 SQLite 数据库（须先停止服务）",
    async run(args) {
      if (!args[0]) return usage(this.usage);
      return restoreCommand(process.env, args[0], consoleIo);
    },
  },
];

function usage(text: string): number {
  console.error(`用法：npm run cli -- ${text}`);
  return 64;
}
