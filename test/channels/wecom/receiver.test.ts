import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decrypt as wxDecrypt, getSignature } from "@wecom/crypto";
import Koa from "koa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWecomRoutes, TEXT_FAILED, TEXT_UNSUPPORTED } from "../../../src/channels/wecom/receiver.js";
import { createWecomSender } from "../../../src/channels/wecom/create-sender.js";
import { directDelivery } from "../../../src/outbox/replies.js";
import { loadSettings } from "../../../src/config/settings.js";
import type { InboundEvent } from "../../../src/conversation/event.js";
import type { Card, Reply } from "../../../src/messages/reply.js";
import { FixedClock } from "../../../src/infra/clock.js";
import { createLogger } from "../../../src/infra/logger.js";
import { startWecomSimulator, type WecomSimulator } from "../../../simulators/wecom/server.js";

/**
 * The receiver mounted in a small Koa app, driven by the simulator's member with real encryption and
 * signatures; `handle` is a recording stub standing in for the conversation core.
 */

let sim: WecomSimulator;
let server: Server;
let botUrl: string;
let clock: FixedClock;
let events: InboundEvent[];
let respond: (ev: InboundEvent) => Promise<Reply[]> | Reply[];

const reportCard: Card = {
  key: "report-FGW-03",
  title: "FGW-03 进度汇报",
  selects: [{ key: "progress", label: "完成进度", options: [{ id: "50", label: "50%" }, { id: "100", label: "100%" }] }],
  actions: [{ key: "submit", label: "提交", style: "primary", command: "汇报 FGW-03 {progress}" }],
};

async function start(opts: { passiveBudgetMs?: number } = {}): Promise<void> {
  clock = new FixedClock(new Date("2026-05-20T02:00:00Z"));
  sim = await startWecomSimulator({ now: () => clock.now().getTime(), callbackTimeoutMs: 2000 });
  const settings = loadSettings({ NODE_ENV: "test", ...sim.env() });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  // No database here: replies the API carries are sent directly, as for an account bound to nobody.
  const sender = createWecomSender({ settings, clock, log });
  const router = createWecomRoutes({
    settings,
    clock,
    log,
    sender,
    deliver: directDelivery(sender, log),
    handle: async (ev) => {
      events.push(ev);
      return respond(ev);
    },
    passiveBudgetMs: opts.passiveBudgetMs,
  });
  const koa = new Koa();
  koa.use(router.routes()).use(router.allowedMethods());
  server = createServer(koa.callback());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`;
  sim.setCallbackUrl(botUrl);
}

beforeEach(async () => {
  events = [];
  respond = () => [];
  await start();
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await sim.close();
});

describe("GET /wecom/callback — URL verification (doc 90238)", () => {
  it("answers the decrypted echostr verbatim", async () => {
    const r = await sim.verifyUrl();
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(r.body).toBe(r.expected);
  });

  it("refuses a bad signature or a foreign corp id", async () => {
    expect(await sim.verifyUrl({ forge: { badSignature: true } })).toMatchObject({ ok: false, status: 401 });
    expect(await sim.verifyUrl({ forge: { corpId: "ww-someone-else" } })).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses missing parameters with 400", async () => {
    const sealed = sim.seal("123");
    const res = await fetch(`${botUrl}?msg_signature=${sealed.signature}&timestamp=${sealed.timestamp}&nonce=${sealed.nonce}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("missing echostr");
  });
});

describe("POST /wecom/callback — messages", () => {
  it("hands a text message to the core and answers its first reply passively", async () => {
    respond = () => [{ kind: "text", text: "已记录 FGW-03 进度 60%" }];
    const r = await sim.sendText("zhangsan", "汇报 FGW-03 60% 主体完工", { msgId: "4561255354251345930" });
    expect(events).toEqual([
      {
        platform: "wecom",
        eventKey: "msg:4561255354251345930",
        senderId: "zhangsan",
        conversationId: "wecom:zhangsan",
        receivedAt: clock.now(),
        body: { type: "text", text: "汇报 FGW-03 60% 主体完工" },
      },
    ]);
    expect(r.reply).toEqual({ msgType: "text", content: "已记录 FGW-03 进度 60%" });
    expect(sim.screen("zhangsan")).toEqual([expect.objectContaining({ via: "passive", content: "已记录 FGW-03 进度 60%" })]);
  });

  it("produces a passive reply that the official @wecom/crypto verifies and decrypts", async () => {
    respond = () => [{ kind: "text", text: "你好" }];
    const { body } = await sim.sendText("zhangsan", "帮助");
    const field = (name: string) => new RegExp(`<${name}>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</${name}>`).exec(body)?.[1] ?? "";
    const [enc, sig, ts, nonce] = ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"].map(field);
    expect(getSignature(sim.token, ts, nonce, enc)).toBe(sig);
    const plain = wxDecrypt(sim.encodingAesKey, enc);
    expect(plain.id).toBe(sim.corpId);
    expect(plain.message).toContain("<ToUserName><![CDATA[zhangsan]]></ToUserName>");
    expect(plain.message).toContain("<Content><![CDATA[你好]]></Content>");
  });

  it("gives the same eventKey to WeCom's re-sent copy of a message (the core de-duplicates on it)", async () => {
    await sim.sendText("zhangsan", "汇报 FGW-03 60%", { msgId: "777" });
    await sim.sendText("zhangsan", "汇报 FGW-03 60%", { msgId: "777" });
    expect(events.map((e) => e.eventKey)).toEqual(["msg:777", "msg:777"]);
  });

  it("does not push a re-sent message's API replies twice (the core hands back the stored replies)", async () => {
    respond = () => [{ kind: "text", text: "请选择进度" }, { kind: "card", card: reportCard }];
    expect((await sim.sendText("zhangsan", "目标 FGW-03", { msgId: "888" })).reply).toMatchObject({ content: "请选择进度" });
    await sim.waitFor(() => sim.sent("message/send").length === 1);
    expect((await sim.sendText("zhangsan", "目标 FGW-03", { msgId: "888" })).reply).toMatchObject({ content: "请选择进度" });
    // A later message's card is the signal: a repeated push would have been sent before it.
    respond = () => [{ kind: "text", text: "请选择进度" }, { kind: "card", card: { ...reportCard, key: "report-FGW-04" } }];
    await sim.sendText("zhangsan", "目标 FGW-04", { msgId: "889" });
    await sim.waitFor(() => sim.cards.has("report-FGW-04"));
    expect(sim.sent("message/send")).toHaveLength(2);
  });

  it("sends what a passive reply cannot carry through the API after answering", async () => {
    respond = () => [{ kind: "text", text: "请选择进度" }, { kind: "card", card: reportCard }];
    const r = await sim.sendText("zhangsan", "汇报");
    expect(r.reply).toEqual({ msgType: "text", content: "请选择进度" });
    await sim.waitFor(() => sim.sent("message/send").length === 1);
    expect(sim.cards.get("report-FGW-03")).toMatchObject({ cardType: "multiple_interaction" });
  });

  it("answers an empty 200 when the first reply is a card, and sends everything through the API", async () => {
    respond = () => [{ kind: "card", card: reportCard }, { kind: "text", text: "之后" }];
    const r = await sim.sendText("zhangsan", "汇报");
    expect(r).toMatchObject({ status: 200, body: "" });
    await sim.waitFor(() => sim.screen("zhangsan").length === 2);
    expect(sim.screen("zhangsan").map((i) => i.msgtype)).toEqual(["template_card", "text"]);
  });

  it("over the time budget answers an empty 200 and sends the replies through the API later", async () => {
    await restart({ passiveBudgetMs: 100 });
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    respond = async () => {
      await finished;
      return [{ kind: "text", text: "处理完成" }];
    };
    const r = await sim.sendText("zhangsan", "导出 报表");
    expect(r).toMatchObject({ status: 200, body: "" });
    expect(r.attempts).toHaveLength(1);
    finish();
    await sim.waitFor(() => sim.screen("zhangsan").length === 1);
    expect(sim.screen("zhangsan")[0]).toMatchObject({ via: "api", content: "处理完成" });
  });

  it("apologises in Chinese when the core fails, without exposing internals", async () => {
    respond = () => {
      throw new Error("SQLITE_BUSY: database is locked at /srv/data/jxmb.db");
    };
    const r = await sim.sendText("zhangsan", "汇报 FGW-03 60%");
    expect(r.status).toBe(200);
    expect(r.reply).toEqual({ msgType: "text", content: TEXT_FAILED });
  });

  it("maps images to a file body that downloads through media/get", async () => {
    const mediaId = sim.putMedia(Buffer.from("jpeg-bytes"), "photo.jpg", "image/jpeg");
    await sim.sendMedia("zhangsan", "image", mediaId, { msgId: "900" });
    expect(events[0]).toMatchObject({ eventKey: "msg:900", body: { type: "file", fileName: "image-900.jpg" } });
    const body = events[0].body as Extract<InboundEvent["body"], { type: "file" }>;
    expect((await body.fetch()).toString()).toBe("jpeg-bytes");
    expect(sim.sent("media/get")).toHaveLength(1);
  });

  it("answers unsupported message types with a hint and does not bother the core", async () => {
    const voice = `<xml><ToUserName><![CDATA[${sim.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1779242400</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>1</MsgId><AgentID>${sim.agentId}</AgentID></xml>`;
    const r = await sim.sendText("zhangsan", "", { forge: { innerXml: voice } });
    expect(r.reply).toEqual({ msgType: "text", content: TEXT_UNSUPPORTED });
    expect(events).toHaveLength(0);
  });
});

describe("POST /wecom/callback — events", () => {
  it("turns a card submission into an action and greys out the button with a passive update_button", async () => {
    await sendCard();
    respond = (ev) => [
      { kind: "card-update", cardKey: (ev.body as { cardKey: string }).cardKey, status: "已汇报 100%" },
      { kind: "text", text: "已记录 FGW-03 进度 100%" },
    ];
    const r = await sim.clickCard("zhangsan", "report-FGW-03", "submit", { progress: "100" });
    expect(events[0]).toMatchObject({
      eventKey: `evt:zhangsan:${Math.floor(clock.now().getTime() / 1000)}`,
      conversationId: "wecom:zhangsan",
      body: { type: "action", cardKey: "report-FGW-03", actionKey: "submit", values: { progress: "100" } },
    });
    expect(r.reply).toEqual({ msgType: "update_button", replaceName: "已汇报 100%" });
    expect(sim.cards.get("report-FGW-03")?.replaced.get("zhangsan")).toBe("已汇报 100%");
    await sim.waitFor(() => sim.screen("zhangsan").some((i) => i.content === "已记录 FGW-03 进度 100%"));
    await expect(sim.clickCard("zhangsan", "report-FGW-03", "submit")).rejects.toThrow(/already handled/);
  });

  it("can update the clicked card through the API with the callback's ResponseCode when over budget", async () => {
    await restart({ passiveBudgetMs: 50 });
    await sendCard();
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    respond = async (ev) => {
      await finished;
      return [{ kind: "card-update", cardKey: (ev.body as { cardKey: string }).cardKey, status: "已汇报" }];
    };
    const r = await sim.clickCard("zhangsan", "report-FGW-03", "submit");
    expect(r.body).toBe("");
    finish();
    await sim.waitFor(() => sim.sent("message/update_template_card").length === 1);
    expect(sim.cards.get("report-FGW-03")?.replaced.get("zhangsan")).toBe("已汇报");
  });

  it("shows help on subscribe and ignores enter_agent", async () => {
    await sim.sendEvent("zhangsan", "enter_agent");
    expect(events).toHaveLength(0);
    await sim.sendEvent("zhangsan", "subscribe");
    expect(events[0]).toMatchObject({ eventKey: expect.stringMatching(/^evt:zhangsan:\d+$/), body: { type: "text", text: "帮助" } });
  });
});

describe("POST /wecom/callback — refusals happen before the core is called", () => {
  it("refuses a bad signature with 401", async () => {
    const r = await sim.sendText("zhangsan", "汇报", { forge: { badSignature: true } });
    expect(r.attempts.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(events).toHaveLength(0);
  });

  it("refuses timestamps more than 5 minutes away with 401", async () => {
    expect((await sim.sendText("zhangsan", "x", { forge: { timestampSkewSeconds: -301 }, attempts: 1 })).status).toBe(401);
    expect((await sim.sendText("zhangsan", "x", { forge: { timestampSkewSeconds: 301 }, attempts: 1 })).status).toBe(401);
    expect((await sim.sendText("zhangsan", "x", { forge: { timestampSkewSeconds: -290 }, attempts: 1 })).status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it("refuses a message sealed for another corp with 401", async () => {
    const r = await sim.sendText("zhangsan", "x", { forge: { corpId: "ww-other" }, attempts: 1 });
    expect(r).toMatchObject({ status: 401, body: "wrong corp id" });
    expect(events).toHaveLength(0);
  });

  it("refuses a message encrypted with another key with 400", async () => {
    const r = await sim.sendText("zhangsan", "x", { forge: { encodingAesKey: "Z".repeat(43) }, attempts: 1 });
    expect(r.status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it("refuses a DOCTYPE in the envelope or inside the encrypted message with 400", async () => {
    const env = (enc: string) => `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;
    expect((await sim.sendText("zhangsan", "x", { forge: { envelope: env }, attempts: 1 })).status).toBe(400);
    const inner = `<!DOCTYPE xml [<!ENTITY e "boom">]><xml><FromUserName>zhangsan</FromUserName><MsgType>text</MsgType><CreateTime>1</CreateTime><Content>&e;</Content><MsgId>5</MsgId></xml>`;
    expect((await sim.sendText("zhangsan", "x", { forge: { innerXml: inner }, attempts: 1 })).status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it("refuses bodies over 64 KB with 413 and malformed ones with 400", async () => {
    const sealed = sim.seal("x");
    const q = { msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce };
    expect((await sim.postRaw(q, `<xml><Encrypt>${"A".repeat(70_000)}</Encrypt></xml>`)).status).toBe(413);
    expect((await sim.postRaw(q, "not xml")).status).toBe(400);
    expect((await sim.postRaw({ ...q, timestamp: "soon" }, "<xml/>")).status).toBe(400);
    expect(events).toHaveLength(0);
  });

  it("ignores callbacks for another app (AgentID) with an empty 200", async () => {
    const other = `<xml><ToUserName><![CDATA[${sim.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[x]]></Content><MsgId>9</MsgId><AgentID>42</AgentID></xml>`;
    const r = await sim.sendText("zhangsan", "x", { forge: { innerXml: other } });
    expect(r).toMatchObject({ status: 200, body: "" });
    expect(events).toHaveLength(0);
  });
});

async function restart(opts: { passiveBudgetMs?: number }): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await sim.close();
  await start(opts);
}

/** Puts the report card on zhangsan's screen through the real API path. */
async function sendCard(): Promise<void> {
  respond = () => [{ kind: "card", card: reportCard }];
  await sim.sendText("zhangsan", "汇报");
  await sim.waitFor(() => sim.cards.has("report-FGW-03"));
  events = [];
}
