import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../src/infra/db.js";
import { freshDb } from "../helpers/db.js";

/**
 * The bench splits a report's latency into waiting for the connection (SQLite's single writer) and
 * holding it: one timing per transaction, committed or rolled back, both never negative.
 */
const timings: { waited: number; held: number }[] = [];
let db: Db;

beforeAll(async () => {
  const fresh = await freshDb("transaction-timing");
  await fresh.db.$disconnect();
  db = await createDb(fresh.url, { observers: [{ transactionTimed: (waited, held) => void timings.push({ waited, held }) }] });
});
afterAll(async () => {
  await db?.$disconnect();
});

describe("transaction timings for the bench", () => {
  it("reports each transaction once when it ends, whether it commits or rolls back", async () => {
    const both = [db.$transaction(async (tx) => tx.user.count()), db.$transaction(async (tx) => tx.agency.count())];
    await Promise.all(both);
    await expect(
      db.$transaction(async (tx) => {
        await tx.user.count();
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    await db.user.count(); // outside a transaction: not timed
    expect(timings).toHaveLength(3);
    for (const t of timings) {
      expect(t.waited).toBeGreaterThanOrEqual(0);
      expect(t.held).toBeGreaterThanOrEqual(0);
    }
  });
});
