import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../simulators/dingtalk/server.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { createLogger } from "../../src/infra/logger.js";
import { runNamedJob } from "../../src/jobs/definitions.js";
import { createJobDeps } from "../../src/jobs/deps.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { failInserts, freshDb } from "../helpers/db.js";
import { DEMO_NOW } from "../helpers/province.js";

/**
 * GET /metrics after a scripted conversation through both platform simulators: every figure below
 * is one thing the script did, scraped in the Prometheus text format.
 */
const TOKEN = "metrics-test-token-0123456789";
let wecom: WecomSimulator;
let dingtalk: DingtalkSimulator;
let app: TestApp;

beforeAll(async () => {
  wecom = await startWecomSimulator({ now: () => (app?.clock.now() ?? DEMO_NOW).getTime() });
  dingtalk = await startDingtalkSimulator({ clock: { now: () => app?.clock.now() ?? DEMO_NOW } });
  const seeded = await freshDb("metrics");
  await seedDemoProvince(seeded.db, { now: DEMO_NOW, platformIdentities: ["wecom", "dingtalk"] });
  const dingtalkEnv = {
    DINGTALK_APP_KEY: dingtalk.appKey,
    DINGTALK_APP_SECRET: dingtalk.appSecret,
    DINGTALK_ROBOT_CODE: dingtalk.robotCode,
    DINGTALK_API_BASE: dingtalk.apiBase,
    DINGTALK_OAPI_BASE: dingtalk.oapiBase,
  };
  app = await startTestApp({ db: seeded, now: DEMO_NOW, env: { ...wecom.env(), ...dingtalkEnv, METRICS_TOKEN: TOKEN } });
  wecom.setCallbackUrl(`${app.url}/wecom/callback`);
  dingtalk.setBotUrl(app.url);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await wecom?.close();
  await dingtalk?.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
}

/** The value of one sample, e.g. value(text, 'jxmb_callbacks_total{platform="wecom",outcome="accepted",reason=""}'). */
function value(text: string, sample: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

describe("GET /metrics (Prometheus text format)", () => {
  it("is refused without the METRICS_TOKEN bearer token", async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
  });

  it("is not served at all when METRICS_TOKEN is unset", async () => {
    const plain = await startTestApp({ now: DEMO_NOW });
    try {
      expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it("counts callbacks, commands, outbox sends, job runs and database errors after a scripted conversation", async () => {
    const before = await scrape();
    const cb = (platform: string, outcome: string, reason = "") => `jxmb_callbacks_total{platform="${platform}",outcome="${outcome}",reason="${reason}"}`;
    const delta = (text: string, sample: string) => value(text, sample) - value(before, sample);

    // WeCom: a report, WeCom re-sending it, a forged callback, a card (sent through the outbox).
    const r1 = await wecom.sendText("fgw_zhao", "汇报 FGW-01 90 第四季度总结材料已完成初稿", { msgId: "7100000000000000001" });
    expect(r1.reply).toMatchObject({ content: expect.stringContaining("已记入台账") });
    await wecom.sendText("fgw_zhao", "汇报 FGW-01 90 第四季度总结材料已完成初稿", { msgId: "7100000000000000001" });
    const forged = await wecom.postRaw({ msg_signature: "0".repeat(40), timestamp: String(Math.floor(DEMO_NOW.getTime() / 1000)), nonce: "n1" }, "<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>");
    expect(forged.status).toBe(401);
    await wecom.sendText("fgw_zhao", "目标 FGW-05", { msgId: "7100000000000000002" });
    await wecom.waitFor(() => wecom.screen("fgw_zhao").some((m) => m.via === "api" && m.taskId !== undefined), 5000);
    // Refused and forbidden commands.
    await wecom.sendText("fgw_zhao", "汇报 FGW-99 50 不存在的目标", { msgId: "7100000000000000003" });
    await wecom.sendText("fgw_zhao", "下达 全部", { msgId: "7100000000000000004" });
    // DingTalk: one report.
    const d1 = await dingtalk.sendText("fgw_zhao", "汇报 FGW-05 85 已完成迎峰度冬保供预案", { msgId: "metrics-d1" });
    expect(d1.status).toBe(200);
    await app.app.channels.drain();
    // A database failure while handling a message: the insert of its inbound record is refused.
    const lift = await failInserts(app.db, "InboundEvent", "eventKey", "%7100000000000000005%");
    // Stored nowhere: answered 503 so WeCom delivers it again where the database reports a fault
    // (PostgreSQL's raised exception), or 200 with the apology where it reports a refused row (SQLite's RAISE).
    const failed = await wecom.sendText("fgw_zhao", "汇报 FGW-07 60 数据库故障时的汇报", { msgId: "7100000000000000005", attempts: 1 });
    expect([200, 503]).toContain(failed.status);
    const retryAsked = failed.status === 503 ? 1 : 0;
    await lift();
    // A job run, and two outbox messages waiting: one due two minutes ago (no console sender here), one later.
    const deps = createJobDeps({ db: app.db, settings: app.settings, clock: app.clock, log: createLogger("silent") });
    expect((await runNamedJob(deps, "reminders", "2026-11-20")).status).toBe("succeeded");
    expect((await runNamedJob(deps, "reminders", "2026-11-20")).status).toBe("already-succeeded");
    const now = app.clock.now().getTime();
    await app.db.outboxMessage.createMany({
      data: [
        { idempotencyKey: "metrics:due", platform: "console", recipient: "x", payload: "{}", notBefore: new Date(now - 120_000) },
        { idempotencyKey: "metrics:later", platform: "console", recipient: "x", payload: "{}", notBefore: new Date(now + 3_600_000) },
      ],
    });

    const text = await scrape();
    expect(text).toContain("# TYPE jxmb_callbacks_total counter");
    expect(delta(text, cb("wecom", "accepted"))).toBe(5 - retryAsked);
    expect(delta(text, cb("wecom", "refused", "unavailable"))).toBe(retryAsked);
    expect(delta(text, cb("wecom", "duplicate"))).toBe(1);
    expect(delta(text, cb("wecom", "refused", "signature"))).toBe(1);
    expect(delta(text, cb("dingtalk", "accepted"))).toBe(1);
    expect(delta(text, 'jxmb_reply_latency_seconds_count{platform="wecom"}')).toBe(6 - retryAsked);
    expect(delta(text, 'jxmb_reply_latency_seconds_count{platform="dingtalk"}')).toBe(1);
    // The command itself finished in the database-failure case too; its transaction did not commit.
    expect(delta(text, 'jxmb_commands_total{command="汇报",outcome="ok"}')).toBe(3);
    expect(delta(text, 'jxmb_commands_total{command="汇报",outcome="refused"}')).toBe(1);
    expect(delta(text, 'jxmb_commands_total{command="下达",outcome="forbidden"}')).toBe(1);
    expect(delta(text, 'jxmb_commands_total{command="目标",outcome="ok"}')).toBe(1);
    expect(delta(text, 'jxmb_outbox_sends_total{platform="wecom",result="sent"}')).toBeGreaterThanOrEqual(1);
    expect(delta(text, 'jxmb_job_runs_total{job="reminders",outcome="succeeded"}')).toBe(1);
    expect(delta(text, 'jxmb_job_runs_total{job="reminders",outcome="already-succeeded"}')).toBe(1);
    expect(delta(text, 'jxmb_database_errors_total{where="conversation"}')).toBe(1);
    expect(value(text, 'jxmb_outbox_depth{status="pending"}')).toBeGreaterThanOrEqual(2);
    expect(value(text, "jxmb_outbox_oldest_due_age_seconds")).toBeGreaterThanOrEqual(120);
    expect(text).toContain("jxmb_process_resident_memory_bytes");
  });
});
