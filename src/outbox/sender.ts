import type { Reply } from "../messages/reply.js";
import type { Platform } from "../domain/vocabulary.js";

/**
 * The one outbound seam each channel implements for active sending (pushes, reminders, notices).
 * Sending never throws for platform or network trouble: it reports a typed failure so the outbox can
 * decide to retry, back off or give up.
 */
export interface ChannelSender {
  readonly platform: Platform;
  send(recipient: string, reply: Reply, meta: SendMeta): Promise<SendResult>;
}

export interface SendMeta {
  /** Outbox idempotency key; channels may pass it on as a platform de-duplication id. */
  idempotencyKey: string;
}

export type SendResult = { ok: true; platformMessageId?: string } | SendFailure;

export interface SendFailure {
  ok: false;
  /**
   * rate_limited: the platform asked us to slow down (retry later);
   * retryable: 5xx, timeouts, network errors, token trouble that a refresh did not fix;
   * permanent: the request itself is wrong or the recipient is unreachable (no retry helps).
   */
  kind: "rate_limited" | "retryable" | "permanent";
  /** Platform error code (WeCom errcode, DingTalk code) or HTTP status. */
  code?: string | number;
  message: string;
  retryAfterMs?: number;
}
