import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import { observedAdapter, type AdapterObserver } from "./adapter-observer.js";
import type { QueryCount } from "./query-count.js";
import { tableWrites } from "./table-versions.js";

export type Db = PrismaClient;
/** The client handed to code that runs inside a transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function isSqliteUrl(url: string): boolean {
  return url.startsWith("file:");
}

/** Filesystem path of a `file:` URL, relative paths taken from the working directory. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

export interface DbOptions {
  /** Counts the statements and transactions this client sends (bench, query-budget tests). */
  count?: QueryCount;
}

/** Every client tells the read caches which tables it writes (src/infra/table-versions.ts). */
export function adapterObservers(opts: DbOptions): AdapterObserver[] {
  return opts.count ? [tableWrites, opts.count] : [tableWrites];
}

export async function createDb(url: string, opts: DbOptions = {}): Promise<Db> {
  if (!isSqliteUrl(url)) {
    const { createPostgresDb } = await import("./db-postgres.js");
    return createPostgresDb(url, opts);
  }
  const db = new PrismaClient({ adapter: observedAdapter(new PrismaBetterSqlite3({ url }), adapterObservers(opts)) });
  // WAL lets readers run beside the writer; busy_timeout queues writers instead of failing them.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  return db;
}
