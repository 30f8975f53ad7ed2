import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.js";
import { createCore } from "../../src/conversation/create-core.js";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { configureParsePool } from "../../src/excel/parse-pool.js";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { chatWith } from "../helpers/chat.js";
import { freshDb } from "../helpers/db.js";
import { DEMO_NOW } from "../helpers/province.js";
import { buildXlsx, provinceFile } from "./fixtures.js";

/**
 * Issue 14 §3: when the worker that opens an upload runs out of time (or memory, or dies), the
 * office gets a clear Chinese reply, operators get one structured log line, and nothing is written.
 */
let db: Db;
const lines: Record<string, unknown>[] = [];
let chat: ReturnType<typeof chatWith>;

beforeAll(async () => {
  ({ db } = await freshDb("upload-fault"));
  const clock = new FixedClock(DEMO_NOW);
  await seedDemoProvince(db, { now: clock.now() });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const settings = loadSettings({ NODE_ENV: "test", DATABASE_URL: "file:unused.db", LOG_LEVEL: "info" });
  chat = chatWith(createCore({ settings, db, clock, log: createLogger("info", sink) }), clock);
  // No worker answers within 1 ms: every upload times out.
  await configureParsePool({ timeLimitMs: 1 });
}, 60_000);
afterAll(async () => {
  await configureParsePool({});
  await db.$disconnect();
});

describe("an upload whose parse worker times out", () => {
  it("is answered 文件过大或格式异常, logged for operators, and writes nothing", async () => {
    const targets = await db.target.count();
    const agencies = await db.agency.count();
    const replies = await chat.send("mbb_zhang", { type: "file", fileName: "2026年目标任务分解表.xlsx", fetch: async () => buildXlsx(provinceFile()) });
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0])).toContain("文件过大或格式异常");
    expect(await db.target.count()).toBe(targets);
    expect(await db.agency.count()).toBe(agencies);
    const fault = lines.find((l) => l.msg === "workbook parse worker failed");
    expect(fault).toMatchObject({ level: 50, reason: "timeout", file: "2026年目标任务分解表.xlsx", sender: "mbb_zhang" });
  }, 60_000);
});
