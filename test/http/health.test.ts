import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { testProvider } from "../helpers/db.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app.close());

describe("GET /healthz", () => {
  it("answers 200 with the database status", async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { status: string } };
    expect(body).toMatchObject({ status: "ok", database: { status: "ok" } });
  });

  it("answers 404 for routes of platforms that are not configured", async () => {
    expect((await fetch(`${app.url}/wecom/callback`, { method: "POST", body: "<xml/>" })).status).toBe(404);
    expect((await fetch(`${app.url}/dingtalk/callback`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  // The suite runs once per database (TEST_DATABASE_URL); each run checks the settings createDb and
  // migrate are responsible for on the database in use.
  if (testProvider === "sqlite") {
    it("runs on SQLite in WAL mode with foreign keys enforced", async () => {
      const [journal] = await app.db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(journal.journal_mode).toBe("wal");
      const [fk] = await app.db.$queryRawUnsafe<{ foreign_keys: number | bigint }[]>("PRAGMA foreign_keys");
      expect(Number(fk.foreign_keys)).toBe(1);
    });
  } else {
    it("runs on a migrated UTF-8 PostgreSQL database", async () => {
      const [row] = await app.db.$queryRawUnsafe<{ encoding: string; migrations: number }[]>(
        `SELECT pg_encoding_to_char(encoding)::text AS encoding, (SELECT count(*)::int FROM "_prisma_migrations" WHERE finished_at IS NOT NULL) AS migrations
           FROM pg_database WHERE datname = current_database()`,
      );
      expect(row.encoding).toBe("UTF8");
      expect(row.migrations).toBeGreaterThan(0);
    });
  }
});
