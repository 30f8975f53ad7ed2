/** Prisma's unique-constraint error (P2002): how "someone else did this first" shows up. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

/**
 * Known-request codes that mean the database could not do its work (connection, timeout, conflict,
 * a failed raw statement), as opposed to a query that the data refused (P2002 unique, P2003 foreign
 * key, P2025 not found …), which a retry would only repeat.
 */
const FAULT_CODES = new Set(["P2010", "P2024", "P2028", "P2034", "P2037"]);
const FAULT_CLASSES = new Set([
  "PrismaClientInitializationError",
  "PrismaClientRustPanicError",
  "PrismaClientUnknownRequestError",
  "DriverAdapterError",
  "SqliteError",
  "DatabaseError",
]);

const REFUSED_SQLSTATE = /^(22|23|42|P0)[0-9A-Z]{3}$/;

/** The SQLSTATE of a PostgreSQL error, on the error itself or in the adapter's cause. */
function sqlState(err: object): string | undefined {
  for (let e: unknown = err, depth = 0; typeof e === "object" && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, originalCode } = e as { code?: unknown; originalCode?: unknown };
    for (const c of [originalCode, code]) if (typeof c === "string" && /^[0-9A-Z]{5}$/.test(c) && !c.startsWith("P2")) return c;
  }
  return undefined;
}

/**
 * True when an error says the database is unavailable or failing (I/O error, read-only or full disk,
 * lock held too long, connection dropped): the work was not stored and may succeed when retried.
 */
export function isStorageFault(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { name, code } = err as { name?: string; code?: unknown };
  // PostgreSQL said what is wrong: refused data (22), a broken constraint (23), a bad statement (42)
  // or a raised exception (P0) would fail the same way on every redelivery, so it is not a fault.
  if (REFUSED_SQLSTATE.test(sqlState(err) ?? "")) return false;
  if (name === "PrismaClientKnownRequestError") return typeof code === "string" && (code.startsWith("P1") || FAULT_CODES.has(code));
  if (name && FAULT_CLASSES.has(name)) return true;
  if (typeof code === "string" && (/^SQLITE_/.test(code) || /^(08|53|57|58)/.test(code) || /^E(CONN|PIPE|TIMEDOUT|HOSTUNREACH)/.test(code))) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isStorageFault(cause);
}

/**
 * Thrown by the conversation core when a message could not be stored because of a storage fault:
 * the receiver must answer so that the platform delivers it again, never acknowledge it.
 */
export class StorageUnavailable extends Error {
  /** Koa and the error boundary answer 503: DingTalk delivers a message again after a 5xx. */
  readonly status = 503;
  readonly expose = false;
  constructor(override readonly cause: unknown) {
    super("storage unavailable: the message was not stored");
    this.name = "StorageUnavailable";
  }
}
