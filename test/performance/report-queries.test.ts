import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { createDb, type Db } from "../../src/infra/db.js";
import { newQueryCount } from "../../src/infra/query-count.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { freshDb } from "../helpers/db.js";
import { DEMO_NOW } from "../helpers/province.js";

/**
 * The database round trips of the commonest message, a one-line progress report (汇报, §7.3), sent
 * as a signed WeCom callback to the real app: counted at the driver adapter, so the budget holds
 * whatever the machine's speed. Who is speaking and the current cycle come from memory after the
 * first message; the target with its owners and milestones is one statement.
 */
const STAFF = "fgw_zhao";
const count = newQueryCount({ keepSql: true });
let sim: WecomSimulator;
let bot: TestApp;
let db: Db;

beforeAll(async () => {
  sim = await startWecomSimulator({ now: () => (bot?.clock.now() ?? DEMO_NOW).getTime() });
  const seeded = await freshDb("report-queries");
  await seedDemoProvince(seeded.db, { now: DEMO_NOW, platformIdentities: ["wecom"] });
  await seeded.db.$disconnect();
  db = await createDb(seeded.url, { count });
  bot = await startTestApp({ env: sim.env(), now: DEMO_NOW, db: { db, url: seeded.url } });
  sim.setCallbackUrl(`${bot.url}/wecom/callback`);
  // The member's first report reads who they are and the cycle; the budget is for the ones after.
  await sim.sendText(STAFF, "汇报 FGW-05 65 第二批项目已完成招标", { msgId: "7000000000000000001" });
});
afterAll(async () => {
  await bot?.close();
  await sim?.close();
});

describe("a progress report through the WeCom callback", () => {
  it("takes at most 5 round trips: the target, the report, the target's progress, the inbound record, COMMIT", async () => {
    count.reset();
    const r = await sim.sendText(STAFF, "汇报 FGW-05 70 第三批项目已完成招标", { msgId: "7000000000000000002" });
    expect(r.reply).toMatchObject({ msgType: "text", content: expect.stringContaining("已记入台账：FGW-05") });
    expect(count.sql.map((sql) => sql.trim().split(/\s+/)[0])).toEqual(["SELECT", "INSERT", "UPDATE", "INSERT", "COMMIT"]);
    expect(count.statements).toBe(5);
    expect(count.transactions).toBe(1);
  });

  it("answers a retried report whose target has closed since with the first answer, recording nothing", async () => {
    const first = await sim.sendText(STAFF, "汇报 FGW-07 60 年度调研报告已成稿", { msgId: "7000000000000000003" });
    expect(first.reply).toMatchObject({ content: expect.stringContaining("已记入台账：FGW-07") });
    await sim.sendText(STAFF, "汇报 FGW-07 100 年度调研报告已印发", { msgId: "7000000000000000004" });
    const done = await sim.sendText(STAFF, "确认", { msgId: "7000000000000000005" });
    expect(done.reply).toMatchObject({ content: expect.stringContaining("目标已标记为完成") });
    const reports = await db.progressReport.count({ where: { target: { code: "FGW-07" } } });

    const retry = await sim.sendText(STAFF, "汇报 FGW-07 60 年度调研报告已成稿", { msgId: "7000000000000000003" });
    expect(retry.reply).toEqual(first.reply);
    expect(await db.progressReport.count({ where: { target: { code: "FGW-07" } } })).toBe(reports);
  });
});
