import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { observedAdapter } from "./adapter-observer.js";
import { adapterObservers, type Db, type DbOptions } from "./db-client.js";
import { withBindLimit } from "./bind-limit.js";
import { guardTransactions } from "./db-guard.js";
import { withStatementCache } from "./statement-cache.js";

export type { Db, Tx, DbOptions } from "./db-client.js";

export function isSqliteUrl(url: string): boolean {
  return url.startsWith("file:");
}

/** Filesystem path of a `file:` URL, relative paths taken from the working directory. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}


/**
 * SQLite as built into better-sqlite3 binds up to 32,766 parameters per statement (SQLITE_MAX_VARIABLE_NUMBER
 * since SQLite 3.32), but the adapter does not say so and Prisma 7 then assumes 999 and refuses larger
 * IN lists it cannot split (P2029).
 */
export const SQLITE_MAX_BIND_VALUES = 32766;

export async function createDb(url: string, opts: DbOptions = {}): Promise<Db> {
  if (!isSqliteUrl(url)) {
    const { createPostgresDb } = await import("./db-postgres.js");
    return createPostgresDb(url, opts);
  }
  const adapter = guardTransactions(withBindLimit(withStatementCache(new PrismaBetterSqlite3({ url })), SQLITE_MAX_BIND_VALUES));
  const db = new PrismaClient({ adapter: observedAdapter(adapter, adapterObservers(opts)) });
  // WAL lets readers run beside the writer; busy_timeout queues writers instead of failing them.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  if (opts.maxSizeMb) {
    const [{ page_size }] = await db.$queryRawUnsafe<{ page_size: number | bigint }[]>("PRAGMA page_size");
    await db.$queryRawUnsafe(`PRAGMA max_page_count = ${Math.floor((opts.maxSizeMb * 1024 * 1024) / Number(page_size))}`);
  }
  return db;
}

/** Tagged SQL (Prisma.sql, Prisma.join) for the raw queries of set-based rules; the same on both databases. */
export { Prisma };
