import type { AdapterObserver } from "./adapter-observer.js";

/**
 * What a Prisma client sent to the database. The bench prints it per progress report and a test
 * holds the report path to its budget: a count is deterministic where a timing is not.
 */
export interface QueryCount extends AdapterObserver {
  /** SQL statements, the COMMIT or ROLLBACK that ends a transaction included. */
  statements: number;
  /** Transactions begun (the driver sends BEGIN itself; it is not among the statements). */
  transactions: number;
  /** Each statement's SQL, oldest first, when made with keepSql. */
  readonly sql: string[];
  reset(): void;
}

export function newQueryCount(opts: { keepSql?: boolean } = {}): QueryCount {
  const count: QueryCount = {
    statements: 0,
    transactions: 0,
    sql: [],
    statement(sql) {
      count.statements++;
      if (opts.keepSql) count.sql.push(sql);
    },
    transactionStarted() {
      count.transactions++;
    },
    transactionEnded(outcome, sentAsStatement) {
      if (sentAsStatement) return;
      count.statements++;
      if (opts.keepSql) count.sql.push(outcome.toUpperCase());
    },
    reset() {
      count.statements = 0;
      count.transactions = 0;
      count.sql.length = 0;
    },
  };
  return count;
}
