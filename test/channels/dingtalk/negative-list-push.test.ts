import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDingtalkChannel } from "../../../src/channels/dingtalk/index.js";
import { seedDemoProvince } from "../../../src/demo/seed.js";
import { FixedClock } from "../../../src/infra/clock.js";
import type { Db } from "../../../src/infra/db.js";
import { createLogger } from "../../../src/infra/logger.js";
import { runNamedJob } from "../../../src/jobs/definitions.js";
import { createJobDeps } from "../../../src/jobs/deps.js";
import { OutboxWorker } from "../../../src/outbox/worker.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../../simulators/dingtalk/server.js";
import { freshDb } from "../../helpers/db.js";
import { settingsFor } from "./harness.js";

/**
 * The quarterly negative list (§2.23) pushed to agency heads on DingTalk: the job queues it, the
 * outbox sends it through the robot's 1:1 batch send, and the simulator shows what each head received.
 */
const clock = new FixedClock(new Date("2026-09-25T02:00:00Z"));
let sim: DingtalkSimulator;
let db: Db;

beforeAll(async () => {
  sim = await startDingtalkSimulator({ clock });
  const fresh = await freshDb("dingtalk-negative-list");
  db = fresh.db;
  await seedDemoProvince(db, { now: clock.now(), platformIdentities: ["dingtalk"] });
});
afterAll(async () => {
  await sim.close();
  await db.$disconnect();
});

describe("a pushed negative list on DingTalk", () => {
  it("reaches every head once, with the entries and the way to appeal", async () => {
    // 9 Oct 2026, 09:00: the first working day after 国庆, Q3 closed.
    clock.set(new Date("2026-10-09T01:00:00Z"));
    const settings = settingsFor(sim, { DATABASE_URL: "file:unused", RULES_DIR: "rules" });
    const log = createLogger("silent");
    const deps = createJobDeps({ db, settings, clock, log });
    expect(await runNamedJob(deps, "negative-list", "2026Q3")).toMatchObject({ status: "succeeded" });
    const { sender } = createDingtalkChannel(settings, { clock, log });
    const worker = new OutboxWorker({ db, senders: [sender], clock, log });
    await worker.drainOnce();

    for (const head of ["fgw_head", "jyt_head", "nyt_head", "swj_head"]) {
      const received = sim.inbox(head);
      const text = received.map((m) => JSON.stringify(m.param)).join("\n");
      expect(received.every((m) => m.via === "oto")).toBe(true);
      expect(text).toContain("2026年第三季度负面清单");
      expect(text).toContain("申诉");
    }
    const fgw = await db.negativeList.findFirstOrThrow({ where: { period: "2026Q3", agency: { code: "FGW" } }, include: { entries: true } });
    const fgwText = sim.inbox("fgw_head").map((m) => JSON.stringify(m.param)).join("\n");
    for (const e of fgw.entries) expect(fgwText).toContain(`${e.seq}. ${e.reason.slice(0, 6)}`);
    expect(fgw.notifiedAt).not.toBeNull();

    // A second run of the job and another drain send nothing more.
    const before = sim.messages.length;
    expect(await runNamedJob(deps, "negative-list", "2026Q3")).toMatchObject({ status: "already-succeeded" });
    await worker.drainOnce();
    expect(sim.messages.length).toBe(before);
    expect(await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "negative-list:2026Q3:" }, status: { not: "sent" } } })).toBe(0);
  });
});
