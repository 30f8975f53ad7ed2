import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/infra/db.js";
import { migrate, migratePostgres, migrateSqlite } from "../../src/infra/migrate.js";
import { emptyDatabase, testProvider } from "../helpers/db.js";

const migrationsDir = path.resolve(testProvider === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations");

let db: Db;
let url: string;
beforeAll(async () => {
  url = await emptyDatabase("database");
  await migrate(url);
  if (testProvider === "postgresql") {
    // A server in Beijing time: what Prisma writes and reads must not depend on it.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET "TimeZone" = 'Asia/Shanghai'`);
    await admin.end();
  }
  db = await createDb(url);
});
afterAll(async () => db.$disconnect());

async function agencyAndCycle(code: string) {
  const agency = await db.agency.create({ data: { code, name: `${code} 发展和改革委员会`, shortName: code, managementType: "direct" } });
  const cycle = await db.cycle.upsert({
    where: { year: 2026 },
    create: { year: 2026, startsOn: new Date("2025-12-31T16:00:00Z"), endsOn: new Date("2026-12-31T15:59:59.999Z") },
    update: {},
  });
  return { agency, cycle };
}

describe(`the ${testProvider} database`, () => {
  it("round-trips dates to the millisecond, before 1970 and across Beijing midnight", async () => {
    const { agency, cycle } = await agencyAndCycle("DATES");
    const dates = ["2026-03-31T16:00:00.000Z", "2026-03-31T15:59:59.999Z", "1949-10-01T02:00:00.123Z", "2099-12-31T23:59:59.999Z"].map((d) => new Date(d));
    for (const [i, deadline] of dates.entries()) {
      const t = await db.target.create({ data: { code: `D-${i}`, cycleId: cycle.id, agencyId: agency.id, category: "functional", title: "t", deadline } });
      expect((await db.target.findUniqueOrThrow({ where: { id: t.id } })).deadline.toISOString()).toBe(deadline.toISOString());
      expect(await db.target.count({ where: { id: t.id, deadline: { gte: deadline, lte: deadline } } })).toBe(1);
    }
    expect((await db.cycle.findUniqueOrThrow({ where: { year: 2026 } })).endsOn.toISOString()).toBe("2026-12-31T15:59:59.999Z");
  });

  it("fills a timestamp the database defaults itself in UTC", async () => {
    const before = Date.now();
    await db.$executeRawUnsafe(`INSERT INTO "Agency" ("code", "name", "shortName", "managementType") VALUES ('RAW', '原始', '原始', 'direct')`);
    const { createdAt } = await db.agency.findUniqueOrThrow({ where: { code: "RAW" } });
    // SQLite's CURRENT_TIMESTAMP has whole seconds only.
    expect(Math.abs(createdAt.getTime() - before)).toBeLessThan(5_000);
  });

  it("round-trips scores and points of up to 15 significant digits exactly", async () => {
    // Prisma (6.19, both providers) sends a Float with at most 16 significant digits, so a value
    // such as 0.1 + 0.2 comes back as 0.3 (prisma/prisma#11096); scores never need more than 15.
    const { agency, cycle } = await agencyAndCycle("FLOATS");
    const values = [0, 41, 3.3333333333333, 13.6666666666667, -2.5, -0.25, 0.1, 99.95, 1e-9, 123456.789012345, 1e300];
    for (const [i, v] of values.entries()) {
      const list = await db.negativeList.create({ data: { agencyId: agency.id, cycleId: cycle.id, period: `F${i}`, totalPoints: v } });
      expect((await db.negativeList.findUniqueOrThrow({ where: { id: list.id } })).totalPoints).toBe(v);
    }
    const sum = await db.negativeList.aggregate({ where: { agencyId: agency.id, period: { in: ["F4", "F5"] } }, _sum: { totalPoints: true } });
    expect(sum._sum.totalPoints).toBe(-2.75);
  });

  it("round-trips booleans, defaults, Chinese text, nulls and the largest Int", async () => {
    const { agency } = await agencyAndCycle("BOOLS");
    const muted = await db.user.create({ data: { account: "zhang_san", name: "张三（目标办）", role: "officer", agencyId: agency.id, muteOptional: true } });
    const plain = await db.user.create({ data: { account: "li_si", name: "李四", role: "staff", agencyId: null, active: false } });
    expect(await db.user.findUniqueOrThrow({ where: { id: muted.id } })).toMatchObject({ active: true, muteOptional: true, name: "张三（目标办）" });
    expect(await db.user.findUniqueOrThrow({ where: { id: plain.id } })).toMatchObject({ active: false, muteOptional: false, agencyId: null });
    expect(await db.user.count({ where: { muteOptional: true } })).toBe(1);
    const run = await db.jobRun.create({ data: { job: "int", period: "max", status: "running", cursor: JSON.stringify({ offset: 2 ** 31 - 1 }) } });
    const msg = await db.outboxMessage.create({ data: { idempotencyKey: "int-max", platform: "console", recipient: "x", payload: "{}", attempts: 2 ** 31 - 1 } });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: msg.id } })).attempts).toBe(2 ** 31 - 1);
    expect(JSON.parse((await db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).cursor)).toEqual({ offset: 2 ** 31 - 1 });
  });

  it("orders text by code point, as SQLite does", async () => {
    for (const code of ["甲", "b", "B", "乙", "A-2", "A-10", "a"]) {
      await db.agency.create({ data: { code: `ORD ${code}`, name: `ORD ${code}`, shortName: code, managementType: "entrusted" } });
    }
    const sorted = await db.agency.findMany({ where: { managementType: "entrusted" }, orderBy: { shortName: "asc" } });
    expect(sorted.map((a) => a.shortName)).toEqual(["A-10", "A-2", "B", "a", "b", "乙", "甲"]);
  });

  it("records each migration in _prisma_migrations with Prisma's checksum, and applies nothing twice", async () => {
    const rows = await db.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    const names = rows.map((r) => r.migration_name);
    expect(names.length).toBeGreaterThan(0);
    for (const r of rows) {
      const sql = readFileSync(path.join(migrationsDir, r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    }
    expect(await migrate(url)).toEqual([]);
  });

  it("keeps every child row when a later migration rebuilds a table", async () => {
    // What Prisma generates for adding a column to Target: on SQLite a rebuild (copy, DROP, rename)
    // that would cascade-delete milestones and owners if foreign keys were enforced meanwhile.
    const dir = mkdtempSync(path.join(tmpdir(), "jxmb-migrations-"));
    for (const name of migrationNames(migrationsDir)) cpSync(path.join(migrationsDir, name), path.join(dir, name), { recursive: true });
    const target = await emptyDatabase("rebuild");
    const run = (d: string) => (testProvider === "sqlite" ? Promise.resolve(migrateSqlite(target, d)) : migratePostgres(target, d));
    await run(dir);
    const before = await createDb(target);
    try {
      const { id: agencyId } = await before.agency.create({ data: { code: "R", name: "重建", shortName: "重建", managementType: "direct" } });
      const { id: userId } = await before.user.create({ data: { account: "r_owner", name: "责任人", role: "staff", agencyId } });
      const { id: cycleId } = await before.cycle.create({ data: { year: 2026, startsOn: new Date("2025-12-31T16:00:00Z"), endsOn: new Date("2026-12-31T15:59:59.999Z") } });
      const { id: targetId } = await before.target.create({
        data: { code: "R-01", cycleId, agencyId, category: "functional", title: "重建测试", deadline: new Date("2026-12-31T15:59:59.999Z") },
      });
      await before.targetOwner.create({ data: { targetId, userId } });
      for (const quarter of [1, 2, 3, 4]) {
        await before.milestone.create({ data: { targetId, quarter, dueOn: new Date(Date.UTC(2026, quarter * 3, 0, 16)), description: `Q${quarter}`, expectedProgress: quarter * 25 } });
      }
    } finally {
      await before.$disconnect();
    }
    const rebuild = path.join(dir, "29990101000000_rebuild_target");
    cpSync(path.resolve("test/infra/fixtures/rebuild-target", `${testProvider === "sqlite" ? "sqlite" : "postgres"}.sql`), path.join(rebuild, "migration.sql"), { recursive: true });
    expect(await run(dir)).toEqual(["29990101000000_rebuild_target"]);
    const after = await createDb(target);
    try {
      expect(await after.milestone.count()).toBe(4);
      expect(await after.targetOwner.count()).toBe(1);
      const rows = await after.$queryRawUnsafe<{ priority: number | bigint }[]>(`SELECT "priority" FROM "Target"`);
      expect(rows.map((r) => Number(r.priority))).toEqual([0]);
    } finally {
      await after.$disconnect();
    }
  });

  it("applies each migration once when two instances start together on a new database", async () => {
    const target = await emptyDatabase("twins");
    const start = () =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "test/infra/fixtures/migrate-once.ts", target], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`migrate exited ${code}: ${err}`))));
      });
    // Two processes and two in-process calls (PostgreSQL ones interleave on their own connections).
    const runs = await Promise.all([start(), start(), migrate(target), migrate(target)]);
    expect(runs.flat().sort()).toEqual(migrationNames(migrationsDir));
    const twin = await createDb(target);
    try {
      const recorded = await twin.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT count(*) AS n FROM "_prisma_migrations"`);
      expect(Number(recorded[0].n)).toBe(migrationNames(migrationsDir).length);
      expect(await twin.agency.count()).toBe(0);
    } finally {
      await twin.$disconnect();
    }
  });
});

/** The migration folders in the order they apply. */
function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
