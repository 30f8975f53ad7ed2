import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWecomSimulator } from "../../simulators/wecom/server.js";
import { createWecomSender } from "../../src/channels/wecom/index.js";
import { loadSettings } from "../../src/config/settings.js";
import { FixedClock } from "../../src/infra/clock.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { available, type Bucket, PLATFORM_LIMITS, readBuckets, refill, SharedPace, spend } from "../../src/outbox/rate-limit.js";
import { OutboxWorker } from "../../src/outbox/worker.js";
import { freshDb } from "../helpers/db.js";
import { RecordingSender } from "./recording-sender.js";

const log = createLogger("silent");
const T0 = new Date("2026-03-24T01:00:00Z");

/** The most sends in any window of `windowMs`, from the recorded send times. */
function peak(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** The bucket arithmetic alone, one scope: takes a token when every bucket has one. */
function scope(platform: string, clock: FixedClock) {
  const specs = PLATFORM_LIMITS[platform];
  let buckets: Bucket[] = readBuckets(undefined, specs, clock.now().getTime());
  return () => {
    buckets = refill(buckets, specs, clock.now().getTime());
    if (available(buckets) < 1) return false;
    buckets = spend(buckets, 1);
    return true;
  };
}

describe("pacing per platform (platforms.md)", () => {
  it("keeps WeCom under 30 a minute and 1,000 an hour to one member", () => {
    const clock = new FixedClock(T0);
    const take = scope("wecom", clock);
    const times: number[] = [];
    for (let s = 0; s < 2 * 3600; s++) {
      while (take()) times.push(clock.now().getTime());
      clock.advance(1_000);
    }
    expect(peak(times, 60_000)).toBeLessThanOrEqual(30);
    expect(peak(times, 3_600_000)).toBeLessThanOrEqual(1_000);
    // Pacing, not starving: close to the hourly allowance gets through.
    expect(peak(times, 3_600_000)).toBeGreaterThanOrEqual(900);
  });

  it("keeps DingTalk under 20 requests a second for the whole app", () => {
    const clock = new FixedClock(T0);
    const take = scope("dingtalk", clock);
    const times: number[] = [];
    for (let ms = 0; ms < 10_000; ms += 10) {
      while (take()) times.push(clock.now().getTime());
      clock.advance(10);
    }
    expect(peak(times, 1_000)).toBeLessThanOrEqual(20);
    expect(times.length).toBeGreaterThan(90);
  });
});

describe("the shared buckets (OutboxPace)", () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await freshDb("outbox-pace"));
  });
  afterAll(() => db.$disconnect());

  it("paces WeCom per member: another member is not held up", async () => {
    const pace = new SharedPace(db, new FixedClock(T0));
    expect(await pace.take("wecom", new Map([["zhao", 50]]))).toEqual(new Map([["zhao", 10]]));
    expect(await pace.take("wecom", new Map([["zhao", 1], ["sun", 1]]))).toEqual(new Map([["zhao", 0], ["sun", 1]]));
  });

  it("shares one app-wide DingTalk bucket among recipients, first come first served", async () => {
    const pace = new SharedPace(db, new FixedClock(T0));
    expect(await pace.take("dingtalk", new Map([["a", 6], ["b", 6]]))).toEqual(new Map([["a", 6], ["b", 4]]));
  });

  it("does not limit the console", async () => {
    const pace = new SharedPace(db, new FixedClock(T0));
    expect(await pace.take("console", new Map([["zhao", 10_000]]))).toEqual(new Map([["zhao", 10_000]]));
  });

  it("grants nothing on a scope another worker changed since it was read, and refunds what went unused", async () => {
    const clock = new FixedClock(T0);
    const [a, b] = [new SharedPace(db, clock), new SharedPace(db, clock)];
    const both = await Promise.all([a.take("wecom", new Map([["li", 10]])), b.take("wecom", new Map([["li", 10]]))]);
    expect(both.map((g) => g.get("li")).sort()).toEqual([0, 10]);
    await a.refund("wecom", new Map([["li", 4]]));
    expect(await b.take("wecom", new Map([["li", 10]]))).toEqual(new Map([["li", 4]]));
  });
});

describe("the worker under pacing", () => {
  let db: Db;
  let url: string;
  beforeAll(async () => {
    ({ db, url } = await freshDb("outbox-pacing"));
  });
  afterAll(() => db.$disconnect());

  it("holds back a member's excess WeCom pushes and delivers them all later, in order", async () => {
    const clock = new FixedClock(T0);
    for (let i = 0; i < 45; i++) {
      await db.outboxMessage.create({ data: { idempotencyKey: `wecom:${i}`, platform: "wecom", recipient: "zhao", payload: JSON.stringify({ kind: "text", text: `${i}` }), notBefore: T0 } });
    }
    await db.outboxMessage.create({ data: { idempotencyKey: "wecom:other", platform: "wecom", recipient: "sun", payload: '{"kind":"text","text":"x"}', notBefore: T0 } });
    const sender = new RecordingSender("wecom", clock);
    const worker = new OutboxWorker({ db, senders: [sender], clock, log });
    const first = await worker.drainOnce();
    expect(first.sent).toBe(11);
    expect(first.deferred).toBe(35);
    expect(sender.delivered.some((c) => c.recipient === "sun")).toBe(true);
    for (let t = 0; t < 180 && (await db.outboxMessage.count({ where: { status: "pending" } })) > 0; t++) {
      clock.advance(10_000);
      await worker.drainOnce();
    }
    const zhao = sender.delivered.filter((c) => c.recipient === "zhao");
    expect(zhao.map((c) => c.key)).toEqual(Array.from({ length: 45 }, (_, i) => `wecom:${i}`));
    expect(peak(zhao.map((c) => c.at), 60_000)).toBeLessThanOrEqual(30);
    expect(sender.calls).toHaveLength(46);
  });

  it("two workers on two connections to one database stay within 30 a minute to one WeCom member together", async () => {
    await db.outboxMessage.deleteMany();
    const clock = new FixedClock(new Date("2026-03-25T01:00:00Z"));
    const sim = await startWecomSimulator({ now: () => clock.now().getTime() });
    const settings = loadSettings({ ...sim.env(), LOG_LEVEL: "silent" });
    const other = await createDb(url);
    try {
      for (let i = 0; i < 100; i++) {
        await db.outboxMessage.create({ data: { idempotencyKey: `two:${i}`, platform: "wecom", recipient: "wangfang", payload: JSON.stringify({ kind: "text", text: `通知 ${i}` }), notBefore: clock.now() } });
      }
      const workers = [db, other].map((d, i) => new OutboxWorker({ db: d, senders: [createWecomSender({ settings, clock, log })], clock, log, workerId: `w${i}` }));
      for (let s = 0; s < 600 && (await db.outboxMessage.count({ where: { status: { not: "sent" } } })) > 0; s++) {
        await Promise.all(workers.map((w) => w.drainOnce()));
        clock.advance(1_000);
      }
      const sends = sim.sent("message/send").filter((r) => !r.fault);
      expect(sends).toHaveLength(100);
      expect(peak(sends.map((r) => r.at), 60_000)).toBeLessThanOrEqual(30);
      expect(sim.dropped).toHaveLength(0);
      expect(sim.screen("wangfang")).toHaveLength(100);
      expect(await db.outboxMessage.count({ where: { status: "sent", attempts: 1 } })).toBe(100);
    } finally {
      await other.$disconnect();
      await sim.close();
    }
  }, 60_000);
});
