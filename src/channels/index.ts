import type Router from "@koa/router";
import { dingtalkEnabled, wecomEnabled, type Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Logger } from "../infra/logger.js";
import type { InboundEvent } from "../conversation/event.js";
import type { Reply } from "../messages/reply.js";
import type { ChannelSender } from "../outbox/sender.js";
import { BackgroundTasks, createDingtalkChannel, createDingtalkRoutes } from "./dingtalk/index.js";
import { createWecomRoutes, createWecomSender, sendReplies } from "./wecom/index.js";
import type { ReplyOutbox } from "../outbox/replies.js";
import type { Db } from "../infra/db.js";
import { dbSignatureLedger } from "./dingtalk/replay-guard.js";

export interface Channels {
  routes: Router[];
  senders: ChannelSender[];
  /** One-time registrations with the platforms once the server listens (DingTalk card callback route). */
  start(): Promise<void>;
  /** Waits for replies still being delivered after their webhook was answered (shutdown, tests). */
  drain(): Promise<void>;
}

export interface ChannelDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  handle: (ev: InboundEvent) => Promise<Reply[]>;
  /** Where replies that cannot go inline are queued; without it they are sent directly, once. */
  replies?: ReplyOutbox;
  /** Shared state across instances (DingTalk's accepted signatures); without it, this process's memory. */
  db?: Db;
}

/** Mounts each platform whose settings are complete; the rest stay off (DESIGN.md §4). */
export function createChannels(deps: ChannelDeps): Channels {
  const { settings, clock, log, handle, replies } = deps;
  const routes: Router[] = [];
  const senders: ChannelSender[] = [];
  const drains: (() => Promise<void>)[] = [];
  const starts: (() => Promise<void>)[] = [];
  if (wecomEnabled(settings)) {
    const sender = createWecomSender({ settings, clock, log });
    const deliver = async (userid: string, rs: Reply[], ev: InboundEvent) => {
      const keyed = rs.map((reply, i) => ({ reply, key: `wecom-reply:${userid}:${ev.eventKey}:${i}` }));
      // An unregistered member has no user to queue for: tell them directly how to get access.
      if (!(await replies?.deliver("wecom", userid, keyed))) await sendReplies(sender, userid, rs, `wecom-reply:${userid}:${ev.eventKey}`, log);
    };
    routes.push(createWecomRoutes({ settings, clock, log, handle, sender, deliver }));
    senders.push(sender);
  }
  if (dingtalkEnabled(settings)) {
    const cards = { templateId: settings.DINGTALK_CARD_TEMPLATE_ID, callbackRouteKey: settings.DINGTALK_CARD_ROUTE_KEY };
    const { api, sender } = createDingtalkChannel(settings, { clock, log, cards });
    const tasks = new BackgroundTasks(log);
    const enqueue = async (staffId: string, reply: Reply, key: string) => {
      if (await replies?.deliver("dingtalk", staffId, [{ reply, key }])) return;
      const result = await sender.send(staffId, reply, { idempotencyKey: key });
      if (!result.ok) log.error({ msg: "dingtalk reply not delivered", key, kind: result.kind, code: result.code });
    };
    routes.push(createDingtalkRoutes({ settings, clock, log, handle, api, sender, cards, tasks, enqueue, signatures: deps.db ? dbSignatureLedger(deps.db) : undefined, bodyLimitBytes: Math.min(settings.BODY_LIMIT_BYTES, 64 * 1024) }));
    senders.push(sender);
    drains.push(() => tasks.drain());
    const routeKey = settings.DINGTALK_CARD_ROUTE_KEY;
    if (settings.DINGTALK_CARD_TEMPLATE_ID && routeKey) {
      starts.push(async () => {
        const callbackUrl = `${settings.PUBLIC_BASE_URL.replace(/\/+$/, "")}/dingtalk/card`;
        try {
          await api.registerCardCallback({ callbackRouteKey: routeKey, callbackUrl, apiSecret: settings.DINGTALK_APP_SECRET! });
          log.info({ msg: "dingtalk card callback registered", callbackUrl });
        } catch (err) {
          log.error({ msg: "dingtalk card callback registration failed; card clicks will not arrive until it succeeds", err: (err as Error).message });
        }
      });
    }
  }
  return {
    routes,
    senders,
    async start() {
      await Promise.all(starts.map((f) => f()));
    },
    async drain() {
      await Promise.all(drains.map((d) => d()));
    },
  };
}
