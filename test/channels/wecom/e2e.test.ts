import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoProvince } from "../../../src/demo/seed.js";
import type { FixedClock } from "../../../src/infra/clock.js";
import type { Db } from "../../../src/infra/db.js";
import { startWecomSimulator, type WecomSimulator } from "../../../simulators/wecom/server.js";
import { startTestApp } from "../../helpers/app.js";
import { freshDb } from "../../helpers/db.js";
import { DEMO_NOW } from "../../helpers/province.js";

/**
 * A staff member of 省发展改革委 reports progress from WeCom: the simulator plays WeCom and the member,
 * the real app (core, SQLite, receiver, API client) plays the bot. Signed, encrypted callbacks, real
 * HTTP both ways; assertions on the database and on what the member's phone shows.
 */

let sim: WecomSimulator;
let bot: { url: string; db: Db; clock: FixedClock; close(): Promise<void> };
let clockRef: FixedClock | undefined;

const STAFF = "fgw_zhao";
const reportsOf = (code: string) => bot.db.progressReport.count({ where: { target: { code } } });
const inboundCount = () => bot.db.inboundEvent.count();

beforeAll(async () => {
  sim = await startWecomSimulator({ now: () => (clockRef?.now() ?? DEMO_NOW).getTime() });
  bot = await startBot(sim);
  clockRef = bot.clock;
  sim.setCallbackUrl(`${bot.url}/wecom/callback`);
});
afterAll(async () => {
  await bot?.close();
  await sim?.close();
});

describe("WeCom end to end: a staff member reports progress", () => {
  it("passes WeCom's URL verification", async () => {
    expect(await sim.verifyUrl()).toMatchObject({ ok: true });
  });

  it("records a one-line 汇报 command and answers in the same HTTP exchange", async () => {
    const before = await reportsOf("FGW-01");
    const r = await sim.sendText(STAFF, "汇报 FGW-01 90 第四季度总结材料已完成初稿", { msgId: "6000000000000000001" });
    expect(r.attempts).toHaveLength(1);
    expect(r.reply).toMatchObject({ msgType: "text", content: expect.stringContaining("已记入台账：FGW-01") });
    expect(await reportsOf("FGW-01")).toBe(before + 1);
    const report = await bot.db.progressReport.findFirstOrThrow({ where: { target: { code: "FGW-01" } }, orderBy: { id: "desc" } });
    expect(report).toMatchObject({ progress: 90, channel: "wecom" });
  });

  it("changes nothing when WeCom re-sends the same MsgId, and answers the same", async () => {
    const before = await reportsOf("FGW-01");
    const events = await inboundCount();
    const r = await sim.sendText(STAFF, "汇报 FGW-01 90 第四季度总结材料已完成初稿", { msgId: "6000000000000000001" });
    expect(r.reply).toMatchObject({ content: expect.stringContaining("已记入台账：FGW-01") });
    expect(await reportsOf("FGW-01")).toBe(before);
    expect(await inboundCount()).toBe(events);
  });

  it("reports through the card: target → card → choose 90% → note → recorded", async () => {
    const before = await reportsOf("FGW-05");
    const shown = await sim.sendText(STAFF, "目标 FGW-05");
    expect(shown.reply).toMatchObject({ msgType: "text", content: expect.stringContaining("FGW-05") });
    await sim.waitFor(() => [...sim.cards.keys()].some((k) => k.startsWith("report-")));
    const card = [...sim.cards.values()].find((c) => c.taskId.startsWith("report-"))!;
    expect(card.cardType).toBe("multiple_interaction");
    expect(sim.screen(STAFF).some((i) => i.via === "api" && i.taskId === card.taskId)).toBe(true);

    const clicked = await sim.clickCard(STAFF, card.taskId, "submit", { progress: "90" });
    // The clicked button greys out in the same answer; the question for the note follows by API.
    expect(clicked.reply).toMatchObject({ msgType: "update_button", replaceName: expect.stringContaining("已提交") });
    await sim.waitFor(() => sim.screen(STAFF).some((i) => i.via === "api" && (i.content ?? "").includes("请简要说明目标 FGW-05")));
    await expect(sim.clickCard(STAFF, card.taskId, "submit", { progress: "90" })).rejects.toThrow(/already handled/);

    const noted = await sim.sendText(STAFF, "已完成迎峰度冬保供预案修订并报省政府审定");
    expect(noted.reply).toMatchObject({ content: expect.stringContaining("已记入台账：FGW-05") });
    expect(await reportsOf("FGW-05")).toBe(before + 1);
    const report = await bot.db.progressReport.findFirstOrThrow({ where: { target: { code: "FGW-05" } }, orderBy: { id: "desc" } });
    expect(report).toMatchObject({ progress: 90, channel: "wecom" });
  });

  it("refuses a forged signature before anything reaches the database", async () => {
    const events = await inboundCount();
    const r = await sim.sendText(STAFF, "汇报 FGW-01 95 伪造的汇报", { forge: { badSignature: true } });
    expect(r.attempts.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(await inboundCount()).toBe(events);
  });

  it("keeps sending after WeCom expires the access token (refresh once, retry)", async () => {
    sim.expireTokens();
    const tokensBefore = sim.issuedTokens();
    await sim.sendText(STAFF, "目标 FGW-03");
    await sim.waitFor(() => sim.sent("message/send").some((r) => (r.response as { errcode: number }).errcode === 42001));
    await sim.waitFor(() => sim.sent("message/send").at(-1)?.status === 200 && (sim.sent("message/send").at(-1)?.response as { errcode: number }).errcode === 0);
    expect(sim.issuedTokens()).toBe(tokensBefore + 1);
  });

  it("tells a member whose WeCom account is not registered how to get access", async () => {
    const r = await sim.sendText("stranger", "帮助");
    expect(r.reply).toMatchObject({ content: expect.stringContaining("尚未在目标绩效管理系统中登记") });
  });
});

/**
 * The real app when src/channels/index.ts mounts WeCom; until then the same pieces composed here
 * (real core and database, the WeCom receiver and API client), so this test runs either way.
 */
async function startBot(s: WecomSimulator): Promise<typeof bot> {
  const seeded = await freshDb("wecom-e2e");
  await seedDemoProvince(seeded.db, { now: DEMO_NOW, platformIdentities: ["console", "wecom"] });
  const app = await startTestApp({ env: s.env(), now: DEMO_NOW, db: seeded });
  return { url: app.url, db: app.db, clock: app.clock, close: () => app.close() };
}
