import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";

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

export async function createDb(url: string): Promise<Db> {
  if (!isSqliteUrl(url)) {
    const { createPostgresDb } = await import("./db-postgres.js");
    return createPostgresDb(url);
  }
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  // WAL lets readers run beside the writer; busy_timeout queues writers instead of failing them.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  return db;
}
