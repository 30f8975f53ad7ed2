import type { PrismaClient } from "../generated/prisma/client.js";
import type { AdapterObserver } from "./adapter-observer.js";
import type { QueryCount } from "./query-count.js";
import { tableWrites } from "./table-versions.js";

/**
 * What the rest of the code sees of a database client, whichever database is behind it. The
 * PostgreSQL client is typed as the SQLite one (src/infra/db-postgres.ts says why that holds).
 */
export type Db = PrismaClient;
/** The client handed to code that runs inside a transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface DbOptions {
  /** SQLite only: refuse writes past this size (PRAGMA max_page_count), as a full disk would. */
  maxSizeMb?: number;
  /** Counts the statements and transactions this client sends (bench, query-budget tests). */
  count?: QueryCount;
  /** More observers of what the client sends (the bench's transaction timings). */
  observers?: AdapterObserver[];
}

/** Every client tells the read caches which tables it writes (src/infra/table-versions.ts). */
export function adapterObservers(opts: DbOptions): AdapterObserver[] {
  return [tableWrites, ...(opts.count ? [opts.count] : []), ...(opts.observers ?? [])];
}
