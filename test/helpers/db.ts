import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { createDb, type Db } from "../../src/infra/db.js";
import { migrate } from "../../src/infra/migrate.js";

/**
 * The database the suite runs against: SQLite by default; PostgreSQL when TEST_DATABASE_URL is a
 * postgres:// or postgresql:// URL of a server where that role may create databases
 * (`npm run test:pg` starts one with scripts/start-postgres.sh).
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? "";
export const testProvider: "sqlite" | "postgresql" = /^postgres(ql)?:\/\//.test(testDatabaseUrl) ? "postgresql" : "sqlite";

/**
 * A fresh, migrated database for one test file: a SQLite file in test/.tmp (emptied at the start
 * of each run), or a new PostgreSQL database jxmb_<name>_p<pid>_<random> (scripts/start-postgres.sh
 * drops those whose run has ended).
 */
export async function freshDb(name = "t"): Promise<{ db: Db; url: string }> {
  const url = await emptyDatabase(name);
  await migrate(url);
  return { db: await createDb(url), url };
}

/** The URL of a new database with no tables yet, on the provider the suite runs against. */
export async function emptyDatabase(name = "t"): Promise<string> {
  const suffix = randomBytes(4).toString("hex");
  if (testProvider === "sqlite") return `file:${path.resolve("test/.tmp", `${name}-${suffix}.db`)}`;
  // p<pid> names the vitest process of this run (the workers are its children): when that process
  // is gone, scripts/start-postgres.sh drops the database, and it never touches a running suite's.
  const database = `jxmb_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 32)}_p${process.ppid}_${suffix}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Makes the database itself refuse inserts into `table` whose `column` is LIKE `pattern` (a real
 * failure part-way through a job, not a mock). Returns the function that lifts the refusal.
 * A SQLite trigger, or on PostgreSQL a PL/pgSQL trigger function.
 */
export async function failInserts(db: Db, table: string, column: string, pattern: string): Promise<() => Promise<void>> {
  const name = `fail_${randomBytes(4).toString("hex")}`;
  const like = pattern.replace(/'/g, "''");
  if (testProvider === "sqlite") {
    await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" WHEN NEW."${column}" LIKE '${like}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    return async () => void (await db.$executeRawUnsafe(`DROP TRIGGER ${name}`));
  }
  await db.$executeRawUnsafe(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."${column}" LIKE '${like}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`,
  );
  await db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER ${name} ON "${table}"`);
    await db.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  };
}

/**
 * "ok", or what is wrong with the database's own structures: SQLite's integrity and foreign-key
 * checks, or on PostgreSQL (which enforces foreign keys itself) amcheck over every B-tree index.
 */
export async function checkIntegrity(db: Db): Promise<string> {
  if (testProvider === "sqlite") {
    const [check] = await db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    const orphans = await db.$queryRawUnsafe<unknown[]>("PRAGMA foreign_key_check");
    return check.integrity_check !== "ok" ? check.integrity_check : orphans.length ? `foreign keys: ${JSON.stringify(orphans)}` : "ok";
  }
  await db.$executeRawUnsafe("CREATE EXTENSION IF NOT EXISTS amcheck");
  const indexes = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT c.relname::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = current_schema()`,
  );
  for (const { name } of indexes) await db.$queryRawUnsafe(`SELECT bt_index_check('"${name}"'::regclass, true)::text`);
  return "ok";
}
