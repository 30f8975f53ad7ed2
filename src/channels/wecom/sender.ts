import type { Reply } from "../../messages/reply.js";
import type { Logger } from "../../infra/logger.js";
import type { ChannelSender, SendFailure, SendMeta, SendResult } from "../../outbox/sender.js";
import { configHint, TOKEN_ERRCODES, WecomApiError, WecomHttpError, type WecomApiClient } from "./api.js";
import { encodeTaskId, renderCard, renderText, renderTextual, WecomRenderError } from "./render.js";
import type { ResponseCodeStore } from "./response-codes.js";

/**
 * Active sending for the outbox (and for replies that do not fit a passive reply). Never throws for
 * platform or network trouble: every failure becomes a typed SendFailure (src/outbox/sender.ts).
 */
export class WecomSender implements ChannelSender {
  readonly platform = "wecom" as const;

  constructor(
    readonly api: WecomApiClient,
    readonly responseCodes: ResponseCodeStore,
    private readonly log: Logger,
  ) {}

  /** `recipient` is the member's userid. */
  async send(recipient: string, reply: Reply, meta: SendMeta): Promise<SendResult> {
    try {
      return await this.deliver(recipient, reply);
    } catch (err) {
      const failure = classify(err);
      this.log.warn(
        {
          recipient,
          kind: reply.kind,
          idempotencyKey: meta.idempotencyKey,
          failure: failure.kind,
          code: failure.code,
          reason: failure.message,
          hint: typeof failure.code === "number" ? configHint(failure.code) : undefined,
        },
        "wecom send failed",
      );
      return failure;
    }
  }

  private async deliver(to: string, reply: Reply): Promise<SendResult> {
    switch (reply.kind) {
      case "text":
      case "markdown": {
        // A long reply goes out as numbered parts in order. If a later part fails, the outbox sends all
        // of them again and WeCom's duplicate check (api.ts) keeps the earlier ones from arriving twice.
        let res: { msgid?: string } = {};
        for (const body of renderTextual(reply)) res = await this.api.sendMessage(to, body);
        return sent(res);
      }
      case "card": {
        const body = renderCard(reply.card);
        if (reply.card.selects?.length && reply.card.actions.length > 1) {
          this.log.warn({ cardKey: reply.card.key }, "wecom multiple_interaction cards have one submit button; extra actions dropped");
        }
        if (reply.card.selects?.some((s) => s.options.length > 10)) {
          this.log.warn({ cardKey: reply.card.key }, "wecom selects show at most 10 options; the list was cut to 10 around the preselected one");
        }
        const res = await this.api.sendMessage(to, body);
        if (res.response_code) await this.responseCodes.put(encodeTaskId(reply.card.key), res.response_code);
        return sent(res);
      }
      case "card-update": {
        const code = await this.responseCodes.take(encodeTaskId(reply.cardKey));
        if (!code) return { ok: false, kind: "permanent", code: "no_response_code", message: "no unused response_code for this card (72 h, single use)" };
        await this.api.updateTemplateCardButton([to], code, reply.status);
        return { ok: true };
      }
      case "file": {
        const mediaId = await this.api.uploadMedia("file", reply.fileName, Buffer.from(reply.base64, "base64"));
        const res = await this.api.sendMessage(to, { msgtype: "file", file: { media_id: mediaId } });
        // WeCom file messages have no caption: it follows as a text message. The file is what matters;
        // failing the whole send here would make the outbox push the file a second time.
        if (reply.caption) {
          await this.api.sendMessage(to, renderText(reply.caption)).catch((err: unknown) => {
            const f = classify(err);
            this.log.warn({ recipient: to, failure: f.kind, code: f.code }, "wecom file caption not delivered");
          });
        }
        return sent(res);
      }
    }
  }
}

function sent(res: { msgid?: string }): SendResult {
  return res.msgid ? { ok: true, platformMessageId: res.msgid } : { ok: true };
}

/** errcode → what the outbox should do (doc 90313). */
export function classify(err: unknown): SendFailure {
  if (err instanceof WecomApiError) {
    const { errcode, errmsg } = err;
    const message = `${err.api}: ${errmsg}`;
    // 45009 frequency limit, 45033 concurrency limit: the per-minute block lasts 60 s (doc 90312).
    if (errcode === 45009 || errcode === 45033) return { ok: false, kind: "rate_limited", code: errcode, message, retryAfterMs: 60_000 };
    // -1 system busy; token trouble that a refresh did not fix (the outbox tries again later).
    if (errcode === -1 || TOKEN_ERRCODES.has(errcode) || errcode === 40013 || errcode === 41001) {
      return { ok: false, kind: "retryable", code: errcode, message };
    }
    // 60020 untrusted IP, 81013 recipient outside the app's range, 40003 bad userid, and every other
    // client error: the same request will fail again.
    return { ok: false, kind: "permanent", code: errcode, message };
  }
  if (err instanceof WecomHttpError) {
    if (err.status === 429) return { ok: false, kind: "rate_limited", code: 429, message: err.message, retryAfterMs: 60_000 };
    if (err.status === undefined || err.status >= 500) return { ok: false, kind: "retryable", code: err.status, message: err.message };
    return { ok: false, kind: "permanent", code: err.status, message: err.message };
  }
  if (err instanceof WecomRenderError) return { ok: false, kind: "permanent", code: "render", message: err.message };
  return { ok: false, kind: "retryable", message: err instanceof Error ? err.message : String(err) };
}
