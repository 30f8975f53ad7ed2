import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
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
  const pool = new pg.Pool({ connectionString: url, options: "-c TimeZone=UTC" });
  // A connection the server drops (restart, pg_terminate_backend) emits 'error' on its client; with
  // no listener at that moment Node ends the process. The adapter listens only while a client is idle
  // or inside a transaction, so every client gets a listener for its whole life: the query that was
  // running fails on its own and is handled (and logged) where it was made.
  pool.on("connect", (client) => client.on("error", () => undefined));
  pool.on("error", () => undefined);
  const adapter = guardTransactions(new PrismaPg(pool, { disposeExternalPool: true }));
  const db = new PrismaClient({ adapter: observedAdapter(adapter, adapterObservers(opts)) });
  // The two generated clients differ only in the provider name baked into their types; this is the
  // one seam where the PostgreSQL client is handed to code typed against the SQLite one.
  return db as unknown as Db;
}
