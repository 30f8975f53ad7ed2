import Router from "@koa/router";
import type { Context } from "koa";
import type { Settings } from "../../config/settings.js";
import type { InboundEvent } from "../../conversation/event.js";
import type { Reply } from "../../messages/reply.js";
import type { Clock } from "../../infra/clock.js";
import { lazyChild, type Logger } from "../../infra/logger.js";
import { CallbackRejected, MAX_TIMESTAMP_SKEW_MS, openCallback, openEchostr } from "./callback-guard.js";
import { wecomCredentials } from "./create-sender.js";
import { WecomCipher } from "./crypto.js";
import { normalise } from "./inbound.js";
import { planReplies, sealPassive, type PassiveReply } from "./passive.js";
import type { WecomSender } from "./sender.js";
import { parseMessage, WecomXmlError } from "./xml.js";
import { StorageUnavailable } from "../../infra/db-errors.js";
import { retryUntilStored } from "../retry-stored.js";
import type { ReplyDeliverer } from "../../outbox/replies.js";

/**
 * The WeCom self-built app callback (docs 90238, 90930): GET verifies the URL, POST carries encrypted
 * messages and events. Transport only — verify, decrypt, normalise, hand one InboundEvent to `handle`,
 * and answer inside WeCom's 5-second window (it retries otherwise, 3 attempts in all).
 *
 * When `handle` finishes within the budget, the first text (or the clicked card's update) rides on
 * the HTTP answer as an encrypted passive reply; all other replies, and all of them when the budget
 * runs out, go to the reply route (src/outbox/replies.ts) afterwards.
 */
export const WECOM_CALLBACK_PATH = "/wecom/callback";
/** Leaves ~1 s of WeCom's 5 s for encryption and the network. */
export const PASSIVE_BUDGET_MS = 4_000;

export const TEXT_UNSUPPORTED = "暂不支持这类消息。请发送文字命令（如“汇报 编号 进度 说明”）或文件，发送“帮助”查看全部命令。";
export const TEXT_FAILED = "抱歉，系统暂时无法处理您的消息，请稍后再试。";

export interface WecomRoutesDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  handle: (ev: InboundEvent) => Promise<Reply[]>;
  /** The outbox's sender too, so both use one token cache and one response-code store. */
  sender: WecomSender;
  /** The reply route for replies that cannot ride on the HTTP answer, from the composition root. */
  deliver: ReplyDeliverer;
  passiveBudgetMs?: number;
  maxSkewMs?: number;
  /** Answer a card click's card-update as passive update_button (doc 90241); false: via the API. */
  passiveCardUpdate?: boolean;
}

export function createWecomRoutes(deps: WecomRoutesDeps): Router {
  const creds = wecomCredentials(deps.settings);
  const log = deps.log.child({ channel: "wecom" });
  const cipher = new WecomCipher(creds.token, creds.encodingAesKey, creds.corpId);
  const { sender } = deps;
  const budgetMs = deps.passiveBudgetMs ?? PASSIVE_BUDGET_MS;
  const maxSkewMs = deps.maxSkewMs ?? MAX_TIMESTAMP_SKEW_MS;

  // The core answers a re-sent delivery with the replies it stored the first time; the passive part may
  // be answered again (WeCom never got the first answer), but API sends must not repeat. In memory;
  // the outbox's idempotency key per event and reply guards across restarts and instances.
  const delivered = new RecentKeys(5_000);

  const router = new Router();

  router.get(WECOM_CALLBACK_PATH, (ctx) => {
    try {
      // The plain echostr, no quotes or newline, within 1 s (doc 90238).
      ctx.type = "text/plain";
      ctx.body = openEchostr(cipher, ctx.query);
      log.info("wecom callback URL verified");
    } catch (err) {
      refuse(ctx, err, log);
    }
  });

  router.post(WECOM_CALLBACK_PATH, async (ctx) => {
    try {
      const xml = await openCallback(ctx.req, ctx.query, { cipher, now: deps.clock.now(), maxSkewMs });
      const msg = parseMessage(xml);
      if (msg.agentId && msg.agentId !== String(creds.agentId)) {
        log.warn({ agentId: msg.agentId }, "wecom callback for another app ignored; check WECOM_AGENT_ID and the app's callback URL");
        return answerEmpty(ctx);
      }
      const n = normalise(msg, { receivedAt: deps.clock.now(), fetchMedia: async (id) => (await sender.api.getMedia(id)).data });
      if (n.kind === "ignore") {
        log.debug({ reason: n.reason }, "wecom callback ignored");
        return answerEmpty(ctx);
      }
      if (n.kind === "unsupported") {
        return answerPassive(ctx, { type: "text", content: TEXT_UNSUPPORTED }, msg.fromUserName);
      }
      const ev = n.event;
      // Kept before handling so a card-update sent later through the API can still use it.
      if (n.responseCode && n.taskId) await sender.responseCodes.put(n.taskId, n.responseCode);
      const evLog = lazyChild(log, { eventKey: ev.eventKey });
      const userid = ev.senderId;
      const background = (replies: Reply[]) => {
        if (replies.length === 0 || !delivered.add(`${userid}\n${ev.eventKey}`)) return;
        const keyed = replies.map((reply, i) => ({ reply, key: `wecom-reply:${userid}:${ev.eventKey}:${i}` }));
        deps.deliver(userid, keyed).catch((err: unknown) => evLog.error({ err: errInfo(err) }, "wecom background delivery failed"));
      };

      const work = Promise.resolve().then(() => deps.handle(ev));
      const outcome = await within(work, budgetMs);
      if (outcome.state === "late") {
        evLog.warn({ budgetMs }, "wecom handler over budget; answering empty and sending replies through the API");
        // Already acknowledged: WeCom will not send it again, so a storage fault is retried here.
        work
          .catch((err: unknown) => (err instanceof StorageUnavailable ? retryUntilStored(deps.handle, ev, evLog) : Promise.reject(err)))
          .then(background, (err: unknown) => {
            evLog.error({ err: errInfo(err) }, "wecom handler failed");
            background([{ kind: "text", text: TEXT_FAILED }]);
          });
        return answerEmpty(ctx);
      }
      if (outcome.state === "failed" && outcome.error instanceof StorageUnavailable) {
        // Not stored: a non-200 makes WeCom deliver the message again (doc 90238).
        ctx.status = 503;
        ctx.type = "text/plain";
        ctx.body = "temporarily unavailable";
        return;
      }
      if (outcome.state === "failed") {
        evLog.error({ err: errInfo(outcome.error) }, "wecom handler failed");
        return answerPassive(ctx, { type: "text", content: TEXT_FAILED }, userid);
      }
      const clicked = ev.body.type === "action" && deps.passiveCardUpdate !== false ? ev.body.cardKey : undefined;
      const plan = planReplies(outcome.value, clicked);
      background(plan.rest);
      return plan.passive ? answerPassive(ctx, plan.passive, userid) : answerEmpty(ctx);
    } catch (err) {
      refuse(ctx, err, log);
    }
  });

  function answerPassive(ctx: Context, reply: PassiveReply, userid: string): void {
    ctx.status = 200;
    ctx.type = "application/xml";
    ctx.body = sealPassive(cipher, reply, { toUser: userid, corpId: creds.corpId, now: deps.clock.now() });
  }

  return router;
}

/** "Received, no passive reply" is an empty 200 (doc 90238). */
function answerEmpty(ctx: Context): void {
  ctx.status = 200;
  ctx.type = "text/plain";
  ctx.body = "";
}

function refuse(ctx: Context, err: unknown, log: Logger): void {
  if (err instanceof CallbackRejected || err instanceof WecomXmlError) {
    const status = err instanceof CallbackRejected ? err.status : 400;
    log.warn({ method: ctx.method, status, reason: err.message }, "wecom callback refused");
    ctx.status = status;
    ctx.type = "text/plain";
    ctx.body = err.message;
    return;
  }
  log.error({ method: ctx.method, err: errInfo(err) }, "wecom callback failed");
  ctx.status = 500;
  ctx.type = "text/plain";
  ctx.body = "internal error";
}

/** A bounded set of recently seen keys; `add` is false when the key was already there. */
class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly max: number) {}
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }
}

type Outcome<T> = { state: "done"; value: T } | { state: "failed"; error: unknown } | { state: "late" };

function within<T>(work: Promise<T>, ms: number): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ state: "late" }), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve({ state: "done", value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ state: "failed", error });
      },
    );
  });
}

function errInfo(err: unknown): { name?: string; message: string; stack?: string } {
  return err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { message: String(err) };
}
