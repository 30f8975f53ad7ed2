import { Router } from "@koa/router";
import type { Context } from "koa";
import type { Settings } from "../../config/settings.js";
import type { InboundEvent } from "../../conversation/event.js";
import { text, type Reply } from "../../messages/reply.js";
import type { Clock } from "../../infra/clock.js";
import type { Logger } from "../../infra/logger.js";
import type { DingtalkApi } from "./api.js";
import { BackgroundTasks } from "./background.js";
import { answerCard, CARD_DEADLINE_MS } from "./card-callback.js";
import { deliverToOrigin, deliverToUser, type DeliveryDeps } from "./delivery.js";
import { cardEvent, decideMessage } from "./normalize.js";
import { cardCallbackContentSchema, cardCallbackSchema, robotMessageSchema } from "./payloads.js";
import { BodyError, CALLBACK_BODY_LIMIT, readJsonBody } from "./read-json.js";
import { verifyCardSignature, verifyRobotSignature, type SignatureCheck } from "./signature.js";
import { memorySignatureLedger, type SignatureLedger } from "./replay-guard.js";

export interface DingtalkReceiverDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  handle: (ev: InboundEvent) => Promise<Reply[]>;
  /** The API client the outbox's sender uses too (one token cache), for session webhooks. */
  api: DingtalkApi;
  /** apiSecret registered for card callbacks (POST /v1.0/card/callbacks/register); default the app secret. */
  cardApiSecret?: string;
  /** The reply route for replies the API carries (src/outbox/replies.ts), from the composition root. */
  deliver: DeliveryDeps["deliver"];
  /** Post-answer delivery work; pass one to drain it on shutdown or in tests. */
  tasks?: BackgroundTasks;
  cardDeadlineMs?: number;
  bodyLimitBytes?: number;
  /** Where accepted signature pairs are remembered (the database); default this process's memory. */
  signatures?: SignatureLedger;
}

/**
 * DingTalk enterprise-robot HTTP mode: POST /dingtalk/callback (robot messages,
 * open.dingtalk.com/document/orgapp/receive-message) and POST /dingtalk/card (interactive-card
 * callbacks, open.dingtalk.com/document/orgapp/event-callback-card). Transport only: verify the
 * signature before reading the body, decode, hand one InboundEvent to `handle`, answer, then deliver.
 */
export function createDingtalkRoutes(deps: DingtalkReceiverDeps): Router {
  const { settings, clock, handle } = deps;
  const log = deps.log.child({ channel: "dingtalk" });
  const appSecret = required(settings.DINGTALK_APP_SECRET, "DINGTALK_APP_SECRET");
  const { api } = deps;
  const tasks = deps.tasks ?? new BackgroundTasks(log);
  const delivery: DeliveryDeps = { api, clock, log, deliver: deps.deliver };
  const limit = deps.bodyLimitBytes ?? CALLBACK_BODY_LIMIT;
  const cardSecret = deps.cardApiSecret ?? appSecret;
  const signatures = deps.signatures ?? memorySignatureLedger();
  const router = new Router();

  /** Refuses a signature pair already used with another body, and a body for another robot or organisation. */
  async function refuseForeign(ctx: Context, kind: "robot" | "card", body: unknown, ids: { robotCode?: string; corpId?: string }): Promise<boolean> {
    if (kind === "robot" && ids.robotCode !== settings.DINGTALK_ROBOT_CODE) {
      log.warn({ msg: "dingtalk message for another robot refused", hint: "check DINGTALK_ROBOT_CODE", ip: ctx.ip });
      return refuse(ctx, 403, "robot code does not match");
    }
    if (settings.DINGTALK_CORP_ID && ids.corpId !== undefined && ids.corpId !== settings.DINGTALK_CORP_ID) {
      log.warn({ msg: "dingtalk callback from another organisation refused", hint: "check DINGTALK_CORP_ID", ip: ctx.ip });
      return refuse(ctx, 403, "corp id does not match");
    }
    const headers = kind === "robot" ? ["timestamp", "sign"] : ["x-ddpaas-signature-timestamp", "x-ddpaas-signature"];
    const verdict = await signatures.claim({ kind, timestamp: ctx.get(headers[0]), sign: ctx.get(headers[1]), body, now: clock.now() });
    if (verdict !== "replay") return false;
    log.warn({ msg: `dingtalk ${kind} callback refused: signature already used with another body (replay)`, ip: ctx.ip });
    return refuse(ctx, 401, "signature already used");
  }

  router.post("/dingtalk/callback", async (ctx) => {
    const check = verifyRobotSignature({ timestamp: ctx.get("timestamp"), sign: ctx.get("sign"), appSecret, now: clock.now() });
    if (!rejectUnsigned(ctx, check, log, "message")) return;
    const raw = await readBody(ctx, limit);
    if (raw === undefined) return;
    const parsed = robotMessageSchema.safeParse(raw);
    if (!parsed.success) return badRequest(ctx, log, "not a robot message");
    if (await refuseForeign(ctx, "robot", raw, { robotCode: parsed.data.robotCode, corpId: parsed.data.chatbotCorpId })) return;

    const decision = decideMessage(parsed.data, clock.now());
    ctx.status = 200;
    ctx.body = {};
    if (decision.kind === "ignore") {
      log.debug({ msg: "dingtalk message ignored", reason: decision.reason });
      return;
    }
    if (decision.kind === "hint") {
      log.info({ msg: "dingtalk message answered with a hint", reason: decision.reason, eventKey: decision.origin.eventKey });
      tasks.afterResponse(ctx, () => deliverToOrigin(decision.origin, [text(decision.text)], delivery));
      return;
    }
    // Handled before answering: an acknowledged message is already stored by the core. A throw
    // becomes a 5xx, so DingTalk may deliver again and the eventKey dedupes it.
    const replies = await handle(decision.event);
    // A redelivery was answered the first time; a send that failed then is the outbox's to retry.
    if (decision.event.redelivery) return log.info({ msg: "dingtalk redelivery: nothing sent again", eventKey: decision.event.eventKey });
    tasks.afterResponse(ctx, () => deliverToOrigin(decision.origin, replies, delivery));
  });

  router.post("/dingtalk/card", async (ctx) => {
    const check = verifyCardSignature({
      timestamp: ctx.get("x-ddpaas-signature-timestamp"),
      sign: ctx.get("x-ddpaas-signature"),
      apiSecret: cardSecret,
      now: clock.now(),
    });
    if (!rejectUnsigned(ctx, check, log, "card")) return;
    const raw = await readBody(ctx, limit);
    if (raw === undefined) return;
    const parsed = cardCallbackSchema.safeParse(raw);
    if (!parsed.success) return badRequest(ctx, log, "not a card callback");
    const cb = parsed.data;
    if (await refuseForeign(ctx, "card", raw, { corpId: cb.corpId })) return;
    if (cb.type !== undefined && cb.type !== "actionCallback") {
      ctx.body = {};
      return;
    }
    const content = cardCallbackContentSchema.safeParse(parseJson(cb.content ?? cb.value ?? "{}"));
    if (!content.success) return badRequest(ctx, log, "card callback content is not JSON");

    const event = cardEvent(cb, content.data, clock.now());
    if (event.body.type !== "action" || !event.body.actionKey) return badRequest(ctx, log, "card callback without an action");
    const answer = await answerCard(event as InboundEvent & { body: { type: "action" } }, handle, deps.cardDeadlineMs ?? CARD_DEADLINE_MS);
    ctx.status = 200;
    ctx.body = answer.body;
    tasks.afterResponse(ctx, async () => {
      const rest = await answer.rest;
      if (!event.redelivery) await deliverToUser(cb.userId, rest, event.eventKey, delivery);
    });
  });

  return router;
}

/** Checked before the body is read, so a forged request costs nothing and never reaches the core. */
function rejectUnsigned(ctx: Context, check: SignatureCheck, log: Logger, what: string): boolean {
  if (check.ok) return true;
  log.warn({
    msg: `dingtalk ${what} callback rejected: ${check.reason}`,
    hint: check.reason === "bad_sign" ? "verify that DINGTALK_APP_SECRET (and the card callback apiSecret) match the DingTalk developer console" : undefined,
    ip: ctx.ip,
  });
  ctx.status = 401;
  ctx.body = { error: check.reason === "stale" ? "timestamp out of range" : "invalid signature" };
  return false;
}

async function readBody(ctx: Context, limit: number): Promise<unknown> {
  try {
    return await readJsonBody(ctx.req, limit);
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    ctx.status = err.status;
    ctx.body = { error: err.message };
    return undefined;
  }
}

function refuse(ctx: Context, status: number, error: string): true {
  ctx.status = status;
  ctx.body = { error };
  return true;
}

function badRequest(ctx: Context, log: Logger, reason: string): void {
  log.warn({ msg: "dingtalk callback malformed", reason });
  ctx.status = 400;
  ctx.body = { error: reason };
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is not set: DingTalk routes need DINGTALK_APP_KEY, DINGTALK_APP_SECRET and DINGTALK_ROBOT_CODE`);
  return value;
}
