import { createHash } from "node:crypto";
import type { InboundEvent } from "../../conversation/event.js";
import type { CardCallback, CardCallbackContent, RobotMessage } from "./payloads.js";

/**
 * Turns verified DingTalk payloads into the one InboundEvent the core understands. Pure functions: no
 * I/O, no clock (the receiver passes receivedAt), so every rule here is unit-testable.
 */

/** Where the answer to one robot message can go. */
export interface MessageOrigin {
  eventKey: string;
  /** The sender's userid (senderStaffId); empty for external members and unpublished robots. */
  staffId?: string;
  isGroup: boolean;
  /** DingTalk's conversationId; for groups usable as openConversationId. */
  dingtalkConversationId: string;
  sessionWebhook?: string;
  /** ms since epoch (sessionWebhookExpiredTime). */
  sessionWebhookExpiresAt?: number;
}

export type MessageDecision =
  | { kind: "event"; event: InboundEvent; origin: MessageOrigin }
  | { kind: "hint"; text: string; reason: string; origin: MessageOrigin }
  | { kind: "ignore"; reason: string };

export const HINT_TEXT_ONLY = "目前只能识别文字消息。请直接发送文字命令，例如“我的目标”；回复“帮助”查看全部用法。";
export const HINT_NO_STAFF_ID =
  "暂时无法识别您的钉钉账号（外部联系人或机器人尚未发布时无法获取工号）。请使用本单位通讯录中的账号与机器人对话，或联系目标办。";

/**
 * Conversation ids the core keys dialogs by. A 1:1 chat with the robot is identified by the user
 * (not DingTalk's encrypted cid) because card callbacks carry no conversation id: a confirmation
 * asked from a card click must be answerable by text in the same chat.
 */
export function groupConversationId(openConversationId: string): string {
  return `dingtalk:${openConversationId}`;
}
export function directConversationId(staffId: string): string {
  return `dingtalk:oto:${staffId}`;
}

export function decideMessage(msg: RobotMessage, receivedAt: Date): MessageDecision {
  const isGroup = msg.conversationType === "2";
  // Groups deliver only @-messages in practice; checking isInAtList keeps us quiet if that changes.
  if (isGroup && msg.isInAtList !== true) return { kind: "ignore", reason: "group message without @robot" };

  const origin: MessageOrigin = {
    eventKey: `msg:${msg.msgId}`,
    staffId: msg.senderStaffId || undefined,
    isGroup,
    dingtalkConversationId: msg.conversationId,
    sessionWebhook: msg.sessionWebhook || undefined,
    sessionWebhookExpiresAt: toMillis(msg.sessionWebhookExpiredTime),
  };
  if (msg.msgtype !== "text" || msg.text === undefined) {
    return { kind: "hint", text: HINT_TEXT_ONLY, reason: `unsupported msgtype ${msg.msgtype}`, origin };
  }
  if (!origin.staffId) return { kind: "hint", text: HINT_NO_STAFF_ID, reason: "no senderStaffId", origin };

  return {
    kind: "event",
    origin,
    event: {
      platform: "dingtalk",
      eventKey: origin.eventKey,
      senderId: origin.staffId,
      conversationId: isGroup ? groupConversationId(msg.conversationId) : directConversationId(origin.staffId),
      isGroup,
      receivedAt,
      body: { type: "text", text: stripMentions(msg.text.content) },
    },
  };
}

/**
 * DingTalk removes the robot's own @name but leaves a leading space (receive-message page example
 * " 你好"); some clients keep "@name". No command starts with "@", so leading mentions are dropped.
 */
export function stripMentions(content: string): string {
  return content.replace(/^(?:\s*@\S+)+\s*/u, "").trim();
}

/**
 * A card click. The callback carries no delivery id, so the event key hashes what identifies the
 * click: a re-sent callback is byte-identical and dedupes; a click with other values does not.
 */
export function cardEvent(cb: CardCallback, content: CardCallbackContent, receivedAt: Date): InboundEvent {
  const { actionKey, values } = readAction(content);
  const digest = createHash("sha256").update(`${cb.userId}\n${cb.content ?? cb.value ?? ""}`).digest("hex").slice(0, 24);
  return {
    platform: "dingtalk",
    eventKey: `card:${cb.outTrackId}:${digest}`,
    senderId: cb.userId,
    conversationId: cb.spaceType === "IM_GROUP" && cb.spaceId ? groupConversationId(cb.spaceId) : directConversationId(cb.userId),
    isGroup: cb.spaceType === "IM_GROUP",
    receivedAt,
    body: { type: "action", cardKey: cb.outTrackId, actionKey, values },
  };
}

/**
 * Our card template's buttons send params { action: <CardAction.key>, <select key>: <option id> }
 * (see render.ts). Form components send params.form { name: value | {index, value} } (official
 * dingtalk-card-examples, 表单组件). actionIds[0] (the component id) is the last resort.
 */
export function readAction(content: CardCallbackContent): { actionKey: string; values: Record<string, string> } {
  const params = content.cardPrivateData?.params ?? {};
  const values: Record<string, string> = {};
  const take = (key: string, v: unknown): void => {
    const s = scalar(v);
    if (s !== undefined) values[key] = s;
  };
  for (const [key, v] of Object.entries(params)) {
    if (key === "action" || key === "form" || key === "current_form") continue;
    take(key, v);
  }
  const form = params.form;
  if (form && typeof form === "object" && !Array.isArray(form)) {
    for (const [key, v] of Object.entries(form as Record<string, unknown>)) take(key, v);
  }
  const action = scalar(params.action) ?? content.cardPrivateData?.actionIds?.[0] ?? "";
  return { actionKey: action, values };
}

function scalar(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v && typeof v === "object" && "value" in v) return scalar((v as { value: unknown }).value);
  return undefined;
}

function toMillis(v: number | string | undefined): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
