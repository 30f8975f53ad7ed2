import { randomInt } from "node:crypto";
import type { Reply } from "../../messages/reply.js";
import type { WecomCipher } from "./crypto.js";
import { CONTENT_MAX_BYTES, markdownToPlain, splitForWecom, truncateBytes } from "./render.js";
import { buildEncryptedReply, buildTextReply, buildUpdateButtonReply } from "./xml.js";

/**
 * What can ride on the HTTP answer to a callback (passive reply, doc 90241): one text, or — for a
 * template_card_event — an update_button that greys out the clicked button. Everything else (cards,
 * files, further messages) goes through the active API after the answer.
 */
export type PassiveReply = { type: "text"; content: string } | { type: "update_button"; replaceName: string };

export interface ReplyPlan {
  passive?: PassiveReply;
  /** Replies left for the active API, in their original order. */
  rest: Reply[];
}

/**
 * Only the FIRST reply may go passive (so the chat keeps the core's order), except a card-update for
 * the very card that was clicked, which is pulled forward as update_button wherever it is.
 * Markdown goes passive as plain text because passive replies have no markdown type.
 */
export function planReplies(replies: Reply[], clickedCardKey?: string): ReplyPlan {
  if (clickedCardKey !== undefined) {
    const i = replies.findIndex((r) => r.kind === "card-update" && r.cardKey === clickedCardKey);
    if (i >= 0) {
      const update = replies[i] as Extract<Reply, { kind: "card-update" }>;
      return { passive: { type: "update_button", replaceName: update.status }, rest: replies.filter((_, j) => j !== i) };
    }
  }
  // A long first reply is split: its first part answers passively, the other parts follow it.
  const [first, ...rest] = replies.length > 0 ? [...splitForWecom(replies[0]), ...replies.slice(1)] : [];
  if (first?.kind === "text") return { passive: { type: "text", content: truncateBytes(first.text, CONTENT_MAX_BYTES) }, rest };
  if (first?.kind === "markdown") return { passive: { type: "text", content: markdownToPlain(first) }, rest };
  return { rest: replies };
}

/** The encrypted answer body: inner XML sealed with our key and signed (doc 90238). */
export function sealPassive(cipher: WecomCipher, reply: PassiveReply, head: { toUser: string; corpId: string; now: Date }): string {
  const createTime = Math.floor(head.now.getTime() / 1000);
  const inner =
    reply.type === "text"
      ? buildTextReply({ toUser: head.toUser, fromUser: head.corpId, createTime, content: reply.content })
      : buildUpdateButtonReply({ toUser: head.toUser, fromUser: head.corpId, createTime, replaceName: reply.replaceName });
  const timestamp = String(createTime);
  const nonce = String(randomInt(100_000_000, 2_000_000_000));
  const { encrypted, signature } = cipher.seal(inner, timestamp, nonce);
  return buildEncryptedReply({ encrypt: encrypted, signature, timestamp, nonce });
}
