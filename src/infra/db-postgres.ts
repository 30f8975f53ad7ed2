import type { Db } from "./db.js";

/** PostgreSQL support arrives with its own schema build; until then say so plainly. */
export async function createPostgresDb(_url: string): Promise<Db> {
  throw new Error("DATABASE_URL points at PostgreSQL, which this build does not support yet; use a file: URL for SQLite");
}
