import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWecomSender } from "../../../src/channels/wecom/index.js";
import { loadSettings } from "../../../src/config/settings.js";
import { seedDemoProvince } from "../../../src/demo/seed.js";
import { FixedClock } from "../../../src/infra/clock.js";
import type { Db } from "../../../src/infra/db.js";
import { createLogger } from "../../../src/infra/logger.js";
import { runNamedJob } from "../../../src/jobs/definitions.js";
import { createJobDeps } from "../../../src/jobs/deps.js";
import { OutboxWorker } from "../../../src/outbox/worker.js";
import { startWecomSimulator, type WecomSimulator } from "../../../simulators/wecom/server.js";
import { freshDb } from "../../helpers/db.js";

/**
 * The quarterly negative list (§2.23) pushed to agency heads on WeCom: the job queues it, the outbox
 * sends it through the app's message/send API, and the simulator shows what each head received.
 */
const clock = new FixedClock(new Date("2026-09-25T02:00:00Z"));
let sim: WecomSimulator;
let db: Db;

beforeAll(async () => {
  sim = await startWecomSimulator({ now: () => clock.now().getTime() });
  // WeCom sends interactive cards only for an app with a callback URL; no head taps one here.
  sim.setCallbackUrl("http://127.0.0.1:9/wecom/callback");
  const fresh = await freshDb("wecom-negative-list");
  db = fresh.db;
  await seedDemoProvince(db, { now: clock.now(), platformIdentities: ["wecom"] });
});
afterAll(async () => {
  await sim.close();
  await db.$disconnect();
});

/** Everything message/send carried to one member, as text to search. */
const received = (userId: string) =>
  sim
    .sent("message/send")
    .filter((r) => (r.body as { touser?: string }).touser === userId)
    .map((r) => JSON.stringify(r.body));

describe("a pushed negative list on WeCom", () => {
  it("reaches every head once, with the entries and the way to appeal", async () => {
    // 9 Oct 2026, 09:00: the first working day after 国庆, Q3 closed.
    clock.set(new Date("2026-10-09T01:00:00Z"));
    const settings = loadSettings({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: "file:unused", RULES_DIR: "rules", ...sim.env() });
    const log = createLogger("silent");
    const deps = createJobDeps({ db, settings, clock, log });
    expect(await runNamedJob(deps, "negative-list", "2026Q3")).toMatchObject({ status: "succeeded" });
    const worker = new OutboxWorker({ db, senders: [createWecomSender({ settings, clock, log })], clock, log });
    await worker.drainOnce();

    for (const head of ["fgw_head", "jyt_head", "nyt_head", "swj_head"]) {
      const text = received(head).join("\n");
      expect(text).toContain("2026年第三季度负面清单");
      expect(text).toContain("申诉");
      expect(text).toContain("template_card");
    }
    const fgw = await db.negativeList.findFirstOrThrow({ where: { period: "2026Q3", agency: { code: "FGW" } }, include: { entries: true } });
    const fgwText = received("fgw_head").join("\n");
    for (const e of fgw.entries) expect(fgwText).toContain(`${e.seq}. ${e.reason.slice(0, 6)}`);
    expect(fgw.notifiedAt).not.toBeNull();

    // A second run of the job and another drain send nothing more.
    const before = sim.sent("message/send").length;
    expect(await runNamedJob(deps, "negative-list", "2026Q3")).toMatchObject({ status: "already-succeeded" });
    await worker.drainOnce();
    expect(sim.sent("message/send")).toHaveLength(before);
    expect(await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "negative-list:2026Q3:" }, status: { not: "sent" } } })).toBe(0);
  });
});
