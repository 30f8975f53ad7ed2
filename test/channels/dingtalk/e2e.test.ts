import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDingtalkChannel } from "../../../src/channels/dingtalk/channel.js";
import { seedDemoProvince } from "../../../src/demo/seed.js";
import type { FixedClock } from "../../../src/infra/clock.js";
import type { Db } from "../../../src/infra/db.js";
import { createLogger } from "../../../src/infra/logger.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../../simulators/dingtalk/server.js";
import { freshDb } from "../../helpers/db.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { settingsFor } from "./harness.js";

function simEnv(sim: DingtalkSimulator): Record<string, string> {
  return { DINGTALK_APP_KEY: sim.appKey, DINGTALK_APP_SECRET: sim.appSecret, DINGTALK_ROBOT_CODE: sim.robotCode, DINGTALK_API_BASE: sim.apiBase, DINGTALK_OAPI_BASE: sim.oapiBase };
}

/**
 * End to end: signed DingTalk callbacks from the simulator → the real app (createApp: error boundary,
 * DingTalk routes, conversation core) on a seeded SQLite province → replies as the simulator received
 * them.
 */
const clock0 = new Date("2026-11-20T02:00:00Z");
let sim: DingtalkSimulator;
let app: TestApp;
let db: Db;
let clock: FixedClock;
const tasks = { drain: () => app.app.channels.drain() };

beforeAll(async () => {
  // The simulator signs with the app's clock, so stale-timestamp checks agree.
  sim = await startDingtalkSimulator({ clock: { now: () => app?.clock.now() ?? clock0 } });
  const seeded = await freshDb("dingtalk-e2e");
  await seedDemoProvince(seeded.db, { now: clock0, platformIdentities: ["dingtalk"] });
  const cards = { DINGTALK_CARD_TEMPLATE_ID: "tpl-jxmb.schema", DINGTALK_CARD_ROUTE_KEY: "jxmb" };
  app = await startTestApp({ db: seeded, now: clock0, env: { ...simEnv(sim), ...cards } });
  ({ db, clock } = app);
  sim.setBotUrl(app.url);
  // What the app does once at start (Channels.start): point the card route at us, signed with the app secret.
  const settings = settingsFor(sim, cards);
  const { api } = createDingtalkChannel(settings, { clock, log: createLogger("silent") });
  await api.registerCardCallback({ callbackRouteKey: "jxmb", callbackUrl: `${app.url}/dingtalk/card`, apiSecret: settings.DINGTALK_APP_SECRET! });
});
afterAll(async () => {
  await app.close();
  await sim.close();
});
beforeEach(() => sim.resetRecords());

/** What one user saw, as text (session replies and API messages alike). */
const screen = (staffId: string) => sim.inbox(staffId).map((m) => String(m.param.content ?? m.param.text ?? ""));
const reports = (code: string) => db.progressReport.count({ where: { target: { code } } });

describe("DingTalk end to end", () => {
  it("records a progress report sent as text and answers in the same chat", async () => {
    const before = await reports("FGW-01");
    const res = await sim.sendText("fgw_zhao", "汇报 FGW-01 90 第四季度总结材料已完成初稿", { msgId: "msg-e2e-1" });
    await tasks.drain();
    expect(res.status).toBe(200);
    expect(await reports("FGW-01")).toBe(before + 1);
    expect(sim.inbox("fgw_zhao")).toEqual([expect.objectContaining({ via: "session" })]);
    expect(screen("fgw_zhao")[0]).toContain("已记入台账：FGW-01");
  });

  it("changes nothing when DingTalk delivers the same msgId again", async () => {
    const first = await sim.sendText("fgw_zhao", "汇报 FGW-05 85 已完成迎峰度冬保供预案", { msgId: "msg-e2e-retry" });
    await tasks.drain();
    const after = await reports("FGW-05");
    const events = await db.inboundEvent.count();
    const again = await sim.replay(first.record);
    await tasks.drain();
    expect(again.status).toBe(200);
    expect(await reports("FGW-05")).toBe(after);
    expect(await db.inboundEvent.count()).toBe(events);
  });

  it("reports by card: pick a percentage, submit, then give the note by text", async () => {
    await sim.sendText("fgw_zhao", "目标 FGW-09");
    await tasks.drain();
    const created = sim.requests.find((r) => r.route === "createAndDeliver");
    expect(created).toBeDefined();
    const key = (created!.body as { outTrackId: string }).outTrackId;
    expect(sim.cards.get(key)!.space).toEqual({ type: "IM_ROBOT", id: "fgw_zhao" });

    const click = await sim.clickCard("fgw_zhao", key, "submit", { progress: "90" });
    await tasks.drain();
    expect(click.status).toBe(200);
    expect(click.record.durationMs).toBeLessThan(2000);
    expect(sim.cards.get(key)!.privateData.fgw_zhao).toMatchObject({ submitted: "true", status: "已提交：提交进度" });
    expect(screen("fgw_zhao").at(-1)).toContain("请简要说明目标 FGW-09 本期进展（进度 90%）");

    const before = await reports("FGW-09");
    await sim.sendText("fgw_zhao", "基层党组织标准化建设年度验收完成");
    await tasks.drain();
    expect(screen("fgw_zhao").at(-1)).toContain("已记入台账：FGW-09");
    expect(await reports("FGW-09")).toBe(before + 1);

    // DingTalk disables the buttons; a forced second click is refused by the core.
    await expect(sim.clickCard("fgw_zhao", key, "submit", { progress: "90" })).rejects.toThrow(/already submitted/);
    await sim.clickCard("fgw_zhao", key, "submit", { progress: "95" }, { force: true });
    await tasks.drain();
    expect(screen("fgw_zhao").at(-1)).toContain("不能重复提交");
  });

  it("answers in a group only when @-mentioned", async () => {
    await sim.sendText("fgw_sun", "我的目标", { group: true, atBot: false, conversationId: "cidFgwGroup==" });
    await tasks.drain();
    expect(sim.groupChat("cidFgwGroup==")).toEqual([]);

    await sim.sendText("fgw_sun", "我的目标", { group: true, conversationId: "cidFgwGroup==" });
    await tasks.drain();
    // The list itself goes to the asker's 1:1 chat; the group only learns that it was sent.
    const [note] = sim.groupChat("cidFgwGroup==");
    expect(String(note.param.content ?? note.param.text)).toContain("已通过机器人单聊发给您");
    expect(String(note.param.content ?? note.param.text)).not.toContain("FGW-");
    expect(note.param.at).toEqual({ atUserIds: ["fgw_sun"], isAtAll: false });
    const privately = sim.inbox("fgw_sun").filter((m) => m.via === "oto").map((m) => JSON.stringify(m.param)).join("");
    expect(privately).toContain("我负责的目标");

    // Short plain answers (here a refusal with the right form) may stay in the group.
    await sim.sendText("fgw_sun", "汇报 FGW-02 120 超额", { group: true, conversationId: "cidFgwGroup==" });
    await tasks.drain();
    expect(sim.groupChat("cidFgwGroup==").map((m) => String(m.param.content ?? m.param.text)).join("")).toContain("不能超过 100%");
  });

  it("refuses a forged signature and a stale timestamp without touching the database", async () => {
    const before = await db.inboundEvent.count();
    const reportsBefore = await reports("FGW-07");
    const forged = await sim.sendText("fgw_zhao", "汇报 FGW-07 99 伪造的汇报", { badSign: true });
    const stale = await sim.sendText("fgw_zhao", "汇报 FGW-07 99 过期的汇报", { skewMs: 61 * 60 * 1000 });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(await db.inboundEvent.count()).toBe(before);
    expect(await reports("FGW-07")).toBe(reportsBefore);
    expect(sim.messages).toEqual([]);
  });
});
