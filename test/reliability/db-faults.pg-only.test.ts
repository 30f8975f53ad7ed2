import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDb, type Db } from "../../src/infra/db.js";
import { migrate } from "../../src/infra/migrate.js";
import { ledgerNotes, seedFaultProvince, startFaultBench, type FaultBench } from "./fault-harness.js";

/**
 * Issue 14 §1 on PostgreSQL, with a real server process: its connections dropped by the server
 * (pg_terminate_backend) while reports arrive, and the server restarted. A private cluster from
 * scripts/start-postgres.sh, so stopping it disturbs no other test file.
 */
const dataDir = `/tmp/jxmb-pg-faults-${process.pid}`;
let port = String(5600 + (process.pid % 300));
let url: string;
let bench: FaultBench;
let db: Db;

function cluster(...args: string[]): string {
  return execFileSync("bash", ["scripts/start-postgres.sh", ...args], {
    env: { ...process.env, JXMB_PG_DIR: dataDir, JXMB_PG_PORT: port },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

beforeAll(async () => {
  url = cluster();
  port = new URL(url).port;
  await migrate(url);
  db = await createDb(url);
  await seedFaultProvince(db);
  bench = await startFaultBench(url);
}, 120_000);

afterAll(async () => {
  await bench?.close();
  await db?.$disconnect();
  cluster("stop");
  rmSync(dataDir, { recursive: true, force: true });
});

async function expectNothingAcknowledgedLost(prefix: string): Promise<void> {
  const until = Date.now() + 20_000;
  const mine = [...bench.acknowledged].filter((m) => m.startsWith(prefix));
  let notes = await ledgerNotes(db, prefix);
  while (mine.some((m) => !notes.includes(m)) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    notes = await ledgerNotes(db, prefix);
  }
  for (const marker of mine) expect(notes.filter((n) => n === marker)).toHaveLength(1);
  expect(new Set(notes).size).toBe(notes.length);
}

describe("PostgreSQL faults with a running server", () => {
  it("connections dropped by the server while reports arrive: nothing acknowledged is lost, service goes on", async () => {
    await bench.sendUntilAcknowledged("81001", "断开-之前");
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    let dropping = true;
    let dropped = 0;
    const dropper = (async () => {
      while (dropping) {
        const r = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
        dropped += r.rowCount ?? 0;
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    for (let i = 0; i < 5; i++) await bench.send(`8110${i}`, `断开-期间${i}`);
    dropping = false;
    await dropper;
    await admin.end();
    expect(dropped).toBeGreaterThan(0);

    await bench.sendUntilAcknowledged("81002", "断开-之后", 10_000);
    for (let i = 0; i < 5; i++) await bench.sendUntilAcknowledged(`8110${i}`, `断开-期间${i}`, 10_000);
    expect(await bench.health()).toBe(200);
    await expectNothingAcknowledgedLost("断开-");
  }, 90_000);

  it("the database server restarted: unstored reports are refused for a retry, and service resumes within seconds", async () => {
    await bench.sendUntilAcknowledged("82001", "重启-之前");
    await db.$disconnect();
    cluster("stop");
    const during = [];
    for (let i = 0; i < 3; i++) during.push(await bench.send(`8210${i}`, `重启-期间${i}`));
    expect(during.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(await bench.health()).toBe(503);
    cluster();

    await bench.sendUntilAcknowledged("82002", "重启-之后", 10_000);
    for (let i = 0; i < 3; i++) await bench.sendUntilAcknowledged(`8210${i}`, `重启-期间${i}`, 10_000);
    expect(await bench.health()).toBe(200);
    await db.$connect();
    await expectNothingAcknowledgedLost("重启-");
  }, 90_000);
});
