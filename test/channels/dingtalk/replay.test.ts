import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../../src/demo/seed.js";
import type { Db } from "../../../src/infra/db.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../../simulators/dingtalk/server.js";
import { signCardCallback, signRobotMessage } from "../../../simulators/dingtalk/sign.js";
import { freshDb } from "../../helpers/db.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";

/**
 * Issue 14 §2: DingTalk signs only the timestamp, so a captured header pair must not carry another
 * body. The real app on a seeded province; requests hand-made where DingTalk itself would never send them.
 */
const clock0 = new Date("2026-11-20T02:00:00Z");
let sim: DingtalkSimulator;
let app: TestApp;
let db: Db;

beforeAll(async () => {
  sim = await startDingtalkSimulator({ clock: { now: () => app?.clock.now() ?? clock0 } });
  const seeded = await freshDb("dingtalk-replay");
  await seedDemoProvince(seeded.db, { now: clock0, platformIdentities: ["dingtalk"] });
  app = await startTestApp({
    db: seeded,
    now: clock0,
    env: {
      DINGTALK_APP_KEY: sim.appKey,
      DINGTALK_APP_SECRET: sim.appSecret,
      DINGTALK_ROBOT_CODE: sim.robotCode,
      DINGTALK_CORP_ID: sim.corpId,
      DINGTALK_API_BASE: sim.apiBase,
      DINGTALK_OAPI_BASE: sim.oapiBase,
    },
  });
  db = app.db;
  sim.setBotUrl(app.url);
});
afterAll(async () => {
  await app.close();
  await sim.close();
});

const post = (path: string, headers: Record<string, string>, body: string) =>
  fetch(`${app.url}${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
const reports = () => db.progressReport.count({ where: { note: { contains: "重放" } } });

describe("DingTalk robot callback: a captured header pair", () => {
  it("is refused with another body, so a forged report never reaches the ledger", async () => {
    const first = await sim.sendText("fgw_zhao", "汇报 FGW-01 60 正常推进", { msgId: "replay-1" });
    expect(first.status).toBe(200);
    const forged = { ...first.record.payload, msgId: "replay-2", senderStaffId: "fgw_head", text: { content: "汇报 FGW-01 99 重放伪造" } };
    const res = await post("/dingtalk/callback", first.record.headers, JSON.stringify(forged));
    expect(res.status).toBe(401);
    expect(await reports()).toBe(0);
  });

  it("is accepted again with the very same body (a redelivery), which changes nothing", async () => {
    const first = await sim.sendText("fgw_zhao", "汇报 FGW-05 70 重放测试原文", { msgId: "replay-3" });
    await app.app.channels.drain();
    const before = await db.progressReport.count();
    const again = await post("/dingtalk/callback", first.record.headers, first.record.rawBody);
    await app.app.channels.drain();
    expect(again.status).toBe(200);
    expect(await db.progressReport.count()).toBe(before);
  });

  it("refuses a body addressed to another robot or another organisation, even freshly signed", async () => {
    const timestamp = String(app.clock.now().getTime() + 7);
    const headers = { timestamp, sign: signRobotMessage(timestamp, sim.appSecret) };
    const sent = await sim.sendText("fgw_zhao", "汇报 FGW-07 50 重放测试机器人", { msgId: "replay-4" });
    const otherRobot = { ...sent.record.payload, msgId: "replay-5", robotCode: "dingOtherRobot" };
    expect((await post("/dingtalk/callback", headers, JSON.stringify(otherRobot))).status).toBe(403);
    const timestamp2 = String(app.clock.now().getTime() + 9);
    const otherCorp = { ...sent.record.payload, msgId: "replay-6", chatbotCorpId: "dingOtherCorp" };
    expect((await post("/dingtalk/callback", { timestamp: timestamp2, sign: signRobotMessage(timestamp2, sim.appSecret) }, JSON.stringify(otherCorp))).status).toBe(403);
  });
});

describe("DingTalk card callback: a captured header pair", () => {
  it("is refused with another body", async () => {
    const timestamp = String(app.clock.now().getTime() + 11);
    const headers = { "x-ddpaas-signature-timestamp": timestamp, "x-ddpaas-signature": signCardCallback(timestamp, sim.appSecret) };
    const click = (userId: string, action: string) => {
      const content = JSON.stringify({ cardPrivateData: { actionIds: ["b"], params: { action } } });
      return JSON.stringify({ type: "actionCallback", corpId: sim.corpId, userId, outTrackId: "card-replay", content, value: content, spaceType: "IM_ROBOT" });
    };
    expect((await post("/dingtalk/card", headers, click("fgw_zhao", "submit"))).status).toBe(200);
    expect((await post("/dingtalk/card", headers, click("fgw_head", "approve"))).status).toBe(401);
    expect((await post("/dingtalk/card", headers, click("fgw_zhao", "submit"))).status).toBe(200);
  });
});

describe("DingTalk redelivery of one msgId", () => {
  it("is answered once in the chat, however often DingTalk delivers it", async () => {
    const first = await sim.sendText("fgw_zhao", "我的目标", { msgId: "redeliver-1" });
    await app.app.channels.drain();
    const seen = sim.inbox("fgw_zhao").length;
    expect(seen).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await sim.replay(first.record)).status).toBe(200);
    await app.app.channels.drain();
    expect(sim.inbox("fgw_zhao")).toHaveLength(seen);
  });
});
