import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/infra/db.js";
import { checkIntegrity, failInserts, freshDb, testProvider } from "../helpers/db.js";

let db: Db;
beforeAll(async () => {
  ({ db } = await freshDb("db-helpers"));
});
afterAll(async () => db.$disconnect());

const queue = (idempotencyKey: string) => db.outboxMessage.create({ data: { idempotencyKey, platform: "console", recipient: "zhao", payload: "{}" } });

describe(`the test helpers on ${testProvider}`, () => {
  it("make the database refuse matching inserts until the refusal is lifted", async () => {
    const lift = await failInserts(db, "OutboxMessage", "idempotencyKey", "negative-list:2026Q2:%");
    await queue("negative-list:2026Q1:1");
    await expect(queue("negative-list:2026Q2:1")).rejects.toThrow();
    await lift();
    await queue("negative-list:2026Q2:1");
    expect(await db.outboxMessage.count()).toBe(2);
  });

  it("find nothing wrong with a healthy database", async () => {
    expect(await checkIntegrity(db)).toBe("ok");
  });
});
