import type { InboundEvent } from "../../conversation/event.js";
import { decodeTaskId } from "./render.js";
import type { WecomMessage } from "./xml.js";

/**
 * Decrypted WeCom message/event (docs 90239, 90240) → the one normalised InboundEvent.
 *
 * Dedupe keys follow doc 90238: messages by MsgId, events by FromUserName + CreateTime.
 * - text → text body;
 * - template_card_event / template_card_menu_event → action body (TaskId is the card key, EventKey the
 *   button key, SelectedItems give each select's choice; several choices are joined with ",");
 * - image and video (documented), and file (not in doc 90239 but sent by some clients) → file body,
 *   fetched lazily through media/get — MediaIds are valid for 3 days;
 * - subscribe (a member starts following the app) → the text "帮助", so a newcomer is shown what the
 *   bot can do. enter_agent is ignored on purpose: it fires every time the app is opened, and a help
 *   text each time would be noise;
 * - everything else (voice, location, link, other events) → unsupported: the receiver answers with a
 *   short hint instead of silence.
 */
export type Normalised =
  | { kind: "event"; event: InboundEvent; responseCode?: string; taskId?: string }
  | { kind: "ignore"; reason: string }
  | { kind: "unsupported"; msgType: string };

export const HELP_COMMAND = "帮助";

export interface NormaliseDeps {
  receivedAt: Date;
  fetchMedia: (mediaId: string) => Promise<Buffer>;
}

const MEDIA_EXT: Record<string, string> = { image: "jpg", video: "mp4" };

export function normalise(msg: WecomMessage, deps: NormaliseDeps): Normalised {
  const user = msg.fromUserName;
  const base = { platform: "wecom" as const, senderId: user, conversationId: `wecom:${user}`, receivedAt: deps.receivedAt };
  const eventKey = `evt:${user}:${msg.createTime}`;

  switch (msg.msgType) {
    case "text":
      if (!msg.msgId) return { kind: "ignore", reason: "text without MsgId" };
      return { kind: "event", event: { ...base, eventKey: `msg:${msg.msgId}`, body: { type: "text", text: msg.content ?? "" } } };

    case "image":
    case "video":
    case "file": {
      const mediaId = msg.mediaId;
      if (!msg.msgId || !mediaId) return { kind: "ignore", reason: `${msg.msgType} without MsgId/MediaId` };
      const fileName = msg.fileName || `${msg.msgType}-${msg.msgId}.${MEDIA_EXT[msg.msgType] ?? "bin"}`;
      return {
        kind: "event",
        event: { ...base, eventKey: `msg:${msg.msgId}`, body: { type: "file", fileName, fetch: () => deps.fetchMedia(mediaId) } },
      };
    }

    case "event":
      switch (msg.event) {
        case "template_card_event":
        case "template_card_menu_event": {
          if (!msg.taskId || !msg.eventKey) return { kind: "ignore", reason: "card event without TaskId/EventKey" };
          const values: Record<string, string> = {};
          for (const item of msg.selectedItems) values[item.questionKey] = item.optionIds.join(",");
          return {
            kind: "event",
            responseCode: msg.responseCode || undefined,
            taskId: msg.taskId,
            event: { ...base, eventKey, body: { type: "action", cardKey: decodeTaskId(msg.taskId), actionKey: msg.eventKey, values } },
          };
        }
        case "subscribe":
          return { kind: "event", event: { ...base, eventKey, body: { type: "text", text: HELP_COMMAND } } };
        default:
          return { kind: "ignore", reason: `event ${msg.event ?? "(none)"}` };
      }

    default:
      return { kind: "unsupported", msgType: msg.msgType };
  }
}
