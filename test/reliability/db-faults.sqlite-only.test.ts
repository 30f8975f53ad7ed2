import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import path from "node:path";
import { connect } from "node:net";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, sqlitePath, type Db } from "../../src/infra/db.js";
import { migrate } from "../../src/infra/migrate.js";
import { ledgerNotes, seedFaultProvince, startFaultBench, type FaultBench } from "./fault-harness.js";

/**
 * Issue 14 §1 on SQLite, with one real server process through three faults in turn: reports before,
 * during and after each. Whatever WeCom got a 200 for reaches the ledger once; once the fault is
 * lifted the next message is served within seconds; /healthz reports the fault while it lasts.
 */
const SIZE_MB_MARGIN = 4;
let bench: FaultBench;
let db: Db;
let file: string;
let maxPages: number;
const lifts: (() => void)[] = [];

beforeAll(async () => {
  const url = `file:${path.resolve("test/.tmp", `db-faults-${process.pid}.db`)}`;
  file = sqlitePath(url);
  await migrate(url);
  db = await createDb(url);
  await seedFaultProvince(db);
  const [{ page_count, page_size }] = await db.$queryRawUnsafe<{ page_count: bigint; page_size: bigint }[]>(
    "SELECT * FROM pragma_page_count(), pragma_page_size()",
  );
  const maxSizeMb = Math.ceil((Number(page_count) * Number(page_size)) / 1024 / 1024) + SIZE_MB_MARGIN;
  maxPages = Math.floor((maxSizeMb * 1024 * 1024) / Number(page_size));
  bench = await startFaultBench(url, { SQLITE_MAX_SIZE_MB: String(maxSizeMb) });
}, 60_000);

afterAll(async () => {
  for (const lift of lifts.splice(0)) lift();
  await bench?.close();
  await db?.$disconnect();
});

/** Every report WeCom got a 200 for is in the ledger exactly once (late ones may still be landing). */
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

/** Before, during (three reports, one platform attempt each) and after; then every "during" report is re-sent. */
async function throughFault(prefix: string, id: number, apply: () => Promise<() => void> | (() => void)): Promise<void> {
  await bench.sendUntilAcknowledged(`${id}001`, `${prefix}之前`);
  const lift = await apply();
  lifts.push(lift);
  const during = [];
  for (let i = 0; i < 3; i++) during.push(await bench.send(`${id}10${i}`, `${prefix}期间${i}`));
  // A 200 without the stored answer can only be a late acknowledgement, which this process retries.
  expect(during.every((r) => r.status !== 200 || r.stored || bench.server.output().includes("wecom handler over budget"))).toBe(true);
  expect(await bench.health()).toBe(503);
  lifts.splice(lifts.indexOf(lift), 1);
  lift();

  await bench.sendUntilAcknowledged(`${id}002`, `${prefix}之后`, 10_000);
  for (let i = 0; i < 3; i++) await bench.sendUntilAcknowledged(`${id}10${i}`, `${prefix}期间${i}`, 10_000);
  expect(await bench.health()).toBe(200);
  await expectNothingAcknowledgedLost(prefix);
}

/**
 * Files nobody may write: `chattr +i` (root on ext4/xfs/btrfs), else read-only permission bits (enough
 * for anyone but root). Checked by opening for write, so the test never runs with the fault not in place.
 */
function freeze(files: string[]): () => void {
  const present = files.filter((f) => existsSync(f));
  let lift: () => void;
  try {
    execFileSync("chattr", ["+i", ...present], { stdio: "ignore" });
    lift = () => execFileSync("chattr", ["-i", ...present], { stdio: "ignore" });
  } catch {
    for (const f of present) chmodSync(f, 0o444);
    lift = () => present.forEach((f) => chmodSync(f, 0o644));
  }
  for (const f of present) {
    let writable = true;
    try {
      closeSync(openSync(f, "r+"));
    } catch {
      writable = false;
    }
    if (writable) {
      lift();
      throw new Error(`cannot make ${f} unwritable here: run the suite as root on a file system with chattr, or as a non-root user`);
    }
  }
  return lift;
}

/** Another process holds the write lock (BEGIN EXCLUSIVE) until released. */
async function holdLock(): Promise<() => void> {
  const script = `const D=require("better-sqlite3");const db=new D(${JSON.stringify(file)});db.exec("BEGIN EXCLUSIVE");
    process.stdout.write("locked\\n");process.stdin.on("end",()=>{db.exec("COMMIT");db.close();process.exit(0)});process.stdin.resume();`;
  const holder: ChildProcess = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on("data", (d: Buffer) => d.toString().includes("locked") && resolve());
    holder.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return () => holder.stdin!.end();
}

/** Fills the database up to the server's size limit with filler rows; lifting deletes them. */
function fillDisk(): () => void {
  const raw = new Database(file);
  raw.pragma(`max_page_count = ${maxPages}`);
  raw.exec("CREATE TABLE IF NOT EXISTS fault_filler (data BLOB)");
  for (const size of [262_144, 16_384, 512]) {
    for (;;) {
      try {
        raw.prepare("INSERT INTO fault_filler VALUES (zeroblob(?))").run(size);
      } catch {
        break;
      }
    }
  }
  raw.close();
  return () => {
    const again = new Database(file);
    again.exec("DELETE FROM fault_filler");
    again.close();
  };
}

describe("SQLite faults with a running server", () => {
  it("database files made immutable: nothing acknowledged is lost, and service resumes once writable", async () => {
    await throughFault("不可写-", 71, () => freeze([file, `${file}-wal`]));
  }, 90_000);

  it("the write lock held by another process: nothing acknowledged is lost, and service resumes once released", async () => {
    await throughFault("锁定-", 72, holdLock);
  }, 90_000);

  it("a full disk (the size limit reached): nothing acknowledged is lost, and service resumes once space is freed", async () => {
    await throughFault("磁盘满-", 73, fillDisk);
  }, 90_000);

  it("writes every log line as JSON, node-cron's warnings and malformed requests included", async () => {
    for (const raw of ["GET /healthz/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n", "POST /wecom/callback?x=%zz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n<x>", "BROKEN\r\n\r\n"]) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(new URL(bench.server.url).port), "127.0.0.1", () => socket.end(raw));
        socket.on("data", () => undefined);
        socket.on("close", () => resolve());
        socket.on("error", () => resolve());
      });
    }
    expect(await bench.health()).toBe(200);
    const lines = bench.server.output().split("\n").filter((l) => l.trim() !== "");
    expect(lines.length).toBeGreaterThan(10);
    const notJson = lines.filter((l) => {
      try {
        return typeof JSON.parse(l) !== "object";
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
  });
});
