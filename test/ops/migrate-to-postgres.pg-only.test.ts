import { mkdtempSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToPostgres } from "../../src/cli/commands/migrate-to-postgres.js";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { migrate } from "../../src/infra/migrate.js";
import { emptyDatabase } from "../helpers/db.js";
import { DEMO_NOW } from "../helpers/province.js";

/**
 * README 部署 → “迁移到 PostgreSQL”: `npm run cli -- migrate-to-postgres <url>` moves the demo province
 * from its SQLite file into an empty PostgreSQL database (the local one from scripts/start-postgres.sh).
 */
const dir = mkdtempSync(path.resolve("test/.tmp/to-pg-"));
const sqliteUrl = `file:${path.join(dir, "jxmb.db")}`;
let pgUrl: string;
let moved: Db | undefined;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

beforeAll(async () => {
  await migrate(sqliteUrl);
  const db = await createDb(sqliteUrl);
  await seedDemoProvince(db, { now: DEMO_NOW, platformIdentities: ["wecom", "dingtalk"] });
  await db.$disconnect();
  pgUrl = await emptyDatabase("to_pg");
}, 60_000);
afterAll(async () => moved?.$disconnect());

describe("npm run cli -- migrate-to-postgres <url>", () => {
  it("copies every table row for row, keeps dates and flags, and the moved province keeps working", async () => {
    const r = io();
    expect(await migrateToPostgres({ DATABASE_URL: sqliteUrl }, pgUrl, r.io)).toBe(0);
    expect(r.out[0]).toMatch(/已将 \d+ 张数据表共 \d+ 行迁入 PostgreSQL/);

    const source = new Database(path.join(dir, "jxmb.db"), { readonly: true });
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      const tables = (source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as { name: string }[]).map((t) => t.name);
      expect(tables.length).toBeGreaterThan(20);
      for (const t of tables) {
        const expected = (source.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n;
        const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${t}"`);
        expect(Number(rows[0].n), t).toBe(expected);
      }
    } finally {
      source.close();
      await client.end();
    }

    moved = await createDb(pgUrl);
    const sqlite = await createDb(sqliteUrl);
    const pick = { where: { target: { code: "FGW-01" } }, orderBy: { id: "asc" as const }, select: { id: true, progress: true, note: true, createdAt: true } };
    expect(await moved.progressReport.findMany(pick)).toEqual(await sqlite.progressReport.findMany(pick));
    expect(await moved.cycle.findUniqueOrThrow({ where: { year: 2026 } })).toEqual(await sqlite.cycle.findUniqueOrThrow({ where: { year: 2026 } }));
    expect(await moved.user.count({ where: { active: true } })).toBe(await sqlite.user.count({ where: { active: true } }));
    await sqlite.$disconnect();
    // Sequences continue after the copied ids.
    const agency = await moved.agency.create({ data: { code: "NEW", name: "贵州省新设单位", shortName: "新设单位", managementType: "direct" } });
    expect(agency.id).toBe((await moved.agency.count()));
  });

  it("refuses a PostgreSQL database that already holds data", async () => {
    const r = io();
    expect(await migrateToPostgres({ DATABASE_URL: sqliteUrl }, pgUrl, r.io)).toBe(65);
    expect(r.err.join("")).toContain("已有数据");
  });
});
