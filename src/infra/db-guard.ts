import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Prisma's transaction manager sends COMMIT (or ROLLBACK) as a query and only then calls the driver
 * transaction's commit()/rollback(), which is what releases the connection: the better-sqlite3
 * adapter's transaction mutex, or the pg pool client. When that statement fails — a disk I/O error,
 * a full disk, a dropped connection — the release never happens and every later transaction waits
 * forever (issue 14: one I/O error wedged the server until restart). This wrapper makes a failed
 * COMMIT or ROLLBACK roll back what is left and release the connection before the error goes on.
 */
export function guardTransactions<F extends SqlDriverAdapterFactory>(factory: F): F {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== "connect" && prop !== "connectToShadowDb") return typeof value === "function" ? value.bind(target) : value;
      return async () => guardAdapter(await (value as () => Promise<SqlDriverAdapter>).call(target));
    },
  });
}

function guardAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "startTransaction") {
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => guardTransaction(await target.startTransaction(...args));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const ENDINGS = new Set(["COMMIT", "ROLLBACK"]);

function guardTransaction(tx: Transaction): Transaction {
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await tx.rollback();
  };
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "executeRaw") {
        return async (query: SqlQuery) => {
          if (!ENDINGS.has(query.sql.trim().toUpperCase())) return target.executeRaw(query);
          try {
            return await target.executeRaw(query);
          } catch (err) {
            // SQLite keeps the transaction open after some failed COMMITs; a ROLLBACK that fails in
            // turn (nothing left to roll back, connection gone) changes nothing.
            await target.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).catch(() => undefined);
            await release().catch(() => undefined);
            throw err;
          }
        };
      }
      if (prop === "commit" || prop === "rollback") {
        return async () => {
          if (released) return;
          released = true;
          await (prop === "commit" ? target.commit() : target.rollback());
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
