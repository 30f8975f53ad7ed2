import Database from "better-sqlite3";
import { migratePostgres, migrateSqlite } from "../infra/migrate.js";
import { sqlitePath } from "../infra/db.js";

/**
 * Moves a province from its SQLite file to an empty PostgreSQL database: both are first brought to
 * this version's schema by the committed migrations, then every table is copied in one PostgreSQL
 * transaction (parents before children), the id sequences are moved past the copied ids, and the
 * row counts are compared. Nothing is written to PostgreSQL unless the whole copy succeeds.
 */
export class MoveRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoveRefused";
  }
}

export interface MoveResult {
  tables: { table: string; rows: number }[];
}

/** Rows per INSERT, well under PostgreSQL's 65,535 bind parameters for the widest table. */
const BATCH = 200;

export async function moveSqliteToPostgres(sqliteUrl: string, pgUrl: string): Promise<MoveResult> {
  migrateSqlite(sqliteUrl);
  await migratePostgres(pgUrl);
  const source = new Database(sqlitePath(sqliteUrl), { readonly: true, fileMustExist: true });
  const { default: pg } = await import("pg");
  const target = new pg.Client({ connectionString: pgUrl, options: "-c TimeZone=UTC" });
  await target.connect();
  try {
    const tables = copyOrder(source);
    for (const t of tables) {
      const { rows } = await target.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${t}"`);
      if (Number(rows[0].n) > 0) throw new MoveRefused(`目标 PostgreSQL 数据库的数据表 ${t} 已有数据。请使用一个新建的空数据库，以免覆盖或混入数据。`);
    }
    await target.query("BEGIN");
    try {
      const result: MoveResult = { tables: [] };
      for (const t of tables) {
        const types = await columnTypes(target, t);
        const columns = Object.keys(types).filter((c) => sourceColumns(source, t).includes(c));
        const rows = source.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM "${t}" ORDER BY rowid`).raw().all() as unknown[][];
        for (let i = 0; i < rows.length; i += BATCH) {
          const batch = rows.slice(i, i + BATCH);
          const values: unknown[] = [];
          const tuples = batch.map((row) => `(${row.map((v, j) => (values.push(convert(v, types[columns[j]])), `$${values.length}`)).join(", ")})`);
          await target.query(`INSERT INTO "${t}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}`, values);
        }
        if (types.id && (await hasSequence(target, t))) {
          await target.query(`SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "${t}"`);
        }
        const { rows: counted } = await target.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${t}"`);
        if (Number(counted[0].n) !== rows.length) throw new Error(`table ${t}: copied ${counted[0].n} of ${rows.length} rows`);
        result.tables.push({ table: t, rows: rows.length });
      }
      await target.query("COMMIT");
      return result;
    } catch (err) {
      await target.query("ROLLBACK");
      throw err;
    }
  } finally {
    source.close();
    await target.end();
  }
}

/** The project's tables, each after the tables it refers to. */
function copyOrder(db: Database.Database): string[] {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
  const parents = new Map(tables.map((t) => [t, (db.pragma(`foreign_key_list("${t}")`) as { table: string }[]).map((f) => f.table).filter((p) => p !== t)]));
  const ordered: string[] = [];
  const visit = (t: string, path: string[]) => {
    if (ordered.includes(t)) return;
    if (path.includes(t)) throw new Error(`foreign keys form a cycle: ${[...path, t].join(" → ")}`);
    for (const p of parents.get(t) ?? []) visit(p, [...path, t]);
    ordered.push(t);
  };
  for (const t of tables) visit(t, []);
  return ordered;
}

function sourceColumns(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name);
}

async function columnTypes(client: import("pg").Client, table: string): Promise<Record<string, string>> {
  const { rows } = await client.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
}

async function hasSequence(client: import("pg").Client, table: string): Promise<boolean> {
  const { rows } = await client.query<{ s: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS s`, [`"${table}"`]);
  return rows[0].s !== null;
}

/** SQLite keeps booleans as 0/1 and Prisma's DateTimes as ISO text (or epoch ms); PostgreSQL wants its own types. */
function convert(v: unknown, type: string | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (type === "boolean") return v === 1 || v === true || v === "1" || v === "true";
  if (type?.startsWith("timestamp")) {
    if (typeof v === "number" || typeof v === "bigint") return new Date(Number(v));
    const s = String(v);
    // SQLite's CURRENT_TIMESTAMP has no zone: it is UTC.
    return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s.replace(" ", "T")}Z`);
  }
  return v;
}
