import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * The better-sqlite3 adapter prepares every statement afresh (`client.prepare(sql)` per query): SQLite
 * parses and plans the SQL each time, about a tenth of a progress report's CPU. Prisma's query-plan
 * cache already sends the same SQL text for the same query shape, so the compiled statement is kept
 * here, per connection, and reused with the new arguments. better-sqlite3 runs each statement to the
 * end synchronously, so one cached statement is never used twice at once; SQLite itself recompiles
 * a kept statement when the schema changes under it.
 */
export const STATEMENT_CACHE_SIZE = 500;
/** Longer SQL is a one-off (an IN list of many ids): not worth a slot. */
const MAX_CACHED_SQL_LENGTH = 4_000;

interface Statement {
  readonly reader: boolean;
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  raw(toggle?: boolean): Statement;
  columns(): unknown[];
  bind(...params: unknown[]): Statement;
}

interface Client {
  prepare(sql: string): Statement;
}

/** What the adapter uses of a statement, bound to one call's arguments without binding the shared one. */
function bound(st: Statement, params: unknown[]) {
  return {
    reader: st.reader,
    run: () => st.run(...params),
    columns: () => st.columns(),
    raw: () => ({ all: () => st.raw(true).all(...params) }),
  };
}

function cachedPrepare(client: Client, size: number): (sql: string) => unknown {
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, Statement>();
  return (sql) => {
    if (sql.length > MAX_CACHED_SQL_LENGTH) return prepare(sql);
    let st = cache.get(sql);
    if (st) {
      // Least recently used goes first: re-insert on every hit.
      cache.delete(sql);
    } else {
      st = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, st);
    const kept = st;
    return {
      reader: kept.reader,
      bind: (...params: unknown[]) => bound(kept, params),
      run: (...params: unknown[]) => kept.run(...params),
      all: (...params: unknown[]) => kept.all(...params),
      columns: () => kept.columns(),
    };
  };
}

/** The same factory; each connection's better-sqlite3 client keeps its prepared statements. */
export function withStatementCache<F extends SqlDriverAdapterFactory>(factory: F, size = STATEMENT_CACHE_SIZE): F {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== "connect") return typeof value === "function" ? value.bind(target) : value;
      return async () => {
        const adapter = (await (value as () => Promise<SqlDriverAdapter>).call(target)) as SqlDriverAdapter & { client?: Client };
        const client = adapter.client;
        // Another adapter version without a `client`: left as it is, only slower.
        if (client && typeof client.prepare === "function") client.prepare = cachedPrepare(client, size) as Client["prepare"];
        return adapter;
      };
    },
  });
}
