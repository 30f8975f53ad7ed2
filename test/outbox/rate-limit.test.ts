import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { RateLimiter } from "../../src/outbox/rate-limit.js";
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

describe("pacing per platform (platforms.md)", () => {
  it("keeps WeCom under 30 a minute and 1,000 an hour to one member", () => {
    const clock = new FixedClock(T0);
    const limiter = new RateLimiter(clock);
    const times: number[] = [];
    for (let s = 0; s < 2 * 3600; s++) {
      while (limiter.tryTake("wecom", "zhao")) times.push(clock.now().getTime());
      clock.advance(1_000);
    }
    expect(peak(times, 60_000)).toBeLessThanOrEqual(30);
    expect(peak(times, 3_600_000)).toBeLessThanOrEqual(1_000);
    // Pacing, not starving: close to the hourly allowance gets through.
    expect(peak(times, 3_600_000)).toBeGreaterThanOrEqual(900);
  });

  it("paces WeCom per member: another member is not held up", () => {
    const limiter = new RateLimiter(new FixedClock(T0));
    while (limiter.tryTake("wecom", "zhao"));
    expect(limiter.tryTake("wecom", "sun")).toBe(true);
  });

  it("keeps DingTalk under 20 requests a second for the whole app", () => {
    const clock = new FixedClock(T0);
    const limiter = new RateLimiter(clock);
    const times: number[] = [];
    for (let ms = 0; ms < 10_000; ms += 10) {
      while (limiter.tryTake("dingtalk", `user${ms % 7}`)) times.push(clock.now().getTime());
      clock.advance(10);
    }
    expect(peak(times, 1_000)).toBeLessThanOrEqual(20);
    expect(times.length).toBeGreaterThan(90);
  });

  it("does not limit the console", () => {
    const limiter = new RateLimiter(new FixedClock(T0));
    for (let i = 0; i < 10_000; i++) expect(limiter.tryTake("console", "zhao")).toBe(true);
  });
});

describe("the worker under pacing", () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await freshDb("outbox-pacing"));
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
    expect(first.deferred).toBe(1);
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
});
