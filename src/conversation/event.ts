import type { Platform } from "../domain/vocabulary.js";

/**
 * One normalised inbound event crosses from a channel into the core: a chat message, a card action
 * or a file. Channels fill it after verifying and decoding the platform payload.
 */
export interface InboundEvent {
  platform: Platform;
  /** Stable id of the platform delivery, for retry de-duplication (WeCom MsgId, DingTalk msgId …). */
  eventKey: string;
  /** The sender's platform account (WeCom userid, DingTalk staffId, console account). */
  senderId: string;
  /** Chat the message came from; one dialog is kept per user and conversation. */
  conversationId: string;
  isGroup?: boolean;
  receivedAt: Date;
  body: TextBody | ActionBody | FileBody;
  /**
   * Set by the core when this delivery was handled before and is answered with the stored replies:
   * a channel may repeat what rides on the HTTP answer, but sends nothing actively a second time.
   */
  redelivery?: boolean;
}

export interface TextBody {
  type: "text";
  text: string;
}

/** A click or submission on a card the bot sent earlier. */
export interface ActionBody {
  type: "action";
  cardKey: string;
  actionKey: string;
  /** Selected option id per select key. */
  values: Record<string, string>;
}

export interface FileBody {
  type: "file";
  fileName: string;
  /** Fetches the file's bytes (platform media download). */
  fetch: () => Promise<Buffer>;
}
