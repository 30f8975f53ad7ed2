import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { robotSign } from "../../src/channels/dingtalk/signature.js";
import { seedDemoProvince } from "../../src/demo/seed.js";
import { createLogger } from "../../src/infra/logger.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../simulators/dingtalk/server.js";
import { startWecomSimulator, type WecomSimulator } from "../../simulators/wecom/server.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { checkIntegrity, freshDb } from "../helpers/db.js";
import { DEMO_NOW } from "../helpers/province.js";

/**
 * A bounded fuzz run (DESIGN.md §5) against the live server on loopback: 1,200 generated requests to
 * the WeCom and DingTalk callbacks — mutated commands, injection strings, malformed and hostile XML
 * and JSON, bad and replayed signatures, oversized and binary bodies, unknown event types. The server
 * must never answer 5xx or fall over, and the database must hold exactly the reports it acknowledged.
 */
const SEED = 20261125;
const TOTAL = 1200;

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] };
}
const r = prng(SEED);

const COMMANDS = ["汇报", "目标", "台账", "我的目标", "负面清单", "申诉", "沟通", "帮助", "统计", "查询", "受理", "回复", "汇保", "上报", ""];
const NASTY = [
  "'; DROP TABLE \"ProgressReport\"; --",
  "1 OR 1=1",
  "<script>alert(1)</script>",
  "]]><xml>",
  "${process.env.WECOM_SECRET}",
  "{{7*7}}",
  "../../etc/passwd",
  "\u0000\u0001\u0002",
  "\u202e反转",
  "😀".repeat(50),
  "%s%s%n",
  "-1",
  "1e309",
  "NaN",
  "100%%",
  "ＦＧＷ－０１",
  "FGW-01".repeat(200),
  "啊".repeat(3000),
];
function fuzzText(): string {
  const parts = [r.pick(COMMANDS)];
  for (let i = r.int(4); i > 0; i--) parts.push(r.next() < 0.5 ? r.pick(NASTY) : String.fromCharCode(...Array.from({ length: 1 + r.int(12) }, () => r.int(0x9fff))));
  return parts.join(r.next() < 0.8 ? " " : "");
}

let wecom: WecomSimulator;
let ding: DingtalkSimulator;
let app: TestApp;
const logLines: string[] = [];
const statuses = new Map<number, number>();
let acknowledgedReports = 0;

beforeAll(async () => {
  wecom = await startWecomSimulator({ now: () => DEMO_NOW.getTime() });
  ding = await startDingtalkSimulator({ clock: { now: () => DEMO_NOW } });
  const seeded = await freshDb("fuzz");
  await seedDemoProvince(seeded.db, { now: DEMO_NOW, platformIdentities: ["wecom", "dingtalk"] });
  const sink = new Writable({ write: (chunk, _e, cb) => (logLines.push(String(chunk)), cb()) });
  app = await startTestApp({
    db: seeded,
    now: DEMO_NOW,
    log: createLogger("debug", sink),
    env: {
      ...wecom.env(),
      DINGTALK_APP_KEY: ding.appKey,
      DINGTALK_APP_SECRET: ding.appSecret,
      DINGTALK_ROBOT_CODE: ding.robotCode,
      DINGTALK_API_BASE: ding.apiBase,
      DINGTALK_OAPI_BASE: ding.oapiBase,
    },
  });
  wecom.setCallbackUrl(`${app.url}/wecom/callback`);
  ding.setBotUrl(app.url);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await wecom?.close();
  await ding?.close();
});

const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

async function wecomCase(i: number): Promise<void> {
  const user = r.pick(["fgw_zhao", "fgw_officer", "mbb_zhang", "jyt_he", "nobody"]);
  const kind = r.int(10);
  if (kind <= 3) {
    // A well-formed report now and then, so the ledger check below has something to count.
    const valid = r.next() < 0.3 && user === "fgw_zhao";
    // 80–99%: never a drop of more than 20 points, which asks to confirm first (rules `reporting`).
    const text = valid ? `汇报 FGW-0${r.pick([1, 5, 7, 9])} ${80 + r.int(20)} 第${i}次模糊测试合法汇报` : fuzzText();
    const res = await wecom.sendText(user, text, { msgId: String(7_000_000_000_000_000 + i), attempts: 1 });
    count(res.status);
    if (res.reply && "content" in res.reply && res.reply.content.includes("已记入台账")) acknowledgedReports++;
    if (r.next() < 0.2) count((await wecom.sendText(user, text, { msgId: String(7_000_000_000_000_000 + i), attempts: 1 })).status); // retry
    return;
  }
  if (kind === 4) {
    const innerXml = r.pick([
      `<xml><ToUserName>${wecom.corpId}</ToUserName><FromUserName>${user}</FromUserName><CreateTime>${i}</CreateTime><MsgType>event</MsgType><Event>${r.pick(["no_such_event", "LOCATION", "change_contact", "template_card_menu_event"])}</Event><AgentID>${wecom.agentId}</AgentID></xml>`,
      `<xml><MsgType>${r.pick(["location", "link", "voice", "miniprogram", "???"])}</MsgType><FromUserName>${user}</FromUserName><MsgId>${i}</MsgId></xml>`,
      `<xml><ToUserName>${wecom.corpId}</ToUserName><FromUserName>${user}</FromUserName><MsgType>event</MsgType><Event>template_card_event</Event><TaskId>no-such-card-${i}</TaskId><EventKey>submit</EventKey><CreateTime>${i}</CreateTime></xml>`,
      "<xml><unclosed>",
      "not xml at all",
      `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><xml><Content>&a;</Content></xml>`,
      "",
    ]);
    count((await wecom.sendText(user, "x", { forge: { innerXml }, attempts: 1 })).status);
    return;
  }
  if (kind === 5) {
    const forge = r.pick([{ badSignature: true }, { corpId: "wx0000000000000000" }, { timestampSkewSeconds: -3600 }, { timestampSkewSeconds: 7200 }, { encodingAesKey: "A".repeat(43) }]);
    count((await wecom.sendText(user, "汇报 FGW-01 50 伪造请求", { forge, attempts: 1 })).status);
    return;
  }
  if (kind === 6) {
    const envelope = r.pick([
      (e: string) => `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><Encrypt>${e}</Encrypt><x>&lol2;</x></xml>`,
      (e: string) => `<?xml version="1.0"?><!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml><Encrypt>${e}</Encrypt></xml>`,
      (e: string) => `<xml><Encrypt>${e}`,
      () => "<xml><ToUserName>x</ToUserName></xml>",
      (e: string) => `<xml><Encrypt><![CDATA[${e}]]></Encrypt>${"<a>".repeat(500)}${"</a>".repeat(500)}</xml>`,
    ]);
    count((await wecom.sendText(user, "帮助", { forge: { envelope }, attempts: 1 })).status);
    return;
  }
  if (kind === 7) {
    const body = r.next() < 0.5 ? Buffer.from(Array.from({ length: 200 + r.int(2000) }, () => r.int(256))).toString("latin1") : "<xml>" + "A".repeat(70_000 + r.int(10_000)) + "</xml>";
    const q = { msg_signature: "0".repeat(40), timestamp: String(Math.floor(DEMO_NOW.getTime() / 1000)), nonce: "1" };
    count((await wecom.postRaw(r.next() < 0.5 ? q : {}, body)).status);
    return;
  }
  // Replay: the same signed request again (deduplicated), or its signature on another body (refused).
  const sealed = wecom.seal(`<xml><ToUserName>${wecom.corpId}</ToUserName><FromUserName>${user}</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>帮助</Content><MsgId>${8_000_000 + i}</MsgId><AgentID>${wecom.agentId}</AgentID></xml>`);
  const q = { msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce };
  const envelope = `<xml><ToUserName>${wecom.corpId}</ToUserName><AgentID>${wecom.agentId}</AgentID><Encrypt>${sealed.encrypt}</Encrypt></xml>`;
  count((await wecom.postRaw(q, envelope)).status);
  count((await wecom.postRaw(q, r.next() < 0.5 ? envelope : envelope.replace(sealed.encrypt, wecom.seal("<xml/>").encrypt))).status);
}

async function dingtalkCase(i: number): Promise<void> {
  // Each delivery is signed at its own millisecond, as DingTalk does: one pair on two bodies is a replay.
  const ts = String(DEMO_NOW.getTime() + i + (r.next() < 0.1 ? r.pick([-7_200_000, 7_200_000]) : 0));
  let sign = robotSign(ts, ding.appSecret);
  if (r.next() < 0.1) sign = sign.replace(/^./, (c) => (c === "A" ? "B" : "A"));
  const base = { msgtype: "text", msgId: `fuzz-${i}`, senderStaffId: r.pick(["fgw_zhao", "jyt_he", "", "nobody"]), conversationType: r.pick(["1", "2", "3", 1]), conversationId: "cidFuzz", isInAtList: r.next() < 0.5, robotCode: ding.robotCode, sessionWebhook: `${ding.oapiBase}/robot/sendBySession?session=none`, sessionWebhookExpiredTime: DEMO_NOW.getTime() + 60_000, createAt: DEMO_NOW.getTime() };
  const body = r.pick([
    () => JSON.stringify({ ...base, text: { content: fuzzText() } }),
    () => JSON.stringify({ ...base, msgtype: r.pick(["picture", "audio", "richText", "file", "unknown"]), content: { downloadCode: "x" } }),
    () => JSON.stringify({ ...base, text: "not an object" }),
    () => JSON.stringify([1, 2, 3]),
    () => JSON.stringify({ a: { b: { c: { d: { e: {} } } } } }),
    () => "{\"truncated\": ",
    () => "\u0000\u00ff binary",
    () => JSON.stringify({ ...base, text: { content: "啊".repeat(40_000) } }),
    () => JSON.stringify({ ...base, msgId: 42, text: { content: 12345 } }),
  ])();
  const path = r.next() < 0.8 ? "/dingtalk/callback" : "/dingtalk/card";
  const res = await fetch(`${app.url}${path}`, { method: "POST", headers: { "content-type": "application/json", timestamp: ts, sign }, body }).catch(() => null);
  count(res ? res.status : 0);
  await res?.arrayBuffer();
}

describe("fuzzing the live callbacks", () => {
  it(`answers ${TOTAL} hostile inputs without a crash, a 5xx or a partial write`, async () => {
    for (let i = 0; i < TOTAL; i++) {
      if (r.next() < 0.6) await wecomCase(i);
      else await dingtalkCase(i);
    }
    await app.app.channels.drain();
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThanOrEqual(TOTAL);
    const bad = [...statuses.entries()].filter(([s]) => s >= 500 || s === 0);
    expect(bad).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(300);
    expect(statuses.get(401)).toBeGreaterThan(20);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    // Exactly the acknowledged reports are in the ledger, and every target agrees with its newest report.
    const fuzzed = await app.db.progressReport.count({ where: { note: { contains: "模糊测试合法汇报" } } });
    expect(fuzzed).toBe(acknowledgedReports);
    expect(acknowledgedReports).toBeGreaterThan(5);
    const targets = await app.db.target.findMany({ include: { reports: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1 } } });
    for (const t of targets) if (t.reports[0]) expect(t.progress).toBe(t.reports[0].progress);
    expect(await checkIntegrity(app.db)).toBe("ok");
  }, 180_000);

  it("never writes a secret or a token to the log", () => {
    const log = logLines.join("");
    expect(log.length).toBeGreaterThan(1000);
    // Access tokens the bot was issued, read back from what the simulators recorded.
    const recorded = JSON.stringify([wecom.requests, ding.requests]);
    const tokens = [...recorded.matchAll(/"access_token":"([^"]+)"|"x-acs-dingtalk-access-token":"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(tokens.length).toBeGreaterThan(0);
    for (const secret of [wecom.secret, wecom.encodingAesKey, wecom.token, ding.appSecret, ...new Set(tokens)]) {
      expect(log.includes(secret)).toBe(false);
    }
  });
});
