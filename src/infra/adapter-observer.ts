/**
 * Wraps a Prisma driver adapter factory so every connection it makes reports what it sends: each
 * SQL statement, each transaction begun, each COMMIT or ROLLBACK. The observers must be cheap and
 * must not throw; they see the SQL before it runs.
 */
export interface AdapterObserver {
  statement?(sql: string): void;
  transactionStarted?(): void;
  /**
   * `sentAsStatement`: Prisma sent the COMMIT or ROLLBACK as a statement first (adapters without a
   * "phantom" transaction end), so it has been seen by statement() already.
   */
  transactionEnded?(outcome: "commit" | "rollback", sentAsStatement: boolean): void;
  /**
   * When a transaction ends: how long it waited for the connection (SQLite: the single writer) and
   * how long it then held it, BEGIN to COMMIT or ROLLBACK, in milliseconds.
   */
  transactionTimed?(waitedMs: number, heldMs: number): void;
}

type AnyFn = (...args: unknown[]) => unknown;
type Wrap = (fn: AnyFn) => AnyFn;

const STATEMENTS = new Set(["queryRaw", "executeRaw", "executeScript"]);

function proxied<T extends object>(target: T, observers: AdapterObserver[], extra: Record<string, Wrap>): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function" || typeof prop !== "string") return value;
      const fn = (value as AnyFn).bind(obj);
      if (STATEMENTS.has(prop)) {
        return (...args: unknown[]) => {
          const query = args[0] as { sql?: string } | string;
          const sql = typeof query === "string" ? query : String(query?.sql ?? "");
          for (const o of observers) o.statement?.(sql);
          return fn(...args);
        };
      }
      return extra[prop] ? extra[prop](fn) : fn;
    },
  });
}

function observedConnection<T extends object>(adapter: T, observers: AdapterObserver[]): T {
  const timed = observers.some((o) => o.transactionTimed);
  return proxied(adapter, observers, {
    startTransaction: (fn) => async (...args) => {
      for (const o of observers) o.transactionStarted?.();
      const asked = timed ? performance.now() : 0;
      const tx = (await fn(...args)) as { options?: { usePhantomQuery?: boolean } };
      const opened = timed ? performance.now() : 0;
      const sent = tx.options?.usePhantomQuery === false;
      let ended = false;
      const ends = (outcome: "commit" | "rollback"): Wrap => (end) => (...a) => {
        for (const o of observers) o.transactionEnded?.(outcome, sent);
        if (timed && !ended) {
          const now = performance.now();
          for (const o of observers) o.transactionTimed?.(opened - asked, now - opened);
        }
        ended = true;
        return end(...a);
      };
      return proxied(tx, observers, { commit: ends("commit"), rollback: ends("rollback") });
    },
  });
}

/** The same factory; its connections tell `observers` what they send. */
export function observedAdapter<F extends object>(factory: F, observers: AdapterObserver[]): F {
  if (observers.length === 0) return factory;
  return proxied(factory, observers, {
    connect: (fn) => async (...args) => observedConnection((await fn(...args)) as object, observers),
  });
}
