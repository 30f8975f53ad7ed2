import path from "node:path";
import { randomBytes } from "node:crypto";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withStatementCache } from "../../src/infra/statement-cache.js";

/**
 * SQLite parses and plans a statement each time the adapter prepares it; the cache keeps the
 * compiled statement per SQL text. Counted at the better-sqlite3 client (its own prepare), on a
 * SQLite file whatever database the suite runs against: the cache exists only for SQLite.
 */
let prepared: string[] = [];

/** Records every SQL text the real client is asked to compile. */
function countingPrepares(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = (await factory.connect()) as SqlDriverAdapter & { client: { prepare(sql: string): unknown } };
      const prepare = adapter.client.prepare.bind(adapter.client);
      adapter.client.prepare = (sql: string) => {
        prepared.push(sql);
        return prepare(sql);
      };
      return adapter;
    },
  };
}

let adapter: SqlDriverAdapter;
const q = (sql: string, args: unknown[] = []) => ({ sql, args, argTypes: args.map(() => ({ scalarType: "int" as const, arity: "scalar" as const })) });

beforeAll(async () => {
  const url = `file:${path.resolve("test/.tmp", `statement-cache-${randomBytes(4).toString("hex")}.db`)}`;
  adapter = await withStatementCache(countingPrepares(new PrismaBetterSqlite3({ url })), 3).connect();
  await adapter.executeScript('CREATE TABLE "T" ("id" INTEGER PRIMARY KEY, "n" INTEGER NOT NULL)');
});
afterAll(async () => {
  await adapter?.dispose();
});

describe("prepared statements kept per SQL text", () => {
  it("compiles a repeated statement once and runs it with each call's own arguments", async () => {
    prepared = [];
    for (let i = 1; i <= 3; i++) expect(await adapter.executeRaw(q('INSERT INTO "T" ("n") VALUES (?)', [i * 10]))).toBe(1);
    const rows = [];
    for (const min of [15, 25]) rows.push((await adapter.queryRaw(q('SELECT "n" FROM "T" WHERE "n" > ? ORDER BY "n"', [min]))).rows.map((r) => Number(r[0])));
    expect(rows).toEqual([[20, 30], [30]]);
    expect(prepared).toEqual(['INSERT INTO "T" ("n") VALUES (?)', 'SELECT "n" FROM "T" WHERE "n" > ? ORDER BY "n"']);
  });

  it("keeps the most recently used statements only, up to its size", async () => {
    prepared = [];
    for (const sql of ["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 1", "SELECT 4", "SELECT 2"]) await adapter.queryRaw(q(sql));
    // Size 3: SELECT 2 was the least recently used when SELECT 4 came, so it is compiled again.
    expect(prepared).toEqual(["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4", "SELECT 2"]);
  });

  it("runs a kept statement again after the table it reads has changed shape", async () => {
    const sql = 'SELECT "n" FROM "T" WHERE "id" = ?';
    expect((await adapter.queryRaw(q(sql, [1]))).rows).toEqual([[10]]);
    await adapter.executeScript('ALTER TABLE "T" ADD COLUMN "extra" INTEGER');
    expect((await adapter.queryRaw(q(sql, [2]))).rows).toEqual([[20]]);
  });
});
