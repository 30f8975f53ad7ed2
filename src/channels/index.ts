import type Router from "@koa/router";
import { dingtalkEnabled, wecomEnabled, type Settings } from "../config/settings.js";
import type { Clock } from "../infra/clock.js";
import type { Logger } from "../infra/logger.js";
import type { InboundEvent } from "../conversation/event.js";
import type { Reply } from "../messages/reply.js";
import type { ChannelSender } from "../outbox/sender.js";
import { BackgroundTasks, createDingtalkChannel, createDingtalkRoutes } from "./dingtalk/index.js";
import { createWecomRoutes, createWecomSender } from "./wecom/index.js";
import type { ReplyRoute } from "../outbox/replies.js";
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
  /** Where replies that cannot go inline go (src/outbox/replies.ts). */
  route: ReplyRoute;
  /** Shared state across instances (DingTalk's accepted signatures). */
  db: Db;
}

/** Mounts each platform whose settings are complete; the rest stay off (DESIGN.md §4). */
export function createChannels(deps: ChannelDeps): Channels {
  const { settings, clock, log, handle, route } = deps;
  const routes: Router[] = [];
  const senders: ChannelSender[] = [];
  const drains: (() => Promise<void>)[] = [];
  const starts: (() => Promise<void>)[] = [];
  if (wecomEnabled(settings)) {
    const sender = createWecomSender({ settings, clock, log, db: deps.db });
    routes.push(createWecomRoutes({ settings, clock, log, handle, sender, deliver: route.deliverer(sender) }));
    senders.push(sender);
  }
  if (dingtalkEnabled(settings)) {
    const cards = { templateId: settings.DINGTALK_CARD_TEMPLATE_ID, callbackRouteKey: settings.DINGTALK_CARD_ROUTE_KEY };
    const { api, sender } = createDingtalkChannel(settings, { clock, log, cards });
    const tasks = new BackgroundTasks(log);
    const deliver = route.deliverer(sender);
    routes.push(createDingtalkRoutes({ settings, clock, log, handle, api, deliver, tasks, signatures: dbSignatureLedger(deps.db), bodyLimitBytes: Math.min(settings.BODY_LIMIT_BYTES, 64 * 1024) }));
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
