import type { Reply } from "../../messages/reply.js";
import type { Logger } from "../../infra/logger.js";
import type { ChannelSender, SendMeta, SendResult } from "../../outbox/sender.js";
import type { DingtalkApi, RobotMessage } from "./api.js";
import { toSendFailure } from "./errors.js";
import { cardAsMarkdown, cardParamMap, fileMessage, splitForDingtalk, submittedParams, toRobotMessage } from "./render.js";

/**
 * Interactive cards need a template built in the DingTalk card platform (its id) and a registered
 * callback route. Without a template, cards go out as markdown with command links (render.ts).
 */
export interface DingtalkCardOptions {
  templateId?: string;
  callbackRouteKey?: string;
}

/** Per-user throttling (flowControlledStaffIdList) gives no wait time; a minute is a polite guess. */
const FLOW_CONTROL_RETRY_MS = 60_000;

/**
 * Active sending to one DingTalk user (recipient = staffId / userid) through the robot's 1:1 chat.
 * Never throws for platform or network trouble: the outbox gets a typed SendResult.
 */
export class DingtalkSender implements ChannelSender {
  readonly platform = "dingtalk" as const;

  constructor(
    private readonly api: DingtalkApi,
    private readonly log: Logger,
    private readonly cards: DingtalkCardOptions = {},
  ) {}

  get interactiveCards(): boolean {
    return Boolean(this.cards.templateId);
  }

  async send(recipient: string, reply: Reply, meta: SendMeta): Promise<SendResult> {
    try {
      return await this.deliver(recipient, reply);
    } catch (err) {
      const failure = toSendFailure(err);
      this.log.warn({ msg: "dingtalk send failed", key: meta.idempotencyKey, reply: reply.kind, kind: failure.kind, code: failure.code, detail: failure.message });
      return failure;
    }
  }

  private async deliver(staffId: string, reply: Reply): Promise<SendResult> {
    switch (reply.kind) {
      case "text":
      case "markdown": {
        // Numbered parts in order; on a retry the outbox sends them all again (DingTalk has no
        // duplicate check), which is rarer and kinder than a reply without its tail.
        let result: SendResult = { ok: true };
        for (const part of splitForDingtalk(reply)) {
          result = await this.oto(staffId, toRobotMessage(part));
          if (!result.ok) return result;
        }
        return result;
      }
      case "card":
        if (!this.cards.templateId) return this.oto(staffId, cardAsMarkdown(reply.card));
        await this.api.createAndDeliverCard({
          outTrackId: reply.card.key,
          cardTemplateId: this.cards.templateId,
          cardParamMap: cardParamMap(reply.card),
          callbackRouteKey: this.cards.callbackRouteKey,
          to: { userId: staffId },
        });
        return { ok: true, platformMessageId: reply.card.key };
      case "card-update": {
        // A markdown card has nothing to grey out; its links simply send a command that is refused.
        if (!this.cards.templateId) return { ok: true };
        const params = submittedParams(reply.status);
        await this.api.updateCard({ outTrackId: reply.cardKey, cardParamMap: params, privateData: { [staffId]: params } });
        return { ok: true, platformMessageId: reply.cardKey };
      }
      case "file": {
        const mediaId = await this.api.uploadMedia(reply.fileName, Buffer.from(reply.base64, "base64"));
        const sent = await this.oto(staffId, fileMessage(mediaId, reply.fileName));
        if (sent.ok && reply.caption) await this.captionAfterFile(staffId, reply.caption);
        return sent;
      }
    }
  }

  /** The file already arrived: a failed caption must not make the outbox send the file again. */
  private async captionAfterFile(staffId: string, caption: string): Promise<void> {
    try {
      await this.oto(staffId, toRobotMessage({ kind: "text", text: caption }));
    } catch (err) {
      this.log.warn({ msg: "dingtalk file caption not sent", detail: toSendFailure(err).message });
    }
  }

  /** BatchSendOTO reports per-user trouble in lists on an HTTP 200 (robot batchSend page). */
  private async oto(staffId: string, message: RobotMessage): Promise<SendResult> {
    const res = await this.api.batchSendOto([staffId], message);
    if (res.invalidStaffIdList.includes(staffId)) {
      return { ok: false, kind: "permanent", code: "invalidStaffIdList", message: `staffId ${staffId} is not a member the robot can reach` };
    }
    if (res.flowControlledStaffIdList.includes(staffId)) {
      return { ok: false, kind: "rate_limited", code: "flowControlledStaffIdList", message: `staffId ${staffId} is flow-controlled`, retryAfterMs: FLOW_CONTROL_RETRY_MS };
    }
    return { ok: true, platformMessageId: res.processQueryKey };
  }
}
