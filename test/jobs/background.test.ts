import cron from "node-cron";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/infra/clock.js";
import type { Db } from "../../src/infra/db.js";
import { createLogger } from "../../src/infra/logger.js";
import { createBot } from "../../src/bot.js";
import { enqueue } from "../../src/outbox/enqueue.js";
import { freshDb } from "../helpers/db.js";
import { RecordingSender } from "../outbox/recording-sender.js";
import { at, makeAgency, testSettings } from "./province.js";

let db: Db;
let url: string;
const clock = new FixedClock(at("2026-03-24"));

beforeAll(async () => {
  ({ db, url } = await freshDb("background"));
  await makeAgency(db, "FGW", [["zhao", "staff"]]);
});
afterAll(() => db.$disconnect());

async function until(check: () => Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the background (npm start)", () => {
  it("runs the scheduled jobs and the outbox worker on their cron timers, and stops them", async () => {
    const sender = new RecordingSender("console", clock);
    const settings = testSettings(url, { SCHEDULER_ENABLED: "true", CRON_REMINDERS: "* * * * * *", CRON_NEGATIVE_LIST: "0 9 5 1,4,7,10 *", CRON_OUTBOX: "* * * * * *" });
    const bg = createBot(settings, { db, clock, log: createLogger("silent"), senders: [sender] }).startBackground();
    try {
      const zhao = await db.user.findUniqueOrThrow({ where: { account: "zhao" } });
      await db.$transaction((tx) => enqueue(tx, zhao.id, { kind: "text", text: "后台发送" }, { key: "bg:1", now: clock.now() }));
      await until(async () => sender.delivered.length === 1);
      await until(async () => (await db.jobRun.count({ where: { job: "reminders", period: "2026-03-24", status: "succeeded" } })) === 1);
    } finally {
      await bg.stop();
    }
    expect([...cron.getTasks().values()].filter((t) => t.getStatus() !== "destroyed")).toEqual([]);
  });

  it("keeps delivering with the scheduled jobs switched off", async () => {
    const sender = new RecordingSender("console", clock);
    const runsBefore = await db.jobRun.count();
    const bg = createBot(testSettings(url, { CRON_REMINDERS: "* * * * * *", CRON_OUTBOX: "* * * * * *" }), { db, clock, log: createLogger("silent"), senders: [sender] }).startBackground();
    try {
      const zhao = await db.user.findUniqueOrThrow({ where: { account: "zhao" } });
      await db.$transaction((tx) => enqueue(tx, zhao.id, { kind: "text", text: "仍然发送" }, { key: "bg:2", now: clock.now() }));
      await until(async () => sender.delivered.length === 1);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await db.jobRun.count()).toBe(runsBefore);
    } finally {
      await bg.stop();
    }
  });
});
