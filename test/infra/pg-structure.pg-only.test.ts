import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrateSqlite } from "../../src/infra/migrate.js";
import { freshDb } from "../helpers/db.js";

/**
 * Runs only in the PostgreSQL pass (vitest.config.ts includes *.pg-only.test.ts when TEST_DATABASE_URL
 * is a postgres URL): both databases must build the same structure from their own migrations.
 */
describe("the PostgreSQL migrations", () => {
  it("builds the same tables, columns and indexes from its migrations as SQLite does from its own", async () => {
    const { db, url } = await freshDb("structure");
    await db.$disconnect();
    expect(await postgresStructure(url)).toEqual(sqliteStructure());
  });
});

/** Column types as Prisma maps them on each provider, so the two structures compare. */
const TYPE: Record<string, string> = {
  INTEGER: "Int", TEXT: "String", REAL: "Float", DATETIME: "DateTime", BOOLEAN: "Boolean", BLOB: "Bytes",
  integer: "Int", text: "String", "double precision": "Float", "timestamp without time zone": "DateTime", boolean: "Boolean", bytea: "Bytes",
};

function sqliteStructure(): string[] {
  const file = path.resolve("test/.tmp", `structure-${process.pid}.db`);
  migrateSqlite(`file:${file}`);
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as { name: string }[]).map((t) => t.name);
    const columns = tables.flatMap((t) =>
      (db.prepare(`SELECT name, type, "notnull" AS nn FROM pragma_table_info(?)`).all(t) as { name: string; type: string; nn: number }[]).map(
        (c) => `column ${t}.${c.name} ${TYPE[c.type] ?? c.type}${c.nn ? "" : "?"}`,
      ),
    );
    const indexes = (db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).all() as { name: string; sql: string }[]).map(
      (i) => `index ${i.name}${i.sql.startsWith("CREATE UNIQUE") ? " unique" : ""}`,
    );
    return [...columns, ...indexes].sort();
  } finally {
    db.close();
  }
}

async function postgresStructure(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query<{ t: string; c: string; type: string; nullable: string }>(
      `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const indexes = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`,
    );
    return [
      ...columns.rows.map((r) => `column ${r.t}.${r.c} ${TYPE[r.type] ?? r.type}${r.nullable === "YES" ? "?" : ""}`),
      ...indexes.rows.map((i) => `index ${i.name}${i.def.startsWith("CREATE UNIQUE") ? " unique" : ""}`),
    ].sort();
  } finally {
    await client.end();
  }
}

