import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NOTE_SENT_PRIVATELY } from "../../../src/channels/dingtalk/delivery.js";
import { HINT_TEXT_ONLY } from "../../../src/channels/dingtalk/normalize.js";
import type { InboundEvent } from "../../../src/conversation/event.js";
import type { Reply } from "../../../src/messages/reply.js";
import { FixedClock } from "../../../src/infra/clock.js";
import { startDingtalkSimulator, type DingtalkSimulator } from "../../../simulators/dingtalk/server.js";
import { signRobotMessage } from "../../../simulators/dingtalk/sign.js";
import { capturedLogger, recordingHandle, settingsFor, startBot, type TestBot } from "./harness.js";

const clock = new FixedClock(new Date("2026-03-10T02:00:00Z"));
let sim: DingtalkSimulator;
let bot: TestBot;
let answer: (ev: InboundEvent) => Reply[] | Promise<Reply[]> = () => [];
const stub = recordingHandle((ev) => answer(ev));

const card: Reply = {
  kind: "card",
  card: { key: "report-aaaa", title: "汇报进度：FGW-03", actions: [{ key: "submit", label: "提交", command: "汇报 FGW-03 50" }] },
};

beforeAll(async () => {
  sim = await startDingtalkSimulator({ clock });
  bot = await startBot(sim, { settings: settingsFor(sim), clock, log: capturedLogger().log, handle: stub.handle, cards: { templateId: "tpl.schema" } });
});
afterAll(async () => {
  await bot.close();
  await sim.close();
});
beforeEach(() => {
  answer = () => [];
  stub.events.length = 0;
});
afterEach(() => {
  sim.clearFaults();
  sim.resetRecords();
});

/** Sends a raw POST with a valid signature (for bodies the simulator would never produce). */
async function postSigned(body: string): Promise<Response> {
  const timestamp = String(clock.now().getTime());
  return fetch(`${bot.url}/dingtalk/callback`, {
    method: "POST",
    headers: { "content-type": "application/json", timestamp, sign: signRobotMessage(timestamp, sim.appSecret) },
    body,
  });
}

describe("POST /dingtalk/callback verification", () => {
  it("rejects a forged signature with 401 before the core sees anything", async () => {
    const res = await sim.sendText("zhangsan", "我的目标", { badSign: true });
    expect(res.status).toBe(401);
    expect(stub.events).toHaveLength(0);
  });

  it("rejects a timestamp more than an hour old with 401", async () => {
    const res = await sim.sendText("zhangsan", "我的目标", { skewMs: 60 * 60 * 1000 + 1000 });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: "timestamp out of range" });
    expect(stub.events).toHaveLength(0);
  });

  it("rejects unsigned requests", async () => {
    const res = await fetch(`${bot.url}/dingtalk/callback`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
  });

  it("answers 400 for malformed JSON and for JSON that is not a robot message", async () => {
    expect((await postSigned("{not json")).status).toBe(400);
    expect((await postSigned(JSON.stringify({ hello: "world" }))).status).toBe(400);
    expect(stub.events).toHaveLength(0);
  });

  it("answers 413 for a body over 64 KiB", async () => {
    expect((await postSigned(JSON.stringify({ pad: "x".repeat(70 * 1024) }))).status).toBe(413);
  });
});

describe("POST /dingtalk/callback messages", () => {
  it("hands a 1:1 text to the core and answers through the session webhook", async () => {
    answer = () => [{ kind: "text", text: "您有 3 个目标" }];
    const res = await sim.sendText("zhangsan", "我的目标", { msgId: "msg-1" });
    await bot.tasks.drain();
    expect(res.status).toBe(200);
    expect(stub.events).toEqual([
      expect.objectContaining({ platform: "dingtalk", eventKey: "msg:msg-1", senderId: "zhangsan", conversationId: "dingtalk:oto:zhangsan", isGroup: false, body: { type: "text", text: "我的目标" } }),
    ]);
    expect(sim.inbox("zhangsan")).toEqual([expect.objectContaining({ via: "session", type: "text", param: { content: "您有 3 个目标" } })]);
    expect(sim.requests.filter((r) => r.route === "batchSend")).toHaveLength(0);
  });

  it("ignores a group message that does not @ the robot", async () => {
    answer = () => [{ kind: "text", text: "不该出现" }];
    const res = await sim.sendText("lisi", "大家好", { group: true, atBot: false });
    await bot.tasks.drain();
    expect(res.status).toBe(200);
    expect(stub.events).toHaveLength(0);
    expect(sim.messages).toHaveLength(0);
  });

  it("handles a group message that @s the robot, stripping the mention, and @s the asker back", async () => {
    answer = () => [{ kind: "text", text: "已记录" }];
    await sim.sendText("lisi", "@绩效助手 汇报 FGW-03 80%", { group: true, conversationId: "cidGroupA==" });
    await bot.tasks.drain();
    expect(stub.events[0]).toMatchObject({ senderId: "lisi", conversationId: "dingtalk:cidGroupA==", isGroup: true, body: { text: "汇报 FGW-03 80%" } });
    expect(sim.groupChat("cidGroupA==")).toEqual([expect.objectContaining({ param: { content: "已记录", at: { atUserIds: ["lisi"], isAtAll: false } } })]);
  });

  it("passes a retried msgId with the same event key", async () => {
    const first = await sim.sendText("zhangsan", "我的目标", { msgId: "msg-retry" });
    await sim.replay(first.record);
    expect(stub.events.map((e) => e.eventKey)).toEqual(["msg:msg-retry", "msg:msg-retry"]);
  });

  it("uses the API once the session webhook is (nearly) expired", async () => {
    answer = () => [{ kind: "text", text: "迟到的回复" }];
    await sim.sendText("zhangsan", "我的目标", { sessionTtlMs: 5_000 });
    await bot.tasks.drain();
    expect(sim.inbox("zhangsan")).toEqual([expect.objectContaining({ via: "oto", type: "sampleText", param: { content: "迟到的回复" } })]);
  });

  it("falls back to the API when the session webhook refuses", async () => {
    answer = () => [{ kind: "markdown", title: "清单", text: "### 负面清单" }];
    sim.inject({ route: "session", status: 200, body: { errcode: 300005, errmsg: "session expired" } });
    await sim.sendText("zhangsan", "负面清单");
    await bot.tasks.drain();
    expect(sim.inbox("zhangsan")).toEqual([expect.objectContaining({ via: "oto", type: "sampleMarkdown" })]);
  });

  it("never posts to a sessionWebhook outside DINGTALK_OAPI_BASE", async () => {
    answer = () => [{ kind: "text", text: "走 API" }];
    await sim.sendText("zhangsan", "我的目标", { overrides: { sessionWebhook: "http://127.0.0.1:9/robot/sendBySession?session=evil" } });
    await bot.tasks.drain();
    expect(sim.inbox("zhangsan")).toEqual([expect.objectContaining({ via: "oto", param: { content: "走 API" } })]);
  });

  it("always sends cards through the card API, in order with the text around them", async () => {
    answer = () => [{ kind: "text", text: "请选择进度" }, card, { kind: "text", text: "也可以直接输入命令" }];
    await sim.sendText("zhangsan", "汇报");
    await bot.tasks.drain();
    expect(sim.cards.get("report-aaaa")?.space).toEqual({ type: "IM_ROBOT", id: "zhangsan" });
    expect(sim.inbox("zhangsan").map((m) => `${m.via}:${m.param.content}`)).toEqual(["session:请选择进度", "session:也可以直接输入命令"]);
    const order = sim.requests.map((r) => r.route).filter((r) => r !== "token");
    expect(order).toEqual(["session", "createAndDeliver", "session"]);
  });

  it("sends a card asked for in a group to the asker privately and says so in the group", async () => {
    answer = () => [{ ...card, card: { ...(card as { card: object }).card, key: "report-bbbb" } } as Reply];
    await sim.sendText("lisi", "汇报", { group: true, conversationId: "cidGroupB==" });
    await bot.tasks.drain();
    expect(sim.cards.get("report-bbbb")?.space).toEqual({ type: "IM_ROBOT", id: "lisi" });
    expect(sim.groupChat("cidGroupB==").map((m) => m.param.content)).toEqual([NOTE_SENT_PRIVATELY]);
  });

  it("answers a picture with a hint in Chinese and does not call the core", async () => {
    await sim.sendMessage("zhangsan", { msgtype: "picture", content: { downloadCode: "x" } });
    await bot.tasks.drain();
    expect(stub.events).toHaveLength(0);
    expect(sim.inbox("zhangsan").map((m) => m.param.content)).toEqual([HINT_TEXT_ONLY]);
  });

  it("answers 5xx when the core fails, so DingTalk may deliver again", async () => {
    answer = () => {
      throw new Error("database is locked");
    };
    const res = await sim.sendText("zhangsan", "我的目标");
    expect(res.status).toBe(500);
    expect(sim.messages).toHaveLength(0);
  });

  it("answers before the replies are delivered", async () => {
    answer = () => [{ kind: "text", text: "慢慢送达" }];
    let open!: () => void;
    sim.inject({ route: "session", until: new Promise<void>((r) => (open = r)) });
    const res = await sim.sendText("zhangsan", "我的目标");
    // The session webhook is still held: the answer did not wait for the delivery.
    expect(res.status).toBe(200);
    expect(sim.inbox("zhangsan")).toHaveLength(0);
    open();
    await bot.tasks.drain();
    expect(sim.inbox("zhangsan")).toHaveLength(1);
  });
});
