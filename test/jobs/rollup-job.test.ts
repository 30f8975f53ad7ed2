import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobDeps } from "../../src/jobs/deps.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import { loadSettings } from "../../src/config/settings.js";
import { createLogger } from "../../src/infra/logger.js";
import { demoProvince } from "../helpers/province.js";

/** The scheduled who-has-not-reported roll-up (issue 10), on the demo province. */
let p: Awaited<ReturnType<typeof demoProvince>>;
let deps: ReturnType<typeof createJobDeps>;
beforeAll(async () => {
  p = await demoProvince("rollup-job");
  deps = createJobDeps({ db: p.db, settings: loadSettings({ NODE_ENV: "test" }), clock: p.clock, log: createLogger("silent") });
});
afterAll(() => p.db.$disconnect());

describe("the roll-up job", () => {
  it("does nothing on a day that is not a roll-up day", async () => {
    p.clock.set(new Date("2026-11-02T01:30:00Z"));
    expect(await runNamedJob(deps, "rollups")).toMatchObject({ status: "succeeded", summary: { windows: [], queued: 0 } });
  });

  it("sends each officer the agency's roll-up with a reminder card, and the office the province, once", async () => {
    // 4 Nov 2026 is the third working day of November: October's window is rolled up.
    p.clock.set(new Date("2026-11-04T01:30:00Z"));
    const outcome = await runNamedJob(deps, "rollups");
    expect(outcome).toMatchObject({ status: "succeeded", summary: { windows: ["2026-10"] } });
    const rows = await p.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "rollup:2026-10:" } } });
    const summaries = rows.filter((r) => r.idempotencyKey.endsWith(":summary"));
    expect(summaries.map((r) => r.recipient).sort()).toEqual(["fgw_officer", "jyt_officer", "nyt_officer", "swj_officer"]);
    const fgw = JSON.parse(summaries.find((r) => r.recipient === "fgw_officer")!.payload);
    expect(fgw.text).toMatch(/本期应报 \d+ 项，已报 \d+ 项/);
    expect(rows.filter((r) => r.idempotencyKey.endsWith(":card"))).toHaveLength(4);
    expect(rows.filter((r) => r.idempotencyKey.includes(":province:")).map((r) => r.recipient).sort()).toEqual(["mbb_li", "mbb_zhang"]);
    expect(await runNamedJob(deps, "rollups")).toMatchObject({ status: "already-succeeded" });
    expect(await p.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "rollup:" } } })).toBe(rows.length);
  });
});
