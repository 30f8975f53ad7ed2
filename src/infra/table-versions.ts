import type { AdapterObserver } from "./adapter-observer.js";

/**
 * A version per table, raised whenever this process sends an INSERT, UPDATE or DELETE on it (by
 * Prisma or raw SQL, in or out of a transaction), and raised again when the transaction ends: a
 * reader that started between the write and its commit saw the old row, and must not keep it. In-
 * memory caches of rarely changed rows keep the versions they were read at and drop an entry when
 * one moves, so a write here is seen by the next read here; other instances' writes are seen when
 * the cache's short TTL runs out.
 */
const versions = new Map<string, number>();
const uncommitted = new Set<string>();
let schema = 0;

const WRITE = /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+(?:[`"]?\w+[`"]?\s*\.\s*)?[`"]?(\w+)/i;

const bump = (table: string) => versions.set(table, (versions.get(table) ?? 0) + 1);

export const tableWrites: AdapterObserver = {
  statement(sql) {
    const m = WRITE.exec(sql);
    if (m) {
      bump(m[1]);
      uncommitted.add(m[1]);
    } else if (/^\s*(?:CREATE|DROP|ALTER)\b/i.test(sql)) {
      schema++;
    }
  },
  transactionEnded() {
    // Transactions of other requests may be among these: raising their tables early is harmless.
    for (const t of uncommitted) bump(t);
    uncommitted.clear();
  },
};

/** A stamp that changes whenever any of `tables` is written (or the schema changes). */
export function tablesVersion(tables: readonly string[]): string {
  return `${schema}:${tables.map((t) => versions.get(t) ?? 0).join(":")}`;
}
