import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { backupCommand, restoreCommand } from "../../src/cli/commands/backup.js";
import { loadSettings } from "../../src/config/settings.js";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { FixedClock } from "../../src/infra/clock.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { migrate } from "../../src/infra/migrate.js";
import { pruneBackups, runDailyBackup } from "../../src/jobs/scheduled-backup.js";
import { startProcess, type ServerProcess } from "../helpers/server-process.js";

/**
 * Backup and restore are SQLite's (PostgreSQL has pg_dump), so this file uses SQLite files on either
 * test pass. The real server runs in its own process and takes WeCom reports while the backup runs.
 */
const dir = mkdtempSync(path.resolve("test/.tmp/backup-"));
const dbUrl = `file:${path.join(dir, "live", "jxmb.db")}`;
let sim: WecomSimulator;
let db: Db;
let server: ServerProcess | undefined;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

beforeAll(async () => {
  sim = await startWecomSimulator();
  await migrate(dbUrl);
  db = await createDb(dbUrl);
  await seedDemoProvince(db, { now: new Date(), platformIdentities: ["wecom"] });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await sim?.close();
  await db?.$disconnect();
});

describe("npm run cli -- backup / restore (SQLite online backup API)", () => {
  it("backs up during a stream of reports; the restored copy holds every report acknowledged before the backup and passes integrity_check", async () => {
    server = await startProcess("src/main.ts", { ...sim.env(), DATABASE_URL: dbUrl, LOG_LEVEL: "info", SCHEDULER_ENABLED: "false" });
    sim.setCallbackUrl(`${server.url}/wecom/callback`);
    const acknowledged: string[] = [];
    let stop = false;
    const lane = async (l: number) => {
      for (let i = 0; !stop; i++) {
        const marker = `备份测试${l}-${i}`;
        const r = await sim.sendText("fgw_zhao", `汇报 FGW-0${[1, 5, 7, 9][l]} ${50 + (i % 40)} ${marker}`, { msgId: `92000${l}${String(i).padStart(8, "0")}`, attempts: 1 });
        if (r.status === 200 && r.reply && "content" in r.reply && r.reply.content.includes("已记入台账")) acknowledged.push(marker);
      }
    };
    const lanes = [0, 1, 2, 3].map(lane);
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 50));

    const beforeBackup = [...acknowledged];
    const backupFile = path.join(dir, "copies", "jxmb-backup.db");
    const b = io();
    expect(await backupCommand({ DATABASE_URL: dbUrl }, backupFile, b.io)).toBe(0);
    expect(b.out.join("\n")).toContain("已备份数据库到");
    // Reports keep arriving after the backup's moment; they are not expected in the copy.
    const target = acknowledged.length + 10;
    while (acknowledged.length < target) await new Promise((r) => setTimeout(r, 50));

    // While the server runs, restoring over its database is refused.
    const busy = io();
    expect(await restoreCommand({ DATABASE_URL: dbUrl }, backupFile, busy.io)).toBe(75);
    expect(busy.err.join("\n")).toContain("请先停止服务");

    stop = true;
    await Promise.all(lanes);
    await server.stop();
    server = undefined;

    const freshUrl = `file:${path.join(dir, "fresh", "data", "jxmb.db")}`;
    const r = io();
    expect(await restoreCommand({ DATABASE_URL: freshUrl }, backupFile, r.io)).toBe(0);
    expect(r.out.join("\n")).toContain("已从");

    const restored = new Database(path.join(dir, "fresh", "data", "jxmb.db"), { readonly: true });
    try {
      expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(restored.pragma("foreign_key_check")).toEqual([]);
      const notes = new Set((restored.prepare(`SELECT note FROM "ProgressReport" WHERE note LIKE '备份测试%'`).all() as { note: string }[]).map((n) => n.note));
      for (const marker of beforeBackup) expect(notes.has(marker), marker).toBe(true);
    } finally {
      restored.close();
    }
    // The restored database starts like any other.
    const again = await createDb(freshUrl);
    expect(await again.progressReport.count({ where: { note: { in: beforeBackup } } })).toBe(beforeBackup.length);
    await again.$disconnect();
  }, 120_000);

  it("keeps the database it replaces beside it, and refuses a file that is not this project's database", async () => {
    const liveFile = path.join(dir, "second", "jxmb.db");
    const url = `file:${liveFile}`;
    await migrate(url);
    const backupFile = path.join(dir, "copies", "empty.db");
    expect(await backupCommand({ DATABASE_URL: url }, backupFile, io().io)).toBe(0);
    const r = io();
    expect(await restoreCommand({ DATABASE_URL: url }, backupFile, r.io)).toBe(0);
    expect(readdirSync(path.dirname(liveFile)).some((f) => f.startsWith("jxmb.db.before-restore-"))).toBe(true);

    const text = path.join(dir, "notes.txt");
    writeFileSync(text, "这不是数据库");
    const notDb = io();
    expect(await restoreCommand({ DATABASE_URL: url }, text, notDb.io)).toBe(65);
    expect(notDb.err.join("")).toContain("不是 SQLite 数据库");

    const other = path.join(dir, "other.db");
    new Database(other).exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").close();
    const foreign = io();
    expect(await restoreCommand({ DATABASE_URL: url }, other, foreign.io)).toBe(65);
    expect(foreign.err.join("")).toContain("不是本系统的数据库");
  }, 60_000);

  it("refuses a backup from a newer schema (a migration this version does not have)", async () => {
    const newer = path.join(dir, "copies", "newer.db");
    expect(await backupCommand({ DATABASE_URL: dbUrl }, newer, io().io)).toBe(0);
    const file = new Database(newer);
    file.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ('x', 'x', 1, '29991231000000_future', 1, 1)`).run();
    file.close();
    const r = io();
    expect(await restoreCommand({ DATABASE_URL: `file:${path.join(dir, "third", "jxmb.db")}` }, newer, r.io)).toBe(65);
    expect(r.err.join("")).toContain("29991231000000_future");
    expect(existsSync(path.join(dir, "third", "jxmb.db"))).toBe(false);
  });

  it("on PostgreSQL points to pg_dump and pg_restore", async () => {
    const r = io();
    expect(await backupCommand({ DATABASE_URL: "postgresql://jxmb@127.0.0.1:1/jxmb" }, "x.dump", r.io)).toBe(69);
    expect(r.err.join("\n")).toContain("pg_dump --format=custom");
    const s = io();
    expect(await restoreCommand({ DATABASE_URL: "postgresql://jxmb@127.0.0.1:1/jxmb" }, "x.dump", s.io)).toBe(69);
    expect(s.err.join("\n")).toContain("pg_restore");
  });
});

describe("the scheduled daily backup (BACKUP_DIR, BACKUP_KEEP)", () => {
  it("is off by default", () => {
    expect(loadSettings({}).BACKUP_DIR).toBeUndefined();
  });

  it("writes one file per Beijing day, once per day, and keeps the newest BACKUP_KEEP", async () => {
    const backups = path.join(dir, "daily");
    mkdirSync(backups, { recursive: true });
    for (const day of ["2026-11-20", "2026-11-21", "2026-11-22"]) writeFileSync(path.join(backups, `jxmb-${day}.db`), "old");
    writeFileSync(path.join(backups, "keep-me.txt"), "not a backup");
    const settings = loadSettings({ DATABASE_URL: dbUrl, BACKUP_DIR: backups, BACKUP_KEEP: "2" });
    const deps = { db, settings, clock: new FixedClock(new Date("2026-11-23T18:30:00Z")), log: createLogger("silent") };
    expect((await runDailyBackup(deps)).status).toBe("succeeded");
    expect((await runDailyBackup(deps)).status).toBe("already-succeeded");
    expect(readdirSync(backups).sort()).toEqual(["jxmb-2026-11-22.db", "jxmb-2026-11-24.db", "keep-me.txt"]);
    const copy = new Database(path.join(backups, "jxmb-2026-11-24.db"), { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
    expect(pruneBackups(backups, 1)).toEqual(["jxmb-2026-11-22.db"]);
  });
});
