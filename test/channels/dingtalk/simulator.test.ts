import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import axios from "axios";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyCardSignature, verifyRobotSignature } from "../../../src/channels/dingtalk/signature.js";
import { FixedClock } from "../../../src/infra/clock.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../../simulators/dingtalk/server.js";

const http = axios.create({ validateStatus: () => true });
const clock = new FixedClock(new Date("2026-03-10T02:00:00Z"));
let sim: DingtalkSimulator;

beforeAll(async () => {
  sim = await startDingtalkSimulator({ clock, users: ["zhangsan", "lisi"] });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.clearFaults();
  sim.setQpsLimit(null);
  sim.resetRecords();
});

async function token(): Promise<string> {
  const res = await http.post(`${sim.apiBase}/v1.0/oauth2/accessToken`, { appKey: sim.appKey, appSecret: sim.appSecret });
  return res.data.accessToken as string;
}
const auth = async () => ({ headers: { "x-acs-dingtalk-access-token": await token() } });
const batch = (over: Record<string, unknown> = {}) => ({
  robotCode: sim.robotCode,
  userIds: ["zhangsan"],
  msgKey: "sampleText",
  msgParam: JSON.stringify({ content: "你好" }),
  ...over,
});

describe("simulator token endpoint", () => {
  it("refuses wrong credentials the way DingTalk does", async () => {
    const res = await http.post(`${sim.apiBase}/v1.0/oauth2/accessToken`, { appKey: sim.appKey, appSecret: "wrong" });
    expect(res.status).toBe(400);
    expect(res.data.code).toBe("invalidClientIdOrSecret");
  });

  it("issues a 7200 s token and hands out the same one while it is valid", async () => {
    const first = await http.post(`${sim.apiBase}/v1.0/oauth2/accessToken`, { appKey: sim.appKey, appSecret: sim.appSecret });
    expect(first.data.expireIn).toBeGreaterThan(7000);
    expect(await token()).toBe(first.data.accessToken);
  });

  it("serves the legacy gettoken on the oapi host only", async () => {
    const ok = await http.get(`${sim.oapiBase}/gettoken`, { params: { appkey: sim.appKey, appsecret: sim.appSecret } });
    expect(ok.data).toMatchObject({ errcode: 0, expires_in: expect.any(Number) });
    expect((await http.get(`${sim.oapiBase}/gettoken`, { params: { appkey: sim.appKey, appsecret: "x" } })).data.errcode).toBe(40096);
    expect((await http.get(`${sim.apiBase}/gettoken`)).status).toBe(404);
  });
});

describe("simulator batchSend validation", () => {
  const url = () => `${sim.apiBase}/v1.0/robot/oToMessages/batchSend`;

  it("needs the token in the x-acs-dingtalk-access-token header", async () => {
    expect((await http.post(url(), batch())).data.code).toBe("AuthenticationFailed.MissingParameter");
    const bad = await http.post(url(), batch(), { headers: { "x-acs-dingtalk-access-token": "nope" } });
    expect(bad.status).toBe(400);
    expect(bad.data.code).toBe("InvalidAuthentication");
  });

  it.each([
    ["a robotCode of another app", { robotCode: "dingother" }, "invalidParameter.robotCode.auth"],
    ["msgParam as an object instead of a JSON string", { msgParam: { content: "x" } }, "invalidParameter.msgParam.invalid"],
    ["msgParam missing a required key", { msgKey: "sampleMarkdown", msgParam: JSON.stringify({ text: "x" }) }, "invalidParameter.msgParam.invalid"],
    ["an unknown msgKey", { msgKey: "sampleCard" }, "invalidParameter.msgKey.invalid"],
    ["more than 20 userIds", { userIds: Array.from({ length: 21 }, (_, i) => `u${i}`) }, "invalidParameter.userIds.overMax"],
    ["no userIds", { userIds: [] }, "invalidParameter.userIds.empty"],
    ["an oversized msgParam", { msgParam: JSON.stringify({ content: "字".repeat(5001) }) }, "invalidParameter.msgParam.invalid"],
    ["a sampleFile with an unknown mediaId", { msgKey: "sampleFile", msgParam: JSON.stringify({ mediaId: "@x", fileName: "a.xlsx", fileType: "xlsx" }) }, "invalidParameter.msgParam.invalid"],
  ])("refuses %s", async (_name, over, code) => {
    const res = await http.post(url(), batch(over), await auth());
    expect(res.status).toBe(400);
    expect(res.data.code).toBe(code);
    expect(sim.messages).toHaveLength(0);
  });

  it("delivers to known users and lists unknown and flow-controlled ones", async () => {
    sim.flowControl("lisi");
    const res = await http.post(url(), batch({ userIds: ["zhangsan", "lisi", "ghost"] }), await auth());
    sim.flowControl("lisi", false);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ processQueryKey: expect.any(String), invalidStaffIdList: ["ghost"], flowControlledStaffIdList: ["lisi"] });
    expect(sim.inbox("zhangsan")).toEqual([expect.objectContaining({ via: "oto", type: "sampleText", param: { content: "你好" } })]);
    expect(sim.inbox("lisi")).toEqual([]);
  });
});

describe("simulator interactive cards", () => {
  const create = (over: Record<string, unknown> = {}) => ({
    cardTemplateId: "tpl.schema",
    outTrackId: `card-${Math.random().toString(16).slice(2)}`,
    cardData: { cardParamMap: { title: "t", actions: JSON.stringify([{ key: "submit" }]) } },
    openSpaceId: "dtv1.card//IM_ROBOT.zhangsan",
    imRobotOpenDeliverModel: { spaceType: "IM_ROBOT", robotCode: sim.robotCode },
    ...over,
  });
  const url = () => `${sim.apiBase}/v1.0/card/instances/createAndDeliver`;

  it.each([
    ["no cardTemplateId", { cardTemplateId: "" }, "param.cardTemplateIdEmpty"],
    ["no outTrackId", { outTrackId: "" }, "param.outTrackIdEmpty"],
    ["no cardData", { cardData: undefined }, "param.cardPublicDataEmpty"],
    ["a non-string card parameter", { cardData: { cardParamMap: { n: 1 } } }, "param.invalid"],
    ["a malformed openSpaceId", { openSpaceId: "IM_ROBOT.zhangsan" }, "param.openSpaceModelInvalid"],
    ["a 1:1 card without imRobotOpenDeliverModel", { imRobotOpenDeliverModel: undefined }, "param.openSpaceModelInvalid"],
    ["a group card without robotCode", { openSpaceId: "dtv1.card//IM_GROUP.cid1", imGroupOpenDeliverModel: {} }, "param.openSpaceModelInvalid"],
    ["an unknown callbackType", { callbackType: "WEBHOOK" }, "param.invalid"],
  ])("refuses %s", async (_name, over, code) => {
    const res = await http.post(url(), create(over), await auth());
    expect(res.status).toBe(400);
    expect(res.data.code).toBe(code);
  });

  it("creates a card once per outTrackId and merges updates by key", async () => {
    const body = create();
    const ok = await http.post(url(), body, await auth());
    expect(ok.data).toMatchObject({ success: true, result: { outTrackId: body.outTrackId, deliverResults: [{ spaceType: "IM_ROBOT", success: true }] } });
    expect((await http.post(url(), body, await auth())).status).toBe(400);

    const put = await http.put(
      `${sim.apiBase}/v1.0/card/instances`,
      { outTrackId: body.outTrackId, cardData: { cardParamMap: { status: "done" } }, privateData: { zhangsan: { cardParamMap: { submitted: "true" } } }, cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true } },
      await auth(),
    );
    expect(put.data).toEqual({ success: true, result: true });
    expect(sim.cards.get(body.outTrackId)).toMatchObject({ publicData: { title: "t", status: "done" }, privateData: { zhangsan: { submitted: "true" } } });
  });

  it("reports a card for an unknown user as not delivered", async () => {
    const res = await http.post(url(), create({ openSpaceId: "dtv1.card//IM_ROBOT.ghost" }), await auth());
    expect(res.data.result.deliverResults[0]).toMatchObject({ success: false });
  });
});

describe("simulator session webhooks", () => {
  let bot: Server;
  beforeAll(async () => {
    bot = createServer((_req, res) => res.end("{}"));
    await new Promise<void>((r) => bot.listen(0, "127.0.0.1", r));
    sim.setBotUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}`);
  });
  afterAll(() => new Promise<void>((r) => bot.close(() => r())));

  it("accepts text and markdown until the webhook expires, and never interactive cards", async () => {
    const sent = await sim.sendText("zhangsan", "你好", { sessionTtlMs: 60_000 });
    const webhook = String(sent.record.payload.sessionWebhook);
    expect(webhook.startsWith(`${sim.oapiBase}/robot/sendBySession?session=`)).toBe(true);

    expect((await http.post(webhook, { msgtype: "text", text: { content: "收到" } })).data).toEqual({ errcode: 0, errmsg: "ok" });
    expect((await http.post(webhook, { msgtype: "interactiveCard", card: {} })).data.errcode).not.toBe(0);
    clock.advance(60_001);
    expect((await http.post(webhook, { msgtype: "text", text: { content: "晚了" } })).data.errcode).not.toBe(0);
    expect(sim.inbox("zhangsan").map((m) => m.param)).toEqual([{ content: "收到" }]);
  });
});

describe("simulator callback driver", () => {
  let bot: Server;
  const seen: { headers: Record<string, string | string[] | undefined>; body: string; path: string }[] = [];
  beforeAll(async () => {
    bot = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ headers: req.headers, body, path: req.url ?? "" });
        res.setHeader("content-type", "application/json");
        res.end(req.url === "/dingtalk/card" ? JSON.stringify({ cardData: { cardParamMap: { submitted: "true" } }, cardUpdateOptions: { updateCardDataByKey: true } }) : "{}");
      });
    });
    await new Promise<void>((r) => bot.listen(0, "127.0.0.1", r));
    sim.setBotUrl(`http://127.0.0.1:${(bot.address() as AddressInfo).port}`);
  });
  afterAll(() => new Promise<void>((r) => bot.close(() => r())));

  it("signs robot messages so the documented check passes, and can forge or age them", async () => {
    await sim.sendText("zhangsan", "你好", { msgId: "msgA" });
    await sim.sendText("zhangsan", "你好", { badSign: true });
    await sim.sendText("zhangsan", "你好", { skewMs: 3_600_001 });
    const check = (i: number) =>
      verifyRobotSignature({ timestamp: String(seen[i].headers.timestamp), sign: String(seen[i].headers.sign), appSecret: sim.appSecret, now: clock.now() });
    const recent = seen.slice(-3).map((_, k) => check(seen.length - 3 + k));
    expect(recent).toEqual([{ ok: true }, { ok: false, reason: "bad_sign" }, { ok: false, reason: "stale" }]);
    expect(JSON.parse(seen.at(-3)!.body)).toMatchObject({ msgId: "msgA", msgtype: "text", text: { content: "你好" }, conversationType: "1", senderStaffId: "zhangsan" });
  });

  it("sends group messages with a leading space and isInAtList", async () => {
    await sim.sendText("lisi", "汇报", { group: true });
    await sim.sendText("lisi", "闲聊", { group: true, atBot: false });
    const [withAt, withoutAt] = seen.slice(-2).map((s) => JSON.parse(s.body));
    expect(withAt).toMatchObject({ conversationType: "2", isInAtList: true, text: { content: " 汇报" } });
    expect(withoutAt).toMatchObject({ isInAtList: false, atUsers: [] });
  });

  it("clicks only delivered cards' buttons, signs the callback and applies the answer", async () => {
    const outTrackId = "card-click-1";
    await http.post(
      `${sim.apiBase}/v1.0/card/instances/createAndDeliver`,
      {
        cardTemplateId: "tpl.schema",
        outTrackId,
        cardData: { cardParamMap: { actions: JSON.stringify([{ key: "submit" }]), submitted: "false" } },
        openSpaceId: "dtv1.card//IM_ROBOT.zhangsan",
        imRobotOpenDeliverModel: { spaceType: "IM_ROBOT" },
      },
      await auth(),
    );
    await expect(sim.clickCard("lisi", outTrackId, "submit")).rejects.toThrow(/cannot see/);
    await expect(sim.clickCard("zhangsan", outTrackId, "other")).rejects.toThrow(/no button/);

    const res = await sim.clickCard("zhangsan", outTrackId, "submit", { progress: "50" });
    expect(res.status).toBe(200);
    const last = seen.at(-1)!;
    expect(last.path).toBe("/dingtalk/card");
    const check = verifyCardSignature({
      timestamp: String(last.headers["x-ddpaas-signature-timestamp"]),
      sign: String(last.headers["x-ddpaas-signature"]),
      apiSecret: sim.cardApiSecret,
      now: clock.now(),
    });
    expect(check).toEqual({ ok: true });
    const body = JSON.parse(last.body);
    expect(body).toMatchObject({ type: "actionCallback", outTrackId, userId: "zhangsan" });
    expect(JSON.parse(body.content)).toEqual({ cardPrivateData: { actionIds: ["button_node_sim"], params: { action: "submit", progress: "50" } } });
    expect(sim.cards.get(outTrackId)!.publicData.submitted).toBe("true");
    await expect(sim.clickCard("zhangsan", outTrackId, "submit")).rejects.toThrow(/already submitted/);
  });
});

describe("simulator fault injection", () => {
  const url = () => `${sim.apiBase}/v1.0/robot/oToMessages/batchSend`;

  it("answers an injected status for as many requests as asked, then recovers", async () => {
    sim.inject({ route: "batchSend", status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await http.post(url(), batch(), await auth())).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("throttles with 429 Throttling or 403 QpsLimit", async () => {
    sim.inject({ route: "batchSend", status: 429 });
    const res = await http.post(url(), batch(), await auth());
    expect([res.status, res.data.code]).toEqual([429, "Throttling"]);

    // Three back-to-back calls span at most two one-second windows of one call each.
    sim.setQpsLimit(1);
    const h = await auth();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await http.post(url(), batch(), h));
    const refused = results.find((r) => r.status === 403);
    expect(refused?.data.code).toBe("Forbidden.AccessDenied.QpsLimitForAppkeyAndApi");
  });

  it("can drop the connection or answer slowly", async () => {
    sim.inject({ route: "batchSend", network: true });
    await expect(axios.post(url(), batch(), await auth())).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|EPIPE/) });
    sim.inject({ route: "batchSend", delayMs: 150 });
    const started = Date.now();
    await http.post(url(), batch(), await auth());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("records every request with route, status and answer", async () => {
    await http.post(url(), batch(), await auth());
    const last = sim.requests.at(-1)!;
    expect(last).toMatchObject({ route: "batchSend", method: "POST", status: 200, body: batch() });
  });
});
