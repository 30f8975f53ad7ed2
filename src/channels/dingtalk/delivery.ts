import { text, type Reply } from "../../messages/reply.js";
import type { Clock } from "../../infra/clock.js";
import type { Logger } from "../../infra/logger.js";
import type { KeyedReply, ReplyDeliverer } from "../../outbox/replies.js";
import type { DingtalkApi } from "./api.js";
import { DingtalkApiError } from "./errors.js";
import type { MessageOrigin } from "./normalize.js";
import { splitForDingtalk, toWebhookMessage } from "./render.js";

/**
 * Where a DingTalk answer goes. Text and markdown use the message's
 * sessionWebhook while it is valid (no token, lands in the chat the user wrote in); in a group only
 * short plain text does (fitForGroup).
 * Everything else — cards (a sessionWebhook cannot carry interactive cards), files, card updates,
 * and text once the webhook has expired — goes through the active API to the user's 1:1 chat with
 * the robot, so nothing personal is posted to a group, by the reply route (src/outbox/replies.ts).
 */
export interface DeliveryDeps {
  api: DingtalkApi;
  clock: Clock;
  log: Logger;
  /** The reply route for what the API carries (src/outbox/replies.ts). */
  deliver: ReplyDeliverer;
}

/** Never post to a webhook about to expire: the request could arrive after it died. */
export const WEBHOOK_MARGIN_MS = 10_000;

export const NOTE_SENT_PRIVATELY = "详细内容已通过机器人单聊发给您，请在与我的单聊中查看。";

/**
 * What may be answered in a group chat for everyone to read: short plain text without links
 * (acknowledgements, refusals, the right form). Lists, details and signed links (看板) go 1:1, so
 * one agency's targets and ledgers are never shown to members of another (DESIGN.md §5).
 */
export function fitForGroup(reply: Reply): boolean {
  return reply.kind === "text" && reply.text.length <= 120 && !/https?:\/\//.test(reply.text);
}

export async function deliverToOrigin(origin: MessageOrigin, replies: Reply[], deps: DeliveryDeps): Promise<void> {
  let sentPrivately = false;
  // API replies wait here until a webhook post needs to come after them, so the chat keeps the
  // core's order and the route resolves the account once for a run of them.
  const viaApi: KeyedReply[] = [];
  const flush = async () => {
    if (viaApi.length > 0 && origin.staffId) await deps.deliver(origin.staffId, viaApi.splice(0));
  };
  const parts = replies.flatMap<Reply>((r) => (r.kind === "text" || r.kind === "markdown" ? splitForDingtalk(r) : [r]));
  for (const [i, reply] of parts.entries()) {
    const webhookOk = origin.isGroup ? fitForGroup(reply) : reply.kind === "text" || reply.kind === "markdown";
    if (webhookOk && (reply.kind === "text" || reply.kind === "markdown")) {
      await flush();
      if (await viaWebhook(origin, reply, deps)) continue;
    }
    if (!origin.staffId) {
      deps.log.warn({ msg: "dingtalk reply dropped: no webhook and no staffId", eventKey: origin.eventKey, reply: reply.kind });
      continue;
    }
    if (origin.isGroup && reply.kind !== "card-update") sentPrivately = true;
    viaApi.push({ reply, key: `${origin.staffId}:${origin.eventKey}:${i}` });
  }
  await flush();
  if (sentPrivately) await viaWebhook(origin, text(NOTE_SENT_PRIVATELY), deps);
}

/** Card callbacks have no webhook: every reply goes to the clicker's 1:1 chat. */
export async function deliverToUser(staffId: string, replies: Reply[], keyPrefix: string, deps: DeliveryDeps): Promise<void> {
  if (replies.length > 0) await deps.deliver(staffId, replies.map((reply, i) => ({ reply, key: `${keyPrefix}:${i}` })));
}

async function viaWebhook(origin: MessageOrigin, reply: Reply & { kind: "text" | "markdown" }, deps: DeliveryDeps): Promise<boolean> {
  const { sessionWebhook: url, sessionWebhookExpiresAt: expires } = origin;
  if (!url || expires === undefined || expires - deps.clock.now().getTime() < WEBHOOK_MARGIN_MS) return false;
  try {
    await deps.api.postSessionWebhook(url, toWebhookMessage(reply, origin.isGroup ? origin.staffId : undefined));
    return true;
  } catch (err) {
    const detail = err instanceof DingtalkApiError ? err.toLog() : { detail: String(err) };
    deps.log.warn({ msg: "dingtalk sessionWebhook failed, using the API", eventKey: origin.eventKey, ...detail });
    return false;
  }
}
