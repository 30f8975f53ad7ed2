import { PassThrough } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConsoleSender } from "../../src/channels/console/sender.js";
import { FixedClock } from "../../src/infra/clock.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "../../src/infra/db.js";
import { migrateSqlite } from "../../src/infra/migrate.js";
import { createLogger } from "../../src/infra/logger.js";
import { enqueue } from "../../src/outbox/enqueue.js";
import type { ChannelSender } from "../../src/outbox/sender.js";
import { OutboxWorker } from "../../src/outbox/worker.js";
import { freshDb, testProvider } from "../helpers/db.js";
import { permanent, rateLimited, RecordingSender, retryable } from "./recording-sender.js";

const log = createLogger("silent");
const T0 = new Date("2026-03-24T01:00:00Z");
const RETRY = { baseMs: 30_000, capMs: 3_600_000, maxAttempts: 4 };

let db: Db;
let clock: FixedClock;
let userId: number;

beforeAll(async () => {
  ({ db } = await freshDb("outbox-worker"));
  const u = await db.user.create({ data: { account: "zhao", name: "赵磊", role: "staff", identities: { create: { platform: "console", externalId: "zhao" } } } });
  userId = u.id;
});
afterAll(() => db.$disconnect());
beforeEach(async () => {
  await db.outboxMessage.deleteMany();
  clock = new FixedClock(T0);
});

async function queue(n: number, prefix = "msg", opts: { notBefore?: Date } = {}) {
  for (let i = 0; i < n; i++) {
    await db.$transaction((tx) => enqueue(tx, userId, { kind: "text", text: `第 ${i} 条` }, { key: `${prefix}:${i}`, now: clock.now(), ...opts }));
  }
}

function worker(sender: ChannelSender, extra: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) {
  return new OutboxWorker({ db, senders: [sender], clock, log, retry: RETRY, random: () => 1, ...extra });
}

const row = (key: string) => db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });

describe("the outbox worker", () => {
  it("sends what is due, once, with its idempotency key, and records sentAt", async () => {
    await queue(3);
    const sender = new RecordingSender("console", clock);
    expect(await worker(sender).drainOnce()).toMatchObject({ sent: 3, retrying: 0, dead: 0 });
    expect(sender.calls.map((c) => c.key)).toEqual(["msg:0", "msg:1", "msg:2"]);
    expect(await row("msg:0")).toMatchObject({ status: "sent", attempts: 1, sentAt: T0, lastError: null });
    expect((await worker(sender).drainOnce()).sent).toBe(0);
    expect(sender.calls).toHaveLength(3);
  });

  it("waits for notBefore (quiet hours) before sending", async () => {
    await queue(1, "later", { notBefore: new Date(T0.getTime() + 3_600_000) });
    const sender = new RecordingSender("console", clock);
    await worker(sender).drainOnce();
    expect(sender.calls).toHaveLength(0);
    clock.advance(3_600_000);
    await worker(sender).drainOnce();
    expect(sender.delivered.map((c) => c.key)).toEqual(["later:0"]);
  });

  it("retries a retryable failure with growing backoff, then delivers exactly once", async () => {
    await queue(1);
    const sender = new RecordingSender("console", clock).then(retryable(), retryable());
    const w = worker(sender);
    await w.drainOnce();
    let r = await row("msg:0");
    expect(r).toMatchObject({ status: "failed", attempts: 1, lastError: "retryable 502: HTTP 502" });
    const firstDelay = r.notBefore.getTime() - clock.now().getTime();
    expect(firstDelay).toBe(30_000);
    clock.advance(firstDelay - 1);
    await w.drainOnce();
    expect(sender.calls).toHaveLength(1);
    clock.advance(1);
    await w.drainOnce();
    r = await row("msg:0");
    expect(r).toMatchObject({ status: "failed", attempts: 2 });
    expect(r.notBefore.getTime() - clock.now().getTime()).toBe(60_000);
    clock.advance(60_000);
    await w.drainOnce();
    expect(await row("msg:0")).toMatchObject({ status: "sent", attempts: 3 });
    expect(sender.calls).toHaveLength(3);
    expect(sender.delivered).toHaveLength(1);
  });

  it("adds jitter within half of the delay so failed rows do not come back together", async () => {
    await queue(1);
    const sender = new RecordingSender("console", clock).then(retryable());
    await worker(sender, { random: () => 0 }).drainOnce();
    expect((await row("msg:0")).notBefore.getTime() - T0.getTime()).toBe(15_000);
  });

  it("honours the platform's wait on rate_limited when it is longer than the backoff", async () => {
    await queue(1);
    const sender = new RecordingSender("console", clock).then(rateLimited(60_000));
    await worker(sender).drainOnce();
    expect(await row("msg:0")).toMatchObject({ status: "failed", lastError: "rate_limited 45009: api freq out of limit" });
    expect((await row("msg:0")).notBefore.getTime() - T0.getTime()).toBe(60_000);
  });

  it("gives up after the last attempt and marks the row dead", async () => {
    await queue(1);
    const sender = new RecordingSender("console", clock).then(retryable(), rateLimited(), retryable(), retryable(), retryable());
    const w = worker(sender);
    for (let i = 0; i < 6; i++) {
      await w.drainOnce();
      clock.advance(RETRY.capMs);
    }
    expect(await row("msg:0")).toMatchObject({ status: "dead", attempts: RETRY.maxAttempts });
    expect(sender.calls).toHaveLength(RETRY.maxAttempts);
  });

  it("does not retry a permanent failure", async () => {
    await queue(1);
    const sender = new RecordingSender("console", clock).then(permanent());
    expect((await worker(sender).drainOnce()).dead).toBe(1);
    clock.advance(RETRY.capMs);
    await worker(sender).drainOnce();
    expect(await row("msg:0")).toMatchObject({ status: "dead", attempts: 1 });
    expect(sender.calls).toHaveLength(1);
  });

  it("re-sends rows left in `sending` by a crash, in order, with the same keys, only once their lease has expired", async () => {
    await queue(2);
    await db.outboxMessage.create({ data: { idempotencyKey: "other:0", platform: "console", recipient: "sun", payload: '{"kind":"text","text":"x"}', notBefore: T0 } });
    const crashed = new RecordingSender("console", clock).then("hang");
    const dying = worker(crashed, { workerId: "dying", leaseMs: 60_000, concurrency: 1, batchSize: 2 });
    void dying.drainOnce();
    await crashed.untilCalls(1);
    // The dying worker claimed its round (both of zhao's rows) and hangs on the first send.
    expect(await row("msg:0")).toMatchObject({ status: "sending", claimedBy: "dying", attempts: 1 });
    expect(await row("msg:1")).toMatchObject({ status: "sending", claimedBy: "dying", attempts: 1 });

    const survivor = new RecordingSender("console", clock);
    const next = worker(survivor, { workerId: "survivor", leaseMs: 60_000 });
    await next.drainOnce();
    // Within the lease its rows are still the other worker's; another recipient is not held up.
    expect(survivor.calls.map((c) => c.key)).toEqual(["other:0"]);

    clock.advance(60_001);
    expect((await next.drainOnce()).reclaimed).toBe(2);
    expect(survivor.delivered.map((c) => c.key)).toEqual(["other:0", "msg:0", "msg:1"]);
    expect(await row("msg:0")).toMatchObject({ status: "sent", attempts: 2, claimedBy: "survivor" });

    // The presumed-dead worker wakes up: its late outcomes must not overwrite the survivor's.
    crashed.release({ ok: false, kind: "permanent", message: "late" });
    await dying.idle();
    // Past half its lease it sends nothing more of its round: msg:1 went once, from the survivor.
    expect(crashed.calls).toHaveLength(1);
    expect(await row("msg:0")).toMatchObject({ status: "sent", lastError: null });
    const all = await db.outboxMessage.findMany();
    expect(all.every((r) => r.status === "sent")).toBe(true);
  });

  it("marks what it sent in batches of 25 while a round goes on, so a worker dying mid-round re-sends at most 25", async () => {
    await queue(30);
    const sender = new RecordingSender("console", clock).then(...Array.from({ length: 26 }, () => ({ ok: true as const })), "hang");
    const dying = worker(sender, { workerId: "dying" });
    void dying.drainOnce();
    await sender.untilCalls(27);
    expect(await db.outboxMessage.count({ where: { status: "sent" } })).toBe(25);
    expect(await db.outboxMessage.count({ where: { status: "sending", claimedBy: "dying" } })).toBe(5);
    sender.release();
    await dying.idle();
    expect(await db.outboxMessage.count({ where: { status: "sent", attempts: 1 } })).toBe(30);
  });

  it("lets two processes drain the same queue without sending any row twice", async () => {
    // On SQLite its own file, which both children open by path. On PostgreSQL (the second CI pass) a
    // fresh database both children share, as instances would.
    const dir = mkdtempSync(path.join(tmpdir(), "outbox-two-processes-"));
    let shared = `file:${path.join(dir, "shared.db")}`;
    let sharedDb: Db;
    if (testProvider === "postgresql") ({ db: sharedDb, url: shared } = await freshDb("outbox-two"));
    else {
      migrateSqlite(shared);
      sharedDb = await createDb(shared);
    }
    try {
      for (let i = 0; i < 150; i++) {
        await sharedDb.outboxMessage.create({ data: { idempotencyKey: `two:${i}`, platform: "console", recipient: "zhao", payload: '{"kind":"text","text":"x"}', notBefore: T0 } });
      }
      const [a, b] = await Promise.all([drainInChild(shared, "a"), drainInChild(shared, "b")]);
      expect(a.length + b.length).toBe(150);
      expect(new Set([...a, ...b]).size).toBe(150);
      expect(await sharedDb.outboxMessage.count({ where: { status: "sent", attempts: 1 } })).toBe(150);
    } finally {
      await sharedDb.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("leaves rows for a platform it has no sender for, and never sends rows with no recipient", async () => {
    await db.outboxMessage.create({ data: { idempotencyKey: "wecom:1", platform: "wecom", recipient: "zhao", payload: '{"kind":"text","text":"x"}', notBefore: T0 } });
    await db.$transaction((tx) => enqueue(tx, 999_999, { kind: "text", text: "无人可达" }, { key: "nobody", now: T0 }));
    const sender = new RecordingSender("console", clock);
    await worker(sender).drainOnce();
    expect(sender.calls).toHaveLength(0);
    expect(await row("wecom:1")).toMatchObject({ status: "pending", attempts: 0 });
    expect(await row("nobody")).toMatchObject({ status: "dead", lastError: "user has no platform identity" });
  });

  it("gives up on a payload it cannot read", async () => {
    await db.outboxMessage.create({ data: { idempotencyKey: "broken", platform: "console", recipient: "zhao", payload: "{not json", notBefore: T0 } });
    await worker(new RecordingSender("console", clock)).drainOnce();
    expect(await row("broken")).toMatchObject({ status: "dead", lastError: "permanent payload: payload is not valid JSON" });
  });

  it("delivers through the console sender as the terminal shows it", async () => {
    await queue(1);
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => (text += c.toString()));
    await new OutboxWorker({ db, senders: [new ConsoleSender(out)], clock, log }).drainOnce();
    expect(text).toBe("〔推送 → zhao｜msg:0〕\n第 0 条\n\n");
  });
});

/** Two instances means two processes: each has its own connection, as in production. */
async function drainInChild(dbUrl: string, workerId: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/outbox/drain-process.ts", dbUrl, workerId], { timeout: 50_000 });
  return JSON.parse(stdout) as string[];
}
