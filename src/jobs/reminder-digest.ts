import type { Reply } from "../messages/reply.js";
import type { DeliveryPolicy } from "../outbox/policy.js";

/**
 * Calm reminders (issue 10): a person's optional reminders due together go out as one digest with
 * how to report, instead of a message and a card each. The reminders job marks its rows with this
 * group (OutboxMessage.digestGroup); mandatory ones (escalations) are never merged.
 */
export const REMINDER_DIGEST = "reminder";

/** One markdown message out of several text or markdown replies, numbered in the order they were queued. */
export function digestReply(replies: Reply[]): Reply {
  const parts = replies.map((r, i) => {
    const body = r.kind === "text" ? r.text : r.kind === "markdown" ? r.text : "";
    return `**${i + 1}.** ${body.trim()}`;
  });
  return {
    kind: "markdown",
    title: `提醒汇总（${replies.length} 条）`,
    text: [
      `**今日提醒汇总（共 ${replies.length} 条）**`,
      ...parts,
      "如不再接收非必要提醒，请回复“退订 提醒”；负面清单、督办等必要通知不受影响。",
      // The digest replaces the reminders' report cards, so it says how to report without them.
      "汇报进度：汇报 <目标编号> <进度> <说明>；用卡片汇报：目标 <目标编号>。",
    ].join("\n\n"),
  };
}

/** What every outbox worker of the bot applies (src/outbox/worker.ts `policy`). */
export const deliveryPolicy: DeliveryPolicy = { digests: { [REMINDER_DIGEST]: digestReply } };
