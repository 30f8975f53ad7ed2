import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.js";

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

  it("runs on SQLite in WAL mode", async () => {
    const [row] = await app.db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(row.journal_mode).toBe("wal");
  });
});
