import axios from "axios";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DingtalkApi } from "../../../src/channels/dingtalk/api.js";
import { createDingtalkChannel } from "../../../src/channels/dingtalk/channel.js";
import { DingtalkSender } from "../../../src/channels/dingtalk/sender.js";
import { REFRESH_MARGIN_MS } from "../../../src/channels/dingtalk/access-token.js";
import type { Card, Reply } from "../../../src/messages/reply.js";
import { FixedClock } from "../../../src/infra/clock.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../../simulators/dingtalk/server.js";
import { capturedLogger, settingsFor } from "./harness.js";

const clock = new FixedClock(new Date("2026-04-01T01:00:00Z"));
const meta = { idempotencyKey: "test:1" };
let sim: DingtalkSimulator;
let logged: ReturnType<typeof capturedLogger>;
let sender: DingtalkSender;

const card: Card = {
  key: "report-0123456789abcdef",
  title: "汇报进度：FGW-03",
  description: "全省重点项目建设",
  fields: [{ label: "当前进度", value: "40%" }],
  selects: [{ key: "progress", label: "本次进度", options: [{ id: "50", label: "50%" }, { id: "60", label: "60%" }], selected: "50" }],
  actions: [{ key: "submit", label: "提交进度", style: "primary", command: "汇报 FGW-03 {progress}" }],
};

beforeAll(async () => {
  sim = await startDingtalkSimulator({ clock, users: ["zhangsan", "lisi"] });
});
afterAll(() => sim.close());
beforeAll(() => {
  logged = capturedLogger();
  sender = createDingtalkChannel(settingsFor(sim), { clock, log: logged.log, cards: { templateId: "tpl-report.schema", callbackRouteKey: "jxmb" } }).sender;
});
afterEach(() => {
  sim.clearFaults();
  sim.resetRecords();
});

const tokenRequests = () => sim.requests.filter((r) => r.route === "token").length;

describe("DingTalk access token", () => {
  it("is fetched once and reused until five minutes before it expires", async () => {
    const fresh = createDingtalkChannel(settingsFor(sim), { clock, log: logged.log }).sender;
    sim.expireTokens();
    await fresh.send("zhangsan", { kind: "text", text: "一" }, meta);
    await fresh.send("zhangsan", { kind: "text", text: "二" }, meta);
    expect(tokenRequests()).toBe(1);

    clock.advance(7200_000 - REFRESH_MARGIN_MS - 1000);
    await fresh.send("zhangsan", { kind: "text", text: "三" }, meta);
    expect(tokenRequests()).toBe(1);
    clock.advance(2000);
    await fresh.send("zhangsan", { kind: "text", text: "四" }, meta);
    expect(tokenRequests()).toBe(2);
    expect(sim.inbox("zhangsan").map((m) => m.param.content)).toEqual(["一", "二", "三", "四"]);
  });

  it("is refreshed once when DingTalk refuses it, and the send still succeeds", async () => {
    await sender.send("zhangsan", { kind: "text", text: "预热" }, meta);
    sim.expireTokens();
    sim.resetRecords();
    const result = await sender.send("zhangsan", { kind: "text", text: "你好" }, meta);
    expect(result).toMatchObject({ ok: true });
    expect(sim.requests.map((r) => `${r.route}:${r.status}`)).toEqual(["batchSend:400", "token:200", "batchSend:200"]);
  });

  it("gives up as retryable when the fresh token is refused too", async () => {
    sim.inject({ route: "batchSend", status: 400, body: { code: "InvalidAuthentication", message: "不合法的access_token" }, times: 2 });
    const result = await sender.send("zhangsan", { kind: "text", text: "你好" }, meta);
    expect(result).toMatchObject({ ok: false, kind: "retryable", code: "InvalidAuthentication" });
  });

  it("reports wrong credentials as retryable and tells the operator which settings to check", async () => {
    const bad = createDingtalkChannel(settingsFor(sim, { DINGTALK_APP_SECRET: "wrong-secret-value" }), { clock, log: logged.log }).sender;
    const result = await bad.send("zhangsan", { kind: "text", text: "你好" }, meta);
    expect(result).toMatchObject({ ok: false, kind: "retryable", code: "invalidClientIdOrSecret" });
    expect(logged.lines()).toContain("check DINGTALK_APP_KEY and DINGTALK_APP_SECRET");
  });
});

describe("DingtalkSender typed failures", () => {
  const send = () => sender.send("zhangsan", { kind: "text", text: "你好" }, meta);

  it.each([
    ["HTTP 429", { status: 429 }, "rate_limited"],
    ["403 QpsLimitForAppkeyAndApi", { status: 403 }, "rate_limited"],
    ["a Throttling code on a 400", { status: 400, body: { code: "Throttling.User", message: "限流" } }, "rate_limited"],
    ["HTTP 500", { status: 500 }, "retryable"],
    ["HTTP 503", { status: 503 }, "retryable"],
    ["a dropped connection", { network: true }, "retryable"],
    ["another 4xx", { status: 400, body: { code: "invalidParameter.msgParam.invalid", message: "x" } }, "permanent"],
  ])("maps %s to %s", async (_name, fault, kind) => {
    sim.inject({ route: "batchSend", ...fault });
    expect(await send()).toMatchObject({ ok: false, kind });
  });

  it("asks to wait about a second after a QPS refusal", async () => {
    sim.inject({ route: "batchSend", status: 403 });
    expect(await send()).toMatchObject({ kind: "rate_limited", retryAfterMs: 1000 });
  });

  it("maps a timeout to retryable", async () => {
    const api = new DingtalkApi({
      appKey: sim.appKey,
      appSecret: sim.appSecret,
      robotCode: sim.robotCode,
      apiBase: sim.apiBase,
      oapiBase: sim.oapiBase,
      clock,
      log: logged.log,
      timeoutMs: 100,
    });
    await api.accessToken();
    sim.inject({ route: "batchSend", delayMs: 300 });
    expect(await new DingtalkSender(api, logged.log).send("zhangsan", { kind: "text", text: "慢" }, meta)).toMatchObject({ ok: false, kind: "retryable" });
    // The simulator still delivers it once its delay is over; let that land here, not in a later case.
    await vi.waitFor(() => expect(sim.inbox("zhangsan").map((m) => m.param.content)).toContain("慢"), { timeout: 5_000 });
  });

  it("maps a per-user flow control to rate_limited and an unknown staffId to permanent", async () => {
    sim.flowControl("lisi");
    expect(await sender.send("lisi", { kind: "text", text: "x" }, meta)).toMatchObject({ ok: false, kind: "rate_limited", code: "flowControlledStaffIdList" });
    sim.flowControl("lisi", false);
    expect(await sender.send("ghost", { kind: "text", text: "x" }, meta)).toMatchObject({ ok: false, kind: "permanent", code: "invalidStaffIdList" });
  });
});

describe("DingtalkSender rendering through the API", () => {
  it("sends text and markdown as sampleText and sampleMarkdown", async () => {
    expect(await sender.send("zhangsan", { kind: "text", text: "你好" }, meta)).toMatchObject({ ok: true, platformMessageId: expect.any(String) });
    await sender.send("zhangsan", { kind: "markdown", title: "负面清单", text: "### 2026年第一季度" }, meta);
    expect(sim.inbox("zhangsan").map((m) => [m.type, m.param])).toEqual([
      ["sampleText", { content: "你好" }],
      ["sampleMarkdown", { title: "负面清单", text: "### 2026年第一季度" }],
    ]);
  });

  it("creates and delivers an interactive card with outTrackId = card key, then marks it submitted", async () => {
    expect(await sender.send("zhangsan", { kind: "card", card }, meta)).toEqual({ ok: true, platformMessageId: card.key });
    const create = sim.requests.find((r) => r.route === "createAndDeliver")!;
    expect(create.body).toMatchObject({
      cardTemplateId: "tpl-report.schema",
      outTrackId: card.key,
      openSpaceId: "dtv1.card//IM_ROBOT.zhangsan",
      callbackType: "HTTP",
      callbackRouteKey: "jxmb",
      imRobotOpenDeliverModel: { spaceType: "IM_ROBOT", robotCode: sim.robotCode },
    });
    const stored = sim.cards.get(card.key)!;
    expect(stored.publicData).toMatchObject({ title: card.title, submitted: "false" });
    expect(JSON.parse(stored.publicData.actions)).toEqual([{ key: "submit", label: "提交进度", style: "primary" }]);

    const update: Reply = { kind: "card-update", cardKey: card.key, status: "已提交：提交进度" };
    expect(await sender.send("zhangsan", update, meta)).toMatchObject({ ok: true });
    expect(stored.publicData).toMatchObject({ title: card.title, status: "已提交：提交进度", submitted: "true" });
    expect(stored.privateData.zhangsan).toEqual({ status: "已提交：提交进度", submitted: "true" });
  });

  it("reports a card DingTalk could not deliver as permanent", async () => {
    const result = await sender.send("ghost", { kind: "card", card: { ...card, key: "report-ghost" } }, meta);
    expect(result).toMatchObject({ ok: false, kind: "permanent" });
  });

  it("without a card template sends the card as markdown whose links send the command", async () => {
    const plain = createDingtalkChannel(settingsFor(sim), { clock, log: logged.log }).sender;
    await plain.send("zhangsan", { kind: "card", card }, meta);
    const [msg] = sim.inbox("zhangsan");
    expect(msg.type).toBe("sampleMarkdown");
    expect(msg.param.text).toContain(`[50%](dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent("汇报 FGW-03 50")})`);
    expect(await plain.send("zhangsan", { kind: "card-update", cardKey: card.key, status: "x" }, meta)).toEqual({ ok: true });
  });

  it("uploads a file to the media API and sends it as sampleFile, caption after", async () => {
    const reply: Reply = { kind: "file", fileName: "2026年度考评汇总.xlsx", base64: Buffer.from("PK fake xlsx").toString("base64"), caption: "请查收" };
    expect(await sender.send("zhangsan", reply, meta)).toMatchObject({ ok: true });
    const [file, caption] = sim.inbox("zhangsan");
    expect(file).toMatchObject({ type: "sampleFile", param: { fileName: "2026年度考评汇总.xlsx", fileType: "xlsx" } });
    expect(caption.param).toEqual({ content: "请查收" });
    const upload = sim.requests.find((r) => r.route === "media")!;
    expect(upload.query.type).toBe("file");
  });
});

describe("DingTalk API logging", () => {
  it("never writes the app secret or an access token to the log", async () => {
    await sender.send("zhangsan", { kind: "text", text: "你好" }, meta);
    sim.inject({ route: "batchSend", status: 500 });
    await sender.send("zhangsan", { kind: "text", text: "你好" }, meta);
    await sender.send("zhangsan", { kind: "file", fileName: "a.pdf", base64: "AA==" }, meta);
    // The simulator hands out the live token again while it is valid: that is the one in use.
    const live = (await axios.post(`${sim.apiBase}/v1.0/oauth2/accessToken`, { appKey: sim.appKey, appSecret: sim.appSecret })).data.accessToken as string;
    const all = logged.lines();
    expect(all).toContain("dingtalk api");
    expect(live).toMatch(/^simtoken/);
    expect(all).not.toContain(live);
    expect(all).not.toContain(sim.appSecret);
  });
});
