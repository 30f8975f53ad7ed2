import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma-pg/client.js";
import { observedAdapter } from "./adapter-observer.js";
import { adapterObservers, type Db, type DbOptions } from "./db-client.js";
import { guardTransactions } from "./db-guard.js";

/**
 * A PostgreSQL client for a postgres:// or postgresql:// DATABASE_URL. The client is generated from
 * prisma/postgres/schema.prisma, which scripts/pg-schema.ts derives from the SQLite schema model for
 * model, so its API is the same as the SQLite client's.
 */
export async function createPostgresDb(url: string, opts: DbOptions = {}): Promise<Db> {
  // Prisma stores DateTime as TIMESTAMP(3) without time zone, meaning UTC. Prisma fills now()
  // defaults itself, but a column default or now() in raw SQL takes the session time zone, so
  // sessions run in UTC whatever the server's TimeZone is (an `options` in the URL still wins).
  const adapter = guardTransactions(new PrismaPg({ connectionString: url, options: "-c TimeZone=UTC" }));
  const db = new PrismaClient({ adapter: observedAdapter(adapter, adapterObservers(opts)) });
  // The two generated clients differ only in the provider name baked into their types; this is the
  // one seam where the PostgreSQL client is handed to code typed against the SQLite one.
  return db as unknown as Db;
}
