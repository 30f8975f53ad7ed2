import { randomUUID } from "node:crypto";
import path from "node:path";
import { createDb, type Db } from "../../src/infra/db.js";
import { migrateSqlite } from "../../src/infra/migrate.js";

/** A fresh, migrated SQLite file for one test file (test/.tmp is emptied at the start of each run). */
export async function freshDb(name = "t"): Promise<{ db: Db; url: string }> {
  const url = `file:${path.resolve("test/.tmp", `${name}-${randomUUID().slice(0, 8)}.db`)}`;
  migrateSqlite(url);
  return { db: await createDb(url), url };
}
