import { randomUUID } from "node:crypto";
import type { ConversationCore } from "../../src/conversation/core.js";
import type { Reply } from "../../src/messages/reply.js";
import type { Clock } from "../../src/infra/clock.js";
import { renderReply } from "../../src/channels/console/render.js";

/**
 * Scenario tests read like a chat transcript: `await say("fgw_zhao", "我的目标")` returns what the
 * bot answered, through the console channel's platform name and the real core.
 */
export function chatWith(core: ConversationCore, clock: Clock) {
  const lastReplies: Reply[] = [];
  async function send(account: string, body: Parameters<ConversationCore["handle"]>[0]["body"], eventKey?: string): Promise<Reply[]> {
    const replies = await core.handle({ platform: "console", eventKey: eventKey ?? randomUUID(), senderId: account, conversationId: `console:${account}`, receivedAt: clock.now(), body });
    lastReplies.splice(0, lastReplies.length, ...replies);
    return replies;
  }
  return {
    send,
    /** The bot's answer as console text. */
    async say(account: string, text: string, eventKey?: string): Promise<string> {
      const replies = await send(account, { type: "text", text }, eventKey);
      return replies.map((r) => renderReply(r, () => 0)).join("\n");
    },
    async click(account: string, cardKey: string, actionKey: string, values: Record<string, string> = {}): Promise<string> {
      const replies = await send(account, { type: "action", cardKey, actionKey, values });
      return replies.map((r) => renderReply(r, () => 0)).join("\n");
    },
    get last(): Reply[] {
      return lastReplies;
    },
  };
}
