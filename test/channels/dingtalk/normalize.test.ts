import { describe, expect, it } from "vitest";
import { cardEvent, decideMessage, readAction, stripMentions } from "../../../src/channels/dingtalk/normalize.js";
import type { RobotMessage } from "../../../src/channels/dingtalk/payloads.js";

const at = new Date("2026-03-10T02:00:00Z");
// Shape of the official receive-message example (values shortened).
const message = (over: Partial<RobotMessage> = {}): RobotMessage => ({
  msgId: "msgABC",
  msgtype: "text",
  conversationId: "cidXYZ==",
  conversationType: "1",
  senderStaffId: "user123",
  isInAtList: true,
  sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=xxx",
  sessionWebhookExpiredTime: 1613635652738,
  text: { content: "我的目标" },
  ...over,
});

describe("DingTalk message normalisation", () => {
  it("turns a 1:1 text into an event keyed by msgId, sender = senderStaffId", () => {
    const d = decideMessage(message(), at);
    expect(d).toMatchObject({
      kind: "event",
      event: { platform: "dingtalk", eventKey: "msg:msgABC", senderId: "user123", conversationId: "dingtalk:oto:user123", isGroup: false, receivedAt: at, body: { type: "text", text: "我的目标" } },
      origin: { sessionWebhookExpiresAt: 1613635652738 },
    });
  });

  it("answers in a group only when the robot is @-mentioned", () => {
    expect(decideMessage(message({ conversationType: "2", isInAtList: false }), at)).toEqual({ kind: "ignore", reason: "group message without @robot" });
    const d = decideMessage(message({ conversationType: "2", text: { content: " 汇报 FGW-03 80%" } }), at);
    expect(d).toMatchObject({ kind: "event", event: { conversationId: "dingtalk:cidXYZ==", isGroup: true, body: { text: "汇报 FGW-03 80%" } } });
  });

  it("hints instead of handling non-text messages and senders without a staffId", () => {
    expect(decideMessage(message({ msgtype: "picture", text: undefined }), at)).toMatchObject({ kind: "hint", text: expect.stringContaining("文字") });
    expect(decideMessage(message({ senderStaffId: "" }), at)).toMatchObject({ kind: "hint", text: expect.stringContaining("钉钉账号") });
  });

  it("strips leading @mentions and spaces but keeps the command", () => {
    expect(stripMentions(" 你好")).toBe("你好");
    expect(stripMentions("@绩效助手 汇报 FGW-03 80%")).toBe("汇报 FGW-03 80%");
    expect(stripMentions("@绩效助手 @张三  我的目标")).toBe("我的目标");
    expect(stripMentions("汇报 @张三")).toBe("汇报 @张三");
  });
});

describe("DingTalk card callback normalisation", () => {
  const content = JSON.stringify({ cardPrivateData: { actionIds: ["button_node_x"], params: { action: "submit", progress: "60" } } });
  const cb = { type: "actionCallback", outTrackId: "report-1", userId: "user123", content };

  it("maps outTrackId, params.action and the other params to an action body", () => {
    const ev = cardEvent(cb, JSON.parse(content), at);
    expect(ev).toMatchObject({ senderId: "user123", conversationId: "dingtalk:oto:user123", body: { type: "action", cardKey: "report-1", actionKey: "submit", values: { progress: "60" } } });
    expect(ev.eventKey).toMatch(/^card:report-1:[0-9a-f]{24}$/);
  });

  it("gives a re-sent callback the same event key and a different choice another", () => {
    const again = cardEvent({ ...cb }, JSON.parse(content), new Date(at.getTime() + 5000));
    const other = JSON.stringify({ cardPrivateData: { actionIds: ["button_node_x"], params: { action: "submit", progress: "70" } } });
    expect(again.eventKey).toBe(cardEvent(cb, JSON.parse(content), at).eventKey);
    expect(cardEvent({ ...cb, content: other }, JSON.parse(other), at).eventKey).not.toBe(again.eventKey);
  });

  it("reads form values ({index, value} selects) and falls back to the component id", () => {
    expect(readAction({ cardPrivateData: { actionIds: ["submit"], params: { form: { progress: { index: 2, value: "30" }, note: "ok" } } } })).toEqual({
      actionKey: "submit",
      values: { progress: "30", note: "ok" },
    });
  });
});
