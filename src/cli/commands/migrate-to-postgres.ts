import "dotenv/config";
import { loadSettings } from "../../config/settings.js";
import { isSqliteUrl } from "../../infra/db.js";
import { runningServers } from "../../ops/server-marker.js";
import { MoveRefused, moveSqliteToPostgres } from "../../ops/sqlite-to-postgres.js";
import type { CliCommand } from "./types.js";

/** `migrate-to-postgres <url>`: moves the SQLite province named by DATABASE_URL to an empty PostgreSQL database. */
export async function migrateToPostgres(env: Record<string, string | undefined>, pgUrl: string, io: { out(l: string): void; err(l: string): void }): Promise<number> {
  const { DATABASE_URL } = loadSettings(env);
  if (!isSqliteUrl(DATABASE_URL)) {
    io.err("DATABASE_URL 不是 SQLite 文件，无需迁移。本命令把 SQLite 中的数据迁入 PostgreSQL。");
    return 64;
  }
  if (!/^postgres(ql)?:\/\//.test(pgUrl)) {
    io.err(`“${pgUrl}”不是 PostgreSQL 地址。格式：postgresql://用户:密码@主机:5432/数据库`);
    return 64;
  }
  if (runningServers(DATABASE_URL).length) {
    io.err("服务正在使用该 SQLite 数据库。迁移期间的新数据不会被带走，请先停止服务（如 systemctl stop jxmb-bot）再迁移。");
    return 75;
  }
  try {
    const r = await moveSqliteToPostgres(DATABASE_URL, pgUrl);
    const total = r.tables.reduce((n, t) => n + t.rows, 0);
    io.out(`已将 ${r.tables.length} 张数据表共 ${total} 行迁入 PostgreSQL，逐表核对行数一致：`);
    for (const t of r.tables) io.out(`  ${t.table}：${t.rows}`);
    io.out("下一步：把 .env 中的 DATABASE_URL 改为该 PostgreSQL 地址，再启动服务。原 SQLite 文件未作改动，可留作备份。");
    return 0;
  } catch (err) {
    io.err(err instanceof MoveRefused ? err.message : `迁移失败，PostgreSQL 中未写入任何数据：${(err as Error).message}`);
    return err instanceof MoveRefused ? 65 : 1;
  }
}

export const migrateToPostgresCli: CliCommand[] = [
  {
    name: "migrate-to-postgres",
    usage: "migrate-to-postgres <PostgreSQL地址>",
    summary: "把 SQLite 中的全部数据迁入一个空的 PostgreSQL 数据库（须先停止服务）",
    async run(args) {
      if (!args[0]) {
        console.error(`用法：npm run cli -- ${this.usage}`);
        return 64;
      }
      return migrateToPostgres(process.env, args[0], { out: (l) => console.log(l), err: (l) => console.error(l) });
    },
  },
];
